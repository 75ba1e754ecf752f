import { policy, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";
import { dataSyncAccountPrefix, dataSyncBucketName } from "../../catalog/naming";
import { MIN_DAYS_BEFORE_IA, type RetentionSpec } from "../../catalog/s3";

/**
 * Bucket policies, KMS key policies and lifecycle rules for the log and inventory buckets, as pure
 * functions with a fixed key order (so diffs stay quiet and tests compare whole documents).
 */

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

/**
 * Deny every request that is not over TLS (S3 user guide, "Enforce encryption in transit":
 * `aws:SecureTransport = false`). Principal "*" is restricted by that condition.
 */
export function tlsOnlyStatement(bucket: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [bucketArn(bucket), `${bucketArn(bucket)}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** A bucket's policy with the TLS-only deny added unless it already has one (both deployment modes use it). */
export function withTlsOnly(bucketName: string, statements: readonly PolicyStatement[] = []): PolicyDocument {
    return statements.some((s) => s.Sid === "DenyInsecureTransport") ? policy(...statements) : policy(...statements, tlsOnlyStatement(bucketName));
}

/** The IAM policy variable for the account a service principal acts for. */
export const SOURCE_ACCOUNT_VARIABLE = "${aws:SourceAccount}";

/** Who may write inventory into the central bucket through Resource Data Sync. */
export type DataSyncWriters =
    | { readonly kind: "accounts"; readonly accountIds: readonly string[] }
    | { readonly kind: "organization"; readonly organizationId: string };

/**
 * The Resource Data Sync bucket policy, shaped like the SSM user guide's ("Configuring resource data
 * sync for Inventory"): ssm.amazonaws.com may read the bucket ACL, and may put objects with
 * `bucket-owner-full-control` on behalf of the configured accounts (aws:SourceAccount +
 * aws:SourceArn of their syncs).
 *
 * Issue 14 (M4): the guide's resource `<prefix>/*\/accountid=<id>/*` lets the leading `*` span
 * `/`, so account A could write `<prefix>/AWS:Tag/accountid=B/…/accountid=A/x.json`, inside B's
 * Athena partition. Here every account syncs under its own folder first in the key
 * ({@link dataSyncAccountPrefix}: `<prefix>/<id>/<TypeName>/accountid=<id>/…`) and may write only
 * `<prefix>/<id>/*\/accountid=<id>/*`; the Athena tables read account B's partition only under
 * `<prefix>/<B>/`, which no statement lets A reach.
 *
 * Organization variant (estates whose account list would outgrow the 20 KB bucket-policy limit):
 * one statement conditioned on aws:SourceOrgID, with the account folder written as the policy
 * variable `${aws:SourceAccount}` — "You can use any single-valued condition key as a variable"
 * and global keys can be variables in the Resource element of resource policies (IAM user guide,
 * "IAM policy elements: Variables and tags"); aws:SourceAccount is single-valued and present
 * whenever a service principal acts for an account (IAM user guide, global condition keys). So
 * each organization account's sync still reaches only its own folder.
 */
export function dataSyncBucketPolicy(bucket: string, prefix: string, writers: DataSyncWriters): PolicyDocument {
    const arn = bucketArn(bucket);
    const checkAcl: PolicyStatement = {
        Sid: "SSMBucketPermissionsCheck",
        Effect: "Allow",
        Principal: { Service: "ssm.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: arn,
        Condition:
            writers.kind === "accounts"
                ? { StringEquals: { "aws:SourceAccount": [...writers.accountIds].sort() } }
                : { StringEquals: { "aws:SourceOrgID": writers.organizationId } },
    };
    const deliveries: PolicyStatement[] =
        writers.kind === "accounts"
            ? [...writers.accountIds].sort().map((accountId) => ({
                  Sid: `SSMBucketDelivery${accountId}`,
                  Effect: "Allow",
                  Principal: { Service: "ssm.amazonaws.com" },
                  Action: "s3:PutObject",
                  Resource: `${arn}/${dataSyncAccountPrefix(prefix, accountId)}/*/accountid=${accountId}/*`,
                  Condition: {
                      StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": accountId },
                      ArnLike: { "aws:SourceArn": `arn:aws:ssm:*:${accountId}:resource-data-sync/*` },
                  },
              }))
            : [
                  {
                      Sid: "SSMBucketDeliveryOrganization",
                      Effect: "Allow",
                      Principal: { Service: "ssm.amazonaws.com" },
                      Action: "s3:PutObject",
                      // The variable resolves per request; a sync of another organization account
                      // resolves it to its own id, never to the folder of the account it targets.
                      Resource: `${arn}/${dataSyncAccountPrefix(prefix, SOURCE_ACCOUNT_VARIABLE)}/*/accountid=${SOURCE_ACCOUNT_VARIABLE}/*`,
                      Condition: {
                          StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceOrgID": writers.organizationId },
                          ArnLike: { "aws:SourceArn": "arn:aws:ssm:*:*:resource-data-sync/*" },
                      },
                  },
              ];
    return policy(checkAcl, ...deliveries, tlsOnlyStatement(bucket));
}

/** The rendered size of the central bucket's policy, which S3 caps (catalog/s3.ts MAX_BUCKET_POLICY_BYTES). */
export function dataSyncBucketPolicyBytes(centralAccountId: string, region: string, prefix: string, writers: DataSyncWriters): number {
    return JSON.stringify(dataSyncBucketPolicy(dataSyncBucketName(centralAccountId, region), prefix, writers)).length;
}

/**
 * Key policy of a bucket key: the owning account administers and uses it through IAM policies
 * (the KMS default statement), which is how instance roles get kms:GenerateDataKey.
 */
export function bucketKeyPolicy(accountId: string, extra: readonly PolicyStatement[] = []): PolicyDocument {
    return policy(
        { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
        ...extra,
    );
}

/**
 * The central inventory key additionally lets Systems Manager encrypt what the members' syncs
 * deliver (SSM user guide, resource data sync with KMS: kms:GenerateDataKey for
 * ssm.amazonaws.com), for the same writers the bucket policy allows.
 */
export function dataSyncKeyPolicy(centralAccountId: string, writers: DataSyncWriters): PolicyDocument {
    return bucketKeyPolicy(centralAccountId, [
        {
            Sid: "SystemsManagerResourceDataSync",
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "kms:GenerateDataKey",
            Resource: "*",
            Condition:
                writers.kind === "accounts"
                    ? { StringEquals: { "aws:SourceAccount": [...writers.accountIds].sort() }, ArnLike: { "aws:SourceArn": "arn:aws:ssm:*:*:resource-data-sync/*" } }
                    : { StringEquals: { "aws:SourceOrgID": writers.organizationId }, ArnLike: { "aws:SourceArn": "arn:aws:ssm:*:*:resource-data-sync/*" } },
        },
    ]);
}

/** One lifecycle rule, shaped like `aws.s3.BucketLifecycleConfiguration` rules. */
export interface LifecycleRule {
    readonly id: string;
    readonly status: "Enabled";
    readonly filter: { readonly prefix: string };
    readonly abortIncompleteMultipartUpload: { readonly daysAfterInitiation: number };
    readonly transitions?: { readonly days: number; readonly storageClass: string }[];
    readonly expiration?: { readonly days: number };
    readonly noncurrentVersionTransitions?: { readonly noncurrentDays: number; readonly storageClass: string }[];
    readonly noncurrentVersionExpiration: { readonly noncurrentDays: number };
}

/**
 * `logs`: current objects move to cheaper storage and expire (command output is evidence for a
 * while, then noise). `live-data`: current objects are the live inventory (a sync rewrites an
 * instance's object only when it changes), so only superseded versions are archived and expired.
 */
export function lifecycleRules(spec: RetentionSpec, kind: "logs" | "live-data"): LifecycleRule[] {
    const common = { id: kind === "logs" ? "archive-then-expire" : "expire-superseded-versions", status: "Enabled" as const, filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };
    if (kind === "logs") {
        return [
            {
                ...common,
                transitions: [{ days: spec.transitionAfterDays, storageClass: spec.transitionStorageClass }],
                expiration: { days: spec.expireAfterDays },
                noncurrentVersionExpiration: { noncurrentDays: spec.noncurrentVersionExpireAfterDays },
            },
        ];
    }
    const archive = spec.transitionAfterDays < spec.noncurrentVersionExpireAfterDays && !(spec.transitionStorageClass.endsWith("_IA") && spec.transitionAfterDays < MIN_DAYS_BEFORE_IA);
    return [
        {
            ...common,
            ...(archive ? { noncurrentVersionTransitions: [{ noncurrentDays: spec.transitionAfterDays, storageClass: spec.transitionStorageClass }] } : {}),
            noncurrentVersionExpiration: { noncurrentDays: spec.noncurrentVersionExpireAfterDays },
        },
    ];
}
