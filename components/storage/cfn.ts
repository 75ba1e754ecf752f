import type { PolicyStatement } from "../identity/iamDocuments";
import { LOCATION_NAMES, logBucketName, type LogBucketKind } from "../../catalog/naming";
import type { BucketEncryption, ObjectLockSpec, RetentionSpec } from "../../catalog/s3";
import { bucketKeyPolicy, lifecycleRules, withTlsOnly, type LifecycleRule } from "./storageDocuments";
import { ACCOUNT_ID_MARKER, getAtt, logicalId, ref, REGION_MARKER, RETAIN, sub, type CfnResource, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): the two log buckets of one (account, Region), as LogBuckets and
 * SecureBucket create them, rendered as CloudFormation from the same builders (storageDocuments:
 * TLS-only deny, lifecycle rules, key policy). Buckets and key are `Retain` on delete and on
 * replacement: removing a stack instance (an account leaving an OU) never deletes audit data, as
 * `retainOnDelete` does for the Pulumi resources.
 */
export interface LogBucketsTemplateArgs {
    readonly retention: RetentionSpec;
    readonly encryption: BucketEncryption;
    /** @default - no Object Lock (patch-log bucket only, as LogBuckets) */
    readonly objectLock?: ObjectLockSpec;
    /**
     * Extra bucket-policy statements per bucket, from builders called with the markers
     * (e.g. configDeliveryBucketStatements for a Config recorder).
     * @default - only the TLS-only deny
     */
    readonly extraBucketStatements?: Readonly<Partial<Record<LogBucketKind, readonly PolicyStatement[]>>>;
    /** @default - only the account's IAM-delegation statement */
    readonly extraKeyStatements?: readonly PolicyStatement[];
}

export const LOG_BUCKET_IDS = {
    key: "LogBucketKey",
    keyAlias: "LogBucketKeyAlias",
    bucket: (kind: LogBucketKind) => logicalId(kind, "LogBucket"),
    policy: (kind: LogBucketKind) => logicalId(kind, "LogBucketPolicy"),
} as const;

/** The bucket policy SecureBucket renders: the given statements, then the TLS-only deny. */

/** A provider-shaped lifecycle rule (storageDocuments) as AWS::S3::Bucket LifecycleConfiguration takes it. */
export function cfnLifecycleRule(rule: LifecycleRule): Record<string, unknown> {
    return {
        Id: rule.id,
        Status: rule.status,
        // An empty prefix is the whole bucket; CloudFormation's Prefix takes only a non-empty one.
        ...(rule.filter.prefix === "" ? {} : { Prefix: rule.filter.prefix }),
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: rule.abortIncompleteMultipartUpload.daysAfterInitiation },
        ...(rule.transitions === undefined ? {} : { Transitions: rule.transitions.map((t) => ({ TransitionInDays: t.days, StorageClass: t.storageClass })) }),
        ...(rule.expiration === undefined ? {} : { ExpirationInDays: rule.expiration.days }),
        ...(rule.noncurrentVersionTransitions === undefined
            ? {}
            : { NoncurrentVersionTransitions: rule.noncurrentVersionTransitions.map((t) => ({ TransitionInDays: t.noncurrentDays, StorageClass: t.storageClass })) }),
        NoncurrentVersionExpiration: { NoncurrentDays: rule.noncurrentVersionExpiration.noncurrentDays },
    };
}

const KINDS: readonly LogBucketKind[] = ["patch", "inventory"];

export function logBucketResources(args: LogBucketsTemplateArgs): CfnResources {
    const resources: Record<string, CfnResource> = {};
    const kms = args.encryption === "SSE-KMS";
    if (kms) {
        resources[LOG_BUCKET_IDS.key] = {
            Type: "AWS::KMS::Key",
            ...RETAIN,
            Properties: {
                Description: "Patch and inventory log buckets (multicloud-patching)",
                EnableKeyRotation: true,
                PendingWindowInDays: 30,
                KeyPolicy: sub(bucketKeyPolicy(ACCOUNT_ID_MARKER, args.extraKeyStatements)),
            },
        };
        resources[LOG_BUCKET_IDS.keyAlias] = { Type: "AWS::KMS::Alias", ...RETAIN, Properties: { AliasName: LOCATION_NAMES.logKeyAlias, TargetKeyId: ref(LOG_BUCKET_IDS.key) } };
    }
    for (const kind of KINDS) {
        const name = logBucketName(kind, ACCOUNT_ID_MARKER, REGION_MARKER);
        const lock = kind === "patch" ? args.objectLock : undefined;
        resources[LOG_BUCKET_IDS.bucket(kind)] = {
            Type: "AWS::S3::Bucket",
            ...RETAIN,
            Properties: {
                BucketName: sub(name),
                PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
                OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
                BucketEncryption: {
                    ServerSideEncryptionConfiguration: [
                        kms
                            ? { ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: getAtt(LOG_BUCKET_IDS.key, "Arn") }, BucketKeyEnabled: true }
                            : { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
                    ],
                },
                VersioningConfiguration: { Status: "Enabled" },
                LifecycleConfiguration: { Rules: lifecycleRules(args.retention, "logs").map(cfnLifecycleRule) },
                ...(lock === undefined
                    ? {}
                    : { ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: lock.mode, Days: lock.days } } } }),
            },
        };
        resources[LOG_BUCKET_IDS.policy(kind)] = {
            Type: "AWS::S3::BucketPolicy",
            ...RETAIN,
            Properties: { Bucket: ref(LOG_BUCKET_IDS.bucket(kind)), PolicyDocument: sub(withTlsOnly(name, args.extraBucketStatements?.[kind])) },
        };
    }
    return resources;
}
