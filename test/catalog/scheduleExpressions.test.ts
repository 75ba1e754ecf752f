import { strict as assert } from "node:assert";
import { effectiveStartDate } from "../../catalog/scheduleExpressions";

describe("catalog/scheduleExpressions: effective schedule start dates (Scheduler refuses past ones)", () => {
    const now = new Date("2027-01-10T12:00:00Z");
    const cases: [string, string | undefined, string | undefined][] = [
        ["rate(14 days)", "2026-12-06T02:00:00-08:00", "2027-01-17T10:00:00.000Z"],
        ["rate(14 days)", "2027-02-01T00:00:00Z", "2027-02-01T00:00:00.000Z"],
        ["rate(14 days)", undefined, undefined],
        ["cron(0 3 ? * SUN *)", "2026-12-06T02:00:00Z", undefined],
        ["cron(0 3 ? * SUN *)", "2027-03-01T00:00:00Z", "2027-03-01T00:00:00.000Z"],
        ["rate(1 day)", "2027-01-10T12:05:00Z", "2027-01-11T12:05:00.000Z"],
    ];
    for (const [expression, start, expected] of cases) {
        it(`${expression} from ${start ?? "no start"} → ${expected ?? "none"}`, () => {
            assert.equal(effectiveStartDate(expression, start, now), expected);
        });
    }

    it("keeps the anchor's phase: the effective start is a whole number of periods after it", () => {
        const anchor = Date.parse("2026-12-06T10:00:00Z");
        for (const day of [1, 5, 13, 14, 15, 40]) {
            const effective = Date.parse(effectiveStartDate("rate(14 days)", "2026-12-06T10:00:00Z", new Date(Date.UTC(2027, 0, day)))!);
            assert.equal((effective - anchor) % (14 * 86_400_000), 0);
            assert.ok(effective >= Date.UTC(2027, 0, day) + 10 * 60_000);
        }
    });
});
