import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Inventory } from "../components/inventory/inventory";
import { InventoryDataBucket } from "../components/storage/inventoryDataBucket";
import { configDeliveryBucketStatements, configDeliveryKeyStatement } from "../components/compliance/complianceDocuments";
import { LogBuckets } from "../components/storage/logBuckets";
import { logBucketName } from "../catalog/naming";
import type { DataSyncWriters } from "../components/storage/storageDocuments";
import type { AwsAccount, Estate } from "./config/estateModel";

/** Bucket names and ids of the data layer, for stack outputs. */
export interface AwsDataOutputs {
    readonly inventoryBucketName: pulumi.Output<string>;
    /** The central bucket's key when SSE-KMS (readers need kms:Decrypt). */
    readonly inventoryKmsKeyArn?: pulumi.Output<string>;
    readonly locations: Record<
        string,
        { patchLogBucket: pulumi.Output<string>; inventoryLogBucket: pulumi.Output<string>; inventoryAssociationId: pulumi.Output<string>; logKmsKeyArn?: pulumi.Output<string> }
    >;
}

/** Where an AWS Config recorder created by this program delivers, inside the inventory-log bucket. */
export const CONFIG_DELIVERY_PREFIX = "config";

/** Who may deliver into the central bucket: the member accounts, or the whole organization. */
export function dataSyncWriters(estate: Estate): DataSyncWriters {
    if (estate.inventory.bucketAccess === "organization" && estate.organizationId !== undefined) {
        return { kind: "organization", organizationId: estate.organizationId };
    }
    return { kind: "accounts", accountIds: estate.members.map((member) => member.id) };
}

/**
 * SPEC capabilities 5-6: the central Resource Data Sync bucket, and per member (account, Region)
 * the patch/inventory log buckets, the inventory association and the sync to the central bucket.
 * Prod protects every bucket (`protect`) on top of `retainOnDelete`.
 */
export function buildAwsData(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider): AwsDataOutputs {
    const central = estate.central;
    const protect = estate.environment === "prod";
    const dataBucket = new InventoryDataBucket(
        `${central.account.alias}-inventory-data`,
        {
            centralAccountId: central.account.id,
            region: central.region,
            prefix: estate.inventory.dataSyncPrefix,
            writers: dataSyncWriters(estate),
            retention: estate.logStorage,
            encryption: estate.logStorage.encryption,
            protect,
        },
        { provider: providerOf(central.account) },
    );

    const locations: AwsDataOutputs["locations"] = {};
    for (const member of estate.members) {
        const provider = providerOf(member);
        for (const region of member.regions) {
            const scope = `${member.alias}-${region}`;
            const configDelivery = estate.compliance.configRecorder
                ? {
                      extraBucketStatements: { inventory: configDeliveryBucketStatements(logBucketName("inventory", member.id, region), CONFIG_DELIVERY_PREFIX, member.id) },
                      extraKeyStatements: [configDeliveryKeyStatement(member.id)],
                  }
                : {};
            const logs = new LogBuckets(
                `${scope}-log-buckets`,
                {
                    accountId: member.id,
                    region,
                    retention: estate.logStorage,
                    encryption: estate.logStorage.encryption,
                    protect,
                    ...(estate.logStorage.objectLock === undefined ? {} : { objectLock: estate.logStorage.objectLock }),
                    ...configDelivery,
                },
                { provider },
            );
            const inventory = new Inventory(
                `${scope}-inventory`,
                {
                    region,
                    accountId: member.id,
                    schedule: estate.inventory.schedule,
                    maxConcurrency: estate.inventory.maxConcurrency,
                    maxErrors: estate.inventory.maxErrors,
                    logBucketName: logs.bucketNames.inventory,
                    dataSync: { bucketName: dataBucket.bucketName, bucketRegion: central.region, prefix: estate.inventory.dataSyncPrefix, kmsKeyArn: dataBucket.kmsKeyArn },
                },
                // The data bucket's name output resolves after its policy exists, which
                // CreateResourceDataSync checks.
                { provider },
            );
            locations[scope] = {
                patchLogBucket: logs.bucketNames.patch,
                inventoryLogBucket: logs.bucketNames.inventory,
                inventoryAssociationId: inventory.associationId,
                ...(logs.kmsKeyArn === undefined ? {} : { logKmsKeyArn: logs.kmsKeyArn }),
            };
        }
    }
    return { inventoryBucketName: dataBucket.bucketName, ...(dataBucket.kmsKeyArn === undefined ? {} : { inventoryKmsKeyArn: dataBucket.kmsKeyArn }), locations };
}
