import { strict as assert } from "node:assert";
import { isOffsetDay, localDate, MAX_PATCH_TUESDAY_OFFSET_DAYS, nextOffsetDays, offsetDay, offsetDaysProblem, secondTuesday } from "../../../components/rollout/patchTuesday";

/**
 * Patch Tuesday date logic without the gate's Python (patchTuesday.test.ts cross-checks the two but
 * starts a Python harness; this file is the fast one `npm run mutation` runs). Oracles independent
 * of the implementation: Microsoft's published release days and Tuesdays counted day by day.
 */

/** Microsoft's release days (second Tuesdays) for 2026 and 2027, as published in the Security Update Guide. */
const PATCH_TUESDAYS = [
    ...["2026-01-13", "2026-02-10", "2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11", "2026-09-08", "2026-10-13", "2026-11-10", "2026-12-08"],
    ...["2027-01-12", "2027-02-09", "2027-03-09", "2027-04-13", "2027-05-11", "2027-06-08", "2027-07-13", "2027-08-10", "2027-09-14", "2027-10-12", "2027-11-09", "2027-12-14"],
];
const DAY = 86_400_000;
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** The second Tuesday by walking the month's first 14 days (not the modular formula under test). */
function countedSecondTuesday(year: number, month: number): string {
    const first = `${year}-${String(month).padStart(2, "0")}-01`;
    const tuesdays = Array.from({ length: 14 }, (_, i) => plusDays(first, i)).filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 2);
    return tuesdays[1];
}

describe("Patch Tuesday offsets (pure date logic)", () => {
    it("second Tuesdays are Microsoft's release days, and the counted second Tuesday for 2026-2035", () => {
        const months = Array.from({ length: 24 }, (_, i) => [2026 + Math.floor(i / 12), (i % 12) + 1] as const);
        assert.deepEqual(
            months.map(([y, m]) => secondTuesday(y, m)),
            PATCH_TUESDAYS,
        );
        // Ten years of months start on every weekday (a first-of-month Tuesday gives the 8th, a Wednesday the 14th).
        for (let i = 0; i < 120; i++) {
            const [y, m] = [2026 + Math.floor(i / 12), (i % 12) + 1];
            assert.equal(secondTuesday(y, m), countedSecondTuesday(y, m), `${y}-${m}`);
        }
    });

    it("offset day = second Tuesday + N calendar days, carried into the next month and year", () => {
        assert.equal(offsetDay(2026, 1, 0), "2026-01-13");
        assert.equal(offsetDay(2026, 1, 1), "2026-01-14");
        assert.equal(offsetDay(2026, 2, 19), "2026-03-01", "February 2026 has 28 days");
        assert.equal(offsetDay(2028, 2, 21), "2028-02-29", "2028-02-08 + 21: February 2028 has 29 days");
        assert.equal(offsetDay(2028, 2, 22), "2028-03-01");
        assert.equal(offsetDay(2026, 12, 27), "2027-01-04");
    });

    it("offsets 0-27 are allowed, anything else is refused with the range and the reason", () => {
        for (const good of [0, 1, 14, MAX_PATCH_TUESDAY_OFFSET_DAYS]) assert.equal(offsetDaysProblem(good), undefined, String(good));
        assert.equal(MAX_PATCH_TUESDAY_OFFSET_DAYS, 27, "second Tuesdays are 28 or 35 days apart: 27 is the largest offset that stays before the next one");
        for (const bad of [-1, 28, 0.5, 27.5, Number.NaN, Number.POSITIVE_INFINITY]) {
            assert.equal(offsetDaysProblem(bad), `${bad} is not an integer from 0 to 27 (days after the second Tuesday; more would reach the next month's Patch Tuesday)`);
            assert.throws(() => isOffsetDay(new Date("2026-01-13T12:00:00Z"), bad, "UTC"), { message: `patchTuesdayOffsetDays ${offsetDaysProblem(bad)}` });
            assert.throws(() => nextOffsetDays(new Date("2026-01-13T12:00:00Z"), 1, bad, "UTC"), { message: `patchTuesdayOffsetDays ${offsetDaysProblem(bad)}` });
        }
    });

    it("isOffsetDay is true on exactly one day per month: the counted second Tuesday + N (offsets 0, 6, 20, 27; 2026-2027)", () => {
        for (const n of [0, 6, 20, 27]) {
            const expected = new Set(Array.from({ length: 25 }, (_, i) => plusDays(countedSecondTuesday(2025 + Math.floor((i + 11) / 12), ((i + 11) % 12) + 1), n)));
            for (let t = Date.parse("2026-01-01T12:00:00Z"); t < Date.parse("2028-01-01T12:00:00Z"); t += DAY) {
                const day = new Date(t).toISOString().slice(0, 10);
                assert.equal(isOffsetDay(new Date(t), n, "UTC"), expected.has(day), `offset ${n}, ${day}`);
            }
        }
    });

    it("January looks back to December of the previous year (an offset carried over New Year)", () => {
        // 2026-12-08 + 27 = 2027-01-04; 2027-01-12 + 27 = 2027-02-08.
        assert.equal(isOffsetDay(new Date("2027-01-04T12:00:00Z"), 27, "UTC"), true);
        assert.equal(isOffsetDay(new Date("2027-01-05T12:00:00Z"), 27, "UTC"), false);
        assert.equal(isOffsetDay(new Date("2027-02-08T12:00:00Z"), 27, "UTC"), true);
    });

    it("uses the local date in the configured zone, with zero-padded month and day", () => {
        // 2026-01-14 07:30 UTC is 23:30 on the 13th in Los Angeles (UTC-8) and 20:30 on the 14th in Auckland (UTC+13).
        assert.equal(localDate(new Date("2026-01-14T07:30:00Z"), "America/Los_Angeles"), "2026-01-13");
        assert.equal(localDate(new Date("2026-01-14T07:30:00Z"), "Pacific/Auckland"), "2026-01-14");
        assert.equal(localDate(new Date("2026-03-04T23:30:00Z"), "Pacific/Auckland"), "2026-03-05");
        assert.equal(localDate(new Date("2026-10-31T23:30:00Z"), "UTC"), "2026-10-31");
        assert.equal(isOffsetDay(new Date("2026-01-14T07:30:00Z"), 0, "America/Los_Angeles"), true);
        assert.equal(isOffsetDay(new Date("2026-01-14T07:30:00Z"), 0, "UTC"), false);
        assert.equal(isOffsetDay(new Date("2026-01-12T11:30:00Z"), 0, "Pacific/Auckland"), true);
    });

    it("nextOffsetDays: the next N offset days from the local date on, including today and last month's carried-over day", () => {
        // On May 1st, April's +20 (May 4) is still ahead.
        assert.deepEqual(nextOffsetDays(new Date("2026-05-01T12:00:00Z"), 3, 20, "UTC"), ["2026-05-04", "2026-06-01", "2026-06-29"]);
        // On an offset day itself, that day is the first.
        assert.deepEqual(nextOffsetDays(new Date("2026-05-04T23:00:00Z"), 2, 20, "UTC"), ["2026-05-04", "2026-06-01"]);
        // The day after: the next one.
        assert.deepEqual(nextOffsetDays(new Date("2026-05-05T00:00:00Z"), 1, 20, "UTC"), ["2026-06-01"]);
        // Across the year end (December's month index wraps to January of the next year).
        assert.deepEqual(nextOffsetDays(new Date("2026-11-20T12:00:00Z"), 4, 0, "UTC"), ["2026-12-08", "2027-01-12", "2027-02-09", "2027-03-09"]);
        assert.deepEqual(nextOffsetDays(new Date("2027-01-02T12:00:00Z"), 2, 27, "UTC"), ["2027-01-04", "2027-02-08"]);
        // The local date decides: still Jan 13 in Los Angeles.
        assert.deepEqual(nextOffsetDays(new Date("2026-01-14T07:30:00Z"), 2, 0, "America/Los_Angeles"), ["2026-01-13", "2026-02-10"]);
        assert.deepEqual(nextOffsetDays(new Date("2026-01-14T07:30:00Z"), 0, 0, "UTC"), []);
    });
});
