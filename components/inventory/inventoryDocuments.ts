import { INVENTORY_DEFAULTS } from "../../catalog/inventoryAssociation";
import { dataSyncAccountPrefix, LOCATION_NAMES } from "../../catalog/naming";

/**
 * The inventory association and Resource Data Sync settings of one (account, Region), as plain
 * values: the Inventory component (provider shape) and the organization-mode template
 * (CloudFormation shape, `cfn.ts`) are both rendered from these, so the two cannot drift.
 */
export interface InventorySettingsArgs {
    /** @default INVENTORY_DEFAULTS.schedule */
    readonly schedule?: string;
    /** @default INVENTORY_DEFAULTS.maxConcurrency */
    readonly maxConcurrency?: string;
    /** @default INVENTORY_DEFAULTS.maxErrors */
    readonly maxErrors?: string;
}

export interface InventoryAssociationSettings {
    readonly documentName: "AWS-GatherSoftwareInventory";
    readonly associationName: string;
    readonly targets: readonly { readonly key: "InstanceIds"; readonly values: readonly string[] }[];
    readonly scheduleExpression: string;
    readonly maxConcurrency: string;
    readonly maxErrors: string;
    readonly outputS3KeyPrefix: string;
}

export function inventoryAssociationSettings(args: InventorySettingsArgs): InventoryAssociationSettings {
    return {
        documentName: "AWS-GatherSoftwareInventory",
        associationName: LOCATION_NAMES.inventoryAssociation,
        // InstanceIds "*" is the documented way to target every managed node in the Region.
        targets: [{ key: "InstanceIds", values: ["*"] }],
        scheduleExpression: args.schedule ?? INVENTORY_DEFAULTS.schedule,
        maxConcurrency: args.maxConcurrency ?? INVENTORY_DEFAULTS.maxConcurrency,
        maxErrors: args.maxErrors ?? INVENTORY_DEFAULTS.maxErrors,
        outputS3KeyPrefix: INVENTORY_DEFAULTS.outputPrefix,
    };
}

export interface DataSyncSettings {
    readonly syncName: string;
    /** `<prefix>/<accountId>`: the account's own folder of the central bucket (issue 14, M4). */
    readonly prefix: string;
    readonly syncFormat: "JsonSerDe";
}

/**
 * ResourceDataSyncS3Destination Prefix: 1-256 characters, no pattern (SSM API reference);
 * `<prefix>/<12 digits>` is at most 77. `accountId` may be a CloudFormation marker.
 */
export function dataSyncSettings(prefix: string, accountId: string): DataSyncSettings {
    return { syncName: LOCATION_NAMES.resourceDataSync, prefix: dataSyncAccountPrefix(prefix, accountId), syncFormat: "JsonSerDe" };
}
