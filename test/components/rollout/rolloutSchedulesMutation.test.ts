import { strict as assert } from "node:assert";
import { dailyCron, parseAlarm, shortestIntervalMinutes, TIME_OF_DAY, windowEnd } from "../../../catalog/rolloutSchedules";

/**
 * The schedule arithmetic behind the window cutoff and the ring rule (catalog/rolloutSchedules.ts),
 * read against EventBridge Scheduler's expression forms: cron(minute hour day-of-month month
 * day-of-week year) with day-of-week 1-7 or SUN-SAT, `#n` (n-th weekday of the month, 1-5) and `L`;
 * rate(value minute|hour|day). Alarm names per CloudWatch PutMetricAlarm (AlarmName 1-255, no
 * ASCII control characters) and SSM AlarmConfiguration (the name).
 */

const DAY = 1440;

describe("catalog/rolloutSchedules: times, alarm names, intervals, window ends", () => {
    it("time of day is HH:MM, 24-hour", () => {
        for (const good of ["00:00", "09:05", "19:59", "23:59"]) assert.ok(TIME_OF_DAY.test(good), good);
        for (const bad of ["24:00", "9:05", "09:60", "29:00", "09:5", "x09:05", "09:05x", "0905"]) assert.ok(!TIME_OF_DAY.test(bad), bad);
        assert.equal(dailyCron("03:30"), "cron(30 3 * * ? *)");
        assert.equal(dailyCron("00:05"), "cron(5 0 * * ? *)");
    });

    describe("halt alarm", () => {
        it("a name is taken as it is: 1-255 characters, anything but control characters", () => {
            assert.deepEqual(parseAlarm("fleet-health"), { name: "fleet-health" });
            assert.deepEqual(parseAlarm(" spaced name "), { name: " spaced name " });
            assert.deepEqual(parseAlarm("x"), { name: "x" });
            assert.deepEqual(parseAlarm("é".repeat(255)), { name: "é".repeat(255) });
            assert.deepEqual(parseAlarm("a:b/c"), { name: "a:b/c" });
        });

        it("an ARN gives its name, Region and account", () => {
            assert.deepEqual(parseAlarm("arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health"), { name: "fleet-health", region: "us-east-1", accountId: "111111111111" });
            assert.deepEqual(parseAlarm("arn:aws:cloudwatch:eu-west-2:222222222222:alarm:a:b"), { name: "a:b", region: "eu-west-2", accountId: "222222222222" });
            // Not the ARN form (11-digit account): the whole text is an alarm name.
            assert.deepEqual(parseAlarm("arn:aws:cloudwatch:us-east-1:11111111111:alarm:x"), { name: "arn:aws:cloudwatch:us-east-1:11111111111:alarm:x" });
            // Only a value that IS an ARN: a prefix makes it a name.
            assert.deepEqual(parseAlarm("my-arn:aws:cloudwatch:us-east-1:111111111111:alarm:x"), { name: "my-arn:aws:cloudwatch:us-east-1:111111111111:alarm:x" });
        });

        it("refuses empty, blank, too long and control characters (also in an ARN's name)", () => {
            const problem = "is not a CloudWatch alarm name (1-255 characters, not blank, no control characters) or ARN arn:aws:cloudwatch:<region>:<account>:alarm:<name>";
            for (const bad of ["", " ", "\t ", "a".repeat(256), "a\u0000b", "a\u001fb", "a\u007fb", "line\nbreak", "arn:aws:cloudwatch:us-east-1:111111111111:alarm: ", "arn:aws:cloudwatch:us-east-1:111111111111:alarm:a\nb"]) {
                assert.deepEqual(parseAlarm(bad), { problem }, JSON.stringify(bad));
            }
            assert.deepEqual(parseAlarm("a\u0020b\u0080c"), { name: "a\u0020b\u0080c" }, "space and U+0080 are not ASCII control characters");
        });
    });

    describe("shortest interval between two runs (minutes)", () => {
        const CASES: [string, number | undefined][] = [
            ["rate(5 minutes)", 5],
            ["rate(1 minute)", 1],
            ["rate(2 hours)", 120],
            ["rate(3 days)", 3 * DAY],
            ["cron(30 3 * * ? *)", DAY],
            ["cron(30 3 ? * * *)", DAY],
            ["cron(0 3 ? * SAT *)", 7 * DAY],
            ["cron(0 3 ? * SUN *)", 7 * DAY],
            ["cron(0 3 ? * 1 *)", 7 * DAY],
            ["cron(0 3 ? * 7 *)", 7 * DAY],
            ["cron(0 3 ? * SAT#2 *)", 28 * DAY],
            ["cron(0 3 ? * 1#1 *)", 28 * DAY],
            ["cron(0 3 ? * 7#5 *)", 28 * DAY],
            ["cron(0 3 ? * 6L *)", 28 * DAY],
            ["cron(0 3 15 * ? *)", 28 * DAY],
            ["cron(0 3 1 * ? 2027)", 28 * DAY],
            // Not read: several times a day, several days, a month, last day, nearest weekday, other forms.
            ["cron(0/15 3 * * ? *)", undefined],
            ["cron(0 3,15 * * ? *)", undefined],
            ["cron(0 * * * ? *)", undefined],
            ["cron(0 3 ? * MON-FRI *)", undefined],
            ["cron(0 3 ? * 1,7 *)", undefined],
            ["cron(0 3 ? * 1#0 *)", undefined],
            ["cron(0 3 1 JAN ? *)", undefined],
            ["cron(0 3 L * ? *)", undefined],
            ["cron(0 3 15W * ? *)", undefined],
            ["at(2026-12-24T03:00:00)", undefined],
            ["cron(61 3 * * ? *)", undefined],
            ["weekly", undefined],
        ];
        for (const [expression, minutes] of CASES) {
            it(`${expression}: ${minutes ?? "not read"}`, () => assert.equal(shortestIntervalMinutes(expression), minutes));
        }
    });

    describe("window end (the cutoff schedule)", () => {
        it("rate(): the same rate, its start date moved by the window", () => {
            assert.deepEqual(windowEnd("rate(14 days)", "2026-12-06T02:00:00Z", 240), { expression: "rate(14 days)", startDate: "2026-12-06T06:00:00Z" });
            assert.deepEqual(windowEnd("rate(14 days)", "2026-12-06T22:30:00Z", 150), { expression: "rate(14 days)", startDate: "2026-12-07T01:00:00Z" });
            assert.deepEqual(windowEnd("rate(1 day)", undefined, 60), { expression: "rate(1 day)" });
        });

        it("cron on the same day: minute and hour moved, the rest kept", () => {
            assert.deepEqual(windowEnd("cron(0 3 ? * SAT *)", undefined, 240), { expression: "cron(0 7 ? * SAT *)" });
            assert.deepEqual(windowEnd("cron(45 3 ? * SAT#2 2027)", undefined, 20), { expression: "cron(5 4 ? * SAT#2 2027)" });
            assert.deepEqual(windowEnd("cron(0 22 15 * ? *)", undefined, 119), { expression: "cron(59 23 15 * ? *)" });
        });

        it("past midnight: a daily schedule keeps its days, a weekday moves on by the days crossed", () => {
            assert.deepEqual(windowEnd("cron(0 22 * * ? *)", undefined, 240), { expression: "cron(0 2 * * ? *)" });
            assert.deepEqual(windowEnd("cron(30 23 ? * SAT *)", undefined, 60), { expression: "cron(30 0 ? * SUN *)" });
            assert.deepEqual(windowEnd("cron(0 22 ? * 7 *)", undefined, 180), { expression: "cron(0 1 ? * SUN *)" }, "day 7 is Saturday");
            assert.deepEqual(windowEnd("cron(0 22 ? * 1 *)", undefined, 180), { expression: "cron(0 1 ? * MON *)" }, "day 1 is Sunday");
            assert.deepEqual(windowEnd("cron(0 12 ? * FRI *)", undefined, 2 * DAY), { expression: "cron(0 12 ? * SUN *)" });
            const week = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
            week.forEach((day, i) => {
                assert.deepEqual(windowEnd(`cron(0 23 ? * ${day} *)`, undefined, 120), { expression: `cron(0 1 ? * ${week[(i + 1) % 7]} *)` }, day);
                assert.deepEqual(windowEnd(`cron(0 23 ? * ${i + 1} *)`, undefined, 120), { expression: `cron(0 1 ? * ${week[(i + 1) % 7]} *)` }, String(i + 1));
            });
            assert.deepEqual(windowEnd("cron(0 12 ? * MON *)", undefined, 6 * DAY + 60), { expression: "cron(0 13 ? * SUN *)" });
        });

        it("refuses a cutoff cron cannot express: a week or more later, a monthly day or #n weekday the next day", () => {
            const later = (expression: string) => `ends on a later day than "${expression}" starts; the cutoff cannot be written as cron there (end the window by midnight, or use a daily or weekday schedule)`;
            assert.deepEqual(windowEnd("cron(0 12 ? * MON *)", undefined, 7 * DAY), { problem: later("cron(0 12 ? * MON *)") });
            assert.deepEqual(windowEnd("cron(0 22 15 * ? *)", undefined, 120), { problem: later("cron(0 22 15 * ? *)") });
            assert.deepEqual(windowEnd("cron(0 22 ? * SAT#2 *)", undefined, 240), { problem: later("cron(0 22 ? * SAT#2 *)") });
            assert.deepEqual(windowEnd("cron(0 22 ? * MON-FRI *)", undefined, 240), { problem: later("cron(0 22 ? * MON-FRI *)") });
        });

        it("refuses schedules without one time of day", () => {
            const problem = "needs an install schedule at one time of day (cron with a single minute and hour, rate(), or patchTuesdayOffsetDays) to place the cutoff";
            for (const expression of ["cron(0/15 3 * * ? *)", "cron(0 3,15 * * ? *)", "cron(0 * * * ? *)", "at(2026-12-24T03:00:00)", "bad"]) {
                assert.deepEqual(windowEnd(expression, undefined, 60), { problem }, expression);
            }
        });
    });
});
