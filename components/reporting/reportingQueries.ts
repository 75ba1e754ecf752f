import { policy, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";
import { ATHENA_NAME, ATHENA_SELECT_RESERVED_WORDS, declaredColumn, INVENTORY_TABLES, type InventoryTableDefinition, type InventoryTableId } from "./reportingTables";

/**
 * The Athena named queries (SPEC capability 12) and what it takes to run them, as pure functions.
 * SQL is Athena engine version 3 (Trino): identifiers unquoted unless reserved, string literals in
 * single quotes. Every table and column comes from reportingTables.ts through `column()`, which
 * throws on anything a table does not declare.
 */

/** QuickSight column types a custom-SQL data set declares (InputColumn.Type). */
export type OutputColumnType = "STRING" | "INTEGER";

export interface NamedQuerySpec {
    /** Stable id: the child resource is named after it. */
    readonly key: string;
    /** Athena NamedQuery name (1-128 characters). */
    readonly name: string;
    readonly description: string;
    readonly sql: string;
    /** The SELECT list's names and types, in order (a QuickSight data set declares them). */
    readonly outputColumns: readonly { readonly name: string; readonly type: OutputColumnType }[];
}

export interface ReportingQueryOptions {
    /** Glue database; tables are qualified with it, so the SQL also runs as QuickSight custom SQL. */
    readonly database: string;
    /** `Patch Group` or `PatchGroup`: the tag Patch Manager reads. */
    readonly patchGroupTagKey: string;
    /** Days without a patch scan or install result before a node is reported. */
    readonly notReportingDays: number;
}

/** Identifier as Athena reads it: double quotes (escaped) only when reserved or not a plain name. */
export function sqlIdentifier(name: string): string {
    return ATHENA_NAME.test(name) && !ATHENA_SELECT_RESERVED_WORDS.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** String literal: single quotes, a quote doubled. */
export function sqlString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/** A table in the FROM clause with its alias, and its columns as `alias.column`. */
function from(database: string, table: InventoryTableId, alias: string) {
    return tableRef(database, INVENTORY_TABLES[table], alias);
}

/** {@link from} for any declared table (the Azure reporting reuses it). */
export function tableRef(database: string, definition: InventoryTableDefinition, alias: string) {
    return {
        ref: `${sqlIdentifier(database)}.${sqlIdentifier(definition.tableName)} ${alias}`,
        c: (name: string) => `${alias}.${sqlIdentifier(declaredColumn(definition, name))}`,
    };
}

export type Table = ReturnType<typeof tableRef>;

/** Same node in another table: partition keys first (pruning), then the node id. */
export const sameNode = (a: Table, b: Table) => ["accountid", "region", "resourceid"].map((k) => `${a.c(k)} = ${b.c(k)}`).join(" AND ");
/** Resource data sync keeps a deleted node's files; its AWS:InstanceInformation says Terminated. */
export const notTerminated = (ii: Table) => `(${ii.c("instancestatus")} IS NULL OR ${ii.c("instancestatus")} <> 'Terminated')`;
const count = (expression: string) => `TRY_CAST(${expression} AS integer)`;

function nonCompliantNodes(database: string): NamedQuerySpec {
    const cs = from(database, "complianceSummary", "cs");
    const ii = from(database, "instanceInformation", "ii");
    return {
        key: "non-compliant-nodes",
        name: "patching-non-compliant-nodes",
        description: "Managed nodes whose patch compliance is NON_COMPLIANT, by account and Region",
        sql: [
            `SELECT ${cs.c("accountid")}, ${cs.c("region")}, ${cs.c("resourceid")}, ${ii.c("computername")}, ${ii.c("platformname")}, ${cs.c("patchgroup")},`,
            `    ${cs.c("overallseverity")}, ${count(cs.c("noncompliantcriticalcount"))} AS noncompliant_critical,`,
            `    ${count(cs.c("noncomplianthighcount"))} AS noncompliant_high, ${cs.c("executiontime")}`,
            `FROM ${cs.ref}`,
            `LEFT JOIN ${ii.ref} ON ${sameNode(ii, cs)}`,
            `WHERE ${cs.c("compliancetype")} = 'Patch' AND ${cs.c("status")} = 'NON_COMPLIANT' AND ${notTerminated(ii)}`,
            `ORDER BY ${cs.c("accountid")}, ${cs.c("region")}, ${cs.c("resourceid")}`,
        ].join("\n"),
        outputColumns: [
            ...["accountid", "region", "resourceid", "computername", "platformname", "patchgroup", "overallseverity"].map((name) => ({ name, type: "STRING" as const })),
            { name: "noncompliant_critical", type: "INTEGER" },
            { name: "noncompliant_high", type: "INTEGER" },
            { name: "executiontime", type: "STRING" },
        ],
    };
}

/**
 * Patch Manager counts an item as critical when its compliance severity is CRITICAL and as
 * security when its classification is Security (Linux) or SecurityUpdates / CriticalUpdates
 * (Windows); Missing and Failed are the states of a patch that is not installed.
 */
function missingCriticalPatches(database: string): NamedQuerySpec {
    const ci = from(database, "complianceItem", "ci");
    const ii = from(database, "instanceInformation", "ii");
    const strings = ["accountid", "region", "resourceid", "computername", "patchgroup", "patch_id", "title", "classification", "severity", "patchseverity", "patchstate", "executiontime"];
    return {
        key: "missing-critical-patches",
        name: "patching-missing-critical-and-security-patches",
        description: "Critical or security patches that are missing or failed to install, per node",
        sql: [
            `SELECT ${ci.c("accountid")}, ${ci.c("region")}, ${ci.c("resourceid")}, ${ii.c("computername")}, ${ci.c("patchgroup")}, ${ci.c("id")} AS patch_id, ${ci.c("title")},`,
            `    ${ci.c("classification")}, ${ci.c("severity")}, ${ci.c("patchseverity")}, ${ci.c("patchstate")}, ${ci.c("executiontime")}`,
            `FROM ${ci.ref}`,
            `LEFT JOIN ${ii.ref} ON ${sameNode(ii, ci)}`,
            `WHERE ${ci.c("compliancetype")} = 'Patch' AND ${ci.c("status")} = 'NON_COMPLIANT' AND ${ci.c("patchstate")} IN ('Missing', 'Failed')`,
            `    AND (upper(${ci.c("severity")}) = 'CRITICAL' OR lower(${ci.c("classification")}) IN ('security', 'securityupdates', 'criticalupdates'))`,
            `    AND ${notTerminated(ii)}`,
            `ORDER BY ${ci.c("accountid")}, ${ci.c("region")}, ${ci.c("resourceid")}, patch_id`,
        ].join("\n"),
        outputColumns: strings.map((name) => ({ name, type: "STRING" as const })),
    };
}

/**
 * Every scan or install writes a new AWS:PatchSummary with its OperationEndTime (ISO 8601, UTC),
 * so a node whose newest one is older than N days, or that has none, has stopped reporting patch
 * state (agent offline, association not running). Inventory capture time is shown but not used:
 * a sync rewrites a type's file only when its content changes.
 */
function nodesNotReporting(database: string, days: number): NamedQuerySpec {
    const ii = from(database, "instanceInformation", "ii");
    const ps = from(database, "patchSummary", "ps");
    return {
        key: "nodes-not-reporting",
        name: "patching-nodes-not-reporting",
        description: `Managed nodes without a patch scan or install result in the last ${days} day${days === 1 ? "" : "s"}`,
        sql: [
            `SELECT ${ii.c("accountid")}, ${ii.c("region")}, ${ii.c("resourceid")}, ${ii.c("computername")}, ${ii.c("platformname")}, ${ii.c("nodetype")}, ${ii.c("instancestatus")},`,
            `    ${ii.c("capturetime")} AS inventory_capturetime, ${ps.c("operationtype")} AS last_operation, ${ps.c("operationendtime")} AS last_operation_end`,
            `FROM ${ii.ref}`,
            `LEFT JOIN ${ps.ref} ON ${sameNode(ps, ii)}`,
            `WHERE ${notTerminated(ii)}`,
            `    AND NOT COALESCE(TRY(from_iso8601_timestamp(${ps.c("operationendtime")})) > current_timestamp - INTERVAL '${days}' DAY, false)`,
            `ORDER BY ${ii.c("accountid")}, ${ii.c("region")}, ${ii.c("resourceid")}`,
        ].join("\n"),
        outputColumns: ["accountid", "region", "resourceid", "computername", "platformname", "nodetype", "instancestatus", "inventory_capturetime", "last_operation", "last_operation_end"].map(
            (name) => ({ name, type: "STRING" as const }),
        ),
    };
}

/** Node counts per OS and patch group (the tag Patch Manager reads), EC2 and hybrid (Azure) apart. */
function inventoryByOsAndPatchGroup(database: string, patchGroupTagKey: string): NamedQuerySpec {
    const ii = from(database, "instanceInformation", "ii");
    const t = from(database, "tag", "t");
    const untagged = sqlString(`(no ${patchGroupTagKey} tag)`);
    return {
        key: "inventory-by-os-and-patch-group",
        name: "patching-inventory-by-os-and-patch-group",
        description: `Managed nodes per operating system, ${patchGroupTagKey} tag and node type (EC2Instance or ManagedInstance)`,
        sql: [
            `SELECT ${ii.c("platformtype")}, ${ii.c("platformname")}, ${ii.c("platformversion")}, COALESCE(${t.c("value")}, ${untagged}) AS patch_group, ${ii.c("nodetype")},`,
            `    COUNT(*) AS nodes`,
            `FROM ${ii.ref}`,
            `LEFT JOIN ${t.ref} ON ${sameNode(t, ii)} AND ${t.c("key")} = ${sqlString(patchGroupTagKey)}`,
            `WHERE ${notTerminated(ii)}`,
            `GROUP BY ${ii.c("platformtype")}, ${ii.c("platformname")}, ${ii.c("platformversion")}, COALESCE(${t.c("value")}, ${untagged}), ${ii.c("nodetype")}`,
            `ORDER BY nodes DESC, patch_group`,
        ].join("\n"),
        outputColumns: [...["platformtype", "platformname", "platformversion", "patch_group", "nodetype"].map((name) => ({ name, type: "STRING" as const })), { name: "nodes", type: "INTEGER" }],
    };
}

/** The four named queries, in a fixed order. */
export function reportingQueries(options: ReportingQueryOptions): NamedQuerySpec[] {
    return [
        nonCompliantNodes(options.database),
        missingCriticalPatches(options.database),
        nodesNotReporting(options.database, options.notReportingDays),
        inventoryByOsAndPatchGroup(options.database, options.patchGroupTagKey),
    ];
}

/** Physical resources the reader policy names (plain values, resolved by the component). */
export interface ReportingResources {
    readonly accountId: string;
    readonly region: string;
    readonly database: string;
    readonly workgroup: string;
    readonly dataBucket: string;
    readonly dataPrefix: string;
    readonly resultsBucket: string;
    readonly dataKmsKeyArn?: string;
    readonly resultsKmsKeyArn?: string;
}

/**
 * Least privilege to run the named queries in the workgroup (Athena user guide, "Identity and
 * access management in Athena"; the actions of AWSQuicksightAthenaAccess, scoped): the workgroup,
 * the Glue database and its tables, read of the sync prefix, the results bucket, and the keys.
 */
export function reportingReaderPolicy(r: ReportingResources): PolicyDocument {
    const glue = (path: string) => `arn:aws:glue:${r.region}:${r.accountId}:${path}`;
    const data = `arn:aws:s3:::${r.dataBucket}`;
    const results = `arn:aws:s3:::${r.resultsBucket}`;
    const statements: PolicyStatement[] = [
        {
            Sid: "RunQueriesInWorkgroup",
            Effect: "Allow",
            Action: ["athena:BatchGetNamedQuery", "athena:GetNamedQuery", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetWorkGroup", "athena:ListNamedQueries", "athena:StartQueryExecution", "athena:StopQueryExecution"],
            Resource: `arn:aws:athena:${r.region}:${r.accountId}:workgroup/${r.workgroup}`,
        },
        {
            Sid: "ReadCatalog",
            Effect: "Allow",
            Action: ["athena:GetDatabase", "athena:GetDataCatalog", "athena:GetTableMetadata", "athena:ListDatabases", "athena:ListTableMetadata"],
            Resource: `arn:aws:athena:${r.region}:${r.accountId}:datacatalog/AwsDataCatalog`,
        },
        {
            Sid: "ReadTables",
            Effect: "Allow",
            Action: ["glue:BatchGetPartition", "glue:GetDatabase", "glue:GetDatabases", "glue:GetPartition", "glue:GetPartitions", "glue:GetTable", "glue:GetTables"],
            Resource: [glue("catalog"), glue(`database/${r.database}`), glue(`table/${r.database}/*`)],
        },
        { Sid: "LocateBuckets", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: [data, results] },
        // s3:prefix is only in ListBucket requests, so the prefix condition stays on this statement.
        { Sid: "ListInventory", Effect: "Allow", Action: "s3:ListBucket", Resource: data, Condition: { StringLike: { "s3:prefix": [`${r.dataPrefix}/*`] } } },
        { Sid: "ReadInventory", Effect: "Allow", Action: "s3:GetObject", Resource: `${data}/${r.dataPrefix}/*` },
        { Sid: "ListResults", Effect: "Allow", Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: results },
        { Sid: "WriteResults", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"], Resource: `${results}/*` },
    ];
    if (r.dataKmsKeyArn !== undefined) {
        statements.push({ Sid: "DecryptInventory", Effect: "Allow", Action: "kms:Decrypt", Resource: r.dataKmsKeyArn });
    }
    if (r.resultsKmsKeyArn !== undefined) {
        statements.push({ Sid: "EncryptResults", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: r.resultsKmsKeyArn });
    }
    return policy(...statements);
}

