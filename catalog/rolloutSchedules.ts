import { parseScheduleExpression } from "./scheduleExpressions";

/**
 * Safe-rollout facts (issue 17) shared by the config validator and the components: the Patch
 * Tuesday offset range, the halt alarm's name rules, and the schedule arithmetic behind the
 * window cutoff and the ring feasibility rule. Pure; no Pulumi.
 */

/**
 * Offsets allowed: 0-27. The second Tuesday falls on the 8th-14th and consecutive second Tuesdays
 * are 28 or 35 days apart, so with N ≤ 27 each offset day comes before the next Patch Tuesday
 * (components/rollout/patchTuesday.ts does the date arithmetic).
 */
export const MAX_PATCH_TUESDAY_OFFSET_DAYS = 27;

/** Shortest gap between two offset days: two second Tuesdays are at least 28 days apart. */
export const PATCH_TUESDAY_MIN_GAP_DAYS = 28;

/** `HH:MM`, 24-hour: the time of day of a Patch Tuesday offset install. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The daily EventBridge Scheduler cron at `HH:MM`: an offset group's schedule fires every day, the gate passes on the offset day. */
export function dailyCron(timeOfDay: string): string {
    const [hour, minute] = timeOfDay.split(":").map(Number);
    return `cron(${minute} ${hour} * * ? *)`;
}

/**
 * The halt alarm. SSM's AlarmConfiguration takes an alarm NAME (1-255, not blank: the SSM API
 * model's AlarmName), and CloudWatch names (PutMetricAlarm AlarmName, 1-255) may not contain ASCII
 * control characters. An ARN `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` is accepted for
 * readability; its name is what SSM gets, so the ARN must be the central account's and Region's
 * (where the parent execution runs and reads the alarm).
 */
const ALARM_ARN = /^arn:aws:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;
// eslint-disable-next-line no-control-regex -- the rule IS "no ASCII control characters".
const ALARM_NAME = /^(?!\s*$)[^\u0000-\u001f\u007f]{1,255}$/;

export interface ParsedAlarm {
    readonly name: string;
    /** Present when given as an ARN. */
    readonly region?: string;
    readonly accountId?: string;
}

/** The alarm's name (and the ARN's account and Region), or why the value is neither form. */
export function parseAlarm(value: string): ParsedAlarm | { readonly problem: string } {
    const arn = ALARM_ARN.exec(value);
    const name = arn === null ? value : arn[3];
    if (!ALARM_NAME.test(name)) {
        return { problem: "is not a CloudWatch alarm name (1-255 characters, not blank, no control characters) or ARN arn:aws:cloudwatch:<region>:<account>:alarm:<name>" };
    }
    return arn === null ? { name } : { name, region: arn[1], accountId: arn[2] };
}

const MINUTES_PER_DAY = 1440;
const NUMBER = /^\d+$/;
const WEEKDAY = /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)$/;
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Cron fields `minute hour day-of-month month day-of-week year`, or undefined for rate()/at(). */
function cronFields(expression: string): string[] | undefined {
    const parsed = parseScheduleExpression(expression);
    return parsed.ok && parsed.expression.kind === "cron" ? parsed.expression.fields.split(" ") : undefined;
}

/**
 * The shortest time between two runs of a schedule, in minutes, for the forms a patch install
 * uses; undefined for other forms (lists, ranges, several times a day: not checked).
 * - rate(n unit): exactly n units;
 * - cron at one minute and hour: every day (`*`/`?` day fields), a weekday (7 days), a monthly
 *   day or `#n`/`L` weekday (28 days: the shortest month apart);
 * - a Patch Tuesday offset: 28 days.
 */
export function shortestIntervalMinutes(expression: string): number | undefined {
    const parsed = parseScheduleExpression(expression);
    if (!parsed.ok) return undefined;
    if (parsed.expression.kind === "rate") {
        return parsed.expression.value * { minute: 1, hour: 60, day: MINUTES_PER_DAY }[parsed.expression.unit];
    }
    const fields = cronFields(expression);
    if (fields === undefined) return undefined;
    const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
    if (!NUMBER.test(minute) || !NUMBER.test(hour) || month !== "*") return undefined;
    const any = (field: string) => field === "*" || field === "?";
    if (any(dayOfMonth) && any(dayOfWeek)) return MINUTES_PER_DAY;
    if (any(dayOfMonth) && WEEKDAY.test(dayOfWeek)) return 7 * MINUTES_PER_DAY;
    if (any(dayOfMonth) && /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(#[1-5]|L)$/.test(dayOfWeek)) return 28 * MINUTES_PER_DAY;
    if (any(dayOfWeek) && NUMBER.test(dayOfMonth)) return 28 * MINUTES_PER_DAY;
    return undefined;
}

/**
 * The window end of an install schedule: the same schedule `minutes` later (the cutoff schedule).
 * rate(): same rate, start date + minutes. cron(): minute and hour moved; past midnight only a
 * daily or weekday schedule can follow (the weekday moves on by one) — a monthly day or `#n`
 * weekday + 1 day is not a cron field (the 2nd Saturday + 1 is not always the 2nd Sunday).
 */
export function windowEnd(expression: string, startDate: string | undefined, minutes: number): { expression: string; startDate?: string } | { problem: string } {
    const parsed = parseScheduleExpression(expression);
    if (parsed.ok && parsed.expression.kind === "rate") {
        return { expression, ...(startDate === undefined ? {} : { startDate: new Date(new Date(startDate).getTime() + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z") }) };
    }
    const fields = cronFields(expression);
    if (fields === undefined || !NUMBER.test(fields[0]) || !NUMBER.test(fields[1])) {
        return { problem: "needs an install schedule at one time of day (cron with a single minute and hour, rate(), or patchTuesdayOffsetDays) to place the cutoff" };
    }
    const total = Number(fields[1]) * 60 + Number(fields[0]) + minutes;
    const days = Math.floor(total / MINUTES_PER_DAY);
    const [, , dayOfMonth, month, dayOfWeek, year] = fields;
    const at = `${total % 60} ${Math.floor(total / 60) % 24}`;
    const any = (field: string) => field === "*" || field === "?";
    if (days === 0 || (any(dayOfMonth) && any(dayOfWeek))) {
        return { expression: `cron(${at} ${dayOfMonth} ${month} ${dayOfWeek} ${year})` };
    }
    if (days < 7 && any(dayOfMonth) && WEEKDAY.test(dayOfWeek)) {
        const index = NUMBER.test(dayOfWeek) ? Number(dayOfWeek) - 1 : WEEKDAYS.indexOf(dayOfWeek);
        return { expression: `cron(${at} ${dayOfMonth} ${month} ${WEEKDAYS[(index + days) % 7]} ${year})` };
    }
    return { problem: `ends on a later day than "${expression}" starts; the cutoff cannot be written as cron there (end the window by midnight, or use a daily or weekday schedule)` };
}
