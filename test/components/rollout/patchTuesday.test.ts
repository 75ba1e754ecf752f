import { strict as assert } from "node:assert";
import { GATE_SCRIPT } from "../../../components/rollout/gateScript";
import { isOffsetDay, localDate, MAX_PATCH_TUESDAY_OFFSET_DAYS, nextOffsetDays, offsetDay, offsetDaysProblem, secondTuesday } from "../../../components/rollout/patchTuesday";
import type { PythonHarness } from "../runbooks/runbookInterpreter";
import { rolloutHarness, runHandler, setClock } from "./rolloutHarness";

/** Microsoft's published 2026 release days (second Tuesdays), an oracle independent of both implementations. */
const PATCH_TUESDAYS_2026 = ["2026-01-13", "2026-02-10", "2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11", "2026-09-08", "2026-10-13", "2026-11-10", "2026-12-08"];
const OFFSETS = Array.from({ length: MAX_PATCH_TUESDAY_OFFSET_DAYS + 1 }, (_, n) => n);
const MONTHS = Array.from({ length: 60 }, (_, i) => [2026 + Math.floor(i / 12), (i % 12) + 1] as const);

/** Every calendar date from `from` to `to` inclusive. */
function days(from: string, to: string): string[] {
    const out: string[] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
}

/** Second Tuesday by counting Tuesdays (a different algorithm from the one under test). */
function countedSecondTuesday(year: number, month: number): string {
    const tuesdays = days(`${year}-${String(month).padStart(2, "0")}-01`, `${year}-${String(month).padStart(2, "0")}-14`).filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 2);
    return tuesdays[1];
}

describe("Patch Tuesday offsets: TypeScript (plan) and the gate's Python agree", function () {
    this.timeout(60_000);
    let harness: PythonHarness;
    before(() => (harness = rolloutHarness()));
    after(async () => harness?.stop());

    it("second Tuesdays: Microsoft's 2026 dates, and counted Tuesdays for every month 2026-2030", () => {
        assert.deepEqual(PATCH_TUESDAYS_2026, MONTHS.slice(0, 12).map(([y, m]) => secondTuesday(y, m)));
        assert.deepEqual(MONTHS.map(([y, m]) => secondTuesday(y, m)), MONTHS.map(([y, m]) => countedSecondTuesday(y, m)));
    });

    it("offsets carry over month ends: second Tuesday the 14th + 20 days is the 4th of the next month", () => {
        assert.equal(offsetDay(2026, 4, 20), "2026-05-04");
        assert.equal(isOffsetDay(new Date("2026-05-04T12:00:00Z"), 20, "UTC"), true);
        assert.equal(isOffsetDay(new Date("2026-04-04T12:00:00Z"), 20, "UTC"), false);
        assert.equal(offsetDay(2026, 12, 27), "2027-01-04", "December's offset day lands in the next year");
        assert.equal(isOffsetDay(new Date("2027-01-04T12:00:00Z"), 27, "UTC"), true);
    });

    it("exactly one offset day per month, each before the next Patch Tuesday, for every month 2026-2030 and offset 0-27", () => {
        for (const n of OFFSETS) {
            const hits = days("2026-01-01", "2031-01-31").filter((d) => isOffsetDay(new Date(`${d}T12:00:00Z`), n, "UTC"));
            const expected = MONTHS.map(([y, m]) => offsetDay(y, m, n));
            assert.deepEqual(hits.filter((d) => d >= expected[0] && d <= expected.at(-1)!), expected, `offset ${n}`);
            MONTHS.slice(0, -1).forEach(([y, m], i) => assert.ok(expected[i] < secondTuesday(...MONTHS[i + 1]), `offset ${n}, ${y}-${m} reaches the next Patch Tuesday`));
        }
    });

    it("the gate's Python computes the same offset days and the same yes/no for every day of 2026-01..2031-01, offsets 0-27", async () => {
        const probe = [
            "def cross_check(events, context):",
            "    offsets = [[str(offset_day(y, m, n)) for n in range(0, MAX_OFFSET_DAYS + 1)] for y in range(2026, 2031) for m in range(1, 13)]",
            "    day, hits = date(2026, 1, 1), []",
            "    while day <= date(2031, 1, 31):",
            "        hits.append([n for n in range(0, MAX_OFFSET_DAYS + 1) if is_offset_day(day, n)])",
            "        day += timedelta(days=1)",
            "    return {'offsets': offsets, 'hits': hits}",
        ].join("\n");
        const python = await runHandler(harness, GATE_SCRIPT, "cross_check", {}, probe);
        assert.deepEqual(python.offsets, MONTHS.map(([y, m]) => OFFSETS.map((n) => offsetDay(y, m, n))));
        assert.deepEqual(python.hits, days("2026-01-01", "2031-01-31").map((d) => OFFSETS.filter((n) => isOffsetDay(new Date(`${d}T12:00:00Z`), n, "UTC"))));
    });

    describe("the check is on the local date in the configured zone", () => {
        // 2026-01-13 is Patch Tuesday. 07:30 UTC on the 14th is 23:30 on the 13th in Los Angeles
        // (UTC-8), and 10:30 on the 14th is 23:30 on the 14th in Auckland (UTC+13).
        const CASES: [string, string, number, boolean][] = [
            ["2026-01-14T07:30:00+00:00", "America/Los_Angeles", 0, true],
            ["2026-01-14T07:30:00+00:00", "UTC", 0, false],
            ["2026-01-14T07:30:00+00:00", "UTC", 1, true],
            ["2026-01-12T11:30:00+00:00", "Pacific/Auckland", 0, true],
            ["2026-01-12T11:30:00+00:00", "UTC", 0, false],
        ];
        for (const [instant, zone, n, expected] of CASES) {
            it(`${instant} in ${zone}, offset ${n}: ${expected ? "offset day" : "not"} (TypeScript and the gate's check agree)`, async () => {
                assert.equal(isOffsetDay(new Date(instant), n, zone), expected);
                await setClock(harness, instant);
                const decision = await runHandler(harness, GATE_SCRIPT, "check_gates", {
                    PatchRunRequest: [JSON.stringify({ DocumentName: "patching-RunPatchBaseline", TargetLocations: [] })],
                    PatchGroup: "Windows",
                    Ring: "",
                    PatchTuesdayOffsetDays: String(n),
                    TimeZone: zone,
                    ChangeCalendarName: "",
                    OverrideReason: "",
                    GateExecutionId: "5a5a5a5a-0000-4000-8000-00000000e1e1",
                });
                assert.equal(decision.Decision, expected ? "start" : "wait", String(decision.Status));
            });
        }
    });

    it("nextOffsetDays lists the plan's next runs, including last month's offset day still ahead", () => {
        // 2026-05-01: April's +20 (May 4) is still ahead, then May's (Jun 1), June's (Jun 29).
        assert.deepEqual(nextOffsetDays(new Date("2026-05-01T12:00:00Z"), 3, 20, "UTC"), ["2026-05-04", "2026-06-01", "2026-06-29"]);
        assert.deepEqual(nextOffsetDays(new Date("2026-01-14T07:30:00Z"), 2, 0, "America/Los_Angeles"), ["2026-01-13", "2026-02-10"]);
        assert.equal(localDate(new Date("2026-01-14T07:30:00Z"), "America/Los_Angeles"), "2026-01-13");
    });

    it("offsets outside 0-27 are refused with the reason", () => {
        for (const bad of [-1, 28, 1.5, Number.NaN]) {
            assert.match(offsetDaysProblem(bad) ?? "", /is not an integer from 0 to 27/);
            assert.throws(() => isOffsetDay(new Date(), bad, "UTC"), /patchTuesdayOffsetDays .* not an integer from 0 to 27/);
        }
        assert.equal(offsetDaysProblem(27), undefined);
    });
});
