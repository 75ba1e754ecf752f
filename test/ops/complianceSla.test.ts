import { strict as assert } from "node:assert";
import { patchSlaQuery } from "../../components/reporting/slaQueries";
import { SLA_DEFAULT_DAYS } from "../../stacks/config/schemaSla";
import { awsStub, runCli } from "./helpers";

const varchar = (...values: (string | null)[]) => ({ Data: values.map((value) => (value === null ? {} : { VarCharValue: value })) });
const QUERY = patchSlaQuery("patching_inventory_prod", SLA_DEFAULT_DAYS);
const NAMES = QUERY.outputColumns.map((c) => c.name);
const BREACH = ["222222222222", "eu-west-2", "i-0a000000000000001", "web-01", "Linux", "ALAS2023-2026-101", "kernel", "CRITICAL", "Important", "Missing", "2026-11-28T03:00:00Z", "8", "7", "-1", "BREACHING"];
const DUE = ["222222222222", "eu-west-2", "i-0a000000000000001", "web-01", "Linux", "ALAS2023-2026-102", "openssl", "CRITICAL", "Critical", "Missing", "2026-11-30T03:00:00Z", "6", "7", "1", "WILL_BREACH"];

function athenaReturning(rows: (string | null)[][]) {
    return awsStub((call) => {
        if (call.operation === "StartQueryExecution") return { QueryExecutionId: "q-sla" };
        if (call.operation === "GetQueryExecution") return { QueryExecution: { QueryExecutionId: "q-sla", Status: { State: "SUCCEEDED" } } };
        return { ResultSet: { Rows: [varchar(...NAMES), ...rows.map((row) => varchar(...row))], ResultSetMetadata: { ColumnInfo: NAMES.map((Name) => ({ Name, Type: "varchar" })) } } };
    });
}

describe("tools/ops compliance --sla (patch SLAs, issue 19 item 4)", () => {
    it("runs the patch-SLA query built from the stack's compliance.sla in the reporting workgroup, and prints CSV", async () => {
        const aws = athenaReturning([BREACH, DUE]);
        const result = await runCli(["compliance", "--stack", "prod", "--sla", "--format", "csv"], { athena: aws.athena });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, [NAMES.join(","), BREACH.join(","), DUE.join(","), ""].join("\n"));
        const start = aws.calls.find((c) => c.operation === "StartQueryExecution")?.body;
        assert.deepEqual([start?.QueryString, start?.WorkGroup, start?.QueryExecutionContext], [QUERY.sql, "patching-reporting-prod", { Catalog: "AwsDataCatalog", Database: "patching_inventory_prod" }]);
        assert.match(String(start?.QueryString), /WHEN 'CRITICAL' THEN 7 WHEN 'HIGH' THEN 30 WHEN 'MEDIUM' THEN 90 WHEN 'LOW' THEN 180 END/);
    });

    it("prints a table titled with the query and its row count, and JSON with named columns", async () => {
        const table = await runCli(["compliance", "--stack", "prod", "--sla"], { athena: athenaReturning([BREACH]).athena });
        assert.equal(table.code, 0, table.stderr);
        assert.equal(table.stdout.split("\n")[0], `${QUERY.name}: ${QUERY.description} (1 row)`);
        const json = await runCli(["compliance", "--stack", "prod", "--sla", "--format", "json"], { athena: athenaReturning([DUE]).athena });
        const printed = JSON.parse(json.stdout);
        assert.deepEqual([printed.queries[0].key, printed.queries[0].rows[0].sla_status, printed.queries[0].rows[0].days_left], ["patch-sla", "WILL_BREACH", "1"]);
    });

    it("refuses --sla with --azure or --query (exit 2, one line), before any AWS call", async () => {
        const aws = athenaReturning([]);
        for (const extra of [["--azure"], ["--query", "non-compliant-nodes"]]) {
            const result = await runCli(["compliance", "--stack", "prod", "--sla", ...extra], { athena: aws.athena });
            assert.deepEqual([result.code, result.stdout], [2, ""]);
            assert.match(result.stderr, new RegExp(`^ops: --sla runs the patch-SLA query alone; drop ${extra[0]}\\n$`));
        }
        assert.equal(aws.calls.length, 0);
    });
});
