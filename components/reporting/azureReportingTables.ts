import { AZURE_VM_INVENTORY } from "../inventory/azureVmInventoryDocument";
import { notTerminated, sameNode, sqlIdentifier, tableRef, type NamedQuerySpec } from "./reportingQueries";
import { INVENTORY_TABLES, strings, SYNC_COLUMNS, type InventoryTableDefinition } from "./reportingTables";

/**
 * Azure in the one compliance dataset (issue 18 item 4), as plain data: the `Custom:AzureVm`
 * inventory table (same sync layout, partitions and projection as the AWS types — Resource Data
 * Sync writes custom types under `<prefix>/<account>/Custom:AzureVm/accountid=…/region=…/
 * resourcetype=ManagedInstanceInventory/`), a view joining patch compliance to the Azure metadata
 * on the node id, and the named query over it.
 */

/** Column names as the OpenX SerDe reads the attributes (case-insensitive keys, so lowercase). */
export const AZURE_VM_TABLE: InventoryTableDefinition = {
    typeName: AZURE_VM_INVENTORY.typeName,
    // The crawler's name for the type (lowercase, ":" → "_"), like aws_<type> for the AWS types.
    tableName: "custom_azurevm",
    columns: [...strings(...AZURE_VM_INVENTORY.attributes.map((attribute) => attribute.toLowerCase())), ...SYNC_COLUMNS],
};

/** Trino and Glue types of a view column (the Presto view definition names both). */
export type ViewColumnType = "varchar" | "integer";

export interface AthenaViewSpec {
    readonly name: string;
    readonly description: string;
    readonly sql: string;
    readonly columns: readonly { readonly name: string; readonly type: ViewColumnType }[];
}

const AZURE_COLUMNS = ["subscriptionid", "resourcegroup", "vmname", "azureresourceid", "vmid", "location", "vmsize", "image", "patchgrouptag"];

/**
 * One row per Azure node that reported Custom:AzureVm (not a deregistered node's leftover file):
 * its Azure metadata, and its patch compliance summary joined on the node id (`resourceid`, the
 * `mi-` id in both types). A node never scanned has no summary: `NO_PATCH_DATA`.
 */
export function azureComplianceView(database: string): AthenaViewSpec {
    const az = tableRef(database, AZURE_VM_TABLE, "az");
    const cs = tableRef(database, INVENTORY_TABLES.complianceSummary, "cs");
    const ii = tableRef(database, INVENTORY_TABLES.instanceInformation, "ii");
    return {
        name: "azure_vm_patch_compliance",
        description: "Patch compliance of every Azure VM (hybrid node) with its subscription, resource group, location, size, image and tags",
        sql: [
            `SELECT ${["accountid", "region", "resourceid", ...AZURE_COLUMNS].map((name) => az.c(name)).join(", ")}, ${az.c("tags")} AS azure_tags,`,
            `    ${cs.c("patchgroup")}, COALESCE(${cs.c("status")}, 'NO_PATCH_DATA') AS compliance_status, ${cs.c("overallseverity")},`,
            `    TRY_CAST(${cs.c("noncompliantcriticalcount")} AS integer) AS noncompliant_critical, TRY_CAST(${cs.c("noncomplianthighcount")} AS integer) AS noncompliant_high,`,
            `    ${cs.c("executiontime")}, ${az.c("capturetime")} AS azure_capturetime`,
            `FROM ${az.ref}`,
            `LEFT JOIN ${cs.ref} ON ${sameNode(cs, az)} AND ${cs.c("compliancetype")} = 'Patch'`,
            `LEFT JOIN ${ii.ref} ON ${sameNode(ii, az)}`,
            `WHERE ${notTerminated(ii)}`,
        ].join("\n"),
        columns: [
            ...["accountid", "region", "resourceid", ...AZURE_COLUMNS, "azure_tags", "patchgroup", "compliance_status", "overallseverity"].map((name) => ({ name, type: "varchar" as const })),
            { name: "noncompliant_critical", type: "integer" },
            { name: "noncompliant_high", type: "integer" },
            ...["executiontime", "azure_capturetime"].map((name) => ({ name, type: "varchar" as const })),
        ],
    };
}

/** "Non-compliant Azure VMs by subscription and resource group": NON_COMPLIANT or never scanned. */
export function nonCompliantAzureVms(database: string): NamedQuerySpec {
    const view = azureComplianceView(database);
    const names = ["subscriptionid", "resourcegroup", "vmname", "location", "resourceid", "accountid", "region", "patchgroup", "patchgrouptag", "compliance_status", "overallseverity"];
    const v = (name: string) => {
        if (!view.columns.some((c) => c.name === name)) {
            throw new Error(`${view.name} has no column ${name}`);
        }
        return `v.${sqlIdentifier(name)}`;
    };
    return {
        key: "non-compliant-azure-vms",
        name: "patching-non-compliant-azure-vms-by-subscription-and-resource-group",
        description: "Azure VMs whose patch compliance is NON_COMPLIANT or missing, by subscription and resource group",
        sql: [
            `SELECT ${names.map(v).join(", ")},`,
            `    ${v("noncompliant_critical")}, ${v("noncompliant_high")}, ${v("executiontime")}`,
            `FROM ${sqlIdentifier(database)}.${sqlIdentifier(view.name)} v`,
            `WHERE ${v("compliance_status")} <> 'COMPLIANT'`,
            `ORDER BY ${v("subscriptionid")}, ${v("resourcegroup")}, ${v("vmname")}`,
        ].join("\n"),
        outputColumns: [
            ...names.map((name) => ({ name, type: "STRING" as const })),
            { name: "noncompliant_critical", type: "INTEGER" },
            { name: "noncompliant_high", type: "INTEGER" },
            { name: "executiontime", type: "STRING" },
        ],
    };
}

/** The Azure named queries, in a fixed order (the ops `compliance --azure` runs these). */
export function azureReportingQueries(database: string): NamedQuerySpec[] {
    return [nonCompliantAzureVms(database)];
}

const GLUE_TYPE: Record<ViewColumnType, string> = { varchar: "string", integer: "int" };

/**
 * The view as a Glue table Athena reads as a view: TableType VIRTUAL_VIEW, `presto_view` = true,
 * ViewOriginalText `/* Presto View: <base64 of {originalSql, catalog, schema, columns}> *\/` —
 * the Trino Hive connector's view format, which is how Athena stores `CREATE VIEW` in the Glue
 * Data Catalog; Glue has no view-from-SQL API, and a named query does not run.
 */
export function glueViewInput(view: AthenaViewSpec, database: string) {
    // runAsInvoker: the reader's own Glue/S3 permissions apply (reportingReaderPolicy); Trino's view
    // definition needs an owner only for definer views.
    const definition = { originalSql: view.sql, catalog: "awsdatacatalog", schema: database, columns: view.columns.map((c) => ({ name: c.name, type: c.type })), runAsInvoker: true };
    return {
        name: view.name,
        description: view.description,
        tableType: "VIRTUAL_VIEW",
        parameters: { presto_view: "true", comment: "Presto View" },
        viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(definition)).toString("base64")} */`,
        viewExpandedText: "/* Presto View */",
        // An empty SerDe as Athena's own views carry: Athena fails a view whose storage descriptor
        // has none ("Table storage descriptor is missing SerDe info", hashicorp/terraform-provider-aws#28517).
        storageDescriptor: { columns: view.columns.map((c) => ({ name: c.name, type: GLUE_TYPE[c.type] })), serDeInfo: {} },
    };
}
