import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { renderRollout, stackRollout } from "../../tools/plan/rollout";

const ROOT = path.resolve(__dirname, "..", "..");
const NOW = new Date("2026-12-06T12:00:00Z");
const SCHEDULE = "aws:scheduler/schedule:Schedule";

/** Issue 17 item 8: the plan's per-group rollout table, read from the program and estateRolloutPlan. */
describe("tools/plan/rollout: the safe-rollout table (issue 17)", function () {
    this.timeout(120_000);

    it("prod: every gated group in ring order with its ring, gate checks, halt alarm, cutoff, blackouts, offset dates and snapshots", async () => {
        const evaluation = await evaluatedStack("prod");
        const rollout = stackRollout(ROOT, "prod", evaluation.recorder.resources, NOW);
        assert.ok(rollout !== undefined);
        assert.deepEqual(
            rollout.map((g) => [g.group, g.ring, g.gateChecks, g.installStartsGate, g.halt?.alarmName, g.cutoff?.maxDurationMinutes, g.calendar?.name, g.patchTuesdayOffsetDays, g.nextDates, g.snapshotRetainDays, g.hooks]),
            [
                ["Linux", null, ["calendar"], true, "patching-fleet-health-prod", 240, "patching-prod-blackouts", null, [], 7, null],
                // Second Tuesdays 2026-12-08, 2027-01-12, 2027-02-09, + 5 days.
                ["Windows", null, ["offset day", "calendar"], true, "patching-fleet-health-prod", 240, "patching-prod-blackouts", 5, ["2026-12-13", "2027-01-17", "2027-02-14"], null, null],
                ["AppA", { after: "Linux", minDays: 3, require: "success" }, ["calendar", "ring"], true, "patching-fleet-health-prod", 300, "patching-prod-blackouts", null, [], null, null],
            ],
        );
        // The schedules as registered: the install and the cutoff expressions.
        for (const g of rollout) {
            const install = evaluation.recorder.get(SCHEDULE, `security-patch-schedules-${g.group}-install`);
            const cutoff = evaluation.recorder.get(SCHEDULE, `security-patch-schedules-${g.group}-cutoff`);
            assert.deepEqual(g.install, { expression: install.inputs.scheduleExpression, timeZone: install.inputs.scheduleExpressionTimezone });
            assert.deepEqual(g.cutoff?.schedule, { expression: cutoff.inputs.scheduleExpression, timeZone: cutoff.inputs.scheduleExpressionTimezone });
        }
        assert.deepEqual(rollout[0].calendar?.blackouts.map((b) => b.name), ["year-end freeze"]);
    });

    it("prod table: the used columns only (no hooks), whole cells with --wide, the calendar under the table", async () => {
        const rollout = stackRollout(ROOT, "prod", (await evaluatedStack("prod")).recorder.resources, NOW) ?? [];
        const text = renderRollout(rollout, false, { columns: 120, wide: true });
        const heading = text.split("\n")[1];
        assert.deepEqual(
            heading.split("│").map((cell) => cell.trim()).filter((cell) => cell !== ""),
            ["Patch group", "Ring (after → group)", "Gate checks", "Halt alarm", "Window cutoff", "Blackouts", "Patch Tuesday offset (next dates)", "Snapshot retention"],
        );
        assert.match(text, /│ AppA +│ Linux → AppA ≥3 d success +│ calendar → ring +│ patching-fleet-health-prod +│ 300 min +│ year-end freeze +│ — +│ — +│/);
        assert.match(text, /│ Windows .*│ \+5 d: 2026-12-13, 2027-01-17, 2027-02-14 │/);
        assert.ok(text.endsWith("\nChange Calendar patching-prod-blackouts (Linux, Windows, AppA): year-end freeze 2026-12-20 to 2027-01-03 UTC, yearly"), text);
        // Fitted to 100 columns, no line is wider.
        const fitted = renderRollout(rollout, false, { columns: 100 });
        assert.ok(fitted.split("\n").slice(0, -1).every((line) => line.length <= 100), fitted);
    });

    it("dev (no gated group): nothing", async () => {
        assert.equal(stackRollout(ROOT, "dev", (await evaluatedStack("dev")).recorder.resources, NOW), undefined);
    });
});

describe("npm run plan: the rollout table and the JSON plan's `rollout` (issue 17)", function () {
    this.timeout(180_000);
    let scratch: string;
    const plan = (stack: string) => {
        const out = path.join(scratch, `${stack}.json`);
        const result = spawnSync(process.execPath, [path.join(ROOT, "dist", "tools", "plan", "main.js"), "--stack", stack, "--out", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, COLUMNS: "200" } });
        assert.equal(result.status, 0, result.stderr);
        return { stdout: result.stdout, document: JSON.parse(readFileSync(out, "utf8")) as { rollout?: Record<string, unknown>[] } };
    };

    before(() => {
        execFileSync(process.execPath, [path.join(ROOT, "tools", "build.mjs")], { cwd: ROOT });
        scratch = mkdtempSync(path.join(tmpdir(), "rollout-plan-test-"));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("prod prints the table after the scopes and carries every group under `rollout`; dev has neither", async () => {
        const prod = plan("prod");
        assert.match(prod.stdout, /Safe rollout: gated patch groups in ring order/);
        assert.ok(prod.stdout.indexOf("Safe rollout") > prod.stdout.indexOf("total"), "after the scopes table");
        const expected = stackRollout(ROOT, "prod", (await evaluatedStack("prod")).recorder.resources, NOW) ?? [];
        assert.deepEqual(
            prod.document.rollout?.map((group) => ({ ...group, nextDates: undefined })),
            expected.map((group) => ({ ...group, nextDates: undefined })),
        );
        const dev = plan("dev");
        assert.doesNotMatch(dev.stdout, /Safe rollout/);
        assert.equal(dev.document.rollout, undefined);
    });
});
