import { COMPLIANCE_LEVELS, type ComplianceLevel } from "../../catalog/patchBaselines";
import { notTerminated, sameNode, sqlIdentifier, sqlString, tableRef, type NamedQuerySpec, type Table } from "./reportingQueries";
import { INVENTORY_TABLES, type InventoryTableDefinition } from "./reportingTables";

/**
 * Patch SLAs (issue 19 item 4) as Athena SQL, pure.
 *
 * When did a patch become due? Neither Resource Data Sync type that describes patches carries a
 * release date: AWS:ComplianceItem has the item's compliance severity, the vendor's PatchSeverity,
 * Classification, PatchState, InstalledTime (installed patches only) and the ExecutionTime of the
 * scan that reported it; AWS:PatchSummary has counts and operation times. The release date lives
 * only in the patch catalogue (DescribeAvailablePatches `ReleaseDate`), outside the synced data.
 * And the sync keeps only the newest scan per node (one file per node and type, rewritten by every
 * scan), so ExecutionTime is the LAST scan, not the first. The clock therefore starts at the first
 * scan seen reporting the patch missing: the daily digest records (node, patch, ExecutionTime) in
 * the `patch_first_missing` table the first time it sees a patch non-compliant on a node
 * ({@link recordFirstMissingSql}); until then (a patch reported since the last digest) the current
 * scan's ExecutionTime stands in. This is days MISSING on the node, not days since the vendor
 * released it: with an approval delay of N days (approveAfterDays) the release is at least N days
 * earlier.
 */

/** Days a missing patch may stay missing, per compliance severity; a severity without an entry has no SLA. */
export type SlaDays = Readonly<Partial<Record<ComplianceLevel, number>>>;

/** "Will breach within N days": the digest's and the report's look-ahead. */
export const SLA_WARNING_DAYS = 7;

/** Written by the digest, read by the SLA queries: where the first sighting of each missing patch is kept. */
export const SLA_HISTORY_TABLE: InventoryTableDefinition = {
    typeName: "patch-first-missing",
    tableName: "patch_first_missing",
    columns: ["accountid", "region", "resourceid", "patch_id", "first_reported"].map((name) => ({ name, type: "string" as const })),
};

/** Key prefix of the history table's files in the Athena results bucket. */
export const SLA_HISTORY_PREFIX = "sla-history";

/** The first SLA that is not a whole number of days from 1 to 365 or names no compliance severity, or undefined. */
export function slaDaysProblem(sla: SlaDays, field = "sla"): string | undefined {
    for (const [severity, days] of Object.entries(sla)) {
        if (!(COMPLIANCE_LEVELS as readonly string[]).includes(severity)) {
            return `${field}.${severity} is not a compliance severity (${COMPLIANCE_LEVELS.join(", ")})`;
        }
        if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 365) {
            return `${field}.${severity} ${days} is not a whole number of days from 1 to 365`;
        }
    }
    return undefined;
}

/** Throws {@link slaDaysProblem}. */
export function validateSlaDays(sla: SlaDays, field = "sla"): void {
    const problem = slaDaysProblem(sla, field);
    if (problem !== undefined) {
        throw new Error(problem);
    }
}

/**
 * A Parquet table (ParquetHiveSerDe is one of the SerDes Athena's INSERT INTO writes; Athena user
 * guide, "INSERT INTO") in the results bucket, unpartitioned: one row per node and patch ever seen
 * missing, a few MB for thousands of nodes. INSERT INTO does not encrypt its files by default (same
 * page); the results bucket's default encryption (SSE-S3 or its KMS key) encrypts them on write.
 * Files older than the results bucket's expiry are deleted by its lifecycle: a patch missing for
 * longer than that restarts its clock (README "Patch SLAs").
 */
export function slaHistoryTableInput(resultsBucket: string) {
    return {
        name: SLA_HISTORY_TABLE.tableName,
        description: "First scan reporting each patch missing on each node (written by the compliance digest)",
        tableType: "EXTERNAL_TABLE",
        parameters: { EXTERNAL: "TRUE", classification: "parquet", "parquet.compression": "SNAPPY" },
        storageDescriptor: {
            location: `s3://${resultsBucket}/${SLA_HISTORY_PREFIX}/`,
            inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            serDeInfo: { name: "ParquetHiveSerDe", serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", parameters: { "serialization.format": "1" } },
            columns: SLA_HISTORY_TABLE.columns.map((c) => ({ name: c.name, type: c.type })),
        },
    };
}

const historyTable = (database: string) => `${sqlIdentifier(database)}.${sqlIdentifier(SLA_HISTORY_TABLE.tableName)}`;

/** An open patch: Patch Manager reports it NON_COMPLIANT (Missing, Failed, InstalledPendingReboot, …). */
const openPatch = (ci: Table) => `${ci.c("compliancetype")} = 'Patch' AND ${ci.c("status")} = 'NON_COMPLIANT'`;
const sameHistory = (h: Table, ci: Table) => `${sameNode(h, ci)} AND ${h.c("patch_id")} = ${ci.c("id")}`;

/** `CASE upper(severity) WHEN 'CRITICAL' THEN 7 … END`: NULL (no SLA) for a severity without one. */
function slaDaysCase(severity: string, sla: SlaDays): string {
    const whens = COMPLIANCE_LEVELS.filter((level) => sla[level] !== undefined).map((level) => `WHEN ${sqlString(level)} THEN ${sla[level]}`);
    return whens.length === 0 ? "CAST(NULL AS integer)" : `CASE upper(${severity}) ${whens.join(" ")} END`;
}

/**
 * The WITH clause both queries share: every open patch of a live node with its clock start, days
 * missing (calendar days in UTC, date against date so every engine counts alike) and SLA.
 */
function openPatchesCte(database: string, sla: SlaDays): string {
    const ci = tableRef(database, INVENTORY_TABLES.complianceItem, "ci");
    const ii = tableRef(database, INVENTORY_TABLES.instanceInformation, "ii");
    const h = tableRef(database, SLA_HISTORY_TABLE, "h");
    const since = `COALESCE(${h.c("first_reported")}, ${ci.c("executiontime")})`;
    return [
        `WITH open_patches AS (`,
        `    SELECT ${ci.c("accountid")}, ${ci.c("region")}, ${ci.c("resourceid")}, ${ii.c("computername")}, ${ci.c("patchgroup")}, ${ci.c("id")} AS patch_id, ${ci.c("title")},`,
        `        upper(${ci.c("severity")}) AS severity, ${ci.c("patchseverity")}, ${ci.c("patchstate")}, ${since} AS missing_since,`,
        `        date_diff('day', CAST(from_iso8601_timestamp(${since}) AS date), current_date) AS days_missing,`,
        `        ${slaDaysCase(ci.c("severity"), sla)} AS sla_days`,
        `    FROM ${ci.ref}`,
        `    LEFT JOIN ${ii.ref} ON ${sameNode(ii, ci)}`,
        // The earliest sighting per node and patch: a retried or concurrent digest may have recorded one twice.
        `    LEFT JOIN (SELECT accountid, region, resourceid, patch_id, min(first_reported) AS first_reported FROM ${historyTable(database)} GROUP BY accountid, region, resourceid, patch_id) h`,
        `        ON ${sameHistory(h, ci)}`,
        `    WHERE ${openPatch(ci)} AND ${notTerminated(ii)}`,
        `)`,
    ].join("\n");
}

const breaching = "days_missing > sla_days";
/** Breaches within the look-ahead: the breach day (sla_days + 1) is at most SLA_WARNING_DAYS away. */
const willBreach = `days_missing <= sla_days AND days_missing > sla_days - ${SLA_WARNING_DAYS}`;

const SLA_COLUMNS = ["accountid", "region", "resourceid", "computername", "patchgroup", "patch_id", "title", "severity", "patchseverity", "patchstate", "missing_since"];

/** Per node and patch: the open patches that breach their SLA or will within SLA_WARNING_DAYS. */
export function patchSlaQuery(database: string, sla: SlaDays): NamedQuerySpec {
    return {
        key: "patch-sla",
        name: "patching-patch-sla-breaches",
        description: `Missing patches past their SLA (BREACHING) or due within ${SLA_WARNING_DAYS} days (WILL_BREACH), per node and patch`,
        sql: [
            openPatchesCte(database, sla),
            `SELECT ${SLA_COLUMNS.join(", ")}, days_missing, sla_days, sla_days - days_missing AS days_left,`,
            `    CASE WHEN ${breaching} THEN 'BREACHING' ELSE 'WILL_BREACH' END AS sla_status`,
            `FROM open_patches`,
            `WHERE sla_days IS NOT NULL AND days_missing > sla_days - ${SLA_WARNING_DAYS}`,
            `ORDER BY days_left, accountid, region, resourceid, patch_id`,
        ].join("\n"),
        outputColumns: [
            ...SLA_COLUMNS.map((name) => ({ name, type: "STRING" as const })),
            ...["days_missing", "sla_days", "days_left"].map((name) => ({ name, type: "INTEGER" as const })),
            { name: "sla_status", type: "STRING" },
        ],
    };
}

/**
 * The daily digest's one query: per account and patch group, the live nodes, the NON_COMPLIANT
 * ones (Patch compliance summary), and the open patches breaching or about to breach their SLA.
 */
export function complianceDigestQuery(database: string, sla: SlaDays): NamedQuerySpec {
    const ii = tableRef(database, INVENTORY_TABLES.instanceInformation, "ii");
    const cs = tableRef(database, INVENTORY_TABLES.complianceSummary, "cs");
    const sum = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    const group = `COALESCE(${cs.c("patchgroup")}, '(none)')`;
    return {
        key: "compliance-digest",
        name: "patching-compliance-digest",
        description: "Daily digest: live, non-compliant and SLA-breaching nodes and patches per account and patch group",
        sql: [
            openPatchesCte(database, sla) + ",",
            `sla_by_node AS (`,
            `    SELECT accountid, region, resourceid, ${sum(breaching)} AS breaching, ${sum(willBreach)} AS will_breach`,
            `    FROM open_patches WHERE sla_days IS NOT NULL GROUP BY accountid, region, resourceid`,
            `)`,
            `SELECT ${ii.c("accountid")}, ${group} AS patchgroup, COUNT(*) AS nodes,`,
            `    ${sum(`${cs.c("status")} = 'NON_COMPLIANT'`)} AS noncompliant_nodes,`,
            `    ${sum("p.breaching > 0")} AS breaching_nodes, COALESCE(SUM(p.breaching), 0) AS breaching_patches,`,
            `    COALESCE(SUM(p.will_breach), 0) AS will_breach_patches`,
            `FROM ${ii.ref}`,
            `LEFT JOIN ${cs.ref} ON ${sameNode(cs, ii)} AND ${cs.c("compliancetype")} = 'Patch'`,
            `LEFT JOIN sla_by_node p ON p.accountid = ${ii.c("accountid")} AND p.region = ${ii.c("region")} AND p.resourceid = ${ii.c("resourceid")}`,
            `WHERE ${notTerminated(ii)}`,
            `GROUP BY ${ii.c("accountid")}, ${group}`,
            `ORDER BY ${ii.c("accountid")}, patchgroup`,
        ].join("\n"),
        outputColumns: [
            { name: "accountid", type: "STRING" },
            { name: "patchgroup", type: "STRING" },
            ...["nodes", "noncompliant_nodes", "breaching_nodes", "breaching_patches", "will_breach_patches"].map((name) => ({ name, type: "INTEGER" as const })),
        ],
    };
}

/**
 * Records the first sighting of every open patch not yet in the history: INSERT INTO … SELECT
 * (Athena writes new Parquet files under the table's LOCATION and never rewrites old ones).
 * Run by the digest before its query, once a day.
 */
export function recordFirstMissingSql(database: string): string {
    const ci = tableRef(database, INVENTORY_TABLES.complianceItem, "ci");
    const h = tableRef(database, SLA_HISTORY_TABLE, "h");
    return [
        `INSERT INTO ${historyTable(database)} (accountid, region, resourceid, patch_id, first_reported)`,
        `SELECT DISTINCT ${ci.c("accountid")}, ${ci.c("region")}, ${ci.c("resourceid")}, ${ci.c("id")}, ${ci.c("executiontime")}`,
        `FROM ${ci.ref}`,
        `WHERE ${openPatch(ci)} AND ${ci.c("executiontime")} IS NOT NULL`,
        `    AND NOT EXISTS (SELECT 1 FROM ${h.ref} WHERE ${sameHistory(h, ci)})`,
    ].join("\n");
}

/** The SLA named queries, in a fixed order. */
export function slaQueries(database: string, sla: SlaDays): NamedQuerySpec[] {
    return [patchSlaQuery(database, sla), complianceDigestQuery(database, sla)];
}
