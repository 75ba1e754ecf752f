import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../identity/iamDocuments";

export interface BucketKeyArgs {
    readonly region: string;
    /** `alias/…` name, unique per account and Region. */
    readonly alias: string;
    readonly description: string;
    readonly policy: PolicyDocument;
    /** @default false */
    readonly protect?: boolean;
}

export function validateBucketKeyArgs(args: BucketKeyArgs): void {
    // KMS CreateAlias: alias/ followed by 1-250 of [a-zA-Z0-9/_-], not alias/aws/ (reserved).
    if (!/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/.test(args.alias)) {
        throw new Error(`BucketKey: alias "${args.alias}" is not a KMS alias name (alias/ followed by letters, digits, /_-, not alias/aws/)`);
    }
}

/**
 * A customer managed key for bucket encryption, rotated yearly. Retained on delete like the
 * buckets it protects: deleting the key would make every retained object unreadable.
 */
export class BucketKey extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: BucketKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        validateBucketKeyArgs(args);
        super("patching:storage:BucketKey", name, {}, opts);
        const keep = { parent: this, retainOnDelete: true, protect: args.protect ?? false };
        const key = new aws.kms.Key(
            `${name}-key`,
            { region: args.region, description: args.description, enableKeyRotation: true, deletionWindowInDays: 30, policy: JSON.stringify(args.policy) },
            keep,
        );
        new aws.kms.Alias(`${name}-alias`, { region: args.region, name: args.alias, targetKeyId: key.keyId }, keep);
        this.keyArn = key.arn;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
