import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { DASHBOARD_ACTIONS } from "../../components/reporting/quickSightPermissions";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { PACK_POLICIES, runPolicies, type PolicyViolation } from "../../tools/plan/policyRun";
import { resolveScopes } from "../../tools/plan/scopes";

const ROOT = path.resolve(__dirname, "..", "..");
const OWNER = "arn:aws:quicksight:us-east-1:111111111111:group/default/patching-authors";
const READERS = ["arn:aws:quicksight:us-east-1:111111111111:group/default/compliance-team", "arn:aws:quicksight:us-east-1:111111111111:user/default/auditor"];
const QUICKSIGHT_TYPES = ["DataSource", "DataSet", "Analysis", "Dashboard"].map((t) => `aws:quicksight/${t[0].toLowerCase()}${t.slice(1)}:${t}`);

/** The real Pulumi.prod.yaml with `reporting` replaced, evaluated in a scratch folder. */
async function evaluateProd(reporting: Record<string, unknown> | undefined): Promise<{ evaluation: Evaluation; scratch: string }> {
    const scratch = mkdtempSync(path.join(tmpdir(), "prod-dashboard-"));
    copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
    const stackFile = parse(readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    if (reporting !== undefined) {
        stackFile.config["multicloud-patching:reporting"] = reporting;
    }
    writeFileSync(path.join(scratch, "Pulumi.prod.yaml"), stringify(stackFile));
    return { evaluation: await evaluateProgram({ directory: scratch, stack: "prod", program: path.join(ROOT, "index.ts") }), scratch };
}

/**
 * Issue 19 item 3, done-when: "prod plans cleanly with QuickSight enabled in a test variant of the
 * prod config" — now with the dashboard on, under the prod policy config (everything mandatory).
 */
describe("the prod estate with the QuickSight dashboard enabled, under the mandatory prod policies", function () {
    this.timeout(180_000);
    let scratch: string;
    let evaluation: Evaluation;
    let violations: PolicyViolation[];

    before(async () => {
        ({ evaluation, scratch } = await evaluateProd({ quickSightPrincipalArn: OWNER, quickSight: { enabled: true, readers: READERS } }));
        const configFile = path.join(ROOT, "policies", "config.prod.json");
        const config = resolvePolicyConfig(PACK_POLICIES, readPolicyConfigFile(configFile), configFile);
        violations = await runPolicies(evaluation.recorder, { config, scopes: resolveScopes(evaluation.recorder) });
    });

    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("builds the data sets, the template stack, the analysis and the dashboard in the central account", () => {
        assert.equal(evaluation.recorder.find("aws:quicksight/dashboard:Dashboard").length, 1);
        assert.equal(evaluation.recorder.find("aws:quicksight/analysis:Analysis").length, 1);
        // The reporting data set plus the dashboard's four (node compliance, missing critical, not reporting, patch age).
        assert.equal(evaluation.recorder.find("aws:quicksight/dataSet:DataSet").length, 5);
        const stacks = evaluation.recorder.find("aws:cloudformation/stack:Stack");
        assert.equal(stacks.length, 1);
        assert.match(String(stacks[0].inputs.templateBody), /AWS::QuickSight::Template/);
    });

    it("binds every template placeholder to a data set of this plan", () => {
        const dashboard = evaluation.recorder.find("aws:quicksight/dashboard:Dashboard")[0];
        const references = (dashboard.inputs.sourceEntity as { sourceTemplate: { dataSetReferences: { dataSetPlaceholder: string }[] } }).sourceTemplate.dataSetReferences;
        const body = JSON.parse(String(evaluation.recorder.find("aws:cloudformation/stack:Stack")[0].inputs.templateBody)) as {
            Resources: Record<string, { Properties: { Definition: { DataSetConfigurations: { Placeholder: string }[] } } }>;
        };
        const placeholders = Object.values(body.Resources)[0].Properties.Definition.DataSetConfigurations.map((c) => c.Placeholder);
        assert.deepEqual(references.map((r) => r.dataSetPlaceholder).sort(), [...placeholders].sort());
    });

    it("gives the readers the dashboard's view actions and the owner the co-owner set", () => {
        const dashboard = evaluation.recorder.find("aws:quicksight/dashboard:Dashboard")[0];
        const permissions = dashboard.inputs.permissions as { principal: string; actions: string[] }[];
        assert.deepEqual(permissions, [
            { principal: OWNER, actions: [...DASHBOARD_ACTIONS.owner] },
            ...READERS.map((principal) => ({ principal, actions: [...DASHBOARD_ACTIONS.reader] })),
        ]);
    });

    it("has no policy violation at all", () => {
        assert.deepEqual(
            violations.map((v) => `${v.level} ${v.policy} ${v.name ?? ""}: ${v.message}`),
            [],
        );
    });

    it("leaves Pulumi.prod.yaml itself without the dashboard (off by default)", () => {
        const stackFile = parse(readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        assert.equal(stackFile.config["multicloud-patching:reporting"], undefined);
    });
});

describe("the prod estate with the QuickSight dashboard off", function () {
    this.timeout(180_000);

    it("has no QuickSight resource and no template stack, with or without the data-source principal", async () => {
        for (const reporting of [undefined, { quickSightPrincipalArn: OWNER, quickSight: { enabled: false, readers: READERS } }]) {
            const { evaluation, scratch } = await evaluateProd(reporting);
            try {
                const found = [...QUICKSIGHT_TYPES, "aws:cloudformation/stack:Stack"].filter((type) => evaluation.recorder.find(type).length > 0);
                assert.deepEqual(found, reporting === undefined ? [] : ["aws:quicksight/dataSource:DataSource", "aws:quicksight/dataSet:DataSet"]);
            } finally {
                rmSync(scratch, { recursive: true, force: true });
            }
        }
    });
});
