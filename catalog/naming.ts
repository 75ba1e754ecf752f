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
