/**
 * Patch Tuesday offsets (issue 17, item 5): "the N-th day after the second Tuesday of each month"
 * cannot be written as cron (cron has no "second Tuesday + N" and EventBridge Scheduler's `#`
 * names only the weekday), so the install schedule fires daily in its window and the gate runbook
 * passes only on the offset day. The gate's Python (gateScript.ts, `second_tuesday`,
 * `is_offset_day`) computes exactly this; a test cross-checks the two for 2026-2030.
 *
 * The check is on the LOCAL calendar date in the configured IANA time zone: a run at 23:30 on
 * Tuesday in America/Los_Angeles is a Tuesday run, although it is already Wednesday in UTC.
 */

import { MAX_PATCH_TUESDAY_OFFSET_DAYS } from "../../catalog/rolloutSchedules";

/** Offsets allowed: 0-27 (catalog/rolloutSchedules.ts says why). */
export { MAX_PATCH_TUESDAY_OFFSET_DAYS };

/** A calendar date without a time zone: `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;

/** Date arithmetic on calendar dates (UTC midnight stands for the date; no zone involved). */
function toDate(value: LocalDate): Date {
    return new Date(`${value}T00:00:00Z`);
}

function format(date: Date): LocalDate {
    return date.toISOString().slice(0, 10);
}

/** The second Tuesday of `month` (1-12) in `year`: the first Tuesday + 7 days. */
export function secondTuesday(year: number, month: number): LocalDate {
    const first = new Date(Date.UTC(year, month - 1, 1));
    // getUTCDay: Sunday 0, Tuesday 2.
    const toFirstTuesday = (2 - first.getUTCDay() + 7) % 7;
    return format(new Date(first.getTime() + (toFirstTuesday + 7) * DAY_MS));
}

/** Second Tuesday of `month` + `offsetDays` (may fall in the following month). */
export function offsetDay(year: number, month: number, offsetDays: number): LocalDate {
    return format(new Date(toDate(secondTuesday(year, month)).getTime() + offsetDays * DAY_MS));
}

/** Why `offsetDays` is not allowed, or undefined. */
export function offsetDaysProblem(offsetDays: number): string | undefined {
    return Number.isInteger(offsetDays) && offsetDays >= 0 && offsetDays <= MAX_PATCH_TUESDAY_OFFSET_DAYS
        ? undefined
        : `${offsetDays} is not an integer from 0 to ${MAX_PATCH_TUESDAY_OFFSET_DAYS} (days after the second Tuesday; more would reach the next month's Patch Tuesday)`;
}

/** The calendar date of the instant `at` in `timeZone` (IANA name). */
export function localDate(at: Date, timeZone: string): LocalDate {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * Whether the instant `at` is on an offset day in `timeZone`: its local date is this month's
 * second Tuesday + N, or the previous month's (when N carries it over the month boundary).
 */
export function isOffsetDay(at: Date, offsetDays: number, timeZone: string): boolean {
    assertOffset(offsetDays);
    const today = localDate(at, timeZone);
    const [year, month] = today.split("-").map(Number);
    // Stryker disable next-line ConditionalExpression: equivalent — secondTuesday(year, 0) is December of year - 1 (Date.UTC month -1); kept for the reader.
    const previous = month === 1 ? [year - 1, 12] : [year, month - 1];
    return today === offsetDay(year, month, offsetDays) || today === offsetDay(previous[0], previous[1], offsetDays);
}

/** The next `count` offset days on or after the local date of `from` (for the plan table). */
export function nextOffsetDays(from: Date, count: number, offsetDays: number, timeZone: string): LocalDate[] {
    assertOffset(offsetDays);
    const today = localDate(from, timeZone);
    // Stryker disable next-line StringLiteral: equivalent — any earlier starting month gives the same list (past days are skipped), only slower.
    const [year, month] = today.split("-").map(Number);
    const days: LocalDate[] = [];
    // Start one month back: last month's offset day may still be ahead (carried into this month).
    for (let index = -1; days.length < count; index++) {
        // Stryker disable next-line ArithmeticOperator: equivalent — as above: an earlier start month only skips more past days.
        const monthIndex = year * 12 + (month - 1) + index;
        // Stryker disable next-line ArithmeticOperator: equivalent — `% 12 - 1` walks the same months two earlier (Date.UTC month -1 is December).
        const day = offsetDay(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, offsetDays);
        if (day >= today) {
            days.push(day);
        }
    }
    return days;
}

function assertOffset(offsetDays: number): void {
    const problem = offsetDaysProblem(offsetDays);
    if (problem !== undefined) {
        throw new Error(`patchTuesdayOffsetDays ${problem}`);
    }
}
