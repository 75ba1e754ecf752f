/**
 * IANA time zone names, checked against the tz database compiled into Node's ICU — the same
 * database EventBridge Scheduler's `ScheduleExpressionTimezone` is defined over. `Intl` also
 * accepts the backward-compatible links (`UTC`, `US/Pacific`), which Scheduler accepts too.
 */
export function isIanaTimeZone(value: string): boolean {
    if (value.trim() !== value || value === "") {
        return false;
    }
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: value });
        return true;
    } catch {
        return false;
    }
}
