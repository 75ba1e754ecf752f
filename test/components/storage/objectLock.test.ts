import { strict as assert } from "node:assert";
import { objectLockProblems, type ObjectLockSpec, type RetentionSpec } from "../../../catalog/s3";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

/** Issue 14 (Low): optional S3 Object Lock (GOVERNANCE, configurable days) on the patch-log buckets. */

const RETENTION: RetentionSpec = { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 400, noncurrentVersionExpireAfterDays: 90 };
const LOCK: ObjectLockSpec = { mode: "GOVERNANCE", days: 400 };
const ACCOUNT = "222222222222";

describe("catalog/s3 objectLockProblems", () => {
    const CASES: [string, ObjectLockSpec, string[]][] = [
        ["governance within the logs' life", LOCK, []],
        ["one day", { mode: "GOVERNANCE", days: 1 }, []],
        ["compliance mode", { mode: "COMPLIANCE" as ObjectLockSpec["mode"], days: 30 }, ["mode is not one of GOVERNANCE"]],
        ["zero days", { mode: "GOVERNANCE", days: 0 }, ["days is not an integer from 1 to 36500"]],
        ["fractional days", { mode: "GOVERNANCE", days: 1.5 }, ["days is not an integer from 1 to 36500"]],
        ["past the lifecycle's expiry", { mode: "GOVERNANCE", days: 401 }, ["days would lock patch logs past expireAfterDays (400), when the lifecycle deletes them; choose at most 400"]],
    ];
    for (const [label, spec, expected] of CASES) {
        it(label, () => assert.deepEqual(objectLockProblems(spec, RETENTION).map((p) => `${p.field} ${p.message}`), expected));
    }
});

describe("LogBuckets / SecureBucket Object Lock under the mock runtime", () => {
    let recorder: ResourceRecorder;
    const locks = () => recorder.find("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");

    before(async () => {
        recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const { LogBuckets } = await import("../../../components/storage/logBuckets");
        const { InventoryDataBucket } = await import("../../../components/storage/inventoryDataBucket");
        new LogBuckets("locked", { accountId: ACCOUNT, region: "eu-west-2", retention: RETENTION, encryption: "SSE-S3", objectLock: LOCK });
        new LogBuckets("plain", { accountId: ACCOUNT, region: "us-west-2", retention: RETENTION, encryption: "SSE-S3" });
        // The estate's log storage (with its objectLock) is what the data bucket's retention comes from.
        new InventoryDataBucket("data", {
            centralAccountId: "111111111111",
            region: "us-east-1",
            prefix: "inventory",
            writers: { kind: "accounts", accountIds: [ACCOUNT] },
            retention: { ...RETENTION, objectLock: LOCK } as RetentionSpec,
            encryption: "SSE-S3",
        });
        await settle();
    });

    it("locks the patch-log bucket only: GOVERNANCE, the configured days, after versioning, retained", () => {
        assert.deepEqual(locks().map((r) => r.name), ["locked-patch-object-lock"]);
        const [lock] = locks();
        const bucket = recorder.get("aws:s3/bucket:Bucket", "locked-patch-bucket");
        const versioning = recorder.get("aws:s3/bucketVersioning:BucketVersioning", "locked-patch-versioning");
        assert.deepEqual(lock.inputs, {
            region: "eu-west-2",
            bucket: "locked-patch-bucket-id",
            objectLockEnabled: "Enabled",
            rule: { defaultRetention: { mode: "GOVERNANCE", days: 400 } },
        });
        assert.ok(lock.options.dependsOn.includes(versioning.urn), "Object Lock needs versioning first");
        assert.equal(lock.options.retainOnDelete, true);
        assert.equal(lock.parent, recorder.get("patching:storage:SecureBucket", "locked-patch").urn);
        assert.deepEqual([bucket.inputs.bucket, bucket.inputs.objectLockEnabled], ["patching-patch-logs-222222222222-eu-west-2", undefined], "set on the bucket it would replace it");
    });

    it("never locks the inventory-log bucket, the Resource Data Sync bucket, or anything without the option", () => {
        for (const name of ["locked-inventory", "plain-patch", "plain-inventory", "data-data"]) {
            assert.equal(recorder.find("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").some((r) => r.parent === recorder.get("patching:storage:SecureBucket", name).urn), false, name);
        }
    });

    it("rejects a bad lock before anything is created, naming the argument", async () => {
        const { validateLogBucketsArgs } = await import("../../../components/storage/logBuckets");
        const { validateSecureBucketArgs } = await import("../../../components/storage/secureBucket");
        assert.throws(
            () => validateLogBucketsArgs({ accountId: ACCOUNT, region: "eu-west-2", retention: RETENTION, encryption: "SSE-S3", objectLock: { mode: "GOVERNANCE", days: 500 } }),
            { message: "LogBuckets: objectLock.days 500 would lock patch logs past expireAfterDays (400), when the lifecycle deletes them; choose at most 400" },
        );
        assert.throws(
            () => validateSecureBucketArgs({ region: "eu-west-2", bucketName: "b-locked", retention: RETENTION, lifecycle: "logs", objectLock: { mode: "COMPLIANCE" as ObjectLockSpec["mode"], days: 10 } }),
            { message: "SecureBucket b-locked: objectLock.mode COMPLIANCE is not one of GOVERNANCE" },
        );
    });
});
