import { strict as assert } from "node:assert";
import { Parser } from "node-sql-parser";
import { complianceDigestQuery, patchSlaQuery, recordFirstMissingSql, slaHistoryTableInput, SLA_HISTORY_TABLE, slaQueries, validateSlaDays } from "../../../components/reporting/slaQueries";
import { SLA_DEFAULT_DAYS } from "../../../stacks/config/schemaSla";
import { apiProblems } from "../inventory/apiValidation";
import { ACCOUNT_A, ACCOUNT_B, DATABASE, sampleDatabase, type DuckDbConnection } from "./syncSample";

const SLA = { ...SLA_DEFAULT_DAYS };
const parser = new Parser();
const parse = (sql: string) => parser.astify(sql, { database: "trino" });

describe("components/reporting SLA queries: parsed by the pinned node-sql-parser (Trino) and accepted by Athena's API model", () => {
    it("the SLA query, the digest query and the history insert parse as Trino", () => {
        for (const sql of [patchSlaQuery(DATABASE, SLA).sql, complianceDigestQuery(DATABASE, SLA).sql, recordFirstMissingSql(DATABASE)]) {
            assert.doesNotThrow(() => parse(sql), sql);
            assert.doesNotMatch(sql, /[`;]/);
        }
        assert.throws(() => parse(patchSlaQuery(DATABASE, SLA).sql.replace("FROM open_patches", "FROM FROM open_patches")), "the check can fail");
    });

    it("are valid CreateNamedQuery requests, and the history table a valid Glue CreateTable", () => {
        for (const query of slaQueries(DATABASE, SLA)) {
            assert.deepEqual(apiProblems("athena", "CreateNamedQuery", { Name: query.name, Description: query.description, Database: DATABASE, QueryString: query.sql, WorkGroup: "patching-reporting-prod" }), [], query.key);
        }
        const input = slaHistoryTableInput("patching-athena-results-111111111111-eu-west-2");
        const sd = input.storageDescriptor;
        const request = {
            DatabaseName: DATABASE,
            TableInput: {
                Name: input.name,
                Description: input.description,
                TableType: input.tableType,
                Parameters: input.parameters,
                StorageDescriptor: { Columns: sd.columns.map((c) => ({ Name: c.name, Type: c.type })), Location: sd.location, InputFormat: sd.inputFormat, OutputFormat: sd.outputFormat, SerdeInfo: { Name: sd.serDeInfo.name, SerializationLibrary: sd.serDeInfo.serializationLibrary, Parameters: sd.serDeInfo.parameters } },
            },
        };
        assert.deepEqual(apiProblems("glue", "CreateTable", request), []);
        assert.equal(sd.location, "s3://patching-athena-results-111111111111-eu-west-2/sla-history/");
    });

    it("writes each configured SLA into the query, and none for a severity without one", () => {
        const sql = patchSlaQuery(DATABASE, { CRITICAL: 3, LOW: 120 }).sql;
        assert.match(sql, /CASE upper\(ci\.severity\) WHEN 'CRITICAL' THEN 3 WHEN 'LOW' THEN 120 END AS sla_days/);
        assert.match(patchSlaQuery(DATABASE, {}).sql, /CAST\(NULL AS integer\) AS sla_days/);
    });

    it("validateSlaDays names the severity, the value and what is allowed", () => {
        assert.doesNotThrow(() => validateSlaDays(SLA));
        assert.throws(() => validateSlaDays({ CRITICAL: 0 }), /^Error: sla\.CRITICAL 0 is not a whole number of days from 1 to 365$/);
        assert.throws(() => validateSlaDays({ IMPORTANT: 30 } as never), /sla\.IMPORTANT is not a compliance severity \(CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED\)/);
    });
});

describe("components/reporting SLA queries: run on DuckDB over Resource Data Sync rows", function () {
    this.timeout(60_000);
    let db: DuckDbConnection;
    let close: () => void;
    before(async () => ({ db, close } = await sampleDatabase()));
    after(() => close?.());

    it("lists breaching and will-breach patches per node and patch; boundary days 6/7/8 of a 7-day CRITICAL SLA", async () => {
        const query = patchSlaQuery(DATABASE, SLA);
        const rows = (await db.runAndReadAll(query.sql)).getRowObjects();
        assert.deepEqual(Object.keys(rows[0]), query.outputColumns.map((c) => c.name));
        assert.deepEqual(
            rows.map((r) => [r.accountid, r.resourceid, r.patch_id, r.severity, Number(r.days_missing), Number(r.sla_days), Number(r.days_left), r.sla_status]),
            [
                [ACCOUNT_A, "i-0a000000000000004", "KB7000007", "LOW", 200, 180, -20, "BREACHING"],
                [ACCOUNT_A, "i-0a000000000000001", "P1-critical-8d", "CRITICAL", 8, 7, -1, "BREACHING"],
                [ACCOUNT_B, "mi-0b000000000000001", "P9-high-31d", "HIGH", 31, 30, -1, "BREACHING"],
                [ACCOUNT_A, "i-0a000000000000001", "P2-critical-7d", "CRITICAL", 7, 7, 0, "WILL_BREACH"],
                [ACCOUNT_A, "i-0a000000000000001", "P3-critical-6d", "CRITICAL", 6, 7, 1, "WILL_BREACH"],
                // Not yet recorded by a digest: the clock starts at the scan that reported it (yesterday).
                [ACCOUNT_A, "i-0a000000000000003", "P6-critical-new", "CRITICAL", 1, 7, 6, "WILL_BREACH"],
            ],
        );
    });

    it("the digest counts live and non-compliant nodes, breaches and will-breach patches per account and patch group", async () => {
        const query = complianceDigestQuery(DATABASE, SLA);
        const rows = (await db.runAndReadAll(query.sql)).getRowObjects();
        assert.deepEqual(Object.keys(rows[0]), query.outputColumns.map((c) => c.name));
        assert.deepEqual(
            rows.map((r) => [r.accountid, r.patchgroup, ...["nodes", "noncompliant_nodes", "breaching_nodes", "breaching_patches", "will_breach_patches"].map((k) => Number(r[k]))]),
            [
                [ACCOUNT_A, "Linux", 3, 2, 1, 1, 3],
                [ACCOUNT_A, "Windows", 1, 1, 1, 1, 0],
                [ACCOUNT_B, "(none)", 1, 0, 0, 0, 0],
                [ACCOUNT_B, "Linux", 1, 1, 1, 1, 0],
            ],
        );
    });

    it("a shorter SLA moves patches from will-breach to breaching (the SLA comes from config)", async () => {
        const rows = (await db.runAndReadAll(complianceDigestQuery(DATABASE, { ...SLA, CRITICAL: 6 }).sql)).getRowObjects();
        const linux = rows.find((r) => r.accountid === ACCOUNT_A && r.patchgroup === "Linux");
        assert.deepEqual([Number(linux?.breaching_patches), Number(linux?.will_breach_patches)], [2, 2]);
    });

    it("records each open patch's first sighting once: new ones only, and nothing on a second run", async () => {
        const count = async () => Number((await db.runAndReadAll(`SELECT COUNT(*) AS n FROM ${DATABASE}.${SLA_HISTORY_TABLE.tableName}`)).getRowObjects()[0].n);
        const before = await count();
        await db.run(recordFirstMissingSql(DATABASE));
        const added = (await db.runAndReadAll(`SELECT resourceid, patch_id FROM ${DATABASE}.${SLA_HISTORY_TABLE.tableName} ORDER BY resourceid, patch_id`)).getRowObjects();
        assert.equal((await count()) - before, 2);
        assert.ok(added.some((r) => r.patch_id === "P5-medium-new") && added.some((r) => r.patch_id === "P6-critical-new"));
        await db.run(recordFirstMissingSql(DATABASE));
        assert.equal((await count()) - before, 2, "idempotent");
    });
});
