/**
 * Blackouts (issue 17, item 4) rendered as the content of an SSM document of type ChangeCalendar,
 * format TEXT: iCalendar 2.0 (RFC 5545) as Systems Manager Change Calendar stores it. The header
 * is the one AWS's own AWS::SSM::Document ChangeCalendar example uses (PRODID
 * "-//AWS//Change Calendar 1.0//EN", VERSION 2.0, X-CALENDAR-TYPE, X-WR-CALDESC, CRLF line
 * endings); the calendar is DEFAULT_OPEN: open except during an event, so each blackout is one
 * VEVENT and GetCalendarState answers CLOSED while one is in progress.
 *
 * The shape is small on purpose:
 * - `start` / `end` are UTC: a date `YYYY-MM-DD` or a date-time `YYYY-MM-DDTHH:MM[:SS]Z`.
 *   A date `start` means 00:00 UTC that day; a date `end` is INCLUSIVE (the blackout lasts until
 *   24:00 UTC that day); a date-time `end` is the instant it ends. UTC because the rendered
 *   events carry UTC times (`...Z`), which RFC 5545 defines without a VTIMEZONE component and
 *   which have no daylight-saving jumps: a monthly recurrence in a local zone would move by an
 *   hour between winter and summer months. Write the range wide enough for every zone you care about.
 * - `recurrence`: "yearly" or "monthly" (RRULE FREQ=YEARLY / FREQ=MONTHLY, no end). RFC 5545
 *   skips occurrences on dates a month does not have, so a yearly blackout may not start on
 *   Feb 29 and a monthly one not after the 28th; an occurrence must also end before the next
 *   begins (at most 365 days, resp. 28 days long).
 */

import { blackoutInstant, blackoutProblems, blackoutUid, MAX_CALENDAR_BYTES, type Blackout } from "../../catalog/blackouts";

export { BLACKOUT_NAME, BLACKOUT_RECURRENCES, MAX_CALENDAR_BYTES, blackoutProblems, type Blackout, type BlackoutRecurrence } from "../../catalog/blackouts";

/** RFC 5545 UTC DATE-TIME form: 20261224T000000Z. */
function icalUtc(at: Date): string {
    return at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** RFC 5545 3.3.11 TEXT escaping. */
function escapeText(value: string): string {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** RFC 5545 3.1: lines longer than 75 octets are folded (CRLF + one space). */
export function foldLine(line: string): string {
    const parts: string[] = [];
    let current = "";
    for (const character of line) {
        const limit = parts.length === 0 ? 75 : 74;
        if (Buffer.byteLength(current + character) > limit) {
            parts.push(current);
            current = "";
        }
        current += character;
    }
    parts.push(current);
    return parts.join("\r\n ");
}

function eventLines(blackout: Blackout): string[] {
    const start = icalUtc(blackoutInstant(blackout.start, false) as Date);
    return [
        "BEGIN:VEVENT",
        `UID:${blackoutUid(blackout.name)}`,
        // DTSTAMP is required in a VEVENT; the start keeps the content identical between
        // deployments (a wall-clock stamp would make a new document version every run).
        `DTSTAMP:${start}`,
        `DTSTART:${start}`,
        `DTEND:${icalUtc(blackoutInstant(blackout.end, true) as Date)}`,
        `SUMMARY:${blackout.name}`,
        ...(blackout.recurrence === undefined ? [] : [`RRULE:FREQ=${blackout.recurrence.toUpperCase()}`]),
        "END:VEVENT",
    ];
}

/**
 * The ChangeCalendar document content. Without blackouts the calendar holds AWS's placeholder
 * VTODO (RFC 5545 requires at least one component), so the document can stay when the list
 * empties and the gates that name it keep working. Throws one line per problem.
 */
export function changeCalendarContent(description: string, blackouts: readonly Blackout[]): string {
    const problems = blackoutProblems(blackouts);
    if (problems.length > 0) {
        throw new Error(`blackouts: ${problems.join("; ")}`);
    }
    const placeholder = ["BEGIN:VTODO", "DTSTAMP:20260101T000000Z", "UID:no-blackouts@multicloud-patching", "SUMMARY:No blackouts configured.", "END:VTODO"];
    const lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//AWS//Change Calendar 1.0//EN",
        "VERSION:2.0",
        "X-CALENDAR-TYPE:DEFAULT_OPEN",
        `X-WR-CALDESC:${escapeText(description)}`,
        ...(blackouts.length === 0 ? placeholder : [...blackouts].sort((a, b) => a.name.localeCompare(b.name)).flatMap(eventLines)),
        "END:VCALENDAR",
    ];
    const content = `${lines.map(foldLine).join("\r\n")}\r\n`;
    const bytes = Buffer.byteLength(content);
    if (bytes > MAX_CALENDAR_BYTES) {
        throw new Error(`blackouts: the change calendar would be ${bytes} bytes; SSM documents take at most ${MAX_CALENDAR_BYTES}. Use fewer or recurring blackouts`);
    }
    return content;
}
