import type { OperatingSystem } from "./operatingSystems";

/**
 * Physical names that other accounts, runbooks or policies refer to, so they must be
 * deterministic (no Pulumi auto-naming suffix).
 */

export type LogBucketKind = "patch" | "inventory";

/**
 * Per account and Region: S3 names are global, so account id and Region make them unique.
 * Longest case: "patching-inventory-logs-123456789012-ap-southeast-1" = 51 of the 63 allowed.
 */
export function logBucketName(kind: LogBucketKind, accountId: string, region: string): string {
    return `patching-${kind}-logs-${accountId}-${region}`;
}

/** PatchBaseline `Name`: ^[a-zA-Z0-9_\-.]{3,128}$ — patch group names already fit that alphabet. */
export function baselineName(patchGroup: string, os: OperatingSystem): string {
    return `patching-${patchGroup}-${os}`;
}

/**
 * Multi-account Automation targets a resource group by name, so it is the patch group name in
 * every account and Region.
 */
export function resourceGroupName(patchGroup: string): string {
    return patchGroup;
}

/** The central Resource Data Sync bucket (one per estate, in the central account and Region). */
export function dataSyncBucketName(centralAccountId: string, region: string): string {
    return `patching-inventory-sync-${centralAccountId}-${region}`;
}

/**
 * Issue 14 (M4): each account's Resource Data Sync writes under its own folder, first in the key:
 * S3 prefix `<prefix>/<accountId>`, below which Systems Manager lays out
 * `<TypeName>/accountid=<id>/region=<r>/resourcetype=<t>/<node>.json`. The central bucket policy
 * grants each account only its folder and the Athena tables read each account's partition only
 * from it, so no key another account may write lands in that account's partition.
 */
export function dataSyncAccountPrefix(prefix: string, accountId: string): string {
    return `${prefix}/${accountId}`;
}

/**
 * Organization mode (issue 16): the central account's artifacts bucket in one Region. In the
 * central Region it holds the member-side templates (CreateStackSet `TemplateURL` when a template
 * exceeds the 51,200-byte `TemplateBody` limit); in every target Region it holds the enforcer
 * Lambda's bundle, since a function's code must come from a bucket in its own Region
 * (CreateFunction `Code.S3Bucket`). Readable by the organization's principals only.
 * 3-63 characters: "patching-artifacts-" (19) + 12 + "-" + the longest Region (14) = 46.
 */
export function artifactBucketName(centralAccountId: string, region: string): string {
    return `patching-artifacts-${centralAccountId}-${region}`;
}

/** Key prefixes inside the artifacts buckets; object keys carry a content hash, so a change is a new key. */
export const ARTIFACT_PREFIXES = {
    templates: "templates",
    enforcerCode: "lambda/ssm-role-enforcer",
} as const;

/** Names that are the same in every member account/Region (one of each per location). */
export const LOCATION_NAMES = {
    inventoryAssociation: "patching-gather-software-inventory",
    resourceDataSync: "patching-inventory-to-central",
    logKeyAlias: "alias/patching-logs",
    dataSyncKeyAlias: "alias/patching-inventory-sync",
} as const;

/**
 * The program's permissions boundary: one customer managed policy of this name in every account,
 * created by the bootstrap (deployment/), never by the program whose roles it bounds — a deployer
 * that could edit its own ceiling would have none. Every role either program creates carries it.
 * Outside the `patching-` prefix on purpose, so no permission on program policies reaches it.
 */
export const PERMISSIONS_BOUNDARY_NAME = "multicloud-patching-boundary";

export function permissionsBoundaryArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:policy/${PERMISSIONS_BOUNDARY_NAME}`;
}

/**
 * Patch group names double as the tag value, the SSM PatchGroup name and the name of the
 * resource group multi-account Automation targets in every account (resource-groups `Name`
 * allows only [a-zA-Z0-9_.-], up to 128), so the strictest of the three rules applies. At most
 * 56 characters: "<name>-install" names its EventBridge Scheduler schedule, which allows 64. The same
 * rule keeps a name inside the agent scripts' quotes.
 */
export const PATCH_GROUP_NAME_PATTERN = /^(?![Aa][Ww][Ss])[A-Za-z0-9][A-Za-z0-9_.-]{0,55}$/;
