import { strict as assert } from "node:assert";
import { logBucketWritePolicy, type PolicyStatement } from "../../../components/identity/iamDocuments";
import { validateInventoryDataBucketArgs, type InventoryDataBucketArgs } from "../../../components/storage/inventoryDataBucket";
import { validateSecureBucketArgs } from "../../../components/storage/secureBucket";
import { bucketKeyPolicy, dataSyncBucketPolicy, dataSyncKeyPolicy, lifecycleRules, tlsOnlyStatement, withTlsOnly } from "../../../components/storage/storageDocuments";
import type { RetentionSpec } from "../../../catalog/s3";

const RETENTION: RetentionSpec = { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 90 };
const BUCKET = "patching-inventory-sync-111111111111-us-east-1";
/** A statement without its Sid (checked separately by the Sid grammar test). */
const withoutSid = (statement: PolicyStatement) => Object.fromEntries(Object.entries(statement).filter(([key]) => key !== "Sid"));

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

    it("adds the TLS-only deny to a bucket policy exactly once", () => {
        const read = { Sid: "ReadLogs", Effect: "Allow" as const, Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
        assert.deepEqual(withTlsOnly("b"), { Version: "2012-10-17", Statement: [tlsOnlyStatement("b")] });
        assert.deepEqual(withTlsOnly("b", [read]).Statement, [read, tlsOnlyStatement("b")]);
        assert.deepEqual(withTlsOnly("b", [read, tlsOnlyStatement("b")]).Statement, [read, tlsOnlyStatement("b")]);
    });

    it("keeps the KMS default key-policy statement: the owning account's root, every kms action, the key itself", () => {
        // KMS developer guide, "Default key policy": Principal the account root, Action kms:*, Resource "*" (in a key policy "*" is this key).
        const extra = { Sid: "Extra", Effect: "Allow" as const, Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" };
        const document = bucketKeyPolicy("111111111111", [extra]);
        assert.deepEqual(document.Statement.map(withoutSid), [
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" },
            { Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" },
        ]);
        assert.equal(bucketKeyPolicy("111111111111").Statement.length, 1);
    });

    it("lets Systems Manager generate data keys for Resource Data Sync only, for the listed accounts or the organization", () => {
        // SSM user guide, resource data sync with an encrypted bucket: ssm.amazonaws.com needs kms:GenerateDataKey on the key.
        const syncOnly = { ArnLike: { "aws:SourceArn": "arn:aws:ssm:*:*:resource-data-sync/*" } };
        const ssmStatement = (writers: Parameters<typeof dataSyncKeyPolicy>[1]) => withoutSid(dataSyncKeyPolicy("111111111111", writers).Statement[1]);
        assert.deepEqual(ssmStatement({ kind: "accounts", accountIds: ["333333333333", "222222222222"] }), {
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "kms:GenerateDataKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": ["222222222222", "333333333333"] }, ...syncOnly },
        });
        assert.deepEqual(ssmStatement({ kind: "organization", organizationId: "o-abcdefghij" }), {
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "kms:GenerateDataKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceOrgID": "o-abcdefghij" }, ...syncOnly },
        });
    });

    it("gives every bucket and key policy statement a valid Sid", () => {
        // IAM JSON policy reference, Sid: ASCII letters and digits; an empty Sid is no Sid.
        const documents = [
            withTlsOnly("b"),
            dataSyncBucketPolicy(BUCKET, "inventory", { kind: "accounts", accountIds: ["222222222222"] }),
            dataSyncBucketPolicy(BUCKET, "inventory", { kind: "organization", organizationId: "o-abcdefghij" }),
            dataSyncKeyPolicy("111111111111", { kind: "accounts", accountIds: ["222222222222"] }),
            dataSyncKeyPolicy("111111111111", { kind: "organization", organizationId: "o-abcdefghij" }),
        ];
        for (const statement of documents.flatMap((d) => d.Statement)) {
            assert.match(statement.Sid ?? "", /^[A-Za-z0-9]+$/);
        }
    });

    it("live-data lifecycle: the whole rule, and no noncurrent transition that the expiry would meet or overtake", () => {
        assert.deepEqual(lifecycleRules(RETENTION, "live-data"), [
            {
                id: "expire-superseded-versions",
                status: "Enabled",
                filter: { prefix: "" },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }],
                noncurrentVersionExpiration: { noncurrentDays: 90 },
            },
        ]);
        // "If you specify a transition and expiration time, the expiration time must be later than the transition time" (S3 lifecycle).
        const [same] = lifecycleRules({ ...RETENTION, transitionAfterDays: 90, transitionStorageClass: "GLACIER" }, "live-data");
        assert.equal(same.noncurrentVersionTransitions, undefined);
        const [dayBefore] = lifecycleRules({ ...RETENTION, transitionAfterDays: 89, transitionStorageClass: "GLACIER" }, "live-data");
        assert.deepEqual(dayBefore.noncurrentVersionTransitions, [{ noncurrentDays: 89, storageClass: "GLACIER" }]);
        // ONEZONE_IA has the same 30-day minimum as STANDARD_IA.
        const [oneZone] = lifecycleRules({ ...RETENTION, transitionAfterDays: 29, transitionStorageClass: "ONEZONE_IA" }, "live-data");
        assert.equal(oneZone.noncurrentVersionTransitions, undefined);
    });
});
