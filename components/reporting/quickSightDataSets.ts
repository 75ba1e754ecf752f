import { AZURE_VM_TABLE } from "./azureReportingTables";
import { notTerminated, reportingQueries, sameNode, tableRef, type NamedQuerySpec, type ReportingQueryOptions } from "./reportingQueries";
import { INVENTORY_TABLES } from "./reportingTables";

/**
 * The custom-SQL data sets behind the compliance dashboard (issue 19 item 3), as plain data. Every
 * table and column goes through `tableRef(...).c()`, which throws on a column the Glue table does
 * not declare (reportingTables.ts, azureReportingTables.ts); the queries the named queries already
 * run are reused as they are.
 */

/** QuickSight InputColumn.Type values these data sets use (API reference, InputColumn). */
export type QuickSightColumnType = "STRING" | "INTEGER" | "DECIMAL" | "DATETIME";

export interface QuickSightDataSetSpec {
    /** Stable id: the data set's physical id suffix, its template placeholder and its identifier in the definition. */
    readonly key: string;
    readonly name: string;
    readonly sql: string;
    /** The SELECT list, in order: what CustomSql.Columns declares and the template's DataSetSchema lists. */
    readonly columns: readonly { readonly name: string; readonly type: QuickSightColumnType }[];
}

export interface DashboardDataSetOptions extends ReportingQueryOptions {
    /** The estate has Azure VMs, so the Custom:AzureVm table exists and tells Azure nodes apart. */
    readonly azure: boolean;
}

/** A named query's SQL and output columns as a data set (same SQL, so the dashboard and `npm run ops` agree). */
export function dataSetFromQuery(query: NamedQuerySpec): QuickSightDataSetSpec {
    return { key: query.key, name: query.name, sql: query.sql, columns: query.outputColumns };
}

/**
 * ISO 8601 text (what the agent writes: ExecutionTime, OperationEndTime) as a plain timestamp.
 * TRY: a malformed value becomes NULL instead of failing the whole query; CAST: QuickSight's
 * Athena connector reads `timestamp`, not `timestamp with time zone` (Athena "Data types").
 */
export const isoTimestamp = (expression: string) => `TRY(CAST(from_iso8601_timestamp(${expression}) AS timestamp))`;

/**
 * One row per managed node with patch compliance: account, Region, patch group, status, a 0/100
 * `compliant_pct` (its average over any grouping is the compliance percentage), the cloud (Azure
 * when the node reported Custom:AzureVm, AWS for EC2 instances, otherwise another hybrid node) and
 * the time of the scan that produced the status. Resource Data Sync keeps the latest state per
 * node, so "over time" is by the date of each node's latest scan.
 */
export function nodeComplianceDataSet(options: DashboardDataSetOptions): QuickSightDataSetSpec {
    const cs = tableRef(options.database, INVENTORY_TABLES.complianceSummary, "cs");
    const ii = tableRef(options.database, INVENTORY_TABLES.instanceInformation, "ii");
    const az = tableRef(options.database, AZURE_VM_TABLE, "az");
    const aws = `WHEN ${ii.c("nodetype")} = 'EC2Instance' THEN 'AWS'`;
    const cloud = options.azure ? `CASE WHEN ${az.c("resourceid")} IS NOT NULL THEN 'Azure' ${aws} ELSE 'Other hybrid' END` : `CASE ${aws} ELSE 'Other hybrid' END`;
    return {
        key: "node-compliance",
        name: "patching-node-compliance",
        sql: [
            `SELECT ${cs.c("accountid")}, ${cs.c("region")}, ${cs.c("resourceid")}, ${ii.c("computername")}, ${ii.c("platformname")}, ${cs.c("patchgroup")},`,
            `    ${cs.c("status")} AS compliance_status, CASE WHEN ${cs.c("status")} = 'COMPLIANT' THEN 100 ELSE 0 END AS compliant_pct,`,
            `    ${cloud} AS cloud, ${isoTimestamp(cs.c("executiontime"))} AS scan_time`,
            `FROM ${cs.ref}`,
            `LEFT JOIN ${ii.ref} ON ${sameNode(ii, cs)}`,
            ...(options.azure ? [`LEFT JOIN ${az.ref} ON ${sameNode(az, cs)}`] : []),
            `WHERE ${cs.c("compliancetype")} = 'Patch' AND ${notTerminated(ii)}`,
        ].join("\n"),
        columns: [
            ...["accountid", "region", "resourceid", "computername", "platformname", "patchgroup", "compliance_status"].map((name) => ({ name, type: "STRING" as const })),
            { name: "compliant_pct", type: "INTEGER" },
            { name: "cloud", type: "STRING" },
            { name: "scan_time", type: "DATETIME" },
        ],
    };
}

/**
 * Missing or failed patches with their severity and how long they have been outstanding. Patch
 * compliance items carry no release date (SSM API, PatchComplianceData: Classification, Severity,
 * State, InstalledTime, KBId, Title), so the age is measured from the node's
 * LastComplianceStateModifiedTime — when it last turned non-compliant: a lower bound of how long its
 * oldest missing patch has waited.
 */
export function patchAgeDataSet(options: DashboardDataSetOptions): QuickSightDataSetSpec {
    const ci = tableRef(options.database, INVENTORY_TABLES.complianceItem, "ci");
    const cs = tableRef(options.database, INVENTORY_TABLES.complianceSummary, "cs");
    const ii = tableRef(options.database, INVENTORY_TABLES.instanceInformation, "ii");
    return {
        key: "patch-age",
        name: "patching-missing-patch-age",
        sql: [
            `SELECT ${ci.c("accountid")}, ${ci.c("region")}, ${ci.c("resourceid")}, ${ci.c("id")} AS patch_id, COALESCE(${ci.c("severity")}, 'UNSPECIFIED') AS severity,`,
            `    ${ci.c("classification")}, ${ci.c("patchstate")},`,
            `    date_diff('day', ${isoTimestamp(cs.c("lastcompliancestatemodifiedtime"))}, CAST(current_timestamp AS timestamp)) AS age_days`,
            `FROM ${ci.ref}`,
            `LEFT JOIN ${cs.ref} ON ${sameNode(cs, ci)} AND ${cs.c("compliancetype")} = 'Patch'`,
            `LEFT JOIN ${ii.ref} ON ${sameNode(ii, ci)}`,
            `WHERE ${ci.c("compliancetype")} = 'Patch' AND ${ci.c("status")} = 'NON_COMPLIANT' AND ${ci.c("patchstate")} IN ('Missing', 'Failed') AND ${notTerminated(ii)}`,
        ].join("\n"),
        columns: [...["accountid", "region", "resourceid", "patch_id", "severity", "classification", "patchstate"].map((name) => ({ name, type: "STRING" as const })), { name: "age_days", type: "INTEGER" }],
    };
}

/** The named queries the dashboard shows as they are. */
export const REUSED_QUERY_KEYS = { missingCritical: "missing-critical-patches", notReporting: "nodes-not-reporting" } as const;

function reusedQuery(options: ReportingQueryOptions, key: string): QuickSightDataSetSpec {
    const query = reportingQueries(options).find((q) => q.key === key);
    if (query === undefined) {
        throw new Error(`quickSightDataSets: no reporting query "${key}"`);
    }
    return dataSetFromQuery(query);
}

/** The dashboard's data sets, in a fixed order (ids, placeholders and visuals refer to them by key). */
export function dashboardDataSets(options: DashboardDataSetOptions): QuickSightDataSetSpec[] {
    return [
        nodeComplianceDataSet(options),
        reusedQuery(options, REUSED_QUERY_KEYS.missingCritical),
        reusedQuery(options, REUSED_QUERY_KEYS.notReporting),
        patchAgeDataSet(options),
    ];
}
