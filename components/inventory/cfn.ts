import { dataSyncSettings, inventoryAssociationSettings } from "./inventoryDocuments";
import { ACCOUNT_ID_MARKER, REGION_MARKER, ref, sub, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): the inventory association and the Resource Data Sync of one
 * (account, Region), as the Inventory component creates them: same names, targets, schedule and
 * rate control, output to this location's inventory-log bucket, sync under this account's own
 * folder `<prefix>/<account id>` of the central bucket (issue 14, M4).
 */
export interface InventoryTemplateArgs {
    /** @default INVENTORY_DEFAULTS.schedule */
    readonly schedule?: string;
    /** @default INVENTORY_DEFAULTS.maxConcurrency */
    readonly maxConcurrency?: string;
    /** @default INVENTORY_DEFAULTS.maxErrors */
    readonly maxErrors?: string;
    /** Logical id of the template's inventory-log bucket (Ref: its name, and creation order). */
    readonly logBucketId: string;
    readonly dataSync: {
        readonly bucketName: string;
        readonly bucketRegion: string;
        readonly prefix: string;
        /** @default - SSE-S3 central bucket */
        readonly kmsKeyArn?: string;
    };
}

export const INVENTORY_IDS = { association: "InventoryAssociation", dataSync: "InventoryDataSync" } as const;

export function inventoryResources(args: InventoryTemplateArgs): CfnResources {
    const association = inventoryAssociationSettings(args);
    const sync = dataSyncSettings(args.dataSync.prefix, ACCOUNT_ID_MARKER);
    return {
        [INVENTORY_IDS.association]: {
            Type: "AWS::SSM::Association",
            Properties: {
                Name: association.documentName,
                AssociationName: association.associationName,
                Targets: association.targets.map((target) => ({ Key: target.key, Values: [...target.values] })),
                ScheduleExpression: association.scheduleExpression,
                MaxConcurrency: association.maxConcurrency,
                MaxErrors: association.maxErrors,
                OutputLocation: { S3Location: { OutputS3BucketName: ref(args.logBucketId), OutputS3KeyPrefix: association.outputS3KeyPrefix, OutputS3Region: sub(REGION_MARKER) } },
            },
        },
        [INVENTORY_IDS.dataSync]: {
            Type: "AWS::SSM::ResourceDataSync",
            Properties: {
                SyncName: sync.syncName,
                // Every S3 destination field is "Update requires: Replacement" (no update API for
                // S3 syncs); the fixed name makes CloudFormation fail a replacement rather than
                // lose data: change the sync by removing and re-adding it.
                S3Destination: {
                    BucketName: args.dataSync.bucketName,
                    BucketRegion: args.dataSync.bucketRegion,
                    BucketPrefix: sub(sync.prefix),
                    SyncFormat: sync.syncFormat,
                    ...(args.dataSync.kmsKeyArn === undefined ? {} : { KMSKeyArn: args.dataSync.kmsKeyArn }),
                },
            },
        },
    };
}
