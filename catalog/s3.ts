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

/**
 * S3 Object Lock default retention for the patch-log buckets (issue 14, audit evidence).
 * GOVERNANCE only: a principal with s3:BypassGovernanceRetention can still lift it, whereas a
 * COMPLIANCE lock cannot be shortened or removed by anyone, the root user included, until it
 * runs out (S3 user guide, "Object Lock retention modes") — too sharp for a config typo.
 */
export const OBJECT_LOCK_MODES = ["GOVERNANCE"] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

export interface ObjectLockSpec {
    readonly mode: ObjectLockMode;
    /** Days every new object version is locked (DefaultRetention `Days`, a positive integer). */
    readonly days: number;
}

/** 100 years: the bound the config accepts for DefaultRetention days (PutObjectLockConfiguration). */
export const MAX_OBJECT_LOCK_DAYS = 36500;

/**
 * A lock longer than the logs' own life contradicts the lifecycle: expiration would only add a
 * delete marker and the locked version would stay until the lock runs out (S3 user guide, "How S3
 * Object Lock works": lifecycle does not delete a locked version). Problems read after the field.
 */
export function objectLockProblems(spec: ObjectLockSpec, retention: RetentionSpec): { field: keyof ObjectLockSpec; message: string }[] {
    const problems: { field: keyof ObjectLockSpec; message: string }[] = [];
    if (!(OBJECT_LOCK_MODES as readonly string[]).includes(spec.mode)) {
        problems.push({ field: "mode", message: `is not one of ${OBJECT_LOCK_MODES.join(", ")}` });
    }
    if (!Number.isInteger(spec.days) || spec.days < 1 || spec.days > MAX_OBJECT_LOCK_DAYS) {
        problems.push({ field: "days", message: `is not an integer from 1 to ${MAX_OBJECT_LOCK_DAYS}` });
    } else if (spec.days > retention.expireAfterDays) {
        problems.push({ field: "days", message: `would lock patch logs past expireAfterDays (${retention.expireAfterDays}), when the lifecycle deletes them; choose at most ${retention.expireAfterDays}` });
    }
    return problems;
}
