/**
 * Blackouts (issue 17, item 4): the facts the config validator and the Change Calendar renderer
 * (components/rollout/changeCalendar.ts) share — the shape, the allowed values and one problem
 * line per mistake. `start` / `end` are UTC: a date `YYYY-MM-DD` (an `end` date is inclusive) or a
 * date-time `YYYY-MM-DDTHH:MM[:SS]Z`; `recurrence` yearly or monthly (RRULE, no end). See
 * changeCalendar.ts for why UTC and why the recurrence limits.
 */

export interface Blackout {
    /** Unique; letters, digits, space, `_.-`, 1-64 (also the event's SUMMARY and UID). */
    readonly name: string;
    readonly start: string;
    readonly end: string;
    /** @default - once */
    readonly recurrence?: BlackoutRecurrence;
}

export const BLACKOUT_RECURRENCES = ["yearly", "monthly"] as const;
export type BlackoutRecurrence = (typeof BLACKOUT_RECURRENCES)[number];

/** SSM document content is limited to 64 KB (and Change Calendar imports to 64 KB per calendar). */
export const MAX_CALENDAR_BYTES = 64 * 1024;

export const BLACKOUT_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z$/;
const DAY_MS = 86_400_000;
const LONGEST: Record<BlackoutRecurrence, number> = { yearly: 365 * DAY_MS, monthly: 28 * DAY_MS };

/** A blackout boundary as an instant; undefined when the text is not a valid UTC date or date-time. */
export function blackoutInstant(value: string, isEnd: boolean): Date | undefined {
    const date = DATE.exec(value);
    const dateTime = DATE_TIME.exec(value);
    const parts = (date ?? dateTime)?.slice(1).map((part) => Number(part ?? 0));
    if (parts === undefined) {
        return undefined;
    }
    const [year, month, day, hour = 0, minute = 0, second = 0] = parts;
    const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    // Date.UTC rolls 2026-02-30 over to March: a different date back means it did not exist (and
    // it reads years 0-99 as 1900-1999). An hour of 24 or more rolls over into the next day too.
    const sameDate =
        at.getUTCFullYear() === year &&
        // Stryker disable next-line ConditionalExpression: equivalent — within the same year a rolled-over month also changes the day and vice versa; either check alone refuses it.
        at.getUTCMonth() === month - 1 &&
        // Stryker disable next-line ConditionalExpression: equivalent — see the month check.
        at.getUTCDate() === day;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — hour 24+ already changed the date; the bound is kept for the reader.
    const validHour = hour < 24;
    if (!sameDate || !validHour || minute >= 60 || second >= 60) {
        return undefined;
    }
    // An inclusive end date lasts to the end of that day.
    return date !== null && isEnd ? new Date(at.getTime() + DAY_MS) : at;
}

/** Every problem, one line each, naming the blackout, the bad value and what is allowed. */
export function blackoutProblems(blackouts: readonly Blackout[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    blackouts.forEach((blackout, index) => {
        const where = `blackouts[${index}] (${blackout.name})`;
        if (!BLACKOUT_NAME.test(blackout.name)) {
            problems.push(`${where}: name "${blackout.name}" must be 1-64 letters, digits, spaces or _.- starting with a letter or digit`);
        } else if (seen.has(blackoutUid(blackout.name))) {
            problems.push(`${where}: name "${blackout.name}" is used twice (names are compared ignoring case, spaces as -)`);
        }
        seen.add(blackoutUid(blackout.name));
        const start = blackoutInstant(blackout.start, false);
        const end = blackoutInstant(blackout.end, true);
        const shape = "a UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS]Z";
        if (start === undefined) problems.push(`${where}: start "${blackout.start}" is not ${shape}`);
        if (end === undefined) problems.push(`${where}: end "${blackout.end}" is not ${shape}`);
        // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — a Date compared with undefined is false; the tests are for the type.
        if (start !== undefined && end !== undefined && end <= start) {
            problems.push(`${where}: end "${blackout.end}" is not after start "${blackout.start}"`);
        }
        const recurrence = blackout.recurrence;
        if (recurrence === undefined || start === undefined || end === undefined) {
            return;
        }
        if (!(BLACKOUT_RECURRENCES as readonly string[]).includes(recurrence)) {
            problems.push(`${where}: recurrence "${recurrence}" is not one of ${BLACKOUT_RECURRENCES.join(", ")}`);
            return;
        }
        const day = start.getUTCDate();
        if (recurrence === "monthly" && day > 28) {
            problems.push(`${where}: a monthly blackout must start on day 1-28 (months without day ${day} would skip it), not "${blackout.start}"`);
        }
        if (recurrence === "yearly" && start.getUTCMonth() === 1 && day === 29) {
            problems.push(`${where}: a yearly blackout cannot start on Feb 29 (it would recur only in leap years)`);
        }
        if (end.getTime() - start.getTime() > LONGEST[recurrence]) {
            problems.push(`${where}: a ${recurrence} blackout may last at most ${LONGEST[recurrence] / DAY_MS} days (one occurrence must end before the next)`);
        }
    });
    return problems;
}

/** Stable event UID: the name, lower case, spaces as `-` (names are unique on this form). */
export function blackoutUid(name: string): string {
    return `blackout-${name.toLowerCase().replace(/ /g, "-")}@multicloud-patching`;
}

