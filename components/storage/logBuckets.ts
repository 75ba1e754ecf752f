import * as pulumi from "@pulumi/pulumi";
import { BucketKey } from "./bucketKey";
import { policy, type PolicyStatement } from "../identity/iamDocuments";
import { LOCATION_NAMES, logBucketName, type LogBucketKind } from "../../catalog/naming";
import { SecureBucket } from "./secureBucket";
import { bucketKeyPolicy } from "./storageDocuments";
import { describeRetentionProblems, objectLockProblems, type BucketEncryption, type ObjectLockSpec, type RetentionSpec } from "../../catalog/s3";

/** SSE-S3 (AES256, no key to manage) or SSE-KMS with a customer managed key per location. */

export interface LogBucketsArgs {
    readonly accountId: string;
    readonly region: string;
    readonly retention: RetentionSpec;
    readonly encryption: BucketEncryption;
    /**
     * Extra bucket-policy statements per bucket, e.g. AWS Config delivery to the inventory bucket.
     * @default - only the TLS-only deny
     */
    readonly extraBucketStatements?: Readonly<Partial<Record<LogBucketKind, readonly PolicyStatement[]>>>;
    /**
     * Extra key-policy statements (SSE-KMS only), e.g. for a service that delivers into the buckets.
     * @default - only the account's IAM-delegation statement
     */
    readonly extraKeyStatements?: readonly PolicyStatement[];
    /**
     * Mark the buckets (and key) `protect`, as prod does.
     * @default false
     */
    readonly protect?: boolean;
    /**
     * S3 Object Lock default retention on the patch-log bucket (run output as audit evidence).
     * The inventory-log bucket never gets it: it also receives AWS Config deliveries and
     * association output, which are not evidence and must be able to expire.
     * @default - no Object Lock
     */
    readonly objectLock?: ObjectLockSpec;
}

export function validateLogBucketsArgs(args: LogBucketsArgs): void {
    if (!/^\d{12}$/.test(args.accountId)) {
        throw new Error(`LogBuckets: accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
    const retention = describeRetentionProblems(args.retention);
    if (retention !== undefined) {
        throw new Error(`LogBuckets: ${retention}`);
    }
    const lock = args.objectLock === undefined ? [] : objectLockProblems(args.objectLock, args.retention);
    if (lock.length > 0) {
        throw new Error(`LogBuckets: ${lock.map((p) => `objectLock.${p.field} ${String(args.objectLock?.[p.field])} ${p.message}`).join("; ")}`);
    }
}

const KINDS: readonly LogBucketKind[] = ["patch", "inventory"];

/**
 * The two log buckets of one (account, Region), as in the case study: patch-run output
 * (`AWS-RunPatchBaseline` via the runbooks' OutputS3BucketName) and inventory/association output.
 * Names come from {@link logBucketName}, which the managed-node roles and the runbooks use too.
 */
export class LogBuckets extends pulumi.ComponentResource {
    readonly bucketNames: Record<LogBucketKind, pulumi.Output<string>>;
    readonly bucketArns: Record<LogBucketKind, pulumi.Output<string>>;
    /** Set when encryption is SSE-KMS. */
    readonly kmsKeyArn?: pulumi.Output<string>;

    constructor(name: string, args: LogBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateLogBucketsArgs(args);
        super("patching:storage:LogBuckets", name, {}, opts);
        if (args.encryption === "SSE-KMS") {
            this.kmsKeyArn = new BucketKey(
                `${name}-key`,
                { region: args.region, alias: LOCATION_NAMES.logKeyAlias, description: "Patch and inventory log buckets (multicloud-patching)", policy: bucketKeyPolicy(args.accountId, args.extraKeyStatements), protect: args.protect },
                { parent: this },
            ).keyArn;
        }
        const buckets = KINDS.map(
            (kind) =>
                [
                    kind,
                    new SecureBucket(
                        `${name}-${kind}`,
                        {
                            region: args.region,
                            bucketName: logBucketName(kind, args.accountId, args.region),
                            retention: args.retention,
                            lifecycle: "logs",
                            kmsKeyArn: this.kmsKeyArn,
                            protect: args.protect,
                            ...(kind === "patch" && args.objectLock !== undefined ? { objectLock: args.objectLock } : {}),
                            ...(args.extraBucketStatements?.[kind] === undefined ? {} : { policy: policy(...args.extraBucketStatements[kind]) }),
                        },
                        { parent: this },
                    ),
                ] as const,
        );
        this.bucketNames = Object.fromEntries(buckets.map(([kind, bucket]) => [kind, bucket.bucketName])) as Record<LogBucketKind, pulumi.Output<string>>;
        this.bucketArns = Object.fromEntries(buckets.map(([kind, bucket]) => [kind, bucket.bucketArn])) as Record<LogBucketKind, pulumi.Output<string>>;
        this.registerOutputs({ bucketNames: this.bucketNames, bucketArns: this.bucketArns, kmsKeyArn: this.kmsKeyArn });
    }
}
