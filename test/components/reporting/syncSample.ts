import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SLA_HISTORY_TABLE } from "../../../components/reporting/slaQueries";
import { INVENTORY_TABLES, PARTITION_KEYS, type InventoryTableDefinition } from "../../../components/reporting/reportingTables";

/**
 * A small estate as Resource Data Sync writes it (JsonSerDe: one JSON object per line with the
 * type's attributes plus resourceId, captureTime and schemaVersion; account and Region from the
 * S3 folder), loaded into DuckDB under the Glue tables' names and columns, so the Athena SQL runs
 * unchanged. Dates are relative to the real current day (UTC), which the SQL reads as current_date.
 */

export const DATABASE = "patching_inventory_prod";
export const ACCOUNT_A = "111111111111";
export const ACCOUNT_B = "222222222222";
const DAY_MS = 86_400_000;

/** ISO timestamp `days` calendar days before today (UTC), at 03:00. */
export function daysAgo(days: number, now: Date = new Date()): string {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return new Date(today - days * DAY_MS + 3 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface Row {
    readonly accountid: string;
    readonly region: string;
    readonly row: Record<string, string>;
}

const sync = (accountid: string, node: string, attributes: Record<string, string>): Row => ({
    accountid,
    region: "eu-west-2",
    row: { ...attributes, resourceId: node, captureTime: daysAgo(0), schemaVersion: "1.0" },
});

const information = (account: string, node: string, status = "Active") =>
    sync(account, node, { AgentType: "amazon-ssm-agent", ComputerName: `${node}.internal`, InstanceId: node, InstanceStatus: status, PlatformName: "Amazon Linux", PlatformType: "Linux", ResourceType: node.startsWith("mi-") ? "ManagedInstance" : "EC2Instance" });

const summary = (account: string, node: string, group: string, status: "COMPLIANT" | "NON_COMPLIANT") =>
    sync(account, node, { ComplianceType: "Patch", PatchGroup: group, PatchBaselineId: "pb-0123456789abcdef0", Status: status, OverallSeverity: status === "COMPLIANT" ? "UNSPECIFIED" : "CRITICAL", ExecutionId: "7b2c1d9e-3f4a-4b5c-8d6e-0f1a2b3c4d5e", ExecutionType: "Command", ExecutionTime: daysAgo(0) });

/** A patch compliance item from today's scan (ExecutionTime is always the newest scan). */
const item = (account: string, node: string, group: string, id: string, severity: string, state: string, scannedDaysAgo = 0) =>
    sync(account, node, {
        ComplianceType: "Patch",
        ExecutionId: "7b2c1d9e-3f4a-4b5c-8d6e-0f1a2b3c4d5e",
        ExecutionType: "Command",
        ExecutionTime: daysAgo(scannedDaysAgo),
        Id: id,
        Title: `${id} update`,
        Status: state === "Installed" ? "COMPLIANT" : "NON_COMPLIANT",
        Severity: severity,
        DocumentName: "AWS-RunPatchBaseline",
        Classification: "Security",
        PatchBaselineId: "pb-0123456789abcdef0",
        PatchSeverity: severity === "CRITICAL" ? "Critical" : "Important",
        PatchState: state,
        PatchGroup: group,
        InstalledTime: "",
    });

/** First sightings the digest recorded on earlier days. */
const firstMissing = (account: string, node: string, patch: string, days: number) => ({ accountid: account, region: "eu-west-2", row: { resourceid: node, patch_id: patch, first_reported: daysAgo(days) } });

/**
 * 111111111111 Linux: i-a1 (CRITICAL patches missing 8, 7 and 6 days, a HIGH one 3 days), i-a2
 * compliant, i-a3 (a MEDIUM and a CRITICAL patch first seen by today's and yesterday's scan, not
 * yet recorded); i-a9 terminated (its old file still there). 111111111111 Windows: i-a4 (a LOW
 * patch missing 200 days, an INFORMATIONAL one without SLA, an installed CRITICAL one).
 * 222222222222 Linux: mi-b1 (a HIGH patch missing 31 days); mi-b2 never scanned.
 */
export function sampleRows(): Record<string, Row[]> {
    const A = ACCOUNT_A;
    const B = ACCOUNT_B;
    return {
        [INVENTORY_TABLES.instanceInformation.tableName]: [
            information(A, "i-0a000000000000001"),
            information(A, "i-0a000000000000002"),
            information(A, "i-0a000000000000003"),
            information(A, "i-0a000000000000004"),
            information(A, "i-0a000000000000009", "Terminated"),
            information(B, "mi-0b000000000000001"),
            information(B, "mi-0b000000000000002"),
        ],
        [INVENTORY_TABLES.complianceSummary.tableName]: [
            summary(A, "i-0a000000000000001", "Linux", "NON_COMPLIANT"),
            summary(A, "i-0a000000000000002", "Linux", "COMPLIANT"),
            summary(A, "i-0a000000000000003", "Linux", "NON_COMPLIANT"),
            summary(A, "i-0a000000000000004", "Windows", "NON_COMPLIANT"),
            summary(A, "i-0a000000000000009", "Linux", "NON_COMPLIANT"),
            summary(B, "mi-0b000000000000001", "Linux", "NON_COMPLIANT"),
        ],
        [INVENTORY_TABLES.complianceItem.tableName]: [
            item(A, "i-0a000000000000001", "Linux", "P1-critical-8d", "CRITICAL", "Missing"),
            item(A, "i-0a000000000000001", "Linux", "P2-critical-7d", "CRITICAL", "Failed"),
            item(A, "i-0a000000000000001", "Linux", "P3-critical-6d", "CRITICAL", "Missing"),
            item(A, "i-0a000000000000001", "Linux", "P4-high-3d", "HIGH", "Missing"),
            item(A, "i-0a000000000000003", "Linux", "P5-medium-new", "MEDIUM", "Missing"),
            item(A, "i-0a000000000000003", "Linux", "P6-critical-new", "CRITICAL", "Missing", 1),
            item(A, "i-0a000000000000004", "Windows", "KB7000007", "LOW", "Missing"),
            item(A, "i-0a000000000000004", "Windows", "KB8000008", "INFORMATIONAL", "Missing"),
            item(A, "i-0a000000000000004", "Windows", "KB9000009", "CRITICAL", "Installed"),
            item(A, "i-0a000000000000009", "Linux", "P1-critical-8d", "CRITICAL", "Missing"),
            item(B, "mi-0b000000000000001", "Linux", "P9-high-31d", "HIGH", "Missing"),
        ],
        [SLA_HISTORY_TABLE.tableName]: [
            firstMissing(A, "i-0a000000000000001", "P1-critical-8d", 8),
            // Recorded again by a retried digest: the earliest sighting counts.
            firstMissing(A, "i-0a000000000000001", "P1-critical-8d", 2),
            firstMissing(A, "i-0a000000000000001", "P2-critical-7d", 7),
            firstMissing(A, "i-0a000000000000001", "P3-critical-6d", 6),
            firstMissing(A, "i-0a000000000000001", "P4-high-3d", 3),
            firstMissing(A, "i-0a000000000000004", "KB7000007", 200),
            firstMissing(A, "i-0a000000000000004", "KB8000008", 400),
            firstMissing(A, "i-0a000000000000009", "P1-critical-8d", 30),
            firstMissing(B, "mi-0b000000000000001", "P9-high-31d", 31),
        ],
    };
}

export interface DuckDbConnection {
    run(sql: string): Promise<unknown>;
    runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[] }>;
}

/** @duckdb/node-api from the project's devDependencies (or where DUCKDB_NODE_API points). */
async function loadDuckDb(): Promise<{ DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckDbConnection> }> } }> {
    return (await import(createRequire(__filename).resolve(process.env.DUCKDB_NODE_API ?? "@duckdb/node-api"))) as never;
}

/** Rows lowercased the way the OpenX SerDe matches keys; partition values as columns. */
async function loadTable(db: DuckDbConnection, folder: string, definition: InventoryTableDefinition, rows: readonly Row[]): Promise<void> {
    const file = path.join(folder, `${definition.tableName}.json`);
    // Partition values under their own keys (AWS:InstanceInformation's own ResourceType is a data attribute).
    const folderOf = (accountid: string, region: string): Record<string, string> => ({ partition_accountid: accountid, partition_region: region, partition_resourcetype: "ManagedInstanceInventory" });
    const lines = rows.map(({ accountid, region, row }) => JSON.stringify({ ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v])), ...folderOf(accountid, region), ...(definition === SLA_HISTORY_TABLE ? { accountid, region } : {}) }));
    writeFileSync(file, lines.join("\n"));
    const partitions = definition === SLA_HISTORY_TABLE ? [] : PARTITION_KEYS;
    const columns = [...definition.columns.map((c) => c.jsonKey ?? c.name), ...partitions.map((k) => `partition_${k}`)].map((name) => `'${name}': 'VARCHAR'`).join(", ");
    const select = [...definition.columns.map((c) => `${c.jsonKey ?? c.name} AS ${c.name}`), ...partitions.map((k) => `partition_${k} AS ${k}`)].join(", ");
    await db.run(`CREATE TABLE ${DATABASE}.${definition.tableName} AS SELECT ${select} FROM read_json('${file}', format = 'newline_delimited', columns = {${columns}})`);
}

/**
 * A DuckDB database holding the sample. Two Trino functions DuckDB lacks are defined as macros
 * with Trino's meaning for these inputs (ISO 8601 UTC strings): from_iso8601_timestamp parses one.
 * The session runs in UTC, as Athena does, so current_date and date casts agree.
 */
export async function sampleDatabase(rows = sampleRows()): Promise<{ db: DuckDbConnection; close(): void }> {
    const duckdb = await loadDuckDb();
    const db = await (await duckdb.DuckDBInstance.create(":memory:")).connect();
    const folder = mkdtempSync(path.join(tmpdir(), "sla-sample-"));
    await db.run("SET TimeZone = 'UTC'");
    await db.run("CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)");
    await db.run(`CREATE SCHEMA ${DATABASE}`);
    for (const definition of [INVENTORY_TABLES.instanceInformation, INVENTORY_TABLES.complianceSummary, INVENTORY_TABLES.complianceItem, SLA_HISTORY_TABLE]) {
        await loadTable(db, folder, definition, rows[definition.tableName] ?? []);
    }
    return { db, close: () => rmSync(folder, { recursive: true, force: true }) };
}
