import { readFileSync } from "node:fs";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../storage/secureBucket";
import { artifactBucketName } from "../../catalog/naming";
import type { RetentionSpec } from "../../catalog/s3";
import { artifactReadPolicy, enforcerCodeKey } from "./artifactDocuments";
import { lambdaCodeArchive } from "../assets/lambdaArchive";
import type { LambdaBundle } from "../assets/lambdaBundle";

export interface OrganizationArtifactsArgs {
    readonly centralAccountId: string;
    readonly organizationId: string;
    /** The central Region: its bucket holds the member-side templates (TemplateURL). */
    readonly centralRegion: string;
    /**
     * The enforcer's bundled handler (the bundle on disk, lambdaBundle, or its text) and the Regions
     * it runs in (every target Region): a Lambda function's package must be in a bucket of its own
     * Region (CreateFunction `Code.S3Bucket`).
     * @default - no enforcer packages; only the central Region's bucket
     */
    readonly enforcer?: { readonly code: LambdaBundle | string; readonly regions: readonly string[] };
    /** Superseded versions expire after `noncurrentVersionExpireAfterDays`; current artifacts never do. */
    readonly retention: RetentionSpec;
    /** @default false */
    readonly protect?: boolean;
}

/**
 * Organization mode (issue 16): the central account's artifact buckets, one per Region that needs
 * one (the central Region for templates, every target Region for the enforcer package), as
 * SecureBuckets (versioned, encrypted, TLS-only, retained on destroy), with the enforcer package
 * uploaded under a content-hashed key. Readable by the organization for the Lambda packages only
 * (artifactReadPolicy).
 */
export class OrganizationArtifacts extends pulumi.ComponentResource {
    /** Bucket name per Region, resolved once the bucket's encryption and policy are in place. */
    readonly bucketNames: Readonly<Record<string, pulumi.Output<string>>>;
    /** The enforcer package's key (the same in every Region), when there is an enforcer. */
    readonly enforcerCodeKey?: string;
    /** The uploaded packages: stack instances that create the function must wait for them. */
    readonly enforcerPackages: readonly pulumi.Resource[];

    constructor(name: string, args: OrganizationArtifactsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("patching:organization:OrganizationArtifacts", name, {}, opts);
        const codeRegions = args.enforcer?.regions ?? [];
        const regions = [...new Set([args.centralRegion, ...codeRegions])].sort();
        const bucketNames: Record<string, pulumi.Output<string>> = {};
        for (const region of regions) {
            const bucketName = artifactBucketName(args.centralAccountId, region);
            const bucket = new SecureBucket(
                `${name}-${region}`,
                {
                    region,
                    bucketName,
                    retention: args.retention,
                    lifecycle: "live-data",
                    ...(codeRegions.includes(region) ? { policy: artifactReadPolicy(bucketName, args.organizationId) } : {}),
                    protect: args.protect ?? false,
                },
                { parent: this },
            );
            bucketNames[region] = bucket.bucketName;
        }
        const packages: pulumi.Resource[] = [];
        if (args.enforcer !== undefined) {
            const code = args.enforcer.code;
            const key = enforcerCodeKey(typeof code === "string" ? code : readFileSync(code.file, "utf8"));
            // The same package the configured-accounts function deploys (index.js at the root).
            const archive = lambdaCodeArchive(code);
            for (const region of codeRegions) {
                packages.push(
                    new aws.s3.BucketObjectv2(`${name}-${region}-enforcer-package`, { region, bucket: bucketNames[region], key, source: archive, contentType: "application/zip" }, { parent: this }),
                );
            }
            this.enforcerCodeKey = key;
        }
        this.bucketNames = bucketNames;
        this.enforcerPackages = packages;
        this.registerOutputs({ bucketNames });
    }
}
