/**
 * S3 facts the buckets and the config both rely on: policy size limit, encryption modes, lifecycle
 * storage classes and the rules S3 applies to transitions (PutBucketPolicy,
 * PutBucketLifecycleConfiguration).
 */

/** Server-side encryption of the log and data buckets: S3-managed keys or a bucket KMS key. */
export type BucketEncryption = "SSE-S3" | "SSE-KMS";

/** IAM caps a bucket policy at 20 KB (S3 PutBucketPolicy). */
export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

/** S3 storage classes a lifecycle transition may target (LifecycleRule Transition StorageClass). */
export const TRANSITION_STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

/** S3 rejects transitions to the IA classes earlier than 30 days after creation. */
export const MIN_DAYS_BEFORE_IA = 30;

export interface RetentionSpec {
    /** Days until current objects move to `transitionStorageClass`. */
    readonly transitionAfterDays: number;
    readonly transitionStorageClass: TransitionStorageClass;
    /** Days until current objects expire; greater than `transitionAfterDays`. */
    readonly expireAfterDays: number;
    /** Days a replaced or deleted (noncurrent) version is kept. */
    readonly noncurrentVersionExpireAfterDays: number;
}

/** A problem with one field of a retention spec; `message` reads after the field and its value. */
export interface RetentionProblem {
    readonly field: keyof RetentionSpec;
    readonly message: string;
}

/** Problems with a retention spec (empty = valid), shared by the config checks and the components. */
export function retentionProblems(spec: RetentionSpec): RetentionProblem[] {
    const problems: RetentionProblem[] = [];
    if (spec.transitionStorageClass.endsWith("_IA") && spec.transitionAfterDays < MIN_DAYS_BEFORE_IA) {
        problems.push({ field: "transitionAfterDays", message: `is below ${MIN_DAYS_BEFORE_IA}, the minimum S3 allows before ${spec.transitionStorageClass}` });
    }
    if (spec.expireAfterDays <= spec.transitionAfterDays) {
        problems.push({ field: "expireAfterDays", message: `must be greater than transitionAfterDays (${spec.transitionAfterDays})` });
    }
    return problems;
}

/** `retention.<field> <value> <message>; …` for component validators. */
export function describeRetentionProblems(spec: RetentionSpec): string | undefined {
    const problems = retentionProblems(spec);
    return problems.length === 0 ? undefined : problems.map((p) => `retention.${p.field} ${spec[p.field]} ${p.message}`).join("; ");
}
