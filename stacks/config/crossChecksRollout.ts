import { blackoutProblems } from "../../catalog/blackouts";
import { dailyCron, parseAlarm, PATCH_TUESDAY_MIN_GAP_DAYS, shortestIntervalMinutes, windowEnd } from "../../catalog/rolloutSchedules";
import { parseScheduleExpression } from "../../catalog/scheduleExpressions";
import type { ConfigProblem } from "./errors";
import type { EstateBlackout, RolloutSettings, ScheduleSpec } from "./estateModel";
import type { ParsedEstateConfig } from "./schema";

/**
 * Safe rollout (issue 17): the rules between keys — the install's expression or Patch Tuesday
 * offset, the window cutoff against the schedule, rings (known, not itself, no cycles, feasible),
 * the halt alarm's account, blackouts — and the resolution into the estate's RolloutSettings.
 */

type ParsedGroup = ParsedEstateConfig["patchGroups"][number];
const DAY_MINUTES = 1440;

/** The install's schedule expression: the configured one, or the daily cron of a Patch Tuesday offset. */
export function installExpression(group: ParsedGroup): string | undefined {
    const install = group.install;
    if (install.patchTuesdayOffsetDays !== undefined) {
        return install.timeOfDay === undefined ? undefined : dailyCron(install.timeOfDay);
    }
    return install.expression;
}

/**
 * Shortest time between two installs of the group, in minutes: a Patch Tuesday offset fires on one
 * day every 28-35 days; otherwise the expression's (undefined when the form is not one we read).
 */
function installIntervalMinutes(group: ParsedGroup): number | undefined {
    if (group.install.patchTuesdayOffsetDays !== undefined) return PATCH_TUESDAY_MIN_GAP_DAYS * DAY_MINUTES;
    const expression = group.install.expression;
    return expression === undefined ? undefined : shortestIntervalMinutes(expression);
}

export function checkRollout(config: ParsedEstateConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    config.patchGroups.forEach((group, i) => {
        problems.push(...checkInstall(group, `patchGroups[${i}].install`));
        problems.push(...checkRing(config, group, i));
        problems.push(...checkAlarm(config, group, `patchGroups[${i}].haltOnAlarm`));
    });
    problems.push(...checkCycles(config));
    problems.push(...checkBlackouts(config));
    return problems;
}

function checkInstall(group: ParsedGroup, at: string): ConfigProblem[] {
    const install = group.install;
    const problems: ConfigProblem[] = [];
    const offset = install.patchTuesdayOffsetDays;
    if (offset !== undefined && install.expression !== undefined) {
        problems.push({ path: `${at}.patchTuesdayOffsetDays`, value: offset, message: "conflicts with install.expression; give either an expression or patchTuesdayOffsetDays + timeOfDay" });
    }
    if (offset === undefined && install.expression === undefined) {
        problems.push({ path: `${at}.expression`, message: "missing; give an expression, or patchTuesdayOffsetDays + timeOfDay" });
    }
    if (offset !== undefined && install.timeOfDay === undefined) {
        problems.push({ path: `${at}.timeOfDay`, message: "missing; patchTuesdayOffsetDays needs the install's local start time HH:MM" });
    }
    if (offset === undefined && install.timeOfDay !== undefined) {
        problems.push({ path: `${at}.timeOfDay`, value: install.timeOfDay, message: "is used only with patchTuesdayOffsetDays; put the time in the cron expression" });
    }
    const minutes = install.maxDurationMinutes;
    const expression = installExpression(group);
    if (minutes === undefined || expression === undefined || problems.length > 0) {
        return problems;
    }
    // The scheduler may start the install up to flexibleWindowMinutes late: a shorter window could
    // end before the run starts, and the run would then go uncut.
    if (minutes <= install.flexibleWindowMinutes) {
        problems.push({ path: `${at}.maxDurationMinutes`, value: minutes, message: `is not more than flexibleWindowMinutes (${install.flexibleWindowMinutes}); the scheduler may start the install that late` });
    }
    const interval = installIntervalMinutes(group);
    // The window must end before the next install starts (a Patch Tuesday schedule fires daily).
    const limit = install.patchTuesdayOffsetDays === undefined ? interval : DAY_MINUTES;
    // Stryker disable next-line ConditionalExpression: equivalent — `minutes >= undefined` is false; the test is for the type.
    if (limit !== undefined && minutes >= limit) {
        problems.push({ path: `${at}.maxDurationMinutes`, value: minutes, message: `is not less than the ${limit} minutes between two install schedule runs; the window must end before the next run starts` });
    }
    const end = windowEnd(expression, install.startDate, minutes);
    if ("problem" in end) {
        problems.push({ path: `${at}.maxDurationMinutes`, value: minutes, message: end.problem });
    }
    return problems;
}

function checkRing(config: ParsedEstateConfig, group: ParsedGroup, i: number): ConfigProblem[] {
    const ring = group.after;
    if (ring === undefined) return [];
    const at = `patchGroups[${i}].after`;
    if (ring.group === group.name) {
        return [{ path: `${at}.group`, value: ring.group, message: "names this patch group itself; a ring follows another group" }];
    }
    const earlier = config.patchGroups.find((g) => g.name === ring.group);
    if (earlier === undefined) {
        return [{ path: `${at}.group`, value: ring.group, message: `is not a patch group of this stack; allowed: ${config.patchGroups.filter((g) => g !== group).map((g) => g.name).join(", ")}` }];
    }
    return feasibilityProblems(group, earlier, ring.minDays, at);
}

/**
 * When the gate can never pass (README "Safe rollout", Rings). The gate reads the earlier ring's
 * LATEST install, so:
 * 1. minDays must be below the earlier ring's shortest install interval: otherwise the earlier
 *    ring installs again before its previous install is minDays old, and the latest one is never
 *    old enough (a rate, weekly, monthly cron or Patch Tuesday offset; other cron forms are not read).
 * 2. Two rate(n days) rings with the same n and start dates run at a fixed distance: this ring
 *    always installs d whole days after the earlier one, so minDays must be at most d.
 */
function feasibilityProblems(group: ParsedGroup, earlier: ParsedGroup, minDays: number, at: string): ConfigProblem[] {
    const interval = installIntervalMinutes(earlier);
    // Stryker disable next-line ConditionalExpression: equivalent — `n >= undefined` is false; the test is for the type.
    if (interval !== undefined && minDays * DAY_MINUTES >= interval) {
        const days = Math.round((interval / DAY_MINUTES) * 100) / 100;
        return [{ path: `${at}.minDays`, value: minDays, message: `can never pass: ${earlier.name} installs every ${days} day(s), so its latest install is never ${minDays} days old; use fewer than ${days}` }];
    }
    const distance = fixedDistanceDays(earlier, group);
    if (distance !== undefined && minDays > distance) {
        return [{ path: `${at}.minDays`, value: minDays, message: `can never pass: both rings install every ${earlier.install.expression} and ${group.name} starts ${distance} whole day(s) after ${earlier.name} each cycle; use at most ${distance} or move install.startDate` }];
    }
    return [];
}

/** Whole days from the earlier ring's install to this one's, when both are the same rate(n days) with start dates. */
function fixedDistanceDays(earlier: ParsedGroup, group: ParsedGroup): number | undefined {
    const [a, b] = [earlier.install, group.install];
    if (a.expression === undefined || a.expression !== b.expression || a.startDate === undefined || b.startDate === undefined) return undefined;
    const parsed = parseScheduleExpression(a.expression);
    if (!parsed.ok || parsed.expression.kind !== "rate" || parsed.expression.unit !== "day") return undefined;
    const period = parsed.expression.value * DAY_MINUTES * 60_000;
    const phase = (((new Date(b.startDate).getTime() - new Date(a.startDate).getTime()) % period) + period) % period;
    return Math.floor(phase / (DAY_MINUTES * 60_000));
}

/** Rings form a chain or tree: following `after` from any group must end. One line per cycle. */
function checkCycles(config: ParsedEstateConfig): ConfigProblem[] {
    const next = new Map(config.patchGroups.map((g) => [g.name, g.after?.group]));
    const reported = new Set<string>();
    const problems: ConfigProblem[] = [];
    config.patchGroups.forEach((group, i) => {
        const path = [group.name];
        let current = next.get(group.name);
        // Stryker disable next-line ConditionalExpression: equivalent — `current !== group.name` repeats `path.includes` (path starts with the group) and next.has(undefined) is false.
        while (current !== undefined && current !== group.name && !path.includes(current) && next.has(current)) {
            path.push(current);
            current = next.get(current);
        }
        // Self-reference is reported by checkRing; a cycle once, at its first group.
        // Stryker disable next-line MethodExpression: equivalent — a cycle's groups are reported together, so some = every.
        if (current === group.name && path.length > 1 && !path.some((name) => reported.has(name))) {
            path.forEach((name) => reported.add(name));
            // Stryker disable next-line OptionalChaining: equivalent — a group in a cycle has `after`.
            problems.push({ path: `patchGroups[${i}].after.group`, value: group.after?.group, message: `makes a cycle of rings (${[...path, group.name].join(" → ")}); one group must come first` });
        }
    });
    return problems;
}

function checkAlarm(config: ParsedEstateConfig, group: ParsedGroup, at: string): ConfigProblem[] {
    // Stryker disable next-line ConditionalExpression: equivalent — parseAlarm("undefined") is a plain name, which has no account to check.
    if (group.haltOnAlarm === undefined) return [];
    const parsed = parseAlarm(group.haltOnAlarm);
    // Stryker disable next-line StringLiteral: equivalent — a problem result has no accountId either; the test is for the type.
    if ("problem" in parsed || parsed.accountId === undefined) return [];
    const central = config.accounts.find((a) => a.alias === config.centralAccount);
    // An unlisted centralAccount is reported once, by crossChecks.ts checkCentral; no echo here.
    if (central === undefined) return [];
    if (parsed.accountId !== central.id || parsed.region !== config.centralRegion) {
        return [{ path: at, value: group.haltOnAlarm, message: `is not in the central account and Region (${central.id}, ${config.centralRegion}); Systems Manager reads the alarm by name where the run executes` }];
    }
    return [];
}

function checkBlackouts(config: ParsedEstateConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = blackoutProblems(config.blackouts).map((line) => {
        // Stryker disable next-line Regex: the anchors are equivalent (every line starts "blackouts[i] (name): ", none has a line break); `\d+` is pinned by the blackouts[10] test.
        const match = /^(blackouts\[\d+\]) \([^)]*\): (.*)$/.exec(line);
        // Stryker disable next-line ConditionalExpression,ObjectLiteral,StringLiteral: equivalent — the schema refuses names with ")", so every line matches; the fallback is for safety only.
        return match === null ? { path: "blackouts", message: line } : { path: match[1], message: match[2] };
    });
    const names = config.patchGroups.map((g) => g.name);
    config.blackouts.forEach((blackout, i) => {
        (blackout.groups ?? []).forEach((name, k) => {
            if (!names.includes(name)) {
                problems.push({ path: `blackouts[${i}].groups[${k}]`, value: name, message: `is not a patch group of this stack; allowed: ${names.join(", ")}` });
            }
        });
    });
    return problems;
}

/** The blackouts with the groups that honour each (unset: every group). */
export function resolveBlackouts(config: ParsedEstateConfig): EstateBlackout[] {
    return config.blackouts.map((b) => ({
        name: b.name,
        start: b.start,
        end: b.end,
        ...(b.recurrence === undefined ? {} : { recurrence: b.recurrence }),
        groups: b.groups ?? config.patchGroups.map((g) => g.name),
    }));
}

/** The install schedule as the scheduler gets it (a Patch Tuesday offset becomes a daily cron). */
export function resolveInstall(group: ParsedGroup): ScheduleSpec {
    const install = group.install;
    return {
        // Stryker disable next-line StringLiteral: equivalent — a configuration that reaches resolution has an expression (checkInstall).
        expression: installExpression(group) ?? "",
        timeZone: install.timeZone,
        ...(install.startDate === undefined ? {} : { startDate: install.startDate }),
        flexibleWindowMinutes: install.flexibleWindowMinutes,
    };
}

/**
 * A group's safety settings, or undefined when it uses none. A group another names in `after`
 * gets settings too: the later ring finds its runs by the gate's tag, so its installs must go
 * through the gate as well.
 */
export function resolveRollout(config: ParsedEstateConfig, group: ParsedGroup): RolloutSettings | undefined {
    const blackouts = config.blackouts.filter((b) => b.groups === undefined || b.groups.includes(group.name)).map((b) => b.name);
    const isEarlierRing = config.patchGroups.some((g) => g.after?.group === group.name);
    const alarm = group.haltOnAlarm === undefined ? undefined : parseAlarm(group.haltOnAlarm);
    const settings: RolloutSettings = {
        ...(group.after === undefined ? {} : { after: { group: group.after.group, minDays: group.after.minDays, require: group.after.require } }),
        // Stryker disable next-line StringLiteral: equivalent — a bad alarm name is refused before resolution.
        ...(alarm === undefined || "problem" in alarm ? {} : { haltOnAlarm: { alarmName: alarm.name, ignorePollAlarmFailure: group.ignorePollAlarmFailure } }),
        ...(group.install.patchTuesdayOffsetDays === undefined ? {} : { patchTuesdayOffsetDays: group.install.patchTuesdayOffsetDays }),
        ...(group.install.maxDurationMinutes === undefined ? {} : { maxDurationMinutes: group.install.maxDurationMinutes }),
        blackouts,
    };
    const used = Object.keys(settings).length > 1 || blackouts.length > 0 || isEarlierRing;
    return used ? settings : undefined;
}
