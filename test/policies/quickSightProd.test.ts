import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { PACK_POLICIES, runPolicies, type PolicyViolation } from "../../tools/plan/policyRun";
import { resolveScopes } from "../../tools/plan/scopes";

const ROOT = path.resolve(__dirname, "..", "..");
const PRINCIPAL = "arn:aws:quicksight:us-east-1:111111111111:group/default/patching-readers";

/**
 * Issue 19 item 3: "prod plans cleanly with QuickSight enabled in a test variant of the prod
 * config" — the real Pulumi.prod.yaml plus reporting.quickSightPrincipalArn, in a scratch folder,
 * under the prod policy config (everything mandatory).
 */
describe("the prod estate with QuickSight enabled, under the mandatory prod policies", function () {
    this.timeout(120_000);
    let scratch: string;
    let evaluation: Evaluation;
    let violations: PolicyViolation[];

    before(async () => {
        scratch = mkdtempSync(path.join(tmpdir(), "prod-quicksight-"));
        copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
        const stackFile = parse(readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        stackFile.config["multicloud-patching:reporting"] = { quickSightPrincipalArn: PRINCIPAL };
        writeFileSync(path.join(scratch, "Pulumi.prod.yaml"), stringify(stackFile));
        evaluation = await evaluateProgram({ directory: scratch, stack: "prod", program: path.join(ROOT, "index.ts") });
        const configFile = path.join(ROOT, "policies", "config.prod.json");
        const config = resolvePolicyConfig(PACK_POLICIES, readPolicyConfigFile(configFile), configFile);
        violations = await runPolicies(evaluation.recorder, { config, scopes: resolveScopes(evaluation.recorder) });
    });

    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("builds the QuickSight data source with its run-as role", () => {
        const sources = evaluation.recorder.find("aws:quicksight/dataSource:DataSource");
        assert.equal(sources.length, 1);
        const roles = evaluation.recorder.find("aws:iam/role:Role").filter((role) => String(role.inputs.assumeRolePolicy).includes("quicksight.amazonaws.com"));
        assert.equal(roles.length, 1);
    });

    it("has no mandatory violation (the run-as role's trust passes iam-service-trust-confused-deputy)", () => {
        const mandatory = violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${v.name ?? ""}: ${v.message}`);
        assert.deepEqual(mandatory, []);
    });
});
