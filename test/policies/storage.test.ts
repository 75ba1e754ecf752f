import { strict as assert } from "node:assert";
import type { ResourceValidationArgs } from "@pulumi/policy";
import {
    s3BucketEncrypted,
    s3BucketNoForceDestroy,
    s3BucketNoPublicAcl,
    s3BucketPublicAccessBlocked,
    s3BucketRetainedOnDelete,
    s3BucketTlsOnly,
    s3BucketVersioned,
    tlsOnlyProblem,
} from "../../policies/storage";
import type { RecordedResource } from "../../tools/mock/recorder";
import { awsProvider, CENTRAL, idOf, messages, packMessages, resource } from "./helpers";

const NAME = "patching-patch-logs-111111111111-us-west-2";
const ARN = `arn:aws:s3:::${NAME}`;

function tlsOnlyPolicy(resources: string[] = [ARN, `${ARN}/*`]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: resources, Condition: { Bool: { "aws:SecureTransport": "false" } } }],
    });
}

type Part = "bucket" | "publicAccess" | "encryption" | "versioning" | "policy";

/** A bucket as SecureBucket builds it; `change` edits one part's inputs (or drops it). */
function secureBucket(change: Partial<Record<Part, (inputs: Record<string, unknown>) => Record<string, unknown> | undefined>> = {}, retainOnDelete = true): RecordedResource[] {
    const provider = awsProvider("security", CENTRAL);
    const keep = { provider, retainOnDelete, protect: false };
    const edit = (part: Part, inputs: Record<string, unknown>) => (change[part] ? change[part](inputs) : inputs);
    const bucketInputs = edit("bucket", { region: "us-west-2", bucket: NAME, forceDestroy: false }) as Record<string, unknown>;
    const bucket = resource("aws:s3/bucket:Bucket", "logs-bucket", bucketInputs, keep);
    const child = (type: string, part: Part, suffix: string, inputs: Record<string, unknown>) => {
        const edited = edit(part, { region: "us-west-2", bucket: idOf(bucket), ...inputs });
        return edited === undefined ? [] : [resource(type, `logs-${suffix}`, edited, { ...keep, dependsOn: [bucket] })];
    };
    return [
        provider,
        bucket,
        ...child("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "publicAccess", "public-access", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        ...child("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "encryption", "encryption", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
        ...child("aws:s3/bucketVersioning:BucketVersioning", "versioning", "versioning", { versioningConfiguration: { status: "Enabled" } }),
        ...child("aws:s3/bucketPolicy:BucketPolicy", "policy", "policy", { policy: tlsOnlyPolicy() }),
    ];
}

describe("policies/storage", () => {
    describe("s3-bucket-encrypted", () => {
        it("passes a bucket with default encryption", async () => assert.deepEqual(await messages(s3BucketEncrypted, secureBucket()), []));
        it("fails a bucket no encryption configuration refers to", async () => {
            assert.deepEqual(await messages(s3BucketEncrypted, secureBucket({ encryption: () => undefined })), [`bucket ${NAME} has no default encryption: no BucketServerSideEncryptionConfiguration refers to it`]);
        });
        it("fails an algorithm outside allowedAlgorithms", async () => {
            assert.deepEqual(await messages(s3BucketEncrypted, secureBucket(), { allowedAlgorithms: ["aws:kms"] }), [`bucket ${NAME} is encrypted with "AES256"; allowed: "aws:kms"`]);
        });
        it("joins a protection to its bucket while the bucket id is unknown (preview)", async () => {
            assert.deepEqual(await messages(s3BucketEncrypted, secureBucket({ encryption: (inputs) => ({ ...inputs, bucket: "[unknown]" }) })), []);
        });
    });

    describe("s3-bucket-public-access-blocked", () => {
        it("passes all four flags on", async () => assert.deepEqual(await messages(s3BucketPublicAccessBlocked, secureBucket()), []));
        it("fails one flag off", async () => {
            const resources = secureBucket({ publicAccess: (inputs) => ({ ...inputs, restrictPublicBuckets: false }) });
            assert.deepEqual(await messages(s3BucketPublicAccessBlocked, resources), [`bucket ${NAME} does not block public access: restrictPublicBuckets not true`]);
        });
        it("fails a bucket without a public-access block", async () => {
            assert.deepEqual(await messages(s3BucketPublicAccessBlocked, secureBucket({ publicAccess: () => undefined })), [
                `bucket ${NAME} has no BucketPublicAccessBlock: a bucket policy or ACL could make it public`,
            ]);
        });
    });

    describe("s3-bucket-tls-only", () => {
        it("passes a TLS-only deny on the bucket and its objects", async () => assert.deepEqual(await messages(s3BucketTlsOnly, secureBucket()), []));
        it("fails a policy without the deny", async () => {
            const allowOnly = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: ARN }] });
            assert.deepEqual(await messages(s3BucketTlsOnly, secureBucket({ policy: (inputs) => ({ ...inputs, policy: allowOnly }) })), [
                `the policy of bucket ${NAME} has no statement denying s3:* to every principal when "aws:SecureTransport" is "false"`,
            ]);
        });
        it("fails a deny that leaves the bucket itself out", async () => {
            assert.deepEqual(await messages(s3BucketTlsOnly, secureBucket({ policy: (inputs) => ({ ...inputs, policy: tlsOnlyPolicy([`${ARN}/*`]) }) })), [
                `the policy of bucket ${NAME} denies plain HTTP but not on "${ARN}"`,
            ]);
        });
        it("reads the Bool condition whether its value is a string or a list", () => {
            const listed = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { Bool: { "aws:securetransport": ["false"] } } }] });
            assert.equal(tlsOnlyProblem(() => listed, NAME), undefined);
        });
    });

    describe("s3-bucket-versioned", () => {
        it("passes versioning Enabled", async () => assert.deepEqual(await messages(s3BucketVersioned, secureBucket()), []));
        it("fails versioning Suspended", async () => {
            const resources = secureBucket({ versioning: (inputs) => ({ ...inputs, versioningConfiguration: { status: "Suspended" } }) });
            assert.deepEqual(await messages(s3BucketVersioned, resources), [`bucket ${NAME} has versioning "Suspended", not "Enabled": overwritten or deleted audit data cannot be recovered`]);
        });
        it("matches a protection naming its bucket by literal name", async () => {
            const resources = secureBucket({ versioning: (inputs) => ({ ...inputs, bucket: NAME, versioningConfiguration: { status: "Disabled" } }) });
            assert.equal((await messages(s3BucketVersioned, resources)).length, 1);
        });
    });

    describe("s3-bucket-retained-on-delete", () => {
        it("passes buckets and protections that are retainOnDelete", async () => assert.deepEqual(await messages(s3BucketRetainedOnDelete, secureBucket()), []));
        it("fails each part that is not", async () => {
            const found = await messages(s3BucketRetainedOnDelete, secureBucket({}, false));
            assert.equal(found.length, 5);
            assert.equal(found[0], "logs-bucket is not retainOnDelete: `pulumi destroy` would delete it");
        });
        it("with requireProtect, fails a part that is not protected", async () => {
            const found = await messages(s3BucketRetainedOnDelete, secureBucket(), { requireProtect: true });
            assert.equal(found[0], "logs-bucket is not protected: in this environment audit buckets need `protect: true`");
        });
        it("under the CLI (no retainOnDelete in the options) accepts protect, else is not applicable", () => {
            let reason: string | undefined;
            const reported: string[] = [];
            const args = (protect: boolean) =>
                ({
                    type: "aws:s3/bucket:Bucket",
                    name: "b",
                    opts: { protect },
                    getConfig: () => ({}),
                    notApplicable: (why?: string) => {
                        reason = why;
                        throw new Error("not applicable");
                    },
                }) as unknown as ResourceValidationArgs;
            const validate = s3BucketRetainedOnDelete.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void;
            validate(args(true), (m) => reported.push(m));
            assert.equal(reason, undefined);
            assert.throws(() => validate(args(false), (m) => reported.push(m)), /not applicable/);
            assert.match(reason ?? "", /does not pass retainOnDelete/);
            assert.deepEqual(reported, []);
        });
    });
    describe("s3-bucket-no-force-destroy", () => {
        const protectedBucket = (change: Parameters<typeof secureBucket>[0] = {}) => secureBucket(change).map((r) => ({ ...r, options: { ...r.options, protect: true } }));
        const forced = () => protectedBucket({ bucket: (inputs) => ({ ...inputs, forceDestroy: true }) });
        it("passes forceDestroy false", async () => assert.deepEqual(await messages(s3BucketNoForceDestroy, protectedBucket()), []));
        it("fails forceDestroy true on a bucket that is protected and retained", async () => {
            assert.deepEqual(await messages(s3BucketNoForceDestroy, forced()), [
                "logs-bucket sets forceDestroy: deleting the bucket would delete every object version in it first; set forceDestroy: false (protect does not cover this)",
            ]);
        });
        it("is reported by the prod pack, whose retained-on-delete rule the protected bucket satisfies", async () => {
            const found = await packMessages(forced(), "prod");
            assert.deepEqual(found.filter((m) => /forceDestroy/.test(m)).length, 1, found.join("\n"));
        });
    });

    describe("s3-bucket-no-public-acl", () => {
        const everyone = "http://acs.amazonaws.com/groups/global/AllUsers";
        const aclResource = (type: string, inputs: Record<string, unknown>) => resource(type, "logs-acl", { region: "us-west-2", bucket: NAME, ...inputs }, { provider: awsProvider("security", CENTRAL) });
        it("passes a bucket without an ACL and a private BucketAclV2", async () => {
            assert.deepEqual(await messages(s3BucketNoPublicAcl, [...secureBucket(), aclResource("aws:s3/bucketAclV2:BucketAclV2", { acl: "private" })]), []);
        });
        for (const acl of ["public-read", "public-read-write", "authenticated-read"]) {
            it(`fails a bucket with canned ACL ${acl}`, async () => {
                assert.deepEqual(await messages(s3BucketNoPublicAcl, secureBucket({ bucket: (inputs) => ({ ...inputs, acl }) })), [
                    `logs-bucket makes its data public: canned ACL "${acl}"; keep ACLs disabled (BucketOwnerEnforced) and grant access with policies`,
                ]);
            });
        }
        it("fails a BucketAclV2 granting READ to AllUsers", async () => {
            const grant = { grantee: { type: "Group", uri: everyone }, permission: "READ" };
            const acl = aclResource("aws:s3/bucketAclV2:BucketAclV2", { accessControlPolicy: { owner: { id: "owner" }, grants: [grant] } });
            assert.deepEqual(await messages(s3BucketNoPublicAcl, [acl]), ["logs-acl makes its data public: READ to AllUsers; keep ACLs disabled (BucketOwnerEnforced) and grant access with policies"]);
        });
        it("fails a bucket's own grants to AuthenticatedUsers, and a BucketAcl with canned public-read", async () => {
            const granted = secureBucket({ bucket: (inputs) => ({ ...inputs, grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", permissions: ["READ", "WRITE"] }] }) });
            assert.deepEqual(await messages(s3BucketNoPublicAcl, granted), ["logs-bucket makes its data public: READ/WRITE to AuthenticatedUsers; keep ACLs disabled (BucketOwnerEnforced) and grant access with policies"]);
            assert.equal((await messages(s3BucketNoPublicAcl, [aclResource("aws:s3/bucketAcl:BucketAcl", { acl: "public-read" })])).length, 1);
        });
        it("leaves log-delivery-write alone (the LogDelivery group is not the public)", async () => {
            assert.deepEqual(await messages(s3BucketNoPublicAcl, [aclResource("aws:s3/bucketAclV2:BucketAclV2", { acl: "log-delivery-write" })]), []);
        });
        it("is reported by the prod pack even with all four public-access flags on", async () => {
            const found = await packMessages(secureBucket({ bucket: (inputs) => ({ ...inputs, acl: "public-read" }) }), "prod");
            assert.equal(found.filter((m) => /public-read/.test(m)).length, 1, found.join("\n"));
        });
    });
});
