/**
 * An S3 bucket's protections are separate resources in AWS provider v7 (public-access block,
 * default encryption, versioning, bucket policy), each naming its bucket in a `bucket` input
 * (`bucket: bucket.id` in the program). A stack policy joins them back to their bucket: through
 * the engine's property dependencies (exact, and available during preview when the id is not
 * known yet), else by a literal bucket name.
 */
import type { PolicyResource } from "@pulumi/policy";
import { known, ofType, referenced, TYPES } from "./graph";

export interface BucketWithProtections {
    readonly bucket: PolicyResource;
    /** The physical bucket name, when set explicitly and known. */
    readonly bucketName?: string;
    readonly publicAccessBlocks: PolicyResource[];
    readonly encryptions: PolicyResource[];
    readonly versionings: PolicyResource[];
    readonly policies: PolicyResource[];
}

const CHILD_TYPES = {
    publicAccessBlocks: TYPES.publicAccessBlock,
    encryptions: TYPES.encryption,
    versionings: TYPES.versioning,
    policies: TYPES.bucketPolicy,
} as const;

export function bucketsWithProtections(resources: readonly PolicyResource[]): BucketWithProtections[] {
    const buckets = ofType(resources, TYPES.bucket);
    const joined = new Map(
        buckets.map((bucket) => {
            const name = known(() => bucket.props["bucket"]);
            const entry: BucketWithProtections = {
                bucket,
                ...(typeof name === "string" ? { bucketName: name } : {}),
                publicAccessBlocks: [],
                encryptions: [],
                versionings: [],
                policies: [],
            };
            return [bucket, entry] as const;
        }),
    );
    for (const [slot, type] of Object.entries(CHILD_TYPES) as [keyof typeof CHILD_TYPES, string][]) {
        for (const child of ofType(resources, type)) {
            for (const bucket of referenced(child, "bucket", buckets, "bucket")) {
                joined.get(bucket)?.[slot].push(child);
            }
        }
    }
    return [...joined.values()];
}

/** `bucket-name` for messages: the physical name when known, else the logical one. */
export function bucketLabel(entry: BucketWithProtections): string {
    return entry.bucketName ?? entry.bucket.name;
}
