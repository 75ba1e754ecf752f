import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { glueTableInput, type InventoryTableDefinition, type ProjectionScope } from "./reportingTables";

export interface InventoryCatalogTableArgs extends ProjectionScope {
    readonly region: string;
    readonly databaseName: pulumi.Input<string>;
    readonly dataBucketName: pulumi.Input<string>;
    readonly dataSyncPrefix: string;
}

/**
 * One Glue table over a Resource Data Sync inventory type (partition projection, no crawler):
 * the AWS inventory tables and the Azure one are made alike. Named `${prefix}-<table name>`.
 */
export function inventoryCatalogTable(prefix: string, definition: InventoryTableDefinition, args: InventoryCatalogTableArgs, parent: pulumi.Resource): aws.glue.CatalogTable {
    const input = pulumi.output(args.dataBucketName).apply((bucket) => glueTableInput(definition, bucket, args.dataSyncPrefix, args));
    return new aws.glue.CatalogTable(
        `${prefix}-${definition.tableName}`,
        {
            region: args.region,
            databaseName: args.databaseName,
            name: definition.tableName,
            description: input.description,
            tableType: "EXTERNAL_TABLE",
            parameters: input.parameters,
            partitionKeys: input.partitionKeys,
            storageDescriptor: input.storageDescriptor,
        },
        { parent },
    );
}
