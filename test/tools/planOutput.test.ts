import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fitWidths } from "../../tools/plan/fitTable";
import { renderTable, summarise } from "../../tools/plan/report";
import { resolveScopes } from "../../tools/plan/scopes";
import { DEFAULT_COLUMNS, MIN_COLUMNS, terminalColumns, useColor } from "../../tools/plan/terminal";
import { evaluatedStack } from "../fixtures/programEvaluations";

const ROOT = path.resolve(__dirname, "..", "..");
const ANSI = /\x1b\[/; // eslint-disable-line no-control-regex
const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

describe("tools/plan/terminal: colour and width follow the terminal", () => {
    const COLOR: [string, { isTTY?: boolean }, NodeJS.ProcessEnv, boolean][] = [
        ["a terminal", { isTTY: true }, {}, true],
        ["a pipe or file", { isTTY: false }, {}, false],
        ["a terminal with NO_COLOR", { isTTY: true }, { NO_COLOR: "1" }, false],
        ["a terminal with an empty NO_COLOR (ignored)", { isTTY: true }, { NO_COLOR: "" }, true],
        ["a pipe with FORCE_COLOR=1", { isTTY: false }, { FORCE_COLOR: "1" }, true],
        ["a pipe with an empty FORCE_COLOR", { isTTY: false }, { FORCE_COLOR: "" }, true],
        ["a terminal with FORCE_COLOR=0", { isTTY: true }, { FORCE_COLOR: "0" }, false],
        ["FORCE_COLOR and NO_COLOR both (FORCE_COLOR wins, as in Node)", { isTTY: false }, { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    ];
    for (const [description, stream, env, expected] of COLOR) {
        it(`colour on ${description}: ${expected}`, () => assert.equal(useColor(stream, env), expected));
    }

    it("width: the terminal's columns, a fixed default when not a terminal, never below the minimum", () => {
        assert.equal(terminalColumns({ isTTY: true, columns: 91 }), 91);
        assert.equal(terminalColumns({ isTTY: false, columns: 91 }), DEFAULT_COLUMNS);
        assert.equal(terminalColumns({ isTTY: true, columns: 20 }), MIN_COLUMNS);
        assert.equal(terminalColumns({}), DEFAULT_COLUMNS);
    });

    it("fitting takes characters from the widest column first and leaves short ones whole", () => {
        assert.deepEqual(fitWidths([10, 40, 8], 40), [10, 18, 8]);
        assert.deepEqual(fitWidths([10, 12, 8], 80), [10, 12, 8]);
    });
});

describe("tools/plan/report: the plan table at any width", function () {
    this.timeout(60_000);
    let rows: ReturnType<typeof summarise>;

    before(async () => {
        const evaluation = await evaluatedStack("prod");
        rows = summarise(evaluation.recorder.resources, resolveScopes(evaluation.recorder));
    });

    for (const columns of [60, 80, 100, 160]) {
        it(`${columns} columns: no line wider, every scope's Region and count still shown`, () => {
            const text = renderTable(rows, false, { columns });
            assert.ok(widest(text) <= columns, `widest line ${widest(text)}`);
            assert.doesNotMatch(text, ANSI);
            for (const row of rows) {
                assert.ok(text.includes(String(row.resources)));
            }
            assert.match(text, /total/);
        });
    }

    it("--wide: every cell unabridged on one line, however wide", () => {
        const text = renderTable(rows, false, { columns: 80, wide: true });
        assert.ok(widest(text) > 200, `widest line ${widest(text)}`);
        const azure = text.split("\n").find((line) => line.includes("corp-azure"))!;
        assert.match(azure, /5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a .*compute\.VirtualMachineExtension×5, .*provider:azure-native×1/);
        assert.ok(!renderTable(rows, false, { columns: 80 }).includes("5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a"), "abridged when fitted");
    });

    it("colour only when asked", () => {
        assert.match(renderTable(rows, true, { columns: 120 }), ANSI);
        assert.doesNotMatch(renderTable(rows, false, { columns: 120 }), ANSI);
    });
});

describe("npm run plan: output to a pipe", function () {
    this.timeout(120_000);
    let scratch: string;
    const plan = (args: string[], env: NodeJS.ProcessEnv = {}) =>
        spawnSync(process.execPath, [path.join(ROOT, "dist", "tools", "plan", "main.js"), "--stack", "dev", "--out", path.join(scratch, "dev.json"), ...args], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, NO_COLOR: "", FORCE_COLOR: undefined, ...env },
        });

    before(() => {
        execFileSync(process.execPath, [path.join(ROOT, "tools", "build.mjs")], { cwd: ROOT });
        scratch = mkdtempSync(path.join(tmpdir(), "plan-output-"));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("plain text at the default width when stdout is not a terminal; colour with FORCE_COLOR; --wide unabridged", () => {
        const piped = plan([]);
        assert.equal(piped.status, 0, piped.stderr);
        assert.doesNotMatch(piped.stdout, ANSI);
        const table = piped.stdout.split("\n").filter((line) => /^[┌│├└]/.test(line));
        assert.ok(table.length > 0 && table.every((line) => line.length <= DEFAULT_COLUMNS), `widest ${widest(table.join("\n"))}`);
        assert.match(plan([], { FORCE_COLOR: "1" }).stdout, ANSI);
        const wide = plan(["--wide"]);
        assert.ok(widest(wide.stdout) > DEFAULT_COLUMNS, "--wide");
        assert.match(wide.stdout, /topology to .*dev\.svg/);
    });
});
