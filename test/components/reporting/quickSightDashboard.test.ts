import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Parser } from "node-sql-parser";
import { AZURE_VM_TABLE } from "../../../components/reporting/azureReportingTables";
import { quickSightDashboardNames, validateQuickSightDashboardArgs } from "../../../components/reporting/quickSightDashboard";
import { dashboardDataSets, type QuickSightDataSetSpec } from "../../../components/reporting/quickSightDataSets";
import { CLOUDFORMATION_TEMPLATE_BODY_MAX_BYTES, dashboardDefinition, definitionVersion, templateDefinition, templateStackBody } from "../../../components/reporting/quickSightDefinition";
import { DASHBOARD_ACTIONS, dashboardPermissions, permissionProblem } from "../../../components/reporting/quickSightPermissions";
import { col, complianceOverTime, type Json, type JsonObject } from "../../../components/reporting/quickSightVisuals";
import { INVENTORY_TABLE_IDS, INVENTORY_TABLES, PARTITION_KEYS, type InventoryTableDefinition } from "../../../components/reporting/reportingTables";

const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const OWNER = `arn:aws:quicksight:${REGION}:${ACCOUNT}:group/default/patching-authors`;
const READER = `arn:aws:quicksight:${REGION}:${ACCOUNT}:group/default/compliance-team`;
const options = (azure: boolean) => ({ database: "patching_inventory_prod", patchGroupTagKey: "Patch Group", notReportingDays: 7, azure });
const DATA_SETS = dashboardDataSets(options(true));
const NAMES = quickSightDashboardNames("prod");
const dataSetArn = (key: string) => `arn:aws:quicksight:${REGION}:${ACCOUNT}:dataset/${NAMES.dataSet(key)}`;
const TEMPLATE_ARN = `arn:aws:quicksight:${REGION}:${ACCOUNT}:template/${NAMES.asset}`;

/** Runs the botocore model check (quickSightApiModel.py) on labelled request inputs. */
function apiModelProblems(cases: { label: string; operation: string; params: JsonObject }[]): Record<string, string[]> {
    const out = execFileSync("python3", [path.join(__dirname, "quickSightApiModel.py")], { input: JSON.stringify(cases), encoding: "utf8" });
    return JSON.parse(out) as Record<string, string[]>;
}

/** cfn-lint's exit status and output for a template body (it knows AWS::QuickSight::Template's schema). */
function cfnLint(body: string): { status: number | null; output: string } {
    const dir = mkdtempSync(path.join(tmpdir(), "qs-cfn-"));
    try {
        const file = path.join(dir, "template.json");
        writeFileSync(file, body);
        const run = spawnSync("cfn-lint", [file], { encoding: "utf8" });
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The analysis and dashboard requests exactly as the component builds them, in the API's shape. */
function assetRequests(): { label: string; operation: string; params: JsonObject }[] {
    const sourceEntity = { SourceTemplate: { Arn: TEMPLATE_ARN, DataSetReferences: DATA_SETS.map((d) => ({ DataSetPlaceholder: d.key, DataSetArn: dataSetArn(d.key) })) } };
    const permissions = (list: { principal: string; actions: readonly string[] }[]) => list.map((p) => ({ Principal: p.principal, Actions: [...p.actions] }));
    return [
        {
            label: "CreateAnalysis",
            operation: "CreateAnalysis",
            params: { AwsAccountId: ACCOUNT, AnalysisId: NAMES.asset, Name: "Patch compliance", SourceEntity: sourceEntity, Permissions: permissions([{ principal: OWNER, actions: DASHBOARD_ACTIONS.analysis }]) },
        },
        {
            label: "CreateDashboard",
            operation: "CreateDashboard",
            params: {
                AwsAccountId: ACCOUNT,
                DashboardId: NAMES.asset,
                Name: "Patch compliance",
                VersionDescription: `template ${definitionVersion(templateDefinition(DATA_SETS))}`,
                SourceEntity: sourceEntity,
                Permissions: permissions(dashboardPermissions(OWNER, [READER])),
                DashboardPublishOptions: { AdHocFilteringOption: { AvailabilityStatus: "ENABLED" }, ExportToCSVOption: { AvailabilityStatus: "ENABLED" } },
            },
        },
    ];
}

/** Every `{DataSetIdentifier, ColumnName}` in a definition. */
function columnRefs(node: Json, found: { DataSetIdentifier: string; ColumnName: string }[] = []) {
    if (Array.isArray(node)) {
        node.forEach((n) => columnRefs(n, found));
    } else if (node !== null && typeof node === "object") {
        if (typeof node.DataSetIdentifier === "string" && typeof node.ColumnName === "string") {
            found.push({ DataSetIdentifier: node.DataSetIdentifier, ColumnName: node.ColumnName });
        }
        Object.values(node).forEach((n) => columnRefs(n, found));
    }
    return found;
}

/** Values of every member named `key` (VisualId, FieldId, SheetId …). */
function valuesOf(node: Json, key: string, found: string[] = []): string[] {
    if (Array.isArray(node)) {
        node.forEach((n) => valuesOf(n, key, found));
    } else if (node !== null && typeof node === "object") {
        if (typeof node[key] === "string") {
            found.push(node[key]);
        }
        Object.values(node).forEach((n) => valuesOf(n, key, found));
    }
    return found;
}

describe("components/reporting QuickSight dashboard: the definition against the QuickSight API model", function () {
    this.timeout(60_000);

    it("is a valid CreateTemplate Definition, and the same sheets a valid CreateDashboard Definition (botocore model: members, types, enums, patterns, lengths)", () => {
        type Case = { label: string; operation: string; params: JsonObject };
        const cases = [true, false].flatMap((azure): Case[] => {
            const dataSets = dashboardDataSets(options(azure));
            const arns = Object.fromEntries(dataSets.map((d) => [d.key, dataSetArn(d.key)]));
            return [
                { label: `template azure=${azure}`, operation: "CreateTemplate", params: { AwsAccountId: ACCOUNT, TemplateId: NAMES.asset, Name: "Patch compliance", Definition: templateDefinition(dataSets) } },
                { label: `dashboard azure=${azure}`, operation: "CreateDashboard", params: { AwsAccountId: ACCOUNT, DashboardId: NAMES.asset, Name: "Patch compliance", Definition: dashboardDefinition(dataSets, arns) } },
            ];
        });
        const problems = apiModelProblems(cases);
        assert.deepEqual(problems, Object.fromEntries(cases.map((c) => [c.label, []])));
    });

    it("the analysis and the dashboard requests the component makes are valid (source template, permissions, publish options)", () => {
        assert.deepEqual(apiModelProblems(assetRequests()), { CreateAnalysis: [], CreateDashboard: [] });
    });

    it("the model check fails a wrong enum, an unknown member, a bad id and a missing required member", () => {
        const definition = templateDefinition(DATA_SETS) as { Sheets: JsonObject[] };
        const bad = JSON.parse(JSON.stringify(definition)) as { Sheets: { SheetId: string; Visuals: { LineChartVisual?: { ChartConfiguration: { Type: string; Colour?: string } } }[] }[] };
        const line = bad.Sheets[0].Visuals[0].LineChartVisual;
        assert.ok(line);
        line.ChartConfiguration.Type = "SPLINE";
        line.ChartConfiguration.Colour = "red";
        bad.Sheets[1].SheetId = "gaps and more";
        const problems = apiModelProblems([{ label: "bad", operation: "CreateTemplate", params: { AwsAccountId: ACCOUNT, TemplateId: NAMES.asset, Name: "x", Definition: bad as unknown as JsonObject } }]).bad;
        assert.ok(problems.some((p) => p.includes("'SPLINE' is not one of")), problems.join("\n"));
        assert.ok(problems.some((p) => p.includes("Colour")), problems.join("\n"));
        assert.ok(problems.some((p) => p.includes("'gaps and more' does not match")), problems.join("\n"));
        const missing = apiModelProblems([{ label: "missing", operation: "CreateTemplate", params: { AwsAccountId: ACCOUNT, TemplateId: NAMES.asset, Definition: { Sheets: [] } } }]).missing;
        assert.ok(missing.some((p) => p.includes("DataSetConfigurations")), missing.join("\n"));
    });

    it("renders a CloudFormation template cfn-lint accepts, under CreateStack's TemplateBody limit; cfn-lint rejects a wrong member", () => {
        const body = templateStackBody({ accountId: ACCOUNT, templateId: NAMES.asset, name: "Patch compliance", definition: templateDefinition(DATA_SETS), permissions: [{ principal: OWNER, actions: DASHBOARD_ACTIONS.template }] });
        assert.ok(Buffer.byteLength(body) < CLOUDFORMATION_TEMPLATE_BODY_MAX_BYTES);
        const good = cfnLint(body);
        assert.equal(good.status, 0, good.output);
        const broken = body.replace('"BarsArrangement":"STACKED"', '"BarsArrangement":"PILED"');
        assert.notEqual(broken, body);
        assert.notEqual(cfnLint(broken).status, 0);
    });

    it("is deterministic: the same inputs render byte-identical text and version", () => {
        assert.equal(JSON.stringify(templateDefinition(dashboardDataSets(options(true)))), JSON.stringify(templateDefinition(DATA_SETS)));
        assert.equal(definitionVersion(templateDefinition(DATA_SETS)), definitionVersion(templateDefinition(dashboardDataSets(options(true)))));
        // The version follows the definition (not the SQL, which lives in the data sets).
        const renamed = DATA_SETS.map((d) => (d.key === "patch-age" ? { ...d, columns: [...d.columns, { name: "extra", type: "STRING" as const }] } : d));
        assert.notEqual(definitionVersion(templateDefinition(DATA_SETS)), definitionVersion(templateDefinition(renamed)));
    });
});

describe("components/reporting QuickSight dashboard: visuals, data sets and Glue tables agree", () => {
    const definition = templateDefinition(DATA_SETS);

    it("has the issue's visuals: compliance % by account, Region and patch group over time; missing critical by node; not reporting; Azure vs AWS; patch age by severity", () => {
        assert.deepEqual(valuesOf(definition, "VisualId"), [
            "compliance-by-account",
            "compliance-by-region",
            "compliance-by-patch-group",
            "azure-vs-aws",
            "missing-critical-by-node",
            "patch-age-by-severity",
            "nodes-not-reporting",
        ]);
    });

    it("uses only columns its data sets declare, and each template placeholder lists exactly its data set's columns", () => {
        for (const ref of columnRefs(definition)) {
            const dataSet = DATA_SETS.find((d) => d.key === ref.DataSetIdentifier);
            assert.ok(dataSet, `unknown data set ${ref.DataSetIdentifier}`);
            assert.ok(dataSet.columns.some((c) => c.name === ref.ColumnName), `${ref.DataSetIdentifier} has no column ${ref.ColumnName}`);
        }
        const configurations = (definition.DataSetConfigurations as { Placeholder: string; DataSetSchema: { ColumnSchemaList: { Name: string; DataType: string }[] } }[]).map((c) => ({
            key: c.Placeholder,
            columns: c.DataSetSchema.ColumnSchemaList.map((s) => ({ name: s.Name, type: s.DataType })),
        }));
        assert.deepEqual(configurations, DATA_SETS.map((d) => ({ key: d.key, columns: [...d.columns] })));
        assert.throws(() => col(DATA_SETS[0], "nosuchcolumn"), /^Error: data set node-compliance has no column nosuchcolumn$/);
        assert.throws(() => complianceOverTime({ ...DATA_SETS[0], columns: DATA_SETS[0].columns.filter((c) => c.name !== "scan_time") }, "account"), /has no column scan_time/);
    });

    it("gives every visual, field, sheet and layout element a unique id", () => {
        for (const key of ["VisualId", "FieldId", "SheetId"]) {
            const ids = valuesOf(definition, key);
            assert.equal(new Set(ids).size, ids.length, `${key} repeated: ${ids.join(", ")}`);
        }
        assert.deepEqual(valuesOf(definition, "ElementId"), valuesOf(definition, "VisualId"));
    });

    describe("each data set's SQL (parsed as Trino) selects exactly its declared columns from declared Glue columns", () => {
        const parser = new Parser();
        const tables = new Map<string, InventoryTableDefinition>([...INVENTORY_TABLE_IDS.map((id) => [INVENTORY_TABLES[id].tableName, INVENTORY_TABLES[id]] as const), [AZURE_VM_TABLE.tableName, AZURE_VM_TABLE]]);
        const columnName = (c: unknown): string => (typeof c === "string" ? c : String((c as { expr: { value: string } }).expr.value));

        const problemsOf = (spec: QuickSightDataSetSpec): string[] => {
            const ast = parser.astify(spec.sql, { database: "trino" }) as unknown as { from: { db: string; table: string; as: string }[]; columns: { as: string | null; expr: { column?: unknown } }[] };
            const aliases = new Map(ast.from.map((f) => [f.as, tables.get(f.table)]));
            const problems = ast.from.filter((f) => f.db !== "patching_inventory_prod" || !tables.has(f.table)).map((f) => `unknown table ${f.db}.${f.table}`);
            const outputs = ast.columns.map((c) => c.as ?? columnName(c.expr.column));
            if (JSON.stringify(outputs) !== JSON.stringify(spec.columns.map((c) => c.name))) {
                problems.push(`selects ${outputs.join(",")}`);
            }
            const visit = (node: unknown): void => {
                if (Array.isArray(node)) {
                    node.forEach(visit);
                } else if (node !== null && typeof node === "object") {
                    const n = node as { type?: string; table?: string; column?: unknown };
                    if (n.type === "column_ref" && n.table) {
                        const table = aliases.get(n.table);
                        const name = columnName(n.column);
                        if (table === undefined || (!table.columns.some((c) => c.name === name) && !(PARTITION_KEYS as readonly string[]).includes(name))) {
                            problems.push(`${n.table}.${name} is not a declared column`);
                        }
                    }
                    Object.values(node).forEach(visit);
                }
            };
            visit(ast);
            return problems;
        };

        for (const azure of [true, false]) {
            for (const spec of dashboardDataSets(options(azure))) {
                it(`${spec.key} (azure ${azure})`, () => assert.deepEqual(problemsOf(spec), []));
            }
        }

        it("only the Azure estate's node data set reads the Custom:AzureVm table", () => {
            const readsAzure = (azure: boolean) => dashboardDataSets(options(azure)).filter((d) => d.sql.includes(`.${AZURE_VM_TABLE.tableName} `)).map((d) => d.key);
            assert.deepEqual(readsAzure(true), ["node-compliance"]);
            assert.deepEqual(readsAzure(false), []);
        });
    });
});

describe("components/reporting QuickSight dashboard: permissions", () => {
    it("gives readers only the three view actions and the owner the co-owner set", () => {
        assert.deepEqual(dashboardPermissions(OWNER, [READER]), [
            { principal: OWNER, actions: [...DASHBOARD_ACTIONS.owner] },
            { principal: READER, actions: ["quicksight:DescribeDashboard", "quicksight:ListDashboardVersions", "quicksight:QueryDashboard"] },
        ]);
        assert.ok(DASHBOARD_ACTIONS.reader.every((a) => DASHBOARD_ACTIONS.owner.includes(a as (typeof DASHBOARD_ACTIONS.owner)[number])));
        assert.ok(!DASHBOARD_ACTIONS.reader.some((a) => /Update|Delete/.test(a)));
    });

    const cases: { name: string; owner: string; readers: string[]; problem: RegExp | undefined }[] = [
        { name: "owner and readers of the account", owner: OWNER, readers: [READER], problem: undefined },
        { name: "no readers", owner: OWNER, readers: [], problem: undefined },
        { name: "an IAM ARN as reader", owner: OWNER, readers: [`arn:aws:iam::${ACCOUNT}:role/x`], problem: /^readers\[0\] "arn:aws:iam::111111111111:role\/x" is not a QuickSight user or group ARN of account 111111111111/ },
        { name: "a reader of another account", owner: OWNER, readers: [READER.replace(ACCOUNT, "999999999999")], problem: /^readers\[0\] .* of account 111111111111/ },
        { name: "an owner of another account", owner: OWNER.replace(ACCOUNT, "999999999999"), readers: [], problem: /^owner / },
        { name: "a reader twice", owner: OWNER, readers: [READER, READER], problem: /^readers\[1\] .* is listed twice or is the owner$/ },
        { name: "the owner as reader", owner: OWNER, readers: [OWNER], problem: /^readers\[0\] .* is listed twice or is the owner$/ },
        { name: "64 readers", owner: OWNER, readers: Array.from({ length: 64 }, (_, i) => `${READER}-${i}`), problem: /^readers has 64 entries; a dashboard takes at most 63 besides the owner$/ },
    ];
    for (const c of cases) {
        it(`permissionProblem: ${c.name}`, () => {
            const problem = permissionProblem(ACCOUNT, c.owner, c.readers);
            if (c.problem === undefined) {
                assert.equal(problem, undefined);
            } else {
                assert.match(problem ?? "", c.problem);
            }
        });
    }

    it("the component refuses a bad reader with one line naming it", () => {
        assert.throws(
            () => validateQuickSightDashboardArgs({ region: REGION, accountId: ACCOUNT, dataSourceArn: "x", ownerArn: OWNER, readerArns: ["alice"], dataSets: DATA_SETS, nameSuffix: "prod" }),
            /^Error: QuickSightDashboard: readers\[0\] "alice" is not a QuickSight user or group ARN of account 111111111111/,
        );
    });

    it("names every asset under the program prefix the deployer's boundary allows", () => {
        assert.deepEqual([NAMES.asset, NAMES.stack, ...DATA_SETS.map((d) => NAMES.dataSet(d.key))].filter((n) => !n.startsWith("patching-") || !/^[\w-]+$/.test(n)), []);
    });
});
