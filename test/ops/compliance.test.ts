import { strict as assert } from "node:assert";
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, ListQueryExecutionsCommand } from "@aws-sdk/client-athena";
import { reportingQueries } from "../../components/reporting/reportingQueries";
import { sdkAthena } from "../../tools/ops/clients";
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from "../../tools/moto";
import { AwsErrorReply, awsStub, runCli } from "./helpers";

const WORKGROUP = "patching-reporting-prod";
const DATABASE = "patching_inventory_prod";
/** What the prod stack's ComplianceReporting holds: the same builder, the same options. */
const QUERIES = reportingQueries({ database: DATABASE, patchGroupTagKey: "Patch Group", notReportingDays: 7 });
const varchar = (...values: (string | null)[]) => ({ Data: values.map((value) => (value === null ? {} : { VarCharValue: value })) });
const columnInfo = (names: readonly string[]) => names.map((Name) => ({ CatalogName: "hive", SchemaName: "", TableName: "", Name, Label: Name, Type: "varchar", Precision: 0, Scale: 0, Nullable: "UNKNOWN", CaseSensitive: true }));

/** Athena's first result row of a SELECT is the header; then the data rows. */
function resultFor(names: readonly string[], rows: (string | null)[][]) {
    return { rows: [varchar(...names), ...rows.map((row) => varchar(...row))], column_info: columnInfo(names) };
}

const NON_COMPLIANT_ROW = ["222222222222", "eu-west-2", "i-0f1e2d3c4b5a69788", "web-01", "Amazon Linux", "Linux", "CRITICAL", "2", null, "2026-01-01T02:10:00Z"];

describe("tools/ops compliance against moto_server (Athena emulator on loopback)", function () {
    this.timeout(60_000);
    let moto: MotoServer;
    const athenaAtMoto = (options: object) => sdkAthena({ ...options, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });

    before(async () => {
        moto = await startMoto();
        // Each GetQueryExecution moves a query one state on (QUEUED → RUNNING → SUCCEEDED), so polling is exercised.
        await fetch(`${moto.endpoint}/moto-api/state-manager/set-transition`, { method: "POST", body: JSON.stringify({ model_name: "athena::execution", transition: { progression: "manual", times: 1 } }) });
        const client = new AthenaClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
        await client.send(new CreateWorkGroupCommand({ Name: WORKGROUP, Configuration: { EnforceWorkGroupConfiguration: true, ResultConfiguration: { OutputLocation: "s3://patching-athena-results-111111111111-us-east-1/" } } }));
    });
    after(async () => moto?.stop());

    async function queueResults(results: object[]): Promise<void> {
        const response = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, { method: "POST", body: JSON.stringify({ account_id: "123456789012", region: "us-east-1", results }) });
        assert.equal(response.status, 201);
    }

    it("runs every named query in the reporting workgroup and database and prints JSON", async () => {
        await queueResults([resultFor(QUERIES[0].outputColumns.map((c) => c.name), [NON_COMPLIANT_ROW]), resultFor(QUERIES[1].outputColumns.map((c) => c.name), []), resultFor(["x"], []), resultFor(["x"], [])]);
        const result = await runCli(["compliance", "--stack", "prod", "--format", "json"], { athena: athenaAtMoto });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.clients, [{ region: "us-east-1" }]);
        assert.deepEqual(result.sleeps, [250, 250, 250, 250], "each query was RUNNING once before SUCCEEDED");
        const printed = JSON.parse(result.stdout);
        assert.deepEqual([printed.stack, printed.workgroup, printed.database], ["prod", WORKGROUP, DATABASE]);
        assert.deepEqual(printed.queries.map((q: { key: string; rows: unknown[] }) => [q.key, q.rows.length]), [
            ["non-compliant-nodes", 1],
            ["missing-critical-patches", 0],
            ["nodes-not-reporting", 0],
            ["inventory-by-os-and-patch-group", 0],
        ]);
        assert.deepEqual(printed.queries[0].rows[0], Object.fromEntries(QUERIES[0].outputColumns.map((c, i) => [c.name, NON_COMPLIANT_ROW[i]])));
        // What moto received: exactly the named queries' SQL, in the workgroup.
        const client = new AthenaClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
        const ids = (await client.send(new ListQueryExecutionsCommand({ WorkGroup: WORKGROUP }))).QueryExecutionIds ?? [];
        const sent = await Promise.all(ids.map(async (id) => (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution));
        assert.deepEqual(sent.map((q) => q?.Query).sort(), QUERIES.map((q) => q.sql).sort());
        assert.ok(sent.every((q) => q?.WorkGroup === WORKGROUP && q.QueryExecutionContext?.Database === DATABASE));
    });

    it("prints one query as a table and as CSV (NULL as an empty field, RFC 4180 quoting)", async () => {
        const names = QUERIES[0].outputColumns.map((c) => c.name);
        const quoted = [...NON_COMPLIANT_ROW.slice(0, 3), 'web "blue", 01', ...NON_COMPLIANT_ROW.slice(4)];
        await queueResults([resultFor(names, [quoted]), resultFor(names, [quoted])]);
        const csv = await runCli(["compliance", "--stack", "prod", "--query", "non-compliant-nodes", "--format", "csv"], { athena: athenaAtMoto });
        assert.deepEqual([csv.code, csv.stdout], [0, `${names.join(",")}\n222222222222,eu-west-2,i-0f1e2d3c4b5a69788,"web ""blue"", 01",Amazon Linux,Linux,CRITICAL,2,,2026-01-01T02:10:00Z\n`]);
        const table = await runCli(["compliance", "--stack", "prod", "--query", "patching-non-compliant-nodes"], { athena: athenaAtMoto });
        const lines = table.stdout.split("\n");
        assert.equal(lines[0], `patching-non-compliant-nodes: ${QUERIES[0].description} (1 row)`);
        assert.match(lines[2], /^│ accountid +│ region +│ resourceid +│ computername +│/);
        assert.match(lines[4], /^│ 222222222222 +│ eu-west-2 +│ i-0f1e2d3c4b5a69788 +│ web "blue", 01 +│/);
    });
});

describe("tools/ops compliance against a replayed Athena transport", () => {
    it("follows GetQueryResults pages (header on the first page only) and waits for the query", async () => {
        let polls = 0;
        const aws = awsStub((call) => {
            if (call.operation === "StartQueryExecution") return { QueryExecutionId: "q-1" };
            if (call.operation === "GetQueryExecution") return { QueryExecution: { QueryExecutionId: "q-1", Status: { State: ++polls < 3 ? "RUNNING" : "SUCCEEDED" } } };
            const names = ["platformtype", "nodes"];
            return call.body.NextToken === undefined
                ? { ResultSet: { Rows: [varchar(...names), varchar("Linux", "7")], ResultSetMetadata: { ColumnInfo: columnInfo(names) } }, NextToken: "page-2" }
                : { ResultSet: { Rows: [varchar("Windows", "3")], ResultSetMetadata: { ColumnInfo: columnInfo(names) } } };
        });
        const result = await runCli(["compliance", "--stack", "dev", "--query", "inventory-by-os-and-patch-group", "--format", "csv"], { athena: aws.athena });
        assert.deepEqual([result.code, result.stdout, result.sleeps], [0, "platformtype,nodes\nLinux,7\nWindows,3\n", [250, 500]]);
        const { ClientRequestToken: token, ...start } = aws.calls[0].body;
        assert.match(String(token), /^[0-9a-f-]{36}$/, "the SDK's idempotency token");
        assert.deepEqual({ ...aws.calls[0], body: start }, {
            host: "athena.us-west-2.amazonaws.com",
            operation: "StartQueryExecution",
            body: {
                QueryString: reportingQueries({ database: "patching_inventory_dev", patchGroupTagKey: "Patch Group", notReportingDays: 7 })[3].sql,
                QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: "patching_inventory_dev" },
                WorkGroup: "patching-reporting-dev",
            },
        });
        assert.deepEqual(aws.calls.filter((c) => c.operation === "GetQueryResults").map((c) => c.body), [{ QueryExecutionId: "q-1" }, { QueryExecutionId: "q-1", NextToken: "page-2" }]);
    });

    it("exits 1 with Athena's reason when a query fails, and on an API error", async () => {
        const failing = awsStub((call) =>
            call.operation === "StartQueryExecution" ? { QueryExecutionId: "q-2" } : { QueryExecution: { Status: { State: "FAILED", StateChangeReason: "TABLE_NOT_FOUND: line 3:6: Table 'patching_inventory_dev.aws_complianceitem' does not exist" } } },
        );
        const failed = await runCli(["compliance", "--stack", "dev", "--query", "missing-critical-patches"], { athena: failing.athena });
        assert.deepEqual([failed.code, failed.stdout, failed.stderr], [1, "", "ops: Athena query patching-missing-critical-and-security-patches (q-2) FAILED: TABLE_NOT_FOUND: line 3:6: Table 'patching_inventory_dev.aws_complianceitem' does not exist\n"]);
        const denied = awsStub(() => new AwsErrorReply(400, "InvalidRequestException", "WorkGroup patching-reporting-dev is not found."));
        const error = await runCli(["compliance", "--stack", "dev"], { athena: denied.athena });
        assert.deepEqual([error.code, error.stderr], [1, "ops: InvalidRequestException: WorkGroup patching-reporting-dev is not found.\n"]);
    });
});
