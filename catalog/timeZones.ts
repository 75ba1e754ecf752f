/**
 * Time zone names for EventBridge Scheduler's `ScheduleExpressionTimezone`, which is defined over
 * the IANA tz database ("Australia/Sydney", default "UTC": CreateSchedule API reference).
 *
 * Node's `Intl` is not a strict enough check on its own: ICU also accepts its own abbreviations and
 * legacy ids — `PST` (→ America/Los_Angeles), `BST` (→ Asia/Dhaka, not London), `IST`, `EST`,
 * `SystemV/AST4` — which are not tz database names, are ambiguous, and that a reader takes for
 * something else. So a name is accepted when ICU knows it AND it has the tz database's shape:
 *   - `Area/Location[/Sub]` under a tz database area (the `backward` areas US/, Canada/, Mexico/,
 *     Brazil/, Chile/ included, e.g. US/Pacific), each part starting with a capital as in the
 *     database (`europe/london` is ICU-only leniency);
 *   - or one of the documented aliases below.
 */
export const TIME_ZONE_AREAS = [
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific", "Etc",
    "US", "Canada", "Mexico", "Brazil", "Chile",
] as const;

/** Slash-free tz database names accepted as is: UTC (AWS's documented default) and GMT. Etc/UTC is an Area name. */
export const TIME_ZONE_ALIASES = ["UTC", "GMT"] as const;

const AREA_NAME = new RegExp(`^(?:${TIME_ZONE_AREAS.join("|")})(?:/[A-Z][A-Za-z0-9_+-]*){1,2}$`);

/** What ICU makes of a name (its canonical zone), or undefined when it does not know it. */
function icuZone(value: string): string | undefined {
    try {
        return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
    } catch {
        return undefined;
    }
}

/** Why `value` is not an accepted time zone name, or undefined when it is. */
export function timeZoneProblem(value: string): string | undefined {
    const zone = value.trim() === value && value !== "" ? icuZone(value) : undefined;
    if (zone !== undefined && ((TIME_ZONE_ALIASES as readonly string[]).includes(value) || AREA_NAME.test(value))) {
        return undefined;
    }
    const examples = "e.g. UTC, Europe/London, America/Los_Angeles";
    if (zone !== undefined) {
        // Known to ICU only: an abbreviation or a legacy id, whose meaning is not what it seems.
        return `is not an IANA time zone name but an ICU abbreviation or legacy id (ICU reads it as ${zone}); use a tz database name (${examples})`;
    }
    return `is not an IANA time zone name (${examples})`;
}
