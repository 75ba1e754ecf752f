import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const PLAN = path.join(ROOT, "dist", "tools", "plan", "main.js");

function plan(args: string[], cwd = ROOT) {
    return spawnSync(process.execPath, ["--stack-trace-limit=3", PLAN, ...args], { cwd, encoding: "utf8" });
}

describe("npm run plan (the offline plan)", function () {
    this.timeout(60_000);
    let scratch: string;

    before(() => {
        execFileSync(process.execPath, [path.join(ROOT, "tools", "build.mjs")], { cwd: ROOT });
        scratch = mkdtempSync(path.join(tmpdir(), "plan-test-"));
        copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
    });

    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("prints the prod estate per scope and writes the JSON plan", () => {
        const out = path.join(scratch, "prod.json");
        const result = plan(["--stack", "prod", "--out", out]);
        assert.equal(result.status, 0, result.stderr);
        for (const expected of ["security 111111111111", "shared-services 222222222222", "application 333333333333", "corp-azure", "total"]) {
            assert.ok(result.stdout.includes(expected), `missing ${expected} in:\n${result.stdout}`);
        }
        const document = JSON.parse(readFileSync(out, "utf8"));
        assert.equal(document.stack, "prod");
        assert.equal(document.totals.resources, document.resources.filter((r: { custom: boolean }) => r.custom).length);
        assert.ok(document.resources.every((r: { scope: string }) => typeof r.scope === "string"));
        // How long it took is a benchmark figure (`npm run bench`: prod plan wall time and evaluation),
        // not a test: a timing bound fails on a loaded machine and passes on a slow program (issue 20).
        assert.match(result.stdout, /evaluated in \d+ ms/);
    });

    it("org stack: prints the StackSets, their instances and template sizes, and carries them in the JSON plan (issue 16)", () => {
        const out = path.join(scratch, "org.json");
        // --wide: one line per row, so each StackSet's size stays on its name's line.
        const result = plan(["--stack", "org", "--out", out, "--wide"]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /Organization mode: StackSets and their instances/);
        assert.match(result.stdout, /patching-member-regional .*of 51,200 B/);
        assert.doesNotMatch(result.stdout, /organization mode .* is the better fit/);
        const document = JSON.parse(readFileSync(out, "utf8"));
        assert.deepEqual(document.organization.stackSets.map((s: { name: string; instances: number }) => [s.name, s.instances]), [["patching-member-account", 1], ["patching-member-regional", 4]]);
        assert.equal(document.organization.instances.length, 5);
        assert.equal(document.engine.organizationMode, true);
        // Configured-accounts stacks carry no organization section and print no StackSet table.
        const prod = plan(["--stack", "prod", "--out", path.join(scratch, "prod-no-org.json")]);
        assert.doesNotMatch(prod.stdout, /StackSets/);
        assert.equal(JSON.parse(readFileSync(path.join(scratch, "prod-no-org.json"), "utf8")).organization, undefined);
    });

    it("exits 2 with usage for an unknown stack or a missing --stack", () => {
        const unknown = plan(["--stack", "staging"]);
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /^plan: no stack "staging": .* \(stacks here: dev, org, prod\)/);
        assert.equal(plan([]).status, 2);
        assert.equal(plan(["--bogus"]).status, 2);
    });

    const BROKEN: [string, (config: Record<string, any>) => void, string][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
        ["a wrong account id", (c) => (c["multicloud-patching:accounts"][1].id = "2222"), 'accounts[1].id: "2222" is not a 12-digit AWS account id'],
        ["an unknown Region", (c) => (c["multicloud-patching:accounts"][0].regions = ["eu-west-7"]), 'accounts[0].regions[0]: "eu-west-7" is not an AWS Region'],
        ["a bad cron", (c) => (c["multicloud-patching:patchGroups"][1].install.expression = "cron(0 3 * * SAT *)"), 'patchGroups[1].install.expression: "cron(0 3 * * SAT *)" is not a valid AWS cron expression'],
        ["a duplicate patch group", (c) => c["multicloud-patching:patchGroups"].push({ ...c["multicloud-patching:patchGroups"][0] }), 'patchGroups[3].name: "Linux" duplicates patchGroups[0].name'],
    ];
    for (const [description, breakIt, expected] of BROKEN) {
        it(`stops on ${description} with a one-line message and no stack trace`, () => {
            const document = parse(readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"));
            breakIt(document.config);
            writeFileSync(path.join(scratch, "Pulumi.broken.yaml"), stringify(document));
            const result = plan(["--stack", "broken", "--out", path.join(scratch, "broken.json")], scratch);
            assert.equal(result.status, 1);
            const lines = result.stderr.trim().split("\n");
            assert.equal(lines.length, 1, result.stderr);
            assert.ok(lines[0].startsWith(`plan: Pulumi.broken.yaml: ${expected}`), lines[0]);
            assert.doesNotMatch(result.stderr, /\bat .*\.js:\d+/);
        });
    }
});
