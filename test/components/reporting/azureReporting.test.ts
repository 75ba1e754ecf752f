import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Parser } from "node-sql-parser";
import { AZURE_VM_INVENTORY } from "../../../components/inventory/azureVmInventoryDocument";
import { AZURE_VM_TABLE, azureComplianceView, azureReportingQueries, glueViewInput, nonCompliantAzureVms } from "../../../components/reporting/azureReportingTables";
import { ATHENA_NAME, ATHENA_SELECT_RESERVED_WORDS, glueTableInput, INVENTORY_TABLES, PARTITION_KEYS, type InventoryTableDefinition } from "../../../components/reporting/reportingTables";
import { apiProblems } from "../inventory/apiValidation";

const DATABASE = "patching_inventory_prod";
const VIEW = azureComplianceView(DATABASE);
const QUERY = nonCompliantAzureVms(DATABASE);

describe("components/reporting Azure: the Custom:AzureVm table", () => {
    it("declares every attribute the script writes, lowercased as the SerDe reads them, plus the sync's keys, each once", () => {
        const names = AZURE_VM_TABLE.columns.map((c) => c.name);
        assert.deepEqual(names, [...AZURE_VM_INVENTORY.attributes.map((a) => a.toLowerCase()), "resourceid", "capturetime", "schemaversion"]);
        // An attribute named ResourceId would be a second `resourceid` next to the sync's node id.
        assert.equal(new Set(names).size, names.length, "a column twice: an attribute collides with a key Resource Data Sync adds");
        assert.deepEqual(names.filter((n) => (PARTITION_KEYS as readonly string[]).includes(n) || !ATHENA_NAME.test(n) || ATHENA_SELECT_RESERVED_WORDS.has(n)), []);
        assert.equal(AZURE_VM_TABLE.tableName, AZURE_VM_TABLE.typeName.toLowerCase().replace(":", "_"));
    });

    it("reads the same sync layout with the same partition projection as the AWS inventory tables", () => {
        const scope = { accountIds: ["222222222222", "111111111111"], regions: ["eu-west-2"] };
        const azure = glueTableInput(AZURE_VM_TABLE, "sync-bucket", "inventory", scope);
        const tag = glueTableInput(INVENTORY_TABLES.tag, "sync-bucket", "inventory", scope);
        assert.equal(azure.parameters["storage.location.template"], "s3://sync-bucket/inventory/${accountid}/Custom:AzureVm/accountid=${accountid}/region=${region}/resourcetype=${resourcetype}/");
        const withoutTemplate = (p: Record<string, string>) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== "storage.location.template"));
        assert.deepEqual(withoutTemplate(azure.parameters), withoutTemplate(tag.parameters));
        assert.deepEqual([azure.partitionKeys, azure.storageDescriptor.location, azure.storageDescriptor.serDeInfo], [tag.partitionKeys, tag.storageDescriptor.location, tag.storageDescriptor.serDeInfo]);
    });
});

const parser = new Parser();
const astOf = (sql: string) => parser.astify(sql, { database: "trino" }) as unknown as Record<string, unknown>;
const nameOf = (c: unknown): string => (typeof c === "string" ? c : String((c as { expr: { value: string } }).expr.value));

/** Unknown tables, undeclared columns and unknown aliases of a parsed query. */
function referenceProblems(sql: string, tables: readonly InventoryTableDefinition[]): string[] {
    const ast = astOf(sql);
    const byName = new Map(tables.map((t) => [t.tableName, t]));
    const aliases = new Map<string, InventoryTableDefinition>();
    const problems: string[] = [];
    for (const from of ast.from as { db: string | null; table: string; as: string | null }[]) {
        const table = byName.get(from.table);
        if (from.db !== DATABASE || table === undefined) {
            problems.push(`unknown table ${from.db}.${from.table}`);
        } else {
            aliases.set(from.as ?? from.table, table);
        }
    }
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) {
            node.forEach(visit);
        } else if (node !== null && typeof node === "object") {
            const n = node as { type?: string; table?: string | null; column?: unknown };
            if (n.type === "column_ref" && n.table) {
                const table = aliases.get(n.table);
                const name = nameOf(n.column);
                if (table === undefined) {
                    problems.push(`unknown alias ${n.table}`);
                } else if (!table.columns.some((c) => c.name === name) && !(PARTITION_KEYS as readonly string[]).includes(name)) {
                    problems.push(`${table.tableName} has no column ${name}`);
                }
            }
            Object.values(node).forEach(visit);
        }
    };
    visit(ast);
    return problems;
}

const selectNames = (sql: string) => (astOf(sql).columns as { as: string | null; expr: { type: string; column?: unknown } }[]).map((c) => c.as ?? (c.expr.type === "column_ref" ? nameOf(c.expr.column) : "?"));
const viewAsTable: InventoryTableDefinition = { typeName: "view", tableName: VIEW.name, columns: VIEW.columns.map((c) => ({ name: c.name, type: "string" })) };

/** A builder's table input in the Glue CreateTable API's names (the provider's serDeInfo is SerdeInfo on the wire). */
function glueRequest(input: ReturnType<typeof glueTableInput> | ReturnType<typeof glueViewInput>) {
    const sd = input.storageDescriptor as { columns: { name: string; type: string }[]; location?: string; inputFormat?: string; outputFormat?: string; serDeInfo: { name?: string; serializationLibrary?: string; parameters?: Record<string, string> } };
    const serde = sd.serDeInfo;
    return {
        DatabaseName: DATABASE,
        TableInput: {
            Name: input.name,
            Description: input.description,
            TableType: input.tableType,
            Parameters: input.parameters,
            ...("partitionKeys" in input ? { PartitionKeys: input.partitionKeys.map((k) => ({ Name: k.name, Type: k.type })) } : {}),
            ...("viewOriginalText" in input ? { ViewOriginalText: input.viewOriginalText, ViewExpandedText: input.viewExpandedText } : {}),
            StorageDescriptor: {
                Columns: sd.columns.map((c) => ({ Name: c.name, Type: c.type })),
                ...(sd.location === undefined ? {} : { Location: sd.location, InputFormat: sd.inputFormat, OutputFormat: sd.outputFormat }),
                SerdeInfo: {
                    ...(serde.name === undefined ? {} : { Name: serde.name }),
                    ...(serde.serializationLibrary === undefined ? {} : { SerializationLibrary: serde.serializationLibrary }),
                    ...(serde.parameters === undefined ? {} : { Parameters: serde.parameters }),
                },
            },
        },
    };
}

describe("components/reporting Azure: what Glue and Athena accept (botocore's models)", () => {
    it("the table and the view are valid CreateTable requests, the named query a valid CreateNamedQuery", () => {
        const scope = { accountIds: ["111111111111"], regions: ["eu-west-2"] };
        assert.deepEqual(apiProblems("glue", "CreateTable", glueRequest(glueTableInput(AZURE_VM_TABLE, "patching-inventory-sync-111111111111-us-east-1", "inventory", scope))), []);
        assert.deepEqual(apiProblems("glue", "CreateTable", glueRequest(glueViewInput(VIEW, DATABASE))), []);
        const named = { Name: QUERY.name, Description: QUERY.description, Database: DATABASE, QueryString: QUERY.sql, WorkGroup: "patching-reporting-prod" };
        assert.deepEqual(apiProblems("athena", "CreateNamedQuery", named), []);
        assert.equal(apiProblems("athena", "CreateNamedQuery", { ...named, Name: "x".repeat(129) }).length, 1, "the check can fail");
    });
});

describe("components/reporting Azure: the compliance view and the named query (pinned node-sql-parser, Trino)", () => {
    it("the view parses, references only declared tables and columns, and returns exactly its declared columns", () => {
        assert.deepEqual(referenceProblems(VIEW.sql, [AZURE_VM_TABLE, INVENTORY_TABLES.complianceSummary, INVENTORY_TABLES.instanceInformation]), []);
        assert.deepEqual(selectNames(VIEW.sql), VIEW.columns.map((c) => c.name));
        assert.match(VIEW.sql, /LEFT JOIN patching_inventory_prod\.aws_compliancesummary cs ON cs\.accountid = az\.accountid AND cs\.region = az\.region AND cs\.resourceid = az\.resourceid AND cs\.compliancetype = 'Patch'/);
        assert.ok(ATHENA_NAME.test(VIEW.name));
    });

    it("the named query parses, reads only the view's columns, and declares its output", () => {
        assert.deepEqual(referenceProblems(QUERY.sql, [viewAsTable]), []);
        assert.deepEqual(selectNames(QUERY.sql), QUERY.outputColumns.map((c) => c.name));
        assert.doesNotMatch(QUERY.sql, /[`;]/);
        assert.ok(QUERY.name.length <= 128 && QUERY.description.length <= 1024);
        assert.deepEqual(azureReportingQueries(DATABASE).map((q) => q.key), ["non-compliant-azure-vms"]);
        // The check can fail.
        assert.deepEqual(referenceProblems(QUERY.sql.replace("v.vmname,", "v.computername,"), [viewAsTable]), ["azure_vm_patch_compliance has no column computername"]);
    });

    it("stores the view the way Athena's CREATE VIEW does in Glue (Presto view: base64 JSON of SQL, schema and typed columns)", () => {
        const input = glueViewInput(VIEW, DATABASE);
        assert.deepEqual([input.tableType, input.parameters, input.viewExpandedText], ["VIRTUAL_VIEW", { presto_view: "true", comment: "Presto View" }, "/* Presto View */"]);
        const encoded = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(input.viewOriginalText)?.[1];
        assert.ok(encoded !== undefined, input.viewOriginalText);
        const definition = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
        assert.deepEqual(definition, { originalSql: VIEW.sql, catalog: "awsdatacatalog", schema: DATABASE, columns: VIEW.columns, runAsInvoker: true });
        assert.deepEqual(input.storageDescriptor.serDeInfo, {}, "present, as in the views Athena writes");
        assert.deepEqual(input.storageDescriptor.columns.filter((c) => c.type !== "string"), [
            { name: "noncompliant_critical", type: "int" },
            { name: "noncompliant_high", type: "int" },
        ]);
    });
});

/**
 * Resource Data Sync rows (JsonSerDe: one JSON object per line, the attributes plus resourceId,
 * captureTime and schemaVersion), lowercased the way the OpenX SerDe matches keys, with the
 * partition values their S3 folders give them.
 */
const PARTITION = { accountid: "111111111111", region: "eu-west-2", resourcetype: "ManagedInstanceInventory" };
const azureVm = (node: string, subscription: string, group: string, vm: string, vmId: string, tag: string) => ({
    SubscriptionId: subscription,
    ResourceGroup: group,
    VmName: vm,
    AzureResourceId: `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${vm}`,
    VmId: vmId,
    Location: "westeurope",
    VmSize: "Standard_D2s_v5",
    Image: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202409030",
    Tags: `Owner=platform;Patch Group=${tag}`,
    PatchGroupTag: tag,
    resourceId: node,
    captureTime: "2026-12-06T02:00:00Z",
    schemaVersion: "1.0",
});
const summary = (node: string, type: string, status: string, critical: string) => ({
    ComplianceType: type,
    PatchGroup: "Linux",
    PatchBaselineId: "pb-0123456789abcdef0",
    Status: status,
    OverallSeverity: status === "COMPLIANT" ? "UNSPECIFIED" : "CRITICAL",
    ExecutionId: "7b2c1d9e-3f4a-4b5c-8d6e-0f1a2b3c4d5e",
    ExecutionType: "Command",
    ExecutionTime: "2026-12-06T01:10:00Z",
    NonCompliantCriticalCount: critical,
    NonCompliantHighCount: "1",
    resourceId: node,
    captureTime: "2026-12-06T01:10:00Z",
    schemaVersion: "1.0",
});
const information = (node: string, status: string) => ({ AgentType: "amazon-ssm-agent", ComputerName: node, InstanceId: node, InstanceStatus: status, PlatformName: "Ubuntu", PlatformType: "Linux", ResourceType: "ManagedInstance", resourceId: node, captureTime: "2026-12-06T01:00:00Z", schemaVersion: "1.0" });
const SUB_A = "8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71";
const SUB_B = "0b6e4a2c-9d1f-4e3a-b5c7-2a8d6f0e1b93";
const SAMPLE: Record<string, object[]> = {
    [AZURE_VM_TABLE.tableName]: [
        azureVm("mi-0aaaaaaaaaaaaaaa1", SUB_A, "rg-web-prod", "web-01", "vm-1", "Linux"),
        azureVm("mi-0aaaaaaaaaaaaaaa2", SUB_A, "rg-web-prod", "web-02", "vm-2", "Linux"),
        azureVm("mi-0bbbbbbbbbbbbbbb3", SUB_B, "rg-db-prod", "db-01", "vm-3", "Linux"),
        // web-01's registration before a group move: deregistered, its file still in the bucket.
        azureVm("mi-0ccccccccccccccc9", SUB_A, "rg-web-prod", "web-01", "vm-1", "Linux"),
    ],
    [INVENTORY_TABLES.complianceSummary.tableName]: [
        summary("mi-0aaaaaaaaaaaaaaa1", "Patch", "NON_COMPLIANT", "2"),
        summary("mi-0aaaaaaaaaaaaaaa2", "Patch", "COMPLIANT", "0"),
        summary("mi-0aaaaaaaaaaaaaaa2", "Association", "NON_COMPLIANT", "0"),
        summary("mi-0ccccccccccccccc9", "Patch", "NON_COMPLIANT", "5"),
        summary("i-0f1e2d3c4b5a69788", "Patch", "NON_COMPLIANT", "3"),
    ],
    [INVENTORY_TABLES.instanceInformation.tableName]: [
        information("mi-0aaaaaaaaaaaaaaa1", "Active"),
        information("mi-0aaaaaaaaaaaaaaa2", "Active"),
        information("mi-0bbbbbbbbbbbbbbb3", "Active"),
        information("mi-0ccccccccccccccc9", "Terminated"),
        information("i-0f1e2d3c4b5a69788", "Active"),
    ],
};

/** @duckdb/node-api: from the project's dependencies, or where DUCKDB_NODE_API points (a local install). */
async function loadDuckDb(): Promise<{ DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckDbConnection> }> } } | undefined> {
    const target = process.env.DUCKDB_NODE_API ?? "@duckdb/node-api";
    try {
        return (await import(createRequire(__filename).resolve(target))) as never;
    } catch {
        return undefined;
    }
}
interface DuckDbConnection {
    run(sql: string): Promise<unknown>;
    runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[] }>;
}

describe("components/reporting Azure: the view and the named query run on DuckDB over Resource Data Sync rows", function () {
    this.timeout(60_000);
    let db: DuckDbConnection;
    let folder: string;

    before(async function () {
        const duckdb = await loadDuckDb();
        if (duckdb === undefined) {
            const declared = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")).devDependencies?.["@duckdb/node-api"];
            if (declared !== undefined) {
                throw new Error("@duckdb/node-api is a devDependency but does not load: run npm ci");
            }
            console.warn("  skipped: @duckdb/node-api is not installed (set DUCKDB_NODE_API to a local install)");
            this.skip();
        }
        db = await (await duckdb.DuckDBInstance.create(":memory:")).connect();
        folder = mkdtempSync(path.join(tmpdir(), "azure-reporting-"));
        await db.run(`CREATE SCHEMA ${DATABASE}`);
        for (const definition of [AZURE_VM_TABLE, INVENTORY_TABLES.complianceSummary, INVENTORY_TABLES.instanceInformation]) {
            const file = path.join(folder, `${definition.tableName}.json`);
            writeFileSync(file, SAMPLE[definition.tableName].map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v])))).join("\n"));
            const columns = definition.columns.map((c) => `'${c.jsonKey ?? c.name}': 'VARCHAR'`).join(", ");
            // Partition values come from the folder, not the row (AWS:InstanceInformation's own ResourceType is nodetype).
            const select = [...definition.columns.map((c) => `${c.jsonKey ?? c.name} AS ${c.name}`), ...PARTITION_KEYS.map((k) => `'${PARTITION[k]}' AS ${k}`)].join(", ");
            await db.run(`CREATE TABLE ${DATABASE}.${definition.tableName} AS SELECT ${select} FROM read_json('${file}', format = 'newline_delimited', columns = {${columns}})`);
        }
        await db.run(`CREATE VIEW ${DATABASE}.${VIEW.name} AS ${VIEW.sql}`);
    });
    after(() => folder !== undefined && rmSync(folder, { recursive: true, force: true }));

    it("the view has one row per live Azure node, with its Patch compliance (no EC2 node, no deregistered node)", async () => {
        const rows = (await db.runAndReadAll(`SELECT resourceid, vmname, compliance_status, noncompliant_critical FROM ${DATABASE}.${VIEW.name} ORDER BY resourceid`)).getRowObjects();
        assert.deepEqual(rows, [
            { resourceid: "mi-0aaaaaaaaaaaaaaa1", vmname: "web-01", compliance_status: "NON_COMPLIANT", noncompliant_critical: 2 },
            { resourceid: "mi-0aaaaaaaaaaaaaaa2", vmname: "web-02", compliance_status: "COMPLIANT", noncompliant_critical: 0 },
            { resourceid: "mi-0bbbbbbbbbbbbbbb3", vmname: "db-01", compliance_status: "NO_PATCH_DATA", noncompliant_critical: null },
        ]);
    });

    it("the named query lists the non-compliant and never-scanned VMs by subscription and resource group", async () => {
        const rows = (await db.runAndReadAll(QUERY.sql)).getRowObjects();
        assert.deepEqual(Object.keys(rows[0]), QUERY.outputColumns.map((c) => c.name));
        assert.deepEqual(
            rows.map((r) => [r.subscriptionid, r.resourcegroup, r.vmname, r.compliance_status]),
            [
                [SUB_B, "rg-db-prod", "db-01", "NO_PATCH_DATA"],
                [SUB_A, "rg-web-prod", "web-01", "NON_COMPLIANT"],
            ].sort((a, b) => a[0].localeCompare(b[0])),
        );
    });
});
