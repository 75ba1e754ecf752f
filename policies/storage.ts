/**
 * Audit-data buckets: encrypted, never public, TLS-only, versioned, retained on `pulumi destroy`.
 * The first four are stack policies, because AWS provider v7 splits each protection into its own
 * resource that refers to the bucket (see lib/buckets.ts).
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { bucketLabel, bucketsWithProtections } from "./lib/buckets";
import { actions, conditionValues, isPublic, resources, statementsOf } from "./lib/documents";
import { asList, known, peek, quoted, TYPES, UNKNOWN, type OptionsWithRetain } from "./lib/graph";
import { settings } from "./lib/settings";

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const ENCRYPTED_DEFAULTS = { allowedAlgorithms: SSE_ALGORITHMS };

export const s3BucketEncrypted: StackValidationPolicy = {
    name: "s3-bucket-encrypted",
    description: "Every S3 bucket has default encryption (a BucketServerSideEncryptionConfiguration) with an allowed algorithm.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedAlgorithms: { type: "array", items: { type: "string", enum: SSE_ALGORITHMS }, minItems: 1, default: ENCRYPTED_DEFAULTS.allowedAlgorithms },
        },
    },
    validateStack: (args, reportViolation) => {
        const { allowedAlgorithms } = settings(args, ENCRYPTED_DEFAULTS);
        for (const entry of bucketsWithProtections(args.resources)) {
            if (entry.encryptions.length === 0) {
                reportViolation(`bucket ${bucketLabel(entry)} has no default encryption: no BucketServerSideEncryptionConfiguration refers to it`, entry.bucket.urn);
                continue;
            }
            for (const encryption of entry.encryptions) {
                const rules = known(() => asList(encryption.props["rules"]));
                const algorithms = rules?.map((rule) => peek(() => (rule as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }).applyServerSideEncryptionByDefault?.sseAlgorithm));
                if (algorithms === undefined || algorithms.includes(UNKNOWN)) {
                    continue; // unknown until the update: checked then
                }
                const refused = algorithms.map((algorithm) => (typeof algorithm === "string" ? algorithm : "(none)")).filter((algorithm) => !allowedAlgorithms.includes(algorithm));
                if (algorithms.length === 0) {
                    reportViolation(`bucket ${bucketLabel(entry)} has an encryption configuration without a default-encryption rule`, encryption.urn);
                } else if (refused.length > 0) {
                    reportViolation(`bucket ${bucketLabel(entry)} is encrypted with ${quoted(refused)}; allowed: ${quoted(allowedAlgorithms)}`, encryption.urn);
                }
            }
        }
    },
};

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BucketPublicAccessBlocked: StackValidationPolicy = {
    name: "s3-bucket-public-access-blocked",
    description: "Every S3 bucket has a BucketPublicAccessBlock with all four flags on.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const entry of bucketsWithProtections(args.resources)) {
            if (entry.publicAccessBlocks.length === 0) {
                reportViolation(`bucket ${bucketLabel(entry)} has no BucketPublicAccessBlock: a bucket policy or ACL could make it public`, entry.bucket.urn);
            }
            for (const block of entry.publicAccessBlocks) {
                const off = PUBLIC_ACCESS_FLAGS.filter((flag) => {
                    const value = peek(() => block.props[flag]);
                    return value !== UNKNOWN && value !== true;
                });
                if (off.length > 0) {
                    reportViolation(`bucket ${bucketLabel(entry)} does not block public access: ${off.join(", ")} not true`, block.urn);
                }
            }
        }
    },
};

/** Why a bucket policy does not deny plain-HTTP requests to the whole bucket, or undefined. */
export function tlsOnlyProblem(policy: () => unknown, bucketName: string | undefined): string | undefined {
    const statements = statementsOf(policy);
    if (statements === undefined) {
        return undefined; // unknown during preview
    }
    const denies = statements.filter(
        (s) =>
            s.Effect === "Deny" &&
            isPublic(s) &&
            actions(s).some((action) => action === "*" || action === "s3:*") &&
            [...conditionValues(s, "Bool", "aws:SecureTransport"), ...conditionValues(s, "BoolIfExists", "aws:SecureTransport")].includes("false"),
    );
    if (denies.length === 0) {
        return 'has no statement denying s3:* to every principal when "aws:SecureTransport" is "false"';
    }
    if (bucketName === undefined) {
        return undefined;
    }
    const covered = new Set(denies.flatMap(resources));
    const missing = [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`].filter((arn) => !covered.has(arn) && !covered.has("*"));
    return missing.length === 0 ? undefined : `denies plain HTTP but not on ${quoted(missing)}`;
}

export const s3BucketTlsOnly: StackValidationPolicy = {
    name: "s3-bucket-tls-only",
    description: "Every S3 bucket has a bucket policy that denies any request not made over TLS (aws:SecureTransport false) on the bucket and its objects.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const entry of bucketsWithProtections(args.resources)) {
            if (entry.policies.length === 0) {
                reportViolation(`bucket ${bucketLabel(entry)} has no bucket policy, so plain-HTTP requests are not denied`, entry.bucket.urn);
                continue;
            }
            const problems = entry.policies.map((policy) => tlsOnlyProblem(() => policy.props["policy"], entry.bucketName));
            // S3 keeps one policy per bucket; with several resources the last write wins, so each must hold.
            problems.forEach((problem, index) => {
                if (problem !== undefined) {
                    reportViolation(`the policy of bucket ${bucketLabel(entry)} ${problem}`, entry.policies[index].urn);
                }
            });
        }
    },
};

export const s3BucketVersioned: StackValidationPolicy = {
    name: "s3-bucket-versioned",
    description: "Every S3 bucket has versioning enabled (a BucketVersioning with status Enabled).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const entry of bucketsWithProtections(args.resources)) {
            if (entry.versionings.length === 0) {
                reportViolation(`bucket ${bucketLabel(entry)} is not versioned: no BucketVersioning refers to it`, entry.bucket.urn);
            }
            for (const versioning of entry.versionings) {
                const status = peek(() => (versioning.props["versioningConfiguration"] as { status?: string } | undefined)?.status);
                if (status !== UNKNOWN && status !== "Enabled") {
                    reportViolation(`bucket ${bucketLabel(entry)} has versioning "${status}", not "Enabled": overwritten or deleted audit data cannot be recovered`, versioning.urn);
                }
            }
        }
    },
};

const RETAINED_TYPES: readonly string[] = [TYPES.bucket, TYPES.publicAccessBlock, TYPES.encryption, TYPES.versioning, TYPES.bucketPolicy];
const RETAINED_DEFAULTS = { requireProtect: false };

export const s3BucketRetainedOnDelete: ResourceValidationPolicy = {
    name: "s3-bucket-retained-on-delete",
    description:
        "S3 buckets and their protection resources are retainOnDelete, so `pulumi destroy` never deletes audit data or strips its protections; with requireProtect they must also be protected.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireProtect: { type: "boolean", default: RETAINED_DEFAULTS.requireProtect } } },
    validateResource: (args, reportViolation) => {
        if (!RETAINED_TYPES.includes(args.type)) {
            return args.notApplicable("only S3 buckets and their protection resources");
        }
        const { requireProtect } = settings(args, RETAINED_DEFAULTS);
        const { retainOnDelete, protect } = args.opts as OptionsWithRetain;
        if (retainOnDelete === false) {
            reportViolation(`${args.name} is not retainOnDelete: \`pulumi destroy\` would delete it`);
        }
        if (requireProtect && !protect) {
            reportViolation(`${args.name} is not protected: in this environment audit buckets need \`protect: true\``);
        } else if (retainOnDelete === undefined && !protect) {
            // The engine's analyzer protocol carries `protect` but not `retainOnDelete`; the offline
            // plan (npm run plan) knows it from the recorder and checks it there.
            return args.notApplicable("the engine does not pass retainOnDelete to policy packs; `npm run plan` checks it");
        }
    },
};

const BUCKET_TYPES: readonly string[] = [TYPES.bucket, TYPES.bucketV2];

export const s3BucketNoForceDestroy: ResourceValidationPolicy = {
    name: "s3-bucket-no-force-destroy",
    description:
        "No S3 bucket sets forceDestroy: deleting the bucket (a replacement, or a destroy once protect is lifted) would first delete every object and version in it, whatever protect and retainOnDelete say.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!BUCKET_TYPES.includes(args.type)) {
            return args.notApplicable("only S3 buckets");
        }
        // protect/retainOnDelete guard the Pulumi resource; forceDestroy is the provider's
        // instruction to empty the bucket before DeleteBucket, so the audit data goes with any
        // delete that does happen (a replacement, `pulumi state unprotect` then destroy).
        if (known(() => args.props["forceDestroy"]) === true) {
            reportViolation(`${args.name} sets forceDestroy: deleting the bucket would delete every object version in it first; set forceDestroy: false (protect does not cover this)`);
        }
    },
};

/** Canned ACLs that grant to the AllUsers or AuthenticatedUsers group (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl). */
export const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
/** The grantee groups that mean "anyone" and "any AWS account". */
const PUBLIC_GROUPS = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;
/** Resources that carry an ACL: the bucket's own (deprecated) acl/grants, the separate ACL resources, objects. */
const ACL_TYPES: readonly string[] = [TYPES.bucket, TYPES.bucketV2, TYPES.bucketAcl, TYPES.bucketAclV2, TYPES.bucketObject, TYPES.bucketObjectV2];

/** The public grants of an ACL-carrying resource's inputs, as readable phrases. */
export function publicAclGrants(props: Record<string, unknown>): string[] {
    const found: string[] = [];
    const acl = known(() => props["acl"]);
    if (typeof acl === "string" && PUBLIC_CANNED_ACLS.includes(acl)) {
        found.push(`canned ACL "${acl}"`);
    }
    // aws.s3.Bucket/BucketV2 `grants: [{type, uri, permissions}]`; BucketAcl(V2)
    // `accessControlPolicy: {grants: [{grantee: {type, uri}, permission}]}`.
    const bucketGrants = asList(known(() => props["grants"])) as { uri?: unknown; permissions?: unknown }[];
    const policyGrants = asList(known(() => (props["accessControlPolicy"] as { grants?: unknown } | undefined)?.grants)) as { grantee?: { uri?: unknown }; permission?: unknown }[];
    const grants = [
        ...bucketGrants.map((grant) => ({ uri: known(() => grant?.uri), permissions: asList(known(() => grant?.permissions)) })),
        ...policyGrants.map((grant) => ({ uri: known(() => grant?.grantee?.uri), permissions: asList(known(() => grant?.permission)) })),
    ];
    for (const { uri, permissions } of grants) {
        const group = typeof uri === "string" ? PUBLIC_GROUPS.exec(uri)?.[1] : undefined;
        if (group !== undefined) {
            found.push(`${permissions.map(String).join("/") || "a grant"} to ${group}`);
        }
    }
    return found;
}

export const s3BucketNoPublicAcl: ResourceValidationPolicy = {
    name: "s3-bucket-no-public-acl",
    description: `No bucket, bucket ACL or object carries a public ACL: no canned ${PUBLIC_CANNED_ACLS.join(" / ")} and no grant to the AllUsers or AuthenticatedUsers group.`,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!ACL_TYPES.includes(args.type)) {
            return args.notApplicable("only S3 buckets, bucket ACLs and objects");
        }
        // The public-access block would make S3 refuse (BlockPublicAcls) or ignore (IgnorePublicAcls)
        // such an ACL, but a declared public ACL is still a mistake: it becomes public the day the
        // block is relaxed, and a refused PutBucketAcl fails the update.
        const grants = publicAclGrants(args.props);
        if (grants.length > 0) {
            reportViolation(`${args.name} makes its data public: ${grants.join(", ")}; keep ACLs disabled (BucketOwnerEnforced) and grant access with policies`);
        }
    },
};
