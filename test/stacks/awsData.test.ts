import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const json = (value: unknown) => JSON.parse(value as string);

interface Location {
    readonly alias: string;
    readonly id: string;
    readonly region: string;
}

const STACKS = {
    prod: {
        central: { alias: "security", id: "111111111111", region: "us-east-1" },
        kms: true,
        members: ["security:111111111111", "shared-services:222222222222", "application:333333333333"].flatMap((entry) => {
            const [alias, id] = entry.split(":");
            return ["us-west-2", "eu-west-2"].map((region) => ({ alias, id, region }));
        }),
    },
    dev: {
        central: { alias: "sandbox", id: "444444444444", region: "us-west-2" },
        kms: false,
        members: [
            { alias: "sandbox", id: "444444444444", region: "us-west-2" },
            { alias: "dev-apps", id: "555555555555", region: "us-west-2" },
            { alias: "dev-apps", id: "555555555555", region: "eu-west-2" },
        ],
    },
} as const;

for (const [stack, expected] of Object.entries(STACKS)) {
    describe(`log buckets, central inventory bucket and inventory in the ${stack} estate`, () => {
        let evaluation: Evaluation;
        const providerName = (r: RecordedResource) => evaluation.recorder.providerOf(r)?.name;
        const child = (type: string, name: string) => evaluation.recorder.get(type, name);
        const writers = expected.members.map((m) => m.id).filter((id, i, all) => all.indexOf(id) === i);

        before(async () => {
            evaluation = await evaluatedStack(stack);
        });

        /** Asserts the protections every audit bucket has, by the SecureBucket child names. */
        function assertSecureBucket(component: string, bucketName: string, provider: string, region: string) {
            const bucket = child("aws:s3/bucket:Bucket", `${component}-bucket`);
            assert.equal(bucket.inputs.bucket, bucketName);
            assert.equal(bucket.inputs.region, region);
            assert.equal(providerName(bucket), provider);
            assert.equal(bucket.inputs.objectLockEnabled, undefined, "no Object Lock");
            const publicAccess = child("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${component}-public-access`).inputs;
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(publicAccess[flag], true, flag);
            }
            const encryption = child("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${component}-encryption`).inputs;
            const rule = (encryption.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string } }[])[0];
            assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, expected.kms ? "aws:kms" : "AES256");
            assert.deepEqual(child("aws:s3/bucketVersioning:BucketVersioning", `${component}-versioning`).inputs.versioningConfiguration, { status: "Enabled" });
            assert.deepEqual(child("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${component}-ownership`).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
            const lifecycle = child("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${component}-lifecycle`).inputs.rules as { noncurrentVersionExpiration: unknown }[];
            assert.ok(lifecycle[0].noncurrentVersionExpiration, "superseded versions expire");
            const policy = json(child("aws:s3/bucketPolicy:BucketPolicy", `${component}-policy`).inputs.policy);
            assert.ok(policy.Statement.some((s: { Sid: string }) => s.Sid === "DenyInsecureTransport"), "TLS only");
            const children = evaluation.recorder.resources.filter((r) => r.custom && r.name.startsWith(`${component}-`));
            assert.equal(children.length, 7);
            for (const resource of children) {
                assert.equal(resource.options.retainOnDelete, true, `${resource.name} survives pulumi destroy`);
                assert.equal(resource.options.protect, stack === "prod", `${resource.name} protect in prod only`);
            }
            return { bucket, policy, encryption: rule };
        }

        it("creates the central Resource Data Sync bucket in the central account with the documented policy", () => {
            const { central } = expected;
            const name = `patching-inventory-sync-${central.id}-${central.region}`;
            const { policy } = assertSecureBucket(`${central.alias}-inventory-data-data`, name, `aws-${central.alias}`, central.region);
            const deliveries = policy.Statement.filter((s: { Action: string }) => s.Action === "s3:PutObject");
            assert.deepEqual(
                deliveries.map((s: { Resource: string }) => s.Resource),
                // Issue 14 (M4): each account's own folder first in the key.
                [...writers].sort().map((id) => `arn:aws:s3:::${name}/inventory/${id}/*/accountid=${id}/*`),
            );
            assert.equal(evaluation.recorder.find("aws:s3/bucket:Bucket").filter((b) => String(b.inputs.bucket).startsWith("patching-inventory-sync-")).length, 1);
        });

        for (const location of expected.members as readonly Location[]) {
            const scope = `${location.alias}-${location.region}`;
            it(`${scope}: patch and inventory log buckets named as the roles and runbooks expect`, () => {
                for (const kind of ["patch", "inventory"]) {
                    const { encryption } = assertSecureBucket(`${scope}-log-buckets-${kind}`, `patching-${kind}-logs-${location.id}-${location.region}`, `aws-${location.alias}`, location.region);
                    if (expected.kms) {
                        const key = child("aws:kms/key:Key", `${scope}-log-buckets-key-key`);
                        assert.equal(encryption.applyServerSideEncryptionByDefault.kmsMasterKeyId, `arn:aws:kms:${location.region}:${location.id}:key/${key.name}`, "encrypted with this location's key");
                        assert.equal(key.inputs.enableKeyRotation, true);
                        assert.equal(key.options.retainOnDelete, true, "the key outlives the data it protects");
                    }
                }
                assert.equal(evaluation.recorder.find("aws:kms/key:Key", `${scope}-log-buckets-key-key`).length, expected.kms ? 1 : 0);
            });

            it(`${scope}: gathers inventory from every managed node and syncs it to the central bucket`, () => {
                const association = child("aws:ssm/association:Association", `${scope}-inventory-association`);
                assert.equal(providerName(association), `aws-${location.alias}`);
                assert.equal(association.inputs.region, location.region);
                assert.equal(association.inputs.name, "AWS-GatherSoftwareInventory");
                assert.deepEqual(association.inputs.targets, [{ key: "InstanceIds", values: ["*"] }]);
                assert.equal(association.inputs.scheduleExpression, "rate(12 hours)");
                assert.ok(association.inputs.maxConcurrency && association.inputs.maxErrors, "rate control");
                assert.deepEqual(association.inputs.outputLocation, {
                    s3BucketName: `patching-inventory-logs-${location.id}-${location.region}`,
                    s3KeyPrefix: "inventory-association",
                    s3Region: location.region,
                });
                const sync = child("aws:ssm/resourceDataSync:ResourceDataSync", `${scope}-inventory-data-sync`);
                assert.equal(providerName(sync), `aws-${location.alias}`);
                assert.equal(sync.inputs.region, location.region);
                const destination = sync.inputs.s3Destination as Record<string, string>;
                assert.equal(destination.bucketName, `patching-inventory-sync-${expected.central.id}-${expected.central.region}`);
                assert.equal(destination.region, expected.central.region);
                assert.equal(destination.prefix, `inventory/${location.id}`, "the account's own folder (issue 14, M4)");
                assert.equal(sync.options.deleteBeforeReplace, true, "a fixed-name sync is replaced by deleting it first");
                assert.equal(destination.syncFormat, "JsonSerDe");
                assert.equal(destination.kmsKeyArn !== undefined, expected.kms, "SSE-KMS syncs name the central key");
                const bucketPolicy = child("aws:s3/bucketPolicy:BucketPolicy", `${expected.central.alias}-inventory-data-data-policy`);
                assert.ok(sync.options.dependsOn.includes(bucketPolicy.urn), "the sync waits for the central bucket policy");
            });
        }

        it("gives instance roles KMS data keys exactly when the buckets use SSE-KMS", () => {
            const policies = evaluation.recorder.find("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-managed-node-roles-instance-log-buckets"));
            assert.ok(policies.length > 0);
            for (const policy of policies) {
                const sids = json(policy.inputs.policy).Statement.map((s: { Sid: string }) => s.Sid);
                assert.equal(sids.includes("EncryptWithLogBucketKey"), expected.kms, policy.name);
            }
        });
    });
}

describe("logStorage.objectLock wired into the estate (issue 14)", () => {
    let recorder: import("../../tools/mock/recorder").ResourceRecorder;

    before(async () => {
        const { startMockRuntime, settle } = await import("../../tools/mock/runtime");
        const { flatConfig, TEST_CONTEXT, validRawConfig } = await import("../fixtures/estateConfig");
        const raw = { ...validRawConfig(), logStorage: { encryption: "SSE-KMS", expireAfterDays: 400, objectLock: { mode: "GOVERNANCE", days: 365 } } };
        recorder = await startMockRuntime({ project: TEST_CONTEXT.project, stack: TEST_CONTEXT.stack, config: flatConfig(raw) });
        const { loadEstateConfig } = await import("../../stacks/config/estateConfig");
        const { createProviders } = await import("../../stacks/providers");
        const { buildAwsData } = await import("../../stacks/awsData");
        const estate = loadEstateConfig();
        const providers = createProviders(estate);
        buildAwsData(estate, (account) => providers.aws.get(account.alias)!);
        await settle();
    });

    it("locks every location's patch-log bucket, in that location's account and Region, and nothing else", () => {
        const locks = recorder.find("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
        const located = locks.map((lock) => [lock.name, recorder.providerOf(lock)?.name, lock.inputs.region, lock.inputs.rule]);
        const rule = { defaultRetention: { mode: "GOVERNANCE", days: 365 } };
        assert.deepEqual(located, [
            ["security-us-west-2-log-buckets-patch-object-lock", "aws-security", "us-west-2", rule],
            ["security-eu-west-2-log-buckets-patch-object-lock", "aws-security", "eu-west-2", rule],
            ["apps-us-west-2-log-buckets-patch-object-lock", "aws-apps", "us-west-2", rule],
        ]);
        assert.equal(recorder.find("aws:s3/bucket:Bucket").filter((b) => b.inputs.objectLockEnabled !== undefined).length, 0);
    });
});
