import cronValidate from "cron-validate";

/**
 * EventBridge Scheduler schedule expressions
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * `cron(min hour day-of-month month day-of-week year)`, `rate(value unit)` and
 * `at(yyyy-mm-ddThh:mm:ss)`. Cron fields are checked with cron-validate's `aws-cloud-watch`
 * preset, which implements the same six-field AWS grammar (including `?`, `L`, `W`, `#` and the
 * rule that one of day-of-month / day-of-week must be `?`).
 */
export type ScheduleExpression =
    | { readonly kind: "cron"; readonly fields: string }
    | { readonly kind: "rate"; readonly value: number; readonly unit: "minute" | "hour" | "day" }
    | { readonly kind: "at"; readonly timestamp: string };

export type ParseResult = { ok: true; expression: ScheduleExpression } | { ok: false; reason: string };

export const SCHEDULE_EXPRESSION_FORMS = "cron(<6 AWS cron fields>), rate(<n> minute[s]|hour[s]|day[s]) or at(yyyy-mm-ddThh:mm:ss)";

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const CRON = /^cron\((.*)\)$/;

export function parseScheduleExpression(text: string): ParseResult {
    const rate = RATE.exec(text);
    if (rate) {
        const value = Number(rate[1]);
        const unit = rate[2];
        const singular = unit.replace(/s$/, "") as "minute" | "hour" | "day";
        if (value < 1) {
            return { ok: false, reason: "has a rate value below 1" };
        }
        // Scheduler, like EventBridge rules, wants the singular unit for 1 and the plural otherwise.
        if ((value === 1) !== (unit === singular)) {
            return { ok: false, reason: `must say "${value} ${value === 1 ? singular : singular + "s"}"` };
        }
        return { ok: true, expression: { kind: "rate", value, unit: singular } };
    }
    const at = AT.exec(text);
    if (at) {
        const parsed = new Date(`${at[1]}Z`);
        // Round-trip so that 2026-02-30 (which Date would roll into March) is rejected.
        if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== at[1]) {
            return { ok: false, reason: "has an at() timestamp that is not a real date and time" };
        }
        return { ok: true, expression: { kind: "at", timestamp: at[1] } };
    }
    const cron = CRON.exec(text);
    if (cron) {
        const fields = cron[1].trim().split(/\s+/).join(" ");
        const result = cronValidate(fields, { preset: "aws-cloud-watch" });
        if (!result.isValid()) {
            return { ok: false, reason: `is not a valid AWS cron expression (${describeCronError(result.getError()[0])})` };
        }
        return { ok: true, expression: { kind: "cron", fields } };
    }
    return { ok: false, reason: `is not a schedule expression; expected ${SCHEDULE_EXPRESSION_FORMS}` };
}

function describeCronError(error: string | undefined): string {
    if (error === undefined) {
        return "invalid";
    }
    if (error.includes("mustHaveBlankDayField")) {
        return "one of day-of-month and day-of-week must be ?";
    }
    return error.replace(/ \(Input cron: .*\)$/, "").replace(/\.$/, "");
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Scheduler rejects a StartDate more than 5 minutes in the past (CreateSchedule / UpdateSchedule
 * "The StartDate you specify cannot be earlier than 5 minutes ago"), so a configured start date
 * is an anchor, not the value sent: a `rate()` schedule gets the first anchor + k × period that
 * is at least `leadMinutes` ahead of `now` (same time of day, same phase of the 14-day cycle);
 * a `cron()` schedule is not anchored, so a past start date is simply dropped. The value moves
 * only when a period has passed, so ordinary runs do not churn it.
 */
export function effectiveStartDate(expression: string, startDate: string | undefined, now: Date, leadMinutes = 10): string | undefined {
    if (startDate === undefined) {
        return undefined;
    }
    const anchor = new Date(startDate).getTime();
    const earliest = now.getTime() + leadMinutes * 60_000;
    if (anchor >= earliest) {
        return new Date(anchor).toISOString();
    }
    const parsed = parseScheduleExpression(expression);
    if (!parsed.ok || parsed.expression.kind !== "rate") {
        return undefined;
    }
    const period = parsed.expression.value * UNIT_MS[parsed.expression.unit];
    const periods = Math.ceil((earliest - anchor) / period);
    return new Date(anchor + periods * period).toISOString();
}
