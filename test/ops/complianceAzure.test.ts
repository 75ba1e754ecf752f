import { strict as assert } from "node:assert";
import { nonCompliantAzureVms } from "../../components/reporting/azureReportingTables";
import { awsStub, runCli } from "./helpers";

const varchar = (...values: string[]) => ({ Data: values.map((value) => ({ VarCharValue: value })) });
const QUERY = nonCompliantAzureVms("patching_inventory_prod");

describe("tools/ops compliance --azure", () => {
    function athena() {
        return awsStub((call) => {
            if (call.operation === "StartQueryExecution") return { QueryExecutionId: "q-az" };
            if (call.operation === "GetQueryExecution") return { QueryExecution: { QueryExecutionId: "q-az", Status: { State: "SUCCEEDED" } } };
            const names = QUERY.outputColumns.map((c) => c.name);
            const row = ["8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71", "rg-web-prod", "web-01", "westeurope", "mi-0aaaaaaaaaaaaaaa1", "111111111111", "eu-west-2", "Linux", "Linux", "NON_COMPLIANT", "CRITICAL", "2", "1", "2026-12-06T01:10:00Z"];
            return { ResultSet: { Rows: [varchar(...names), varchar(...row)], ResultSetMetadata: { ColumnInfo: names.map((Name) => ({ Name, Type: "varchar" })) } } };
        });
    }

    it("runs the named query 'non-compliant Azure VMs by subscription and resource group' in the reporting workgroup", async () => {
        const aws = athena();
        const result = await runCli(["compliance", "--stack", "prod", "--azure", "--format", "csv"], { athena: aws.athena });
        assert.equal(result.code, 0, result.stderr);
        const starts = aws.calls.filter((c) => c.operation === "StartQueryExecution");
        assert.deepEqual(starts.map((c) => [c.body.QueryString, c.body.WorkGroup]), [[QUERY.sql, "patching-reporting-prod"]]);
        assert.deepEqual(result.stdout.split("\n").slice(0, 2), [QUERY.outputColumns.map((c) => c.name).join(","), "8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71,rg-web-prod,web-01,westeurope,mi-0aaaaaaaaaaaaaaa1,111111111111,eu-west-2,Linux,Linux,NON_COMPLIANT,CRITICAL,2,1,2026-12-06T01:10:00Z"]);
    });

    it("finds it by key with --query too, and leaves the default run to the fleet-wide queries", async () => {
        const aws = athena();
        const byKey = await runCli(["compliance", "--stack", "prod", "--query", "non-compliant-azure-vms", "--format", "json"], { athena: aws.athena });
        assert.equal(byKey.code, 0, byKey.stderr);
        assert.deepEqual(JSON.parse(byKey.stdout).queries.map((q: { key: string }) => q.key), ["non-compliant-azure-vms"]);
        const wrong = await runCli(["compliance", "--stack", "prod", "--azure", "--query", "non-compliant-nodes"]);
        assert.equal(wrong.code, 2);
        assert.match(wrong.stderr, /^ops: --query: "non-compliant-nodes" is not a named query \(queries: non-compliant-azure-vms\)/);
    });
});
