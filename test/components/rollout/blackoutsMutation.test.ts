import { strict as assert } from "node:assert";
import { blackoutInstant, blackoutProblems, blackoutUid, MAX_CALENDAR_BYTES, type Blackout } from "../../../catalog/blackouts";
import { changeCalendarContent, foldLine } from "../../../components/rollout/changeCalendar";

/**
 * Blackout rules and Change Calendar rendering at their boundaries (changeCalendar.test.ts has the
 * structural and real-parser checks). RFC 5545: DATE-TIME in UTC is `YYYYMMDDTHHMMSSZ` (3.3.5),
 * TEXT escapes `\ ; , newline` (3.3.11), lines fold after 75 octets with CRLF + one space (3.1).
 * SSM document content is at most 64 KB.
 */

const ONCE: Blackout = { name: "freeze", start: "2026-03-02", end: "2026-03-02" };
const problems = (change: Partial<Blackout>) => blackoutProblems([{ ...ONCE, ...change }]);
const events = (content: string) => content.split("\r\n").filter((line) => /^(DTSTART|DTEND|UID|SUMMARY|RRULE):/.test(line));

describe("catalog/blackouts + Change Calendar boundaries", () => {
    describe("dates and date-times (UTC)", () => {
        it("a date starts at 00:00 UTC; an end date lasts to 24:00 UTC that day; a date-time is the instant", () => {
            assert.equal(blackoutInstant("2026-03-02", false)?.toISOString(), "2026-03-02T00:00:00.000Z");
            assert.equal(blackoutInstant("2026-03-02", true)?.toISOString(), "2026-03-03T00:00:00.000Z");
            assert.equal(blackoutInstant("2026-12-31", true)?.toISOString(), "2027-01-01T00:00:00.000Z");
            assert.equal(blackoutInstant("2026-03-02T18:05Z", true)?.toISOString(), "2026-03-02T18:05:00.000Z");
            assert.equal(blackoutInstant("2026-03-02T18:05:09Z", false)?.toISOString(), "2026-03-02T18:05:09.000Z");
            assert.equal(blackoutInstant("2026-03-02T23:59:59Z", false)?.toISOString(), "2026-03-02T23:59:59.000Z");
            assert.equal(blackoutInstant("2028-02-29", false)?.toISOString(), "2028-02-29T00:00:00.000Z", "2028 is a leap year");
        });

        // Years 0000-0099 are refused, not moved: Date.UTC reads them as 1900-1999.
        it("refuses dates that do not exist, out-of-range times, years 0-99 and other shapes", () => {
            const bad = [
                ...["2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"],
                ...["2026-03-02T24:00Z", "2026-03-02T10:60Z", "2026-03-02T10:59:60Z", "2026-03-02T23:60Z"],
                ...["0026-01-01", "0099-12-31T10:00Z"],
                ...["2026-03-02T10:00", "2026-03-02 10:00Z", "2026-03-02T10:00+01:00", "2026-3-02", "26-03-02", "x2026-03-02", "2026-03-02x", "x2026-03-02T10:00Z", "2026-03-02T10:00Zx", "12026-03-02", "2026-03-02T1:00Z", "2026-03-02T10:00:0Z", ""],
            ];
            for (const value of bad) {
                assert.equal(blackoutInstant(value, false), undefined, value);
                assert.equal(blackoutInstant(value, true), undefined, value);
            }
        });

        it("one line per bad boundary, naming the blackout by index and name", () => {
            const shape = "a UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS]Z";
            assert.deepEqual(problems({ start: "2026-02-30", end: "2026-02-31" }), [`blackouts[0] (freeze): start "2026-02-30" is not ${shape}`, `blackouts[0] (freeze): end "2026-02-31" is not ${shape}`]);
            assert.deepEqual(problems({ start: "2026-03-02T10:00Z", end: "2026-03-02T09:59Z" }), ['blackouts[0] (freeze): end "2026-03-02T09:59Z" is not after start "2026-03-02T10:00Z"']);
            assert.deepEqual(problems({ start: "2026-03-02T10:00Z", end: "2026-03-02T10:00:01Z" }), [], "one second is a blackout");
            assert.deepEqual(problems({ start: "2026-03-02", end: "2026-03-02" }), [], "an end date is inclusive: a one-day blackout");
            assert.deepEqual(problems({ start: "2026-03-03", end: "2026-03-02" }), ['blackouts[0] (freeze): end "2026-03-02" is not after start "2026-03-03"']);
            // A bad recurrence is not judged while a boundary is unreadable.
            assert.deepEqual(problems({ start: "bad", recurrence: "weekly" as never }), [`blackouts[0] (freeze): start "bad" is not ${shape}`]);
            assert.deepEqual(problems({ end: "bad", recurrence: "weekly" as never }), [`blackouts[0] (freeze): end "bad" is not ${shape}`]);
        });
    });

    describe("names", () => {
        it("1-64 letters, digits, spaces or _.- starting with a letter or digit", () => {
            for (const good of ["a", "Z", "7", "Year end 2026", "a_b.c-d", `A${"b".repeat(63)}`]) assert.deepEqual(problems({ name: good }), [], good);
            for (const bad of ["", " lead", "-lead", "_lead", ".lead", "a,b", "a;b", "a/b", "é", "a\tb", `A${"b".repeat(64)}`]) {
                assert.deepEqual(problems({ name: bad }), [`blackouts[0] (${bad}): name "${bad}" must be 1-64 letters, digits, spaces or _.- starting with a letter or digit`], bad);
            }
        });

        it("the UID is the name in lower case with spaces as -, so names equal on that form are duplicates", () => {
            assert.equal(blackoutUid("Year End 2026"), "blackout-year-end-2026@multicloud-patching");
            assert.deepEqual(blackoutProblems([ONCE, { ...ONCE, name: "FREEZE" }, { ...ONCE, name: "Freeze" }]).length, 2);
            assert.deepEqual(blackoutProblems([{ ...ONCE, name: "a b" }, { ...ONCE, name: "A-B" }]), ['blackouts[1] (A-B): name "A-B" is used twice (names are compared ignoring case, spaces as -)']);
            assert.deepEqual(blackoutProblems([{ ...ONCE, name: "a b" }, { ...ONCE, name: "a_b" }, { ...ONCE, name: "ab" }]), []);
        });
    });

    describe("recurrences", () => {
        it("monthly: starts on day 1-28 and lasts at most 28 days", () => {
            assert.deepEqual(problems({ start: "2026-01-28", end: "2026-01-28", recurrence: "monthly" }), []);
            assert.deepEqual(problems({ start: "2026-01-01", end: "2026-01-28", recurrence: "monthly" }), [], "exactly 28 days");
            assert.deepEqual(problems({ start: "2026-01-01T00:00Z", end: "2026-01-29T00:00:01Z", recurrence: "monthly" }), ["blackouts[0] (freeze): a monthly blackout may last at most 28 days (one occurrence must end before the next)"]);
            assert.deepEqual(problems({ start: "2026-01-29", end: "2026-01-29", recurrence: "monthly" }), ['blackouts[0] (freeze): a monthly blackout must start on day 1-28 (months without day 29 would skip it), not "2026-01-29"']);
            assert.deepEqual(problems({ start: "2026-03-29T10:00Z", end: "2026-03-29T11:00Z" }), [], "a single blackout may start on the 29th");
        });

        it("yearly: not on Feb 29 (any other day, Feb 28 and Mar 29 included), at most 365 days", () => {
            assert.deepEqual(problems({ start: "2028-02-29", end: "2028-02-29", recurrence: "yearly" }), ["blackouts[0] (freeze): a yearly blackout cannot start on Feb 29 (it would recur only in leap years)"]);
            assert.deepEqual(problems({ start: "2026-02-28", end: "2026-02-28", recurrence: "yearly" }), []);
            assert.deepEqual(problems({ start: "2026-03-29", end: "2026-03-29", recurrence: "yearly" }), []);
            assert.deepEqual(problems({ start: "2026-01-31", end: "2026-01-31", recurrence: "yearly" }), [], "the monthly day rule does not apply");
            assert.deepEqual(problems({ start: "2028-02-29", end: "2028-02-29" }), [], "a single blackout may be on Feb 29");
            assert.deepEqual(problems({ start: "2028-02-29", end: "2028-02-29", recurrence: "monthly" }), ['blackouts[0] (freeze): a monthly blackout must start on day 1-28 (months without day 29 would skip it), not "2028-02-29"'], "one line: the yearly rule is not echoed");
            assert.deepEqual(problems({ start: "2026-01-01", end: "2026-12-31", recurrence: "yearly" }), [], "exactly 365 days");
            assert.deepEqual(problems({ start: "2026-01-01", end: "2027-01-01", recurrence: "yearly" }), ["blackouts[0] (freeze): a yearly blackout may last at most 365 days (one occurrence must end before the next)"]);
            assert.deepEqual(problems({ start: "2026-01-01", end: "2026-02-15", recurrence: "yearly" }), [], "longer than a month is fine yearly");
        });
    });

    describe("rendering", () => {
        it("UTC DATE-TIME values without separators or milliseconds; no RRULE for a single blackout", () => {
            const content = changeCalendarContent("x", [{ name: "Release 7", start: "2026-03-02T18:05:09Z", end: "2026-03-03T06:30Z" }, { name: "Month end", start: "2026-01-28", end: "2026-01-28", recurrence: "monthly" }]);
            assert.deepEqual(events(content), [
                "UID:blackout-month-end@multicloud-patching",
                "DTSTART:20260128T000000Z",
                "DTEND:20260129T000000Z",
                "SUMMARY:Month end",
                "RRULE:FREQ=MONTHLY",
                "UID:blackout-release-7@multicloud-patching",
                "DTSTART:20260302T180509Z",
                "DTEND:20260303T063000Z",
                "SUMMARY:Release 7",
            ]);
        });

        it("escapes the description per RFC 5545 TEXT: backslash, semicolon, comma, newlines", () => {
            const content = changeCalendarContent("a\\b; c, d\ne\r\nf", []);
            assert.ok(content.includes("\r\nX-WR-CALDESC:a\\\\b\\; c\\, d\\ne\\nf\r\n"), content);
        });

        it("placeholder VTODO when there are no blackouts (RFC 5545 needs one component)", () => {
            assert.equal(
                changeCalendarContent("none", []),
                ["BEGIN:VCALENDAR", "PRODID:-//AWS//Change Calendar 1.0//EN", "VERSION:2.0", "X-CALENDAR-TYPE:DEFAULT_OPEN", "X-WR-CALDESC:none", "BEGIN:VTODO", "DTSTAMP:20260101T000000Z", "UID:no-blackouts@multicloud-patching", "SUMMARY:No blackouts configured.", "END:VTODO", "END:VCALENDAR", ""].join("\r\n"),
            );
        });

        it("refuses bad blackouts with every problem in one error", () => {
            assert.throws(() => changeCalendarContent("x", [{ ...ONCE, start: "bad" }, { ...ONCE, name: "freeze" }]), {
                message: 'blackouts: blackouts[0] (freeze): start "bad" is not a UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS]Z; blackouts[1] (freeze): name "freeze" is used twice (names are compared ignoring case, spaces as -)',
            });
        });

        it("folds after 75 octets, then every 74 after the leading space, never inside a UTF-8 character", () => {
            assert.equal(foldLine(""), "");
            assert.equal(foldLine("a".repeat(150)), `${"a".repeat(75)}\r\n ${"a".repeat(74)}\r\n a`);
            // "é" is 2 octets: 37 fit in 75 (74 octets), then 37 per continuation line.
            assert.equal(foldLine("é".repeat(80)), `${"é".repeat(37)}\r\n ${"é".repeat(37)}\r\n ${"é".repeat(6)}`);
            for (const line of foldLine(`X-WR-CALDESC:${"€".repeat(100)}`).split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, line);
        });

        it(`accepts content of exactly ${MAX_CALENDAR_BYTES} bytes (the SSM limit) and refuses one byte more`, () => {
            /** The rendered size (from the refusal when too big). */
            const size = (description: string, blackouts: Blackout[]): number => {
                try {
                    return Buffer.byteLength(changeCalendarContent(description, blackouts));
                } catch (error) {
                    return Number(/would be (\d+) bytes/.exec((error as Error).message)?.[1]);
                }
            };
            // RFC 5545 3.1: a line of n octets grows by 3 (CRLF + space) per fold, after 75 and then every 74 octets.
            const folded = (octets: number) => octets + 3 * Math.max(0, Math.ceil((octets - 75) / 74));
            // Fill up with ~167-byte events, then pick the description length giving exactly the limit
            // (and the limit + 1 with one character more: not at a fold, else try one event fewer).
            let fit: { blackouts: Blackout[]; length: number } | undefined;
            for (let count = 385; fit === undefined; count--) {
                const blackouts = Array.from({ length: count }, (_, i): Blackout => ({ name: `freeze ${String(i).padStart(3, "0")}`, start: "2026-01-01", end: "2026-01-02" }));
                // The empty description's line "X-WR-CALDESC:" is 13 octets, unfolded.
                const base = size("", blackouts) - 13;
                const total = (length: number) => base + folded(13 + length);
                let length = 0;
                while (total(length) < MAX_CALENDAR_BYTES) length++;
                if (total(length) === MAX_CALENDAR_BYTES && total(length + 1) === MAX_CALENDAR_BYTES + 1) fit = { blackouts, length };
            }
            assert.equal(Buffer.byteLength(changeCalendarContent("d".repeat(fit.length), fit.blackouts)), MAX_CALENDAR_BYTES);
            assert.throws(() => changeCalendarContent("d".repeat(fit.length + 1), fit.blackouts), {
                message: `blackouts: the change calendar would be ${MAX_CALENDAR_BYTES + 1} bytes; SSM documents take at most ${MAX_CALENDAR_BYTES}. Use fewer or recurring blackouts`,
            });
        });
    });
});
