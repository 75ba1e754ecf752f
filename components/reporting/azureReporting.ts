import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AZURE_VM_TABLE, azureComplianceView, azureReportingQueries, glueViewInput } from "./azureReportingTables";
import { inventoryCatalogTable } from "./inventoryCatalogTable";
import { type ProjectionScope } from "./reportingTables";

export interface AzureReportingArgs extends ProjectionScope {
    readonly region: string;
    /** The Glue database's name as the SQL qualifies tables (a plain value: it is in the view text). */
    readonly databaseName: string;
    /** The database resource's name output (orders the tables after the database). */
    readonly database: pulumi.Input<string>;
    readonly workgroup: pulumi.Input<string>;
    readonly dataBucketName: pulumi.Input<string>;
    readonly dataSyncPrefix: string;
}

/**
 * Issue 18 item 4 in the reporting database: the Custom:AzureVm table (partition projection like
 * the AWS tables), the view joining patch compliance to the Azure metadata, and the named query
 * "non-compliant Azure VMs by subscription and resource group". Created by ComplianceReporting
 * when the estate has Azure VMs.
 */
export class AzureReporting extends pulumi.ComponentResource {
    readonly namedQueryIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: AzureReportingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("patching:reporting:AzureReporting", name, {}, opts);
        const region = args.region;
        const table = inventoryCatalogTable(name, AZURE_VM_TABLE, { ...args, databaseName: args.database }, this);
        const viewSpec = azureComplianceView(args.databaseName);
        const view = glueViewInput(viewSpec, args.databaseName);
        const viewTable = new aws.glue.CatalogTable(
            `${name}-${viewSpec.name}`,
            { region, databaseName: args.database, ...view },
            // The view reads the Azure table: create it first, drop it last.
            { parent: this, dependsOn: [table] },
        );
        for (const query of azureReportingQueries(args.databaseName)) {
            const named = new aws.athena.NamedQuery(
                `${name}-${query.key}`,
                { region, name: query.name, description: query.description, workgroup: args.workgroup, database: args.database, query: query.sql },
                { parent: this, dependsOn: [viewTable] },
            );
            this.namedQueryIds[query.key] = named.id;
        }
        this.registerOutputs({ namedQueryIds: this.namedQueryIds });
    }
}
