import * as pulumi from "@pulumi/pulumi";
import { BucketKey } from "./bucketKey";
import type { BucketEncryption } from "../../catalog/s3";
import { dataSyncBucketName, LOCATION_NAMES } from "../../catalog/naming";
import { SecureBucket } from "./secureBucket";
import { dataSyncBucketPolicy, dataSyncBucketPolicyBytes, dataSyncKeyPolicy, type DataSyncWriters } from "./storageDocuments";
import { MAX_BUCKET_POLICY_BYTES, describeRetentionProblems, type RetentionSpec } from "../../catalog/s3";

export interface InventoryDataBucketArgs {
    readonly centralAccountId: string;
    readonly region: string;
    /** Key prefix every Resource Data Sync writes under (`<prefix>/<type>/accountid=…/region=…/`). */
    readonly prefix: string;
    readonly writers: DataSyncWriters;
    readonly retention: RetentionSpec;
    readonly encryption: BucketEncryption;
    /** @default false */
    readonly protect?: boolean;
}

export function validateInventoryDataBucketArgs(args: InventoryDataBucketArgs): void {
    // The prefix is part of an S3 ARN in the bucket policy and of the Athena table locations.
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(args.prefix)) {
        throw new Error(`InventoryDataBucket: prefix "${args.prefix}" is not 1-64 of letters, digits, _ and -`);
    }
    if (args.writers.kind === "accounts") {
        const bad = args.writers.accountIds.find((id) => !/^\d{12}$/.test(id));
        if (args.writers.accountIds.length === 0 || bad !== undefined) {
            throw new Error(`InventoryDataBucket: writers.accountIds ${JSON.stringify(args.writers.accountIds)} must be a non-empty list of 12-digit account ids`);
        }
        const size = dataSyncBucketPolicyBytes(args.centralAccountId, args.region, args.prefix, args.writers);
        if (size > MAX_BUCKET_POLICY_BYTES) {
            throw new Error(
                `InventoryDataBucket: ${args.writers.accountIds.length} writer accounts make a ${size}-byte bucket policy, over S3's ${MAX_BUCKET_POLICY_BYTES}-byte limit; use the organization variant`,
            );
        }
    }
    const retention = describeRetentionProblems(args.retention);
    if (retention !== undefined) {
        throw new Error(`InventoryDataBucket: ${retention}`);
    }
}

/**
 * The central Resource Data Sync bucket (SPEC capability 5): every member account/Region's
 * inventory lands here, and the reporting tables read it. Its policy is the one the SSM user guide
 * documents; with SSE-KMS its key lets Systems Manager encrypt for the same writers.
 */
export class InventoryDataBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** Set when encryption is SSE-KMS; every sync must name it. */
    readonly kmsKeyArn?: pulumi.Output<string>;

    constructor(name: string, args: InventoryDataBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        validateInventoryDataBucketArgs(args);
        super("patching:inventory:InventoryDataBucket", name, {}, opts);
        const bucketName = dataSyncBucketName(args.centralAccountId, args.region);
        if (args.encryption === "SSE-KMS") {
            this.kmsKeyArn = new BucketKey(
                `${name}-key`,
                {
                    region: args.region,
                    alias: LOCATION_NAMES.dataSyncKeyAlias,
                    description: "Central inventory (Resource Data Sync) bucket (multicloud-patching)",
                    policy: dataSyncKeyPolicy(args.centralAccountId, args.writers),
                    protect: args.protect,
                },
                { parent: this },
            ).keyArn;
        }
        const bucket = new SecureBucket(
            `${name}-data`,
            {
                region: args.region,
                bucketName,
                retention: args.retention,
                lifecycle: "live-data",
                kmsKeyArn: this.kmsKeyArn,
                policy: dataSyncBucketPolicy(bucketName, args.prefix, args.writers),
                protect: args.protect,
            },
            { parent: this },
        );
        this.bucketName = bucket.bucketName;
        this.bucketArn = bucket.bucketArn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn });
    }
}
