import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PACK_POLICIES } from "../../tools/plan/policyRun";

const ROOT = path.resolve(__dirname, "..", "..");
const PLAN = path.join(ROOT, "dist", "tools", "plan", "main.js");

function plan(args: string[]) {
    return spawnSync(process.execPath, ["--stack-trace-limit=3", PLAN, ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("npm run plan: the policy pack", function () {
    this.timeout(120_000);
    let scratch: string;

    before(() => {
        execFileSync(process.execPath, [path.join(ROOT, "tools", "build.mjs")], { cwd: ROOT });
        scratch = mkdtempSync(path.join(tmpdir(), "plan-policies-"));
    });

    after(() => rmSync(scratch, { recursive: true, force: true }));

    const policyConfig = (name: string, document: unknown) => {
        const file = path.join(scratch, name);
        writeFileSync(file, JSON.stringify(document));
        return file;
    };

    it("documents --policy-config in --help", () => {
        const help = plan(["--help"]);
        assert.equal(help.status, 0);
        assert.match(help.stdout, /--policy-config <file> .*\n.*default: policies\/config\.<environment>\.json/);
    });

    it("runs the environment's config by default and records the result in the JSON plan", () => {
        const out = path.join(scratch, "prod.json");
        const result = plan(["--stack", "prod", "--out", out]);
        assert.equal(result.status, 0, result.stderr);
        const count = PACK_POLICIES.length;
        assert.match(result.stdout, new RegExp(`Policies: ${count} of ${count} enabled \\(policies/config\\.prod\\.json\\): no violations`));
        const document = JSON.parse(readFileSync(out, "utf8"));
        assert.equal(document.policies.config, "policies/config.prod.json");
        assert.equal(document.policies.enforcement["estate-coverage"], "mandatory");
        assert.deepEqual(document.policies.violations, []);
    });

    it("exits 1 on a mandatory violation and prints it per policy with resource name and scope", () => {
        const strict = policyConfig("strict.json", { all: "mandatory", "patch-baseline-approve-after-days": { maxApproveAfterDays: 10 } });
        const out = path.join(scratch, "strict.json.plan");
        const result = plan(["--stack", "prod", "--policy-config", strict, "--out", out]);
        assert.equal(result.status, 1, result.stderr);
        // AppA waits 14 days in prod: its AL2023 and Windows baselines (two rules each) in the application
        // account's two Regions; its Ubuntu baselines set no delay.
        assert.match(result.stdout, /\[mandatory\] patch-baseline-approve-after-days \(8\)\n/);
        // Grouped per message (issue 20): the same rule in both Regions is one line naming both resources.
        assert.match(result.stdout, / {4}approval rule 1 of patch baseline patching-AppA-AMAZON_LINUX_2023 approves after 14 days; allowed: 0-10 — 2 resources: application-us-west-2-baselines-AppA-AMAZON_LINUX_2023 \(aws application \(333333333333\) us-west-2\), application-eu-west-2-baselines-AppA-AMAZON_LINUX_2023 /);
        assert.equal(result.stdout.split("\n").filter((line) => line.includes("approves after 14 days")).length, 4, "8 violations, 4 distinct messages");
        assert.match(result.stderr, /^plan: 8 mandatory policy violation\(s\) \(.*strict\.json\)\n$/);
        const document = JSON.parse(readFileSync(out, "utf8"));
        assert.equal(document.policies.violations.length, 8);
        assert.deepEqual(Object.keys(document.policies.violations[0]).sort(), ["level", "message", "name", "policy", "scope", "type", "urn"]);
    });

    it("prints advisory violations but exits 0", () => {
        const advisory = policyConfig("advisory.json", { all: "advisory", "patch-baseline-approve-after-days": { maxApproveAfterDays: 10 } });
        const result = plan(["--stack", "prod", "--policy-config", advisory, "--quiet", "--out", path.join(scratch, "advisory.plan.json")]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /0 mandatory and 8 advisory violation\(s\)[\s\S]*\[advisory\] patch-baseline-approve-after-days \(8\)/);
    });

    it("refuses a policy config naming an unknown policy or knob (exit 1), and a missing file (exit 2)", () => {
        const typo = policyConfig("typo.json", { all: "mandatory", "patch-baseline-approve-after-day": { maxApproveAfterDays: 10 } });
        const bad = plan(["--stack", "dev", "--policy-config", typo, "--out", path.join(scratch, "typo.plan.json")]);
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /^plan: policy config: .*typo\.json: "patch-baseline-approve-after-day" is not a policy of this pack\n$/);
        const missing = plan(["--stack", "dev", "--policy-config", path.join(scratch, "nope.json")]);
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /^plan: --policy-config .*nope\.json: no such file/);
    });
});
