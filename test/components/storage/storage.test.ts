import { strict as assert } from "node:assert";
import { logBucketWritePolicy } from "../../../components/identity/iamDocuments";
import { validateInventoryDataBucketArgs, type InventoryDataBucketArgs } from "../../../components/storage/inventoryDataBucket";
import { validateSecureBucketArgs } from "../../../components/storage/secureBucket";
import { dataSyncBucketPolicy, dataSyncKeyPolicy, lifecycleRules, tlsOnlyStatement } from "../../../components/storage/storageDocuments";
import type { RetentionSpec } from "../../../catalog/s3";

const RETENTION: RetentionSpec = { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 90 };
const BUCKET = "patching-inventory-sync-111111111111-us-east-1";

describe("components/storageDocuments: bucket and key policies, lifecycle", () => {
    it("denies every non-TLS request to the bucket and its objects", () => {
        assert.deepEqual(tlsOnlyStatement("b"), {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "s3:*",
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("lets each configured account deliver only under its own folder and accountid= partition (SSM user guide policy, issue 14 M4)", () => {
        const document = dataSyncBucketPolicy(BUCKET, "inventory", { kind: "accounts", accountIds: ["333333333333", "222222222222"] });
        const [check, first, second, tls] = document.Statement;
        assert.deepEqual(check, {
            Sid: "SSMBucketPermissionsCheck",
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: `arn:aws:s3:::${BUCKET}`,
            Condition: { StringEquals: { "aws:SourceAccount": ["222222222222", "333333333333"] } },
        });
        assert.deepEqual(first, {
            Sid: "SSMBucketDelivery222222222222",
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${BUCKET}/inventory/222222222222/*/accountid=222222222222/*`,
            Condition: {
                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": "222222222222" },
                ArnLike: { "aws:SourceArn": "arn:aws:ssm:*:222222222222:resource-data-sync/*" },
            },
        });
        assert.equal(second.Resource, `arn:aws:s3:::${BUCKET}/inventory/333333333333/*/accountid=333333333333/*`);
        assert.equal(tls.Sid, "DenyInsecureTransport");
        assert.equal(document.Statement.length, 4);
    });

    it("has an organization variant conditioned on aws:SourceOrgID, each account in its own folder by policy variable", () => {
        const document = dataSyncBucketPolicy(BUCKET, "inventory", { kind: "organization", organizationId: "o-abcdefghij" });
        assert.deepEqual(document.Statement[0].Condition, { StringEquals: { "aws:SourceOrgID": "o-abcdefghij" } });
        assert.equal(document.Statement[1].Resource, `arn:aws:s3:::${BUCKET}/inventory/\${aws:SourceAccount}/*/accountid=\${aws:SourceAccount}/*`);
        assert.equal((document.Statement[1].Condition?.StringEquals as Record<string, string>)["aws:SourceOrgID"], "o-abcdefghij");
    });

    it("lets Systems Manager use the central key only for the writers' syncs", () => {
        const statements = dataSyncKeyPolicy("111111111111", { kind: "accounts", accountIds: ["222222222222"] }).Statement;
        assert.deepEqual(statements[0].Principal, { AWS: "arn:aws:iam::111111111111:root" });
        assert.deepEqual(statements[1].Action, "kms:GenerateDataKey");
        assert.deepEqual(statements[1].Condition?.StringEquals, { "aws:SourceAccount": ["222222222222"] });
    });

    it("rejects a policy over S3's 20 KB limit with advice, and bad prefixes", () => {
        const args = (accountIds: string[]): InventoryDataBucketArgs => ({
            centralAccountId: "111111111111",
            region: "us-east-1",
            prefix: "inventory",
            writers: { kind: "accounts", accountIds },
            retention: RETENTION,
            encryption: "SSE-S3",
        });
        const many = Array.from({ length: 80 }, (_, i) => String(100000000000 + i));
        assert.doesNotThrow(() => validateInventoryDataBucketArgs(args(many.slice(0, 10))));
        assert.throws(() => validateInventoryDataBucketArgs(args(many)), /80 writer accounts make a \d+-byte bucket policy, over S3's 20480-byte limit; use the organization variant/);
        assert.throws(() => validateInventoryDataBucketArgs({ ...args(["222222222222"]), prefix: "a/b" }), /prefix "a\/b" is not 1-64 of letters/);
        assert.throws(() => validateInventoryDataBucketArgs(args([])), /must be a non-empty list of 12-digit account ids/);
    });

    it("log lifecycle archives then expires current objects; live data keeps current objects", () => {
        assert.deepEqual(lifecycleRules(RETENTION, "logs"), [
            {
                id: "archive-then-expire",
                status: "Enabled",
                filter: { prefix: "" },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
                expiration: { days: 365 },
                noncurrentVersionExpiration: { noncurrentDays: 90 },
            },
        ]);
        const [live] = lifecycleRules(RETENTION, "live-data");
        assert.equal(live.expiration, undefined, "the live inventory never expires");
        assert.deepEqual(live.noncurrentVersionTransitions, [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }]);
        const [short] = lifecycleRules({ ...RETENTION, noncurrentVersionExpireAfterDays: 20 }, "live-data");
        assert.equal(short.noncurrentVersionTransitions, undefined, "no transition that the expiry would overtake");
        // S3 refuses *_IA transitions earlier than 30 days; other classes may go sooner (issue 21 mutant).
        const [earlyIa] = lifecycleRules({ ...RETENTION, transitionAfterDays: 29 }, "live-data");
        assert.equal(earlyIa.noncurrentVersionTransitions, undefined, "STANDARD_IA after 29 days would be rejected");
        const [atIa] = lifecycleRules({ ...RETENTION, transitionAfterDays: 30 }, "live-data");
        assert.deepEqual(atIa.noncurrentVersionTransitions, [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }]);
        const [earlyGlacier] = lifecycleRules({ ...RETENTION, transitionAfterDays: 10, transitionStorageClass: "GLACIER_IR" }, "live-data");
        assert.deepEqual(earlyGlacier.noncurrentVersionTransitions, [{ noncurrentDays: 10, storageClass: "GLACIER_IR" }]);
    });

    it("validates bucket names before anything is created", () => {
        const base = { region: "us-west-2", retention: RETENTION, lifecycle: "logs" as const };
        assert.doesNotThrow(() => validateSecureBucketArgs({ ...base, bucketName: "patching-patch-logs-111111111111-ap-southeast-1" }));
        for (const bad of ["Upper", "ab", "a".repeat(64), "xn--bucket", "bucket-s3alias", "a..b", "-start"]) {
            assert.throws(() => validateSecureBucketArgs({ ...base, bucketName: bad }), /is not a valid S3 bucket name/, bad);
        }
        assert.throws(() => validateSecureBucketArgs({ ...base, bucketName: "fine-name", retention: { ...RETENTION, expireAfterDays: 1 } }), /retention.expireAfterDays 1 must be greater/);
    });

    it("gives instance roles data keys for SSE-KMS log buckets only through S3 and the log-bucket alias", () => {
        assert.equal(logBucketWritePolicy(["b"]).Statement.length, 2);
        const kms = logBucketWritePolicy(["b"], { accountId: "222222222222", keyAlias: "alias/patching-logs" }).Statement[2];
        assert.deepEqual(kms, {
            Sid: "EncryptWithLogBucketKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "arn:aws:kms:*:222222222222:key/*",
            Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/patching-logs" }, StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
        });
    });
});
