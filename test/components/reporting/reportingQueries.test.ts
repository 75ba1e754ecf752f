import { strict as assert } from "node:assert";
import { Parser } from "node-sql-parser";
import { reportingQueries, reportingReaderPolicy, sqlIdentifier, sqlString } from "../../../components/reporting/reportingQueries";
import {
    ATHENA_NAME,
    ATHENA_SELECT_RESERVED_WORDS,
    column,
    glueTableInput,
    INVENTORY_TABLE_IDS,
    INVENTORY_TABLES,
    partitionLocationTemplate,
    PARTITION_KEYS,
    projectionParameters,
    serdeParameters,
    type InventoryTableDefinition,
} from "../../../components/reporting/reportingTables";

const CENTRAL = "111111111111";
const DATA_BUCKET = `patching-inventory-sync-${CENTRAL}-eu-west-2`;
const SCOPE = { accountIds: ["333333333333", CENTRAL, "222222222222"], regions: ["us-east-1", "eu-west-2"] };
const DATABASE = "patching_inventory_prod_eu";
const QUERIES = reportingQueries({ database: DATABASE, patchGroupTagKey: "Patch Group", notReportingDays: 7 });
/**
 * A key exactly as Resource Data Sync writes it (SSM walkthrough layout, AWS sample data) for a
 * sync whose S3 prefix is the account's folder `inventory/123456789012` (issue 14, M4).
 */
const SAMPLE_KEY = "inventory/123456789012/AWS:ComplianceItem/accountid=123456789012/region=us-east-2/resourcetype=ManagedInstanceInventory/i-00620f2f8c6de45ff.json";

/**
 * The partitions Athena reads a key in: every combination of projected values whose resolved
 * template is a folder the key lies under (Athena substitutes each `${column}` occurrence).
 */
function partitionsReading(parameters: Record<string, string>, url: string): Record<string, string>[] {
    let combos: Record<string, string>[] = [{}];
    for (const key of PARTITION_KEYS) {
        combos = combos.flatMap((combo) => parameters[`projection.${key}.values`].split(",").map((value) => ({ ...combo, [key]: value })));
    }
    return combos.filter((combo) => url.startsWith(parameters["storage.location.template"].replace(/\$\{([a-z]+)\}/g, (_, key: string) => combo[key])));
}

/** Attributes per type from the SSM user guide's "Metadata collected by inventory" (lowercased by the SerDe). */
const DOCUMENTED: Record<string, string[]> = {
    "AWS:ComplianceItem": "compliancetype executionid executiontype executiontime id title status severity documentname documentversion classification patchbaselineid patchseverity patchstate patchgroup installedtime".split(" "),
    "AWS:ComplianceSummary": "compliancetype patchgroup patchbaselineid status overallseverity executionid executiontype executiontime compliantcriticalcount noncompliantcriticalcount noncompliantunspecifiedcount lastcompliancestatemodifiedtime".split(" "),
    "AWS:InstanceInformation": "agenttype agentversion computername iamrole instanceid ipaddress platformname platformtype platformversion".split(" "),
    "AWS:Application": "name applicationtype publisher version installedtime architecture url summary packageid release epoch".split(" "),
    "AWS:PatchSummary": "patchgroup baselineid snapshotid ownerinformation installedcount installedothercount notapplicablecount missingcount failedcount operationtype operationstarttime operationendtime".split(" "),
    "AWS:Tag": ["key", "value"],
};

describe("components/reportingTables: tables over the Resource Data Sync layout", () => {
    const tables: InventoryTableDefinition[] = INVENTORY_TABLE_IDS.map((id) => INVENTORY_TABLES[id]);

    it("covers the documented attributes of each reported type, plus the keys every synced row carries", () => {
        assert.deepEqual(tables.map((t) => t.typeName).sort(), Object.keys(DOCUMENTED).sort());
        for (const table of tables) {
            const names = table.columns.map((c) => c.name);
            for (const expected of [...DOCUMENTED[table.typeName], "resourceid", "capturetime", "schemaversion"]) {
                assert.ok(names.includes(expected), `${table.tableName} lacks ${expected}`);
            }
        }
    });

    it("uses names Athena accepts: the crawler's table names, lowercase columns, no reserved words, no duplicates", () => {
        for (const table of tables) {
            assert.equal(table.tableName, table.typeName.toLowerCase().replace(":", "_"), "AWS's sample SQL uses aws_<type>");
            const names = [table.tableName, ...table.columns.map((c) => c.name)];
            assert.deepEqual(names.filter((n) => !ATHENA_NAME.test(n) || ATHENA_SELECT_RESERVED_WORDS.has(n)), [], table.tableName);
            assert.equal(new Set(names).size, names.length, `${table.tableName} repeats a column`);
            assert.ok(table.columns.every((c) => c.type === "string"), "inventory content is a string map");
        }
    });

    it("never declares a data column named like a partition key (the crawler's resourcetype collision)", () => {
        for (const table of tables) {
            assert.deepEqual(table.columns.filter((c) => (PARTITION_KEYS as readonly string[]).includes(c.name)), [], table.tableName);
        }
        const nodeType = INVENTORY_TABLES.instanceInformation.columns.find((c) => c.name === "nodetype");
        assert.deepEqual(nodeType, { name: "nodetype", type: "string", jsonKey: "resourcetype" });
        assert.deepEqual(serdeParameters(INVENTORY_TABLES.instanceInformation), { "serialization.format": "1", "mapping.nodetype": "resourcetype" });
        assert.deepEqual(serdeParameters(INVENTORY_TABLES.tag), { "serialization.format": "1" });
    });

    it("projects every partition key as an enum, sorted and unique, and nothing else", () => {
        const parameters = projectionParameters(partitionLocationTemplate("b", "inventory", "AWS:Tag"), SCOPE);
        assert.deepEqual(parameters, {
            EXTERNAL: "TRUE",
            classification: "json",
            "projection.enabled": "true",
            "projection.accountid.type": "enum",
            "projection.accountid.values": "111111111111,222222222222,333333333333",
            "projection.region.type": "enum",
            "projection.region.values": "eu-west-2,us-east-1",
            "projection.resourcetype.type": "enum",
            "projection.resourcetype.values": "ManagedInstanceInventory",
            "storage.location.template": "s3://b/inventory/${accountid}/AWS:Tag/accountid=${accountid}/region=${region}/resourcetype=${resourcetype}/",
        });
        const projected = new Set(Object.keys(parameters).flatMap((key) => /^projection\.([^.]+)\./.exec(key)?.[1] ?? []));
        assert.deepEqual([...projected], [...PARTITION_KEYS]);
        const placeholders = [...parameters["storage.location.template"].matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
        assert.deepEqual(placeholders, ["accountid", ...PARTITION_KEYS], "the account's folder first, then each key in path order");
        assert.equal(projectionParameters("s3://b/p/T/", { accountIds: [CENTRAL, CENTRAL], regions: ["eu-west-2"] })["projection.accountid.values"], CENTRAL);
    });

    it("has a storage.location.template that resolves a real data-sync key to its own partition only", () => {
        const table = glueTableInput(INVENTORY_TABLES.complianceItem, "sync-bucket", "inventory", { accountIds: ["123456789012", "210987654321"], regions: ["us-east-2"] });
        assert.equal(table.storageDescriptor.location, "s3://sync-bucket/inventory/");
        assert.deepEqual(partitionsReading(table.parameters, `s3://sync-bucket/${SAMPLE_KEY}`), [{ accountid: "123456789012", region: "us-east-2", resourcetype: "ManagedInstanceInventory" }]);
        assert.deepEqual(table.partitionKeys, PARTITION_KEYS.map((name) => ({ name, type: "string" })));
        assert.equal(table.storageDescriptor.serDeInfo.serializationLibrary, "org.openx.data.jsonserde.JsonSerDe");
        assert.equal(table.tableType, "EXTERNAL_TABLE");
    });

    it("reads no key an account writes with another account's accountid= into that account's partition (issue 14, M4)", () => {
        const [A, B] = ["123456789012", "210987654321"];
        const table = glueTableInput(INVENTORY_TABLES.complianceItem, "sync-bucket", "inventory", { accountIds: [A, B], regions: ["us-east-2"] });
        const inB = (key: string) => partitionsReading(table.parameters, `s3://sync-bucket/${key}`).some((p) => p.accountid === B);
        const folderOfB = `AWS:ComplianceItem/accountid=${B}/region=us-east-2/resourcetype=ManagedInstanceInventory`;
        // The key the old policy let A write (`inventory/*/accountid=A/*`, the * spanning "/"), and
        // A's own folder claiming to be B: neither is in B's partition now.
        assert.equal(inB(`inventory/${folderOfB}/accountid=${A}/i-0forged.json`), false);
        assert.equal(inB(`inventory/${A}/${folderOfB}/i-0forged.json`), false);
        assert.equal(inB(`inventory/${B}/${folderOfB}/i-0real.json`), true, "B's own sync");
        // The template this replaces read the first key as B's data.
        const old = { ...table.parameters, "storage.location.template": `s3://sync-bucket/inventory/${folderOfB.replace(B, "${accountid}").replace("us-east-2", "${region}").replace("ManagedInstanceInventory", "${resourcetype}")}/` };
        assert.equal(partitionsReading(old, `s3://sync-bucket/inventory/${folderOfB}/accountid=${A}/i-0forged.json`).some((p) => p.accountid === B), true);
    });

    it("refuses a column a table does not declare", () => {
        assert.equal(column("tag", "accountid"), "accountid");
        assert.throws(() => column("tag", "instancestatus"), /^Error: aws_tag has no column instancestatus$/);
    });
});

const parser = new Parser();
/** Trino is the dialect of Athena engine version 3; node-sql-parser's "athena" grammar is Presto-era. */
const astOf = (sql: string) => parser.astify(sql, { database: "trino" }) as unknown as Record<string, unknown>;
const nameOf = (c: unknown): string => (typeof c === "string" ? c : String((c as { expr: { value: string } }).expr.value));

/** Every problem with a query's references: unknown tables, undeclared columns, unknown aliases. */
function referenceProblems(sql: string, database: string): string[] {
    const ast = astOf(sql);
    const byName = new Map<string, InventoryTableDefinition>(INVENTORY_TABLE_IDS.map((id) => [INVENTORY_TABLES[id].tableName, INVENTORY_TABLES[id]]));
    const aliases = new Map<string, InventoryTableDefinition>();
    const problems: string[] = [];
    for (const from of ast.from as { db: string | null; table: string; as: string | null }[]) {
        const table = byName.get(from.table);
        if (from.db !== database || table === undefined) {
            problems.push(`unknown table ${from.db}.${from.table}`);
        } else {
            aliases.set(from.as ?? from.table, table);
        }
    }
    const outputs = (ast.columns as { as: string | null }[]).map((c) => c.as).filter((a): a is string => a !== null);
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) {
            node.forEach(visit);
        } else if (node !== null && typeof node === "object") {
            const n = node as { type?: string; table?: string | null; column?: unknown };
            if (n.type === "column_ref" && nameOf(n.column) !== "*") {
                const name = nameOf(n.column);
                const table = n.table ? aliases.get(n.table) : undefined;
                if (n.table && table === undefined) {
                    problems.push(`unknown alias ${n.table}`);
                } else if (table && !table.columns.some((c) => c.name === name) && !(PARTITION_KEYS as readonly string[]).includes(name)) {
                    problems.push(`${table.tableName} has no column ${name}`);
                } else if (!n.table && !outputs.includes(name)) {
                    problems.push(`unqualified ${name} is not an output column`);
                }
            }
            Object.values(node).forEach(visit);
        }
    };
    visit(ast);
    return problems;
}

describe("components/reportingQueries: the named queries", () => {
    it("are the four reports, with stable keys and unique names", () => {
        assert.deepEqual(QUERIES.map((q) => q.key), ["non-compliant-nodes", "missing-critical-patches", "nodes-not-reporting", "inventory-by-os-and-patch-group"]);
        assert.equal(new Set(QUERIES.map((q) => q.name)).size, 4);
        assert.ok(QUERIES.every((q) => q.name.length <= 128 && q.description.length <= 1024));
    });

    for (const query of QUERIES) {
        it(`${query.key}: parses as Trino SQL and references only declared tables and columns`, () => {
            assert.deepEqual(referenceProblems(query.sql, DATABASE), []);
            assert.doesNotMatch(query.sql, /[`;]/, "Athena DML rejects backticks; a named query is one statement");
        });

        it(`${query.key}: declares exactly the columns its SELECT list returns`, () => {
            const columns = (astOf(query.sql).columns as { as: string | null; expr: { type: string; column?: unknown } }[]).map((c) =>
                c.as ?? (c.expr.type === "column_ref" ? nameOf(c.expr.column) : "?"),
            );
            assert.deepEqual(columns, query.outputColumns.map((c) => c.name));
        });
    }

    it("the reference check can fail: undeclared column, unknown table, wrong database", () => {
        assert.deepEqual(referenceProblems(`SELECT t.instancestatus FROM ${DATABASE}.aws_tag t`, DATABASE), ["aws_tag has no column instancestatus"]);
        assert.deepEqual(referenceProblems(`SELECT x.a FROM ${DATABASE}.aws_file x`, DATABASE), [`unknown table ${DATABASE}.aws_file`, "unknown alias x"]);
        assert.deepEqual(referenceProblems("SELECT t.key FROM other.aws_tag t", DATABASE), ["unknown table other.aws_tag", "unknown alias t"]);
        assert.deepEqual(referenceProblems(`SELECT nope FROM ${DATABASE}.aws_tag t`, DATABASE), ["unqualified nope is not an output column"]);
    });

    it("puts the not-reporting window and the patch group tag key into the SQL", () => {
        const [, , notReporting, byGroup] = reportingQueries({ database: "d", patchGroupTagKey: "PatchGroup", notReportingDays: 30 });
        assert.match(notReporting.sql, /from_iso8601_timestamp\(ps\.operationendtime\)\) > current_timestamp - INTERVAL '30' DAY/);
        assert.match(notReporting.description, /last 30 days$/);
        assert.match(byGroup.sql, /t\.key = 'PatchGroup'/);
        assert.doesNotMatch(byGroup.sql, /Patch Group/);
    });

    it("quotes identifiers and literals the Athena way", () => {
        assert.deepEqual(["aws_tag", "from", "Key", "a-b"].map(sqlIdentifier), ["aws_tag", '"from"', '"Key"', '"a-b"']);
        assert.equal(sqlString("it's"), "'it''s'");
    });
});

describe("components/reportingQueries: the reader policy", () => {
    const resources = { accountId: CENTRAL, region: "eu-west-2", database: DATABASE, workgroup: "wg", dataBucket: DATA_BUCKET, dataPrefix: "inventory", resultsBucket: "results" };

    it("reads only the sync prefix, writes only the results bucket, runs only in the workgroup", () => {
        const statements = new Map(reportingReaderPolicy(resources).Statement.map((s) => [s.Sid, s]));
        assert.equal(statements.get("RunQueriesInWorkgroup")?.Resource, `arn:aws:athena:eu-west-2:${CENTRAL}:workgroup/wg`);
        assert.equal(statements.get("ReadInventory")?.Resource, `arn:aws:s3:::${DATA_BUCKET}/inventory/*`);
        assert.deepEqual(statements.get("ListInventory")?.Condition, { StringLike: { "s3:prefix": ["inventory/*"] } });
        assert.equal(statements.get("WriteResults")?.Resource, "arn:aws:s3:::results/*");
        assert.deepEqual(statements.get("ReadTables")?.Resource, [`arn:aws:glue:eu-west-2:${CENTRAL}:catalog`, `arn:aws:glue:eu-west-2:${CENTRAL}:database/${DATABASE}`, `arn:aws:glue:eu-west-2:${CENTRAL}:table/${DATABASE}/*`]);
        const all = [...statements.values()];
        assert.ok(all.every((s) => ![s.Action].flat().some((a) => a.endsWith("*")) && s.Resource !== "*"), "no wildcard actions or resources");
        assert.ok(!statements.has("DecryptInventory") && !statements.has("EncryptResults"));
    });

    it("adds the keys only when the buckets use SSE-KMS", () => {
        const statements = reportingReaderPolicy({ ...resources, dataKmsKeyArn: "arn:aws:kms:eu-west-2:111111111111:key/data", resultsKmsKeyArn: "arn:aws:kms:eu-west-2:111111111111:key/results" }).Statement;
        assert.deepEqual(statements.slice(-2), [
            { Sid: "DecryptInventory", Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:eu-west-2:111111111111:key/data" },
            { Sid: "EncryptResults", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "arn:aws:kms:eu-west-2:111111111111:key/results" },
        ]);
    });
});
