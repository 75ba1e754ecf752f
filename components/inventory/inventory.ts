import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { associationScheduleProblems, INVENTORY_DEFAULTS } from "../../catalog/inventoryAssociation";
import { dataSyncSettings, inventoryAssociationSettings } from "./inventoryDocuments";

export interface InventoryArgs {
    readonly region: string;
    /** The account this location belongs to: its sync writes under `<dataSync.prefix>/<accountId>/`. */
    readonly accountId: string;
    /**
     * State Manager `rate(...)` expression; Systems Manager runs associations at most every 30 minutes.
     * @default INVENTORY_DEFAULTS.schedule
     */
    readonly schedule?: string;
    /** @default INVENTORY_DEFAULTS.maxConcurrency */
    readonly maxConcurrency?: string;
    /** @default INVENTORY_DEFAULTS.maxErrors */
    readonly maxErrors?: string;
    /** This account/Region's inventory-log bucket, for the association's run output. */
    readonly logBucketName: pulumi.Input<string>;
    /** The central Resource Data Sync destination. */
    readonly dataSync: {
        readonly bucketName: pulumi.Input<string>;
        readonly bucketRegion: string;
        /** The estate's sync prefix; the account's folder is added below it (issue 14, M4). */
        readonly prefix: string;
        /** Required when the central bucket uses SSE-KMS. */
        readonly kmsKeyArn?: pulumi.Input<string>;
    };
}

export function validateInventoryArgs(args: InventoryArgs): void {
    const schedule = args.schedule ?? INVENTORY_DEFAULTS.schedule;
    const problems = associationScheduleProblems(schedule);
    if (problems.length > 0) {
        throw new Error(`Inventory: schedule "${schedule}" ${problems.join("; ")}`);
    }
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(args.dataSync.prefix)) {
        throw new Error(`Inventory: dataSync.prefix "${args.dataSync.prefix}" is not 1-64 of letters, digits, _ and -`);
    }
    if (!/^\d{12}$/.test(args.accountId)) {
        throw new Error(`Inventory: accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
}

/**
 * SPEC capability 6 for one (account, Region): a State Manager association that gathers software
 * inventory from every managed node (EC2 and hybrid), and a Resource Data Sync that copies it to
 * the central bucket under this account's own folder (`<prefix>/<accountId>`, issue 14 M4), below
 * which SSM itself partitions it by `accountid=` and `region=`.
 *
 * A node can have only one inventory association: an existing Quick Setup / console "inventory
 * for all nodes" association in the account must be removed before this one applies.
 */
export class Inventory extends pulumi.ComponentResource {
    readonly associationId: pulumi.Output<string>;
    readonly dataSyncName: pulumi.Output<string>;

    constructor(name: string, args: InventoryArgs, opts?: pulumi.ComponentResourceOptions) {
        validateInventoryArgs(args);
        super("patching:inventory:Inventory", name, {}, opts);
        const settings = inventoryAssociationSettings(args);
        const association = new aws.ssm.Association(
            `${name}-association`,
            {
                region: args.region,
                name: settings.documentName,
                associationName: settings.associationName,
                targets: settings.targets.map((target) => ({ key: target.key, values: [...target.values] })),
                scheduleExpression: settings.scheduleExpression,
                maxConcurrency: settings.maxConcurrency,
                maxErrors: settings.maxErrors,
                outputLocation: { s3BucketName: args.logBucketName, s3KeyPrefix: settings.outputS3KeyPrefix, s3Region: args.region },
            },
            { parent: this },
        );
        const syncSettings = dataSyncSettings(args.dataSync.prefix, args.accountId);
        const sync = new aws.ssm.ResourceDataSync(
            `${name}-data-sync`,
            {
                region: args.region,
                name: syncSettings.syncName,
                s3Destination: {
                    bucketName: args.dataSync.bucketName,
                    region: args.dataSync.bucketRegion,
                    prefix: syncSettings.prefix,
                    syncFormat: syncSettings.syncFormat,
                    ...(args.dataSync.kmsKeyArn === undefined ? {} : { kmsKeyArn: args.dataSync.kmsKeyArn }),
                },
            },
            // Every S3 destination field forces a new sync (there is no UpdateResourceDataSync for
            // S3 syncs; CloudFormation: "Update requires: Replacement"), and the name is fixed, so
            // the old sync must go before the new one is created under the same name. A new sync
            // copies the location's current inventory again, so nothing is lost.
            { parent: this, deleteBeforeReplace: true },
        );
        this.associationId = association.associationId;
        this.dataSyncName = sync.name;
        this.registerOutputs({ associationId: this.associationId, dataSyncName: this.dataSyncName });
    }
}
