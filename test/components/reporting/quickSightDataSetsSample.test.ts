import { strict as assert } from "node:assert";
import { AZURE_VM_TABLE } from "../../../components/reporting/azureReportingTables";
import { dashboardDataSets, type QuickSightDataSetSpec } from "../../../components/reporting/quickSightDataSets";
import { ACCOUNT_A, ACCOUNT_B, DATABASE, daysAgo, sampleDatabase, sampleRows, type DuckDbConnection } from "./syncSample";

/** Days since each node last turned non-compliant (AWS:ComplianceSummary LastComplianceStateModifiedTime). */
const TURNED_NON_COMPLIANT: Record<string, number> = { "i-0a000000000000001": 10, "i-0a000000000000003": 2, "i-0a000000000000004": 200, "mi-0b000000000000001": 31 };

const dataSet = (azure: boolean, key: string): QuickSightDataSetSpec => {
    const found = dashboardDataSets({ database: DATABASE, patchGroupTagKey: "Patch Group", notReportingDays: 7, azure }).find((d) => d.key === key);
    assert.ok(found, key);
    return found;
};

const plain = (rows: Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));

/**
 * Issue 19 item 6 for the dashboard: the data sets' SQL (unchanged Athena text) runs on DuckDB over
 * the shared Resource Data Sync sample (syncSample.ts: 7 nodes in 2 accounts, one terminated), and
 * the numbers the visuals aggregate are asserted.
 */
describe("components/reporting QuickSight data sets on the Resource Data Sync sample (DuckDB)", function () {
    this.timeout(60_000);
    let db: DuckDbConnection;
    let close: () => void;
    const query = async (sql: string) => plain((await db.runAndReadAll(sql)).getRowObjects());

    before(async () => {
        const rows = sampleRows();
        rows["aws_compliancesummary"] = rows["aws_compliancesummary"].map((r) => ({ ...r, row: { ...r.row, LastComplianceStateModifiedTime: daysAgo(TURNED_NON_COMPLIANT[r.row.resourceId] ?? 0) } }));
        ({ db, close } = await sampleDatabase(rows));
        // The Azure inventory of the one hybrid node that is an Azure VM (the join reads only the node keys).
        await db.run(`CREATE TABLE ${DATABASE}.${AZURE_VM_TABLE.tableName} AS SELECT '${ACCOUNT_B}' AS accountid, 'eu-west-2' AS region, 'mi-0b000000000000001' AS resourceid`);
    });
    after(() => close?.());

    it("node-compliance: one row per live node, compliance % per account, and the cloud split with and without the Azure table", async () => {
        for (const azure of [false, true]) {
            const sql = dataSet(azure, "node-compliance").sql;
            const rows = await query(sql);
            assert.equal(rows.length, 5, "the terminated node's leftover summary is not counted");
            assert.ok(rows.every((r) => r.scan_time !== null));
            const byAccount = await query(`SELECT accountid, AVG(compliant_pct) AS pct FROM (${sql}) GROUP BY accountid ORDER BY accountid`);
            assert.deepEqual(byAccount, [
                { accountid: ACCOUNT_A, pct: 25 },
                { accountid: ACCOUNT_B, pct: 0 },
            ]);
            const byCloud = await query(`SELECT cloud, COUNT(DISTINCT resourceid) AS nodes FROM (${sql}) GROUP BY cloud ORDER BY cloud`);
            assert.deepEqual(byCloud, [
                { cloud: "AWS", nodes: 4 },
                { cloud: azure ? "Azure" : "Other hybrid", nodes: 1 },
            ]);
        }
    });

    it("missing-critical-patches: the missing or failed Critical/Security patches of live nodes", async () => {
        const rows = await query(`SELECT resourceid, COUNT(DISTINCT patch_id) AS patches FROM (${dataSet(false, "missing-critical-patches").sql}) GROUP BY resourceid ORDER BY resourceid`);
        assert.deepEqual(rows, [
            { resourceid: "i-0a000000000000001", patches: 4 },
            { resourceid: "i-0a000000000000003", patches: 2 },
            { resourceid: "i-0a000000000000004", patches: 2 },
            { resourceid: "mi-0b000000000000001", patches: 1 },
        ]);
    });

    it("patch-age: oldest and average age per severity, installed patches and terminated nodes left out", async () => {
        const rows = await query(`SELECT severity, COUNT(*) AS patches, MAX(age_days) AS oldest, AVG(age_days) AS average FROM (${dataSet(false, "patch-age").sql}) GROUP BY severity ORDER BY severity`);
        assert.deepEqual(rows, [
            { severity: "CRITICAL", patches: 4, oldest: 10, average: 8 },
            { severity: "HIGH", patches: 2, oldest: 31, average: 20.5 },
            { severity: "INFORMATIONAL", patches: 1, oldest: 200, average: 200 },
            { severity: "LOW", patches: 1, oldest: 200, average: 200 },
            { severity: "MEDIUM", patches: 1, oldest: 2, average: 2 },
        ]);
    });
});
