import { strict as assert } from "node:assert";
import { ConfigError, parseEstateConfig } from "../../../stacks/config/estateConfig";
import { TEST_CONTEXT, validRawConfig } from "../../fixtures/estateConfig";

/**
 * Safe rollout keys (issue 17): one changed thing per case, one line per mistake. The fixture's
 * Linux installs rate(14 days) from 2026-12-06T02:00Z (Europe/London), Windows cron(0 3 ? * SAT *).
 */

type Raw = Record<string, unknown>;
type Group = Record<string, unknown> & { install: Record<string, unknown> };
const groups = (raw: Raw) => raw["patchGroups"] as Group[];

function problemsOf(change: (raw: Raw) => void): string[] {
    const raw = validRawConfig();
    change(raw);
    try {
        parseEstateConfig(raw, TEST_CONTEXT);
        return [];
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.message.split("\n");
    }
}

const windows = (raw: Raw) => groups(raw)[1];
const linux = (raw: Raw) => groups(raw)[0];

describe("config: safe rollout (issue 17)", () => {
    const CASES: [string, (raw: Raw) => void, string][] = [
        ["unknown after group", (r) => (windows(r).after = { group: "Solaris", minDays: 1 }), 'patchGroups[1].after.group: "Solaris" is not a patch group of this stack; allowed: Linux'],
        ["a ring naming itself", (r) => (windows(r).after = { group: "Windows", minDays: 1 }), 'patchGroups[1].after.group: "Windows" names this patch group itself; a ring follows another group'],
        [
            "a cycle",
            (r) => {
                windows(r).after = { group: "Linux", minDays: 1 };
                linux(r).after = { group: "Windows", minDays: 1 };
            },
            'patchGroups[0].after.group: "Windows" makes a cycle of rings (Linux → Windows → Linux); one group must come first',
        ],
        ["minDays beyond the earlier ring's cadence", (r) => (linux(r).after = { group: "Windows", minDays: 7 }), "patchGroups[0].after.minDays: 7 can never pass: Windows installs every 7 day(s), so its latest install is never 7 days old; use fewer than 7"],
        [
            "minDays beyond the fixed distance of two rate rings",
            (r) => {
                groups(r).push({ name: "AppA", operatingSystems: ["UBUNTU"], install: { expression: "rate(14 days)", startDate: "2026-12-08T01:00:00Z" }, after: { group: "Linux", minDays: 3 } });
            },
            "patchGroups[2].after.minDays: 3 can never pass: both rings install every rate(14 days) and AppA starts 1 whole day(s) after Linux each cycle; use at most 1 or move install.startDate",
        ],
        ["bad compliance percent", (r) => (windows(r).after = { group: "Linux", minDays: 1, require: { compliancePercent: 0 } }), "patchGroups[1].after.require.compliancePercent: 0 is not a percentage above 0 and at most 100 (of the earlier ring's steps that succeeded)"],
        ["offset out of range", (r) => (windows(r).install = { patchTuesdayOffsetDays: 28, timeOfDay: "03:00" }), "patchGroups[1].install.patchTuesdayOffsetDays: 28 is not an integer from 0 to 27 (days after the second Tuesday of the month)"],
        ["offset and expression", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", patchTuesdayOffsetDays: 5, timeOfDay: "03:00" }), "patchGroups[1].install.patchTuesdayOffsetDays: 5 conflicts with install.expression; give either an expression or patchTuesdayOffsetDays + timeOfDay"],
        ["offset without time of day", (r) => (windows(r).install = { patchTuesdayOffsetDays: 5 }), "patchGroups[1].install.timeOfDay: missing; patchTuesdayOffsetDays needs the install's local start time HH:MM"],
        ["neither expression nor offset", (r) => (windows(r).install = { timeZone: "UTC" }), "patchGroups[1].install.expression: missing; give an expression, or patchTuesdayOffsetDays + timeOfDay"],
        ["bad time of day", (r) => (windows(r).install = { patchTuesdayOffsetDays: 5, timeOfDay: "25:00" }), 'patchGroups[1].install.timeOfDay: "25:00" is not a 24-hour time HH:MM'],
        ["window not longer than the flexible window", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", flexibleWindowMinutes: 60, maxDurationMinutes: 60 }), "patchGroups[1].install.maxDurationMinutes: 60 is not more than flexibleWindowMinutes (60); the scheduler may start the install that late"],
        ["window longer than the cadence", (r) => (linux(r).install = { expression: "rate(1 day)", startDate: "2026-12-06T02:00:00Z", maxDurationMinutes: 1440 }), "patchGroups[0].install.maxDurationMinutes: 1440 is not less than the 1440 minutes between two install schedule runs; the window must end before the next run starts"],
        [
            "a monthly cron window past midnight",
            (r) => (windows(r).install = { expression: "cron(0 22 ? * SAT#2 *)", maxDurationMinutes: 240 }),
            'patchGroups[1].install.maxDurationMinutes: 240 ends on a later day than "cron(0 22 ? * SAT#2 *)" starts; the cutoff cannot be written as cron there (end the window by midnight, or use a daily or weekday schedule)',
        ],
        ["a blank alarm name", (r) => (windows(r).haltOnAlarm = "   "), 'patchGroups[1].haltOnAlarm: "   " is not a CloudWatch alarm name (1-255 characters, not blank, no control characters) or ARN arn:aws:cloudwatch:<region>:<account>:alarm:<name>'],
        [
            "an alarm ARN of another account",
            (r) => (windows(r).haltOnAlarm = "arn:aws:cloudwatch:us-east-1:999999999999:alarm:health"),
            'patchGroups[1].haltOnAlarm: "arn:aws:cloudwatch:us-east-1:999999999999:alarm:health" is not in the central account and Region (111111111111, us-east-1); Systems Manager reads the alarm by name where the run executes',
        ],
        ["a blackout ending before it starts", (r) => (r["blackouts"] = [{ name: "freeze", start: "2026-12-20", end: "2026-12-19T00:00Z" }]), 'blackouts[0]: end "2026-12-19T00:00Z" is not after start "2026-12-20"'],
        ["a blackout for an unknown group", (r) => (r["blackouts"] = [{ name: "freeze", start: "2026-12-20", end: "2027-01-03", groups: ["Solaris"] }]), 'blackouts[0].groups[0]: "Solaris" is not a patch group of this stack; allowed: Linux, Windows'],
        ["a monthly blackout on the 30th", (r) => (r["blackouts"] = [{ name: "month-end", start: "2026-12-30", end: "2026-12-31", recurrence: "monthly" }]), 'blackouts[0]: a monthly blackout must start on day 1-28 (months without day 30 would skip it), not "2026-12-30"'],
    ];
    for (const [title, change, expected] of CASES) {
        it(`refuses ${title} in one line`, () => assert.deepEqual(problemsOf(change), [expected]));
    }

    it("resolves a gated estate: offset → daily cron, alarm ARN → name, the earlier ring gated too, blackouts per group", () => {
        const raw = validRawConfig();
        windows(raw).install = { patchTuesdayOffsetDays: 5, timeOfDay: "03:30", timeZone: "America/Los_Angeles", maxDurationMinutes: 240 };
        windows(raw).after = { group: "Linux", minDays: 3 };
        windows(raw).haltOnAlarm = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health";
        raw["blackouts"] = [{ name: "freeze", start: "2026-12-20", end: "2027-01-03", recurrence: "yearly", groups: ["Windows"] }];
        const estate = parseEstateConfig(raw, TEST_CONTEXT);
        const [l, w] = estate.patchGroups;
        assert.deepEqual(w.install, { expression: "cron(30 3 * * ? *)", timeZone: "America/Los_Angeles", flexibleWindowMinutes: 0 });
        assert.deepEqual(w.rollout, {
            after: { group: "Linux", minDays: 3, require: "success" },
            haltOnAlarm: { alarmName: "fleet-health", ignorePollAlarmFailure: false },
            patchTuesdayOffsetDays: 5,
            maxDurationMinutes: 240,
            blackouts: ["freeze"],
        });
        // Linux is Windows' earlier ring: its installs must carry the gate's tag for Windows to find them.
        assert.deepEqual(l.rollout, { blackouts: [] });
        assert.deepEqual(estate.blackouts, [{ name: "freeze", start: "2026-12-20", end: "2027-01-03", recurrence: "yearly", groups: ["Windows"] }]);
    });

    it("leaves a group without safety settings exactly as before (no rollout key)", () => {
        const estate = parseEstateConfig(validRawConfig(), TEST_CONTEXT);
        assert.ok(estate.patchGroups.every((g) => !("rollout" in g)));
        assert.deepEqual(estate.blackouts, []);
    });
});

/**
 * Rules between the rollout keys at their edges (issue 21: each pinned so a changed comparison
 * fails a test). Linux: rate(14 days) from 2026-12-06T02:00Z; Windows: cron(0 3 ? * SAT *).
 */
describe("config: safe rollout rules at their edges", () => {
    const appA = (install: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: "AppA", operatingSystems: ["UBUNTU"], install, ...extra });
    const CASES: [string, (raw: Raw) => void, string[]][] = [
        // A Patch Tuesday offset installs once every 28-35 days: a later ring may wait up to 27.
        ["a ring 27 days after a Patch Tuesday ring", (r) => { linux(r).install = { patchTuesdayOffsetDays: 3, timeOfDay: "02:00" }; windows(r).after = { group: "Linux", minDays: 27 }; }, []],
        ["a ring 28 days after a Patch Tuesday ring", (r) => { linux(r).install = { patchTuesdayOffsetDays: 3, timeOfDay: "02:00" }; windows(r).after = { group: "Linux", minDays: 28 }; }, ["patchGroups[1].after.minDays: 28 can never pass: Linux installs every 28 day(s), so its latest install is never 28 days old; use fewer than 28"]],
        ["a ring 6 days after a weekly ring", (r) => (linux(r).after = { group: "Windows", minDays: 6 }), []],
        ["a ring after a ring of an unread cadence (weekdays)", (r) => { windows(r).install = { expression: "cron(0 3 ? * MON-FRI *)" }; linux(r).after = { group: "Windows", minDays: 30 }; }, []],
        ["a ring after a ring with no install schedule", (r) => { windows(r).install = { timeZone: "UTC" }; linux(r).after = { group: "Windows", minDays: 1 }; }, ["patchGroups[1].install.expression: missing; give an expression, or patchTuesdayOffsetDays + timeOfDay"]],
        // Two rate(14 days) rings one day apart: at most 1; the same day: 0.
        ["minDays equal to the fixed distance", (r) => groups(r).push(appA({ expression: "rate(14 days)", startDate: "2026-12-07T03:00:00Z" }, { after: { group: "Linux", minDays: 1 } })), []],
        ["different rates have no fixed distance", (r) => groups(r).push(appA({ expression: "rate(7 days)", startDate: "2026-12-07T03:00:00Z" }, { after: { group: "Linux", minDays: 3 } })), []],
        ["the same rate in hours is not judged by distance (calendar days)", (r) => { linux(r).install = { expression: "rate(36 hours)", startDate: "2026-12-06T02:00:00Z" }; groups(r).push(appA({ expression: "rate(36 hours)", startDate: "2026-12-06T14:00:00Z" }, { after: { group: "Linux", minDays: 1 } })); }, []],
        // Starting 25 hours before the earlier ring = 12 days 23 hours after its previous run.
        [
            "a ring starting before the earlier one: counted from its previous cycle",
            (r) => groups(r).push(appA({ expression: "rate(14 days)", startDate: "2026-12-05T01:00:00Z" }, { after: { group: "Linux", minDays: 13 } })),
            ["patchGroups[2].after.minDays: 13 can never pass: both rings install every rate(14 days) and AppA starts 12 whole day(s) after Linux each cycle; use at most 12 or move install.startDate"],
        ],
        ["an unknown group names every other group", (r) => { groups(r).push(appA({ expression: "rate(7 days)", startDate: "2026-12-07T03:00:00Z" })); windows(r).after = { group: "Solaris", minDays: 1 }; }, ['patchGroups[1].after.group: "Solaris" is not a patch group of this stack; allowed: Linux, AppA']],
        [
            "a cycle reached from a group outside it: reported once, at the cycle's first group",
            (r) => {
                groups(r).push(appA({ expression: "rate(7 days)", startDate: "2026-12-07T03:00:00Z" }, { after: { group: "Linux", minDays: 1 } }));
                linux(r).after = { group: "Windows", minDays: 1 };
                windows(r).after = { group: "Linux", minDays: 1 };
            },
            ['patchGroups[0].after.group: "Windows" makes a cycle of rings (Linux → Windows → Linux); one group must come first'],
        ],
        ["a chain of three rings", (r) => { groups(r).push(appA({ expression: "rate(7 days)", startDate: "2026-12-07T03:00:00Z" }, { after: { group: "Windows", minDays: 1 } })); windows(r).after = { group: "Linux", minDays: 1 }; }, []],
        ["timeOfDay with an expression", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", timeOfDay: "03:00" }), ['patchGroups[1].install.timeOfDay: "03:00" is used only with patchTuesdayOffsetDays; put the time in the cron expression']],
        // One line per mistake: no window check on an install that is already wrong.
        ["a conflicting install with a too long window", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", patchTuesdayOffsetDays: 5, timeOfDay: "03:00", maxDurationMinutes: 1500 }), ["patchGroups[1].install.patchTuesdayOffsetDays: 5 conflicts with install.expression; give either an expression or patchTuesdayOffsetDays + timeOfDay"]],
        ["timeOfDay with an expression and a too long window", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", timeOfDay: "03:00", maxDurationMinutes: 10000 }), ['patchGroups[1].install.timeOfDay: "03:00" is used only with patchTuesdayOffsetDays; put the time in the cron expression']],
        // A Patch Tuesday schedule fires daily: its window must end within the day; a weekly one may run past a day.
        ["a Patch Tuesday window of a whole day", (r) => (windows(r).install = { patchTuesdayOffsetDays: 5, timeOfDay: "03:00", maxDurationMinutes: 1440 }), ["patchGroups[1].install.maxDurationMinutes: 1440 is not less than the 1440 minutes between two install schedule runs; the window must end before the next run starts"]],
        ["a Patch Tuesday window just under a day", (r) => (windows(r).install = { patchTuesdayOffsetDays: 5, timeOfDay: "00:00", maxDurationMinutes: 1439 }), []],
        ["a weekly window longer than a day", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", maxDurationMinutes: 1500 }), []],
        ["a window one minute longer than the flexible window", (r) => (windows(r).install = { expression: "cron(0 3 ? * SAT *)", flexibleWindowMinutes: 60, maxDurationMinutes: 61 }), []],
        ["a window on an unread cadence", (r) => (windows(r).install = { expression: "cron(0 3 ? * MON-FRI *)", maxDurationMinutes: 120 }), []],
        ["a plain alarm name", (r) => (windows(r).haltOnAlarm = "fleet-health"), []],
        ["an alarm ARN of the central account and Region", (r) => (windows(r).haltOnAlarm = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health"), []],
        [
            "an alarm ARN of the central account in another Region",
            (r) => (windows(r).haltOnAlarm = "arn:aws:cloudwatch:us-west-2:111111111111:alarm:fleet-health"),
            ['patchGroups[1].haltOnAlarm: "arn:aws:cloudwatch:us-west-2:111111111111:alarm:fleet-health" is not in the central account and Region (111111111111, us-east-1); Systems Manager reads the alarm by name where the run executes'],
        ],
        [
            "an alarm ARN of a member account when the central account is not listed first",
            (r) => {
                r["accounts"] = [...(r["accounts"] as unknown[])].reverse();
                windows(r).haltOnAlarm = "arn:aws:cloudwatch:us-east-1:222222222222:alarm:fleet-health";
            },
            ['patchGroups[1].haltOnAlarm: "arn:aws:cloudwatch:us-east-1:222222222222:alarm:fleet-health" is not in the central account and Region (111111111111, us-east-1); Systems Manager reads the alarm by name where the run executes'],
        ],
        [
            "an alarm ARN when the central account is not listed (both lines, no crash)",
            (r) => {
                r["centralAccount"] = "nobody";
                windows(r).haltOnAlarm = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health";
            },
            ["centralAccount: \"nobody\" is not an alias from accounts; allowed: security, apps"],
        ],
        [
            "a bad blackout beyond the tenth: its own index",
            (r) => (r["blackouts"] = Array.from({ length: 11 }, (_, i) => ({ name: `freeze ${i}`, start: "2026-12-20", end: i === 10 ? "2026-12-19T00:00Z" : "2026-12-21" }))),
            ['blackouts[10]: end "2026-12-19T00:00Z" is not after start "2026-12-20"'],
        ],
    ];
    for (const [title, change, expected] of CASES) {
        it(`${expected.length === 0 ? "accepts" : "refuses"} ${title}`, () => assert.deepEqual(problemsOf(change), expected));
    }

    it("resolves blackouts without groups to every group, keeps start dates, and gives settings to groups that use any", () => {
        const raw = validRawConfig();
        raw["blackouts"] = [{ name: "freeze", start: "2026-12-20", end: "2027-01-03" }];
        groups(raw).push({ name: "AppA", operatingSystems: ["UBUNTU"], install: { expression: "rate(7 days)", startDate: "2026-12-07T03:00:00Z" }, haltOnAlarm: "fleet-health", ignorePollAlarmFailure: true });
        const estate = parseEstateConfig(raw, TEST_CONTEXT);
        assert.deepEqual(estate.blackouts, [{ name: "freeze", start: "2026-12-20", end: "2027-01-03", groups: ["Linux", "Windows", "AppA"] }]);
        const [l, w, a] = estate.patchGroups;
        assert.deepEqual(l.install, { expression: "rate(14 days)", timeZone: "Europe/London", startDate: "2026-12-06T02:00:00Z", flexibleWindowMinutes: 0 });
        assert.deepEqual(l.rollout, { blackouts: ["freeze"] });
        assert.deepEqual(w.rollout, { blackouts: ["freeze"] });
        assert.deepEqual(a.rollout, { haltOnAlarm: { alarmName: "fleet-health", ignorePollAlarmFailure: true }, blackouts: ["freeze"] });
    });

    it("a group with only an alarm, and one with only a blackout, get settings; the others none", () => {
        const raw = validRawConfig();
        raw["blackouts"] = [{ name: "freeze", start: "2026-12-20", end: "2027-01-03", groups: ["Linux"] }];
        windows(raw).haltOnAlarm = "fleet-health";
        groups(raw).push({ name: "AppA", operatingSystems: ["UBUNTU"], install: { expression: "rate(7 days)", startDate: "2026-12-07T03:00:00Z" } });
        const [l, w, a] = parseEstateConfig(raw, TEST_CONTEXT).patchGroups;
        assert.deepEqual(l.rollout, { blackouts: ["freeze"] });
        assert.deepEqual(w.rollout, { haltOnAlarm: { alarmName: "fleet-health", ignorePollAlarmFailure: false }, blackouts: [] });
        assert.ok(!("rollout" in a));
    });
});

