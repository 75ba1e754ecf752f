import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const PLAN = path.join(ROOT, "dist", "tools", "plan", "main.js");

/** Issue 20, item 2: mistakes in the stack file reach the newcomer as one line naming the file and the key. */
describe("npm run plan: stack-file typos (issue 20)", function () {
    this.timeout(120_000);
    let scratch: string;
    const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");

    const plan = (stack: string, text: string) => {
        writeFileSync(path.join(scratch, `Pulumi.${stack}.yaml`), text);
        return spawnSync(process.execPath, ["--stack-trace-limit=3", PLAN, "--stack", stack, "--out", path.join(scratch, `${stack}.json`)], { cwd: scratch, encoding: "utf8" });
    };

    before(() => {
        execFileSync(process.execPath, [path.join(ROOT, "tools", "build.mjs")], { cwd: ROOT });
        scratch = mkdtempSync(path.join(tmpdir(), "plan-stack-file-"));
        copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
        mkdirSync(path.join(scratch, "policies"));
        copyFileSync(path.join(ROOT, "policies", "config.dev.json"), path.join(scratch, "policies", "config.dev.json"));
    });

    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("a misspelled project namespace fails the real program with one line naming the key and what it meant", () => {
        assert.ok(dev.includes("  multicloud-patching:notifications:"));
        const result = plan("typo", dev.replace("  multicloud-patching:notifications:", "  multicloud-patchng:notifications:"));
        assert.equal(result.status, 1);
        assert.equal(
            result.stderr,
            'plan: Pulumi.typo.yaml: multicloud-patchng:notifications: is read by nobody: "multicloud-patchng" is neither this project (multicloud-patching) nor a provider; did you mean multicloud-patching:notifications?\n',
        );
    });

    it("a YAML syntax error names the stack file first, with line and column", () => {
        const result = plan("broken", dev.replace("  multicloud-patching:centralRegion: us-west-2", "  multicloud-patching:centralRegion: [us-west-2"));
        assert.equal(result.status, 1);
        assert.match(result.stderr, /^plan: Pulumi\.broken\.yaml:\d+:\d+: .* \(YAML syntax\)\n$/);
    });
});
