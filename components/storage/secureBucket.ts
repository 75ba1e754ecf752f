import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../identity/iamDocuments";
import { lifecycleRules, withTlsOnly } from "./storageDocuments";
import { MAX_BUCKET_POLICY_BYTES, describeRetentionProblems, objectLockProblems, type ObjectLockSpec, type RetentionSpec } from "../../catalog/s3";

export interface SecureBucketArgs {
    readonly region: string;
    /** Physical bucket name (deterministic: runbooks, roles and syncs refer to it). */
    readonly bucketName: string;
    readonly retention: RetentionSpec;
    /** `logs`: current objects transition and expire; `live-data`: only superseded versions do. */
    readonly lifecycle: "logs" | "live-data";
    /**
     * KMS key for SSE-KMS default encryption (with an S3 bucket key, which cuts KMS requests).
     * @default - SSE-S3 (AES256)
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * The bucket policy; the TLS-only deny is always added.
     * @default - only the TLS-only deny
     */
    readonly policy?: PolicyDocument;
    /**
     * Also mark every child `protect` (prod): `pulumi destroy` then stops instead of retaining.
     * @default false
     */
    readonly protect?: boolean;
    /**
     * S3 Object Lock default retention for every new object version (audit evidence). Never for a
     * bucket Resource Data Sync writes to: SSM refuses a destination with Object Lock.
     * @default - no Object Lock
     */
    readonly objectLock?: ObjectLockSpec;
}

const BUCKET_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?<!-s3alias|--ol-s3|--x-s3|--table-s3)$/;

export function validateSecureBucketArgs(args: SecureBucketArgs): void {
    if (!BUCKET_NAME.test(args.bucketName) || args.bucketName.includes("..")) {
        throw new Error(`SecureBucket: bucketName "${args.bucketName}" is not a valid S3 bucket name (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)`);
    }
    const retention = describeRetentionProblems(args.retention);
    if (retention !== undefined) {
        throw new Error(`SecureBucket ${args.bucketName}: ${retention}`);
    }
    if (args.policy !== undefined && JSON.stringify(withTlsOnly(args.bucketName, args.policy?.Statement)).length > MAX_BUCKET_POLICY_BYTES) {
        throw new Error(`SecureBucket ${args.bucketName}: the bucket policy exceeds S3's ${MAX_BUCKET_POLICY_BYTES}-byte limit`);
    }
    const lock = args.objectLock === undefined ? [] : objectLockProblems(args.objectLock, args.retention);
    if (lock.length > 0) {
        throw new Error(`SecureBucket ${args.bucketName}: ${lock.map((p) => `objectLock.${p.field} ${String(args.objectLock?.[p.field])} ${p.message}`).join("; ")}`);
    }
}

/**
 * An audit-data bucket: all four public-access blocks, default encryption, bucket-owner-enforced
 * ownership (ACLs off; the `bucket-owner-full-control` ACL that Resource Data Sync sends is still
 * accepted), versioning, lifecycle, a TLS-only policy. Every child is `retainOnDelete`, so a
 * `pulumi destroy` leaves the bucket, its data and its protections in place.
 */
export class SecureBucket extends pulumi.ComponentResource {
    /** The bucket's name, known once the bucket is fully configured. */
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        validateSecureBucketArgs(args);
        super("patching:storage:SecureBucket", name, {}, opts);
        const keep: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true, protect: args.protect ?? false };
        const region = args.region;
        // Never `objectLockEnabled` here: it forces a new bucket (and these names are fixed and
        // retained), while BucketObjectLockConfiguration below turns Object Lock on in place.
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { region, bucket: args.bucketName, forceDestroy: false }, keep);
        const after = (...dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ ...keep, dependsOn: [bucket, ...dependsOn] });

        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { region, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            after(),
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { region, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, after());
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                region,
                bucket: bucket.id,
                rules: [
                    args.kmsKeyArn === undefined
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true },
                ],
            },
            after(),
        );
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { region, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, after());
        if (args.objectLock !== undefined) {
            // Object Lock needs versioning, and S3 now enables it on an existing versioned bucket
            // (S3 user guide, "Configuring S3 Object Lock" → "Enable Object Lock on an existing
            // bucket"; the provider: "This resource can be used enable Object Lock for new and
            // existing buckets"). Irreversible: S3 never turns Object Lock off again, and like
            // every child this configuration is retained when removed from the program.
            // Writers must send Content-MD5 or an x-amz-checksum-* header; the SSM Agent's S3
            // client (aws-sdk-go v1, service/s3 computeBodyHashes) adds Content-MD5 to PutObject
            // and UploadPart (aws/amazon-ssm-agent#178 was the agent before it did).
            new aws.s3.BucketObjectLockConfiguration(
                `${name}-object-lock`,
                { region, bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } } },
                after(versioning),
            );
        }
        // Lifecycle rules on a versioned bucket need versioning in place first (S3 docs).
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            { region, bucket: bucket.id, rules: lifecycleRules(args.retention, args.lifecycle) },
            after(versioning),
        );
        // After the public-access block, so the policy can never be evaluated as public in between.
        const bucketPolicy = new aws.s3.BucketPolicy(`${name}-policy`, { region, bucket: bucket.id, policy: JSON.stringify(withTlsOnly(args.bucketName, args.policy?.Statement)) }, after(publicAccess));

        // The name resolves only once encryption and the policy are in place, so whoever writes to
        // the bucket (a Resource Data Sync checks the policy on creation) waits for them.
        this.bucketName = pulumi.all([bucket.bucket, encryption.id, bucketPolicy.id]).apply(([bucketName]) => bucketName);
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
