import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { blackoutProblems, changeCalendarContent, foldLine, MAX_CALENDAR_BYTES, type Blackout } from "../../../components/rollout/changeCalendar";

const YEAR_END: Blackout = { name: "Year end", start: "2026-12-24", end: "2027-01-02", recurrence: "yearly" };
const RELEASE: Blackout = { name: "Release 7", start: "2026-03-02T18:00Z", end: "2026-03-03T06:30:00Z" };
const MONTH_CLOSE: Blackout = { name: "month-close", start: "2026-01-28", end: "2026-01-28", recurrence: "monthly" };

/**
 * A strict structural reading of RFC 5545 as far as this calendar uses it (the real parser,
 * Debian's python3-icalendar, is only on machines that installed it; this runs everywhere): CRLF line endings, lines
 * of at most 75 octets, unfolded content lines `NAME[;params]:value`, balanced BEGIN/END, the
 * properties RFC 5545 requires per component, and the header Change Calendar needs.
 */
function parseCalendar(content: string): { header: Record<string, string>; components: { type: string; props: Record<string, string> }[] } {
    assert.ok(content.endsWith("\r\n"), "ends with CRLF");
    const physical = content.slice(0, -2).split("\r\n");
    for (const line of physical) {
        assert.ok(!line.includes("\n") && !line.includes("\r"), `bare line break in ${JSON.stringify(line)}`);
        assert.ok(Buffer.byteLength(line) <= 75, `line longer than 75 octets: ${line}`);
    }
    const lines = physical.reduce<string[]>((acc, line) => (line.startsWith(" ") ? [...acc.slice(0, -1), acc.at(-1) + line.slice(1)] : [...acc, line]), []);
    const stack: string[] = [];
    const header: Record<string, string> = {};
    const components: { type: string; props: Record<string, string> }[] = [];
    for (const line of lines) {
        const match = /^([A-Z][A-Z0-9-]*)(;[^:]*)?:(.*)$/.exec(line);
        assert.ok(match, `not a content line: ${line}`);
        const [, name, , value] = match;
        if (name === "BEGIN") {
            stack.push(value);
            if (stack.length === 2) components.push({ type: value, props: {} });
        } else if (name === "END") {
            assert.equal(stack.pop(), value, `END:${value} closes the wrong component`);
        } else if (stack.length === 1) {
            header[name] = value;
        } else {
            const props = components.at(-1)!.props;
            assert.ok(!(name in props), `${name} twice in one component`);
            props[name] = value;
        }
    }
    assert.deepEqual(stack, [], "balanced BEGIN/END");
    assert.equal(lines[0], "BEGIN:VCALENDAR");
    return { header, components };
}

/** Occurrences per RFC 5545 RRULE, evaluated by python-dateutil's rrulestr (a real RFC 5545 recurrence parser). */
function occurrences(dtstart: string, rrule: string, until: string): string[] {
    const program = ["import sys", "from dateutil.rrule import rrulestr", "from dateutil.parser import isoparse", "rule = rrulestr(sys.argv[1])", "print('\\n'.join(d.strftime('%Y%m%dT%H%M%SZ') for d in rule.between(rule[0], isoparse(sys.argv[2]), inc=True)))"].join("\n");
    const run = spawnSync("python3", ["-c", program, `DTSTART:${dtstart}\nRRULE:${rrule}`, until], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split("\n");
}

describe("Change Calendar: blackouts as a DEFAULT_OPEN iCalendar document", () => {
    it("renders AWS's Change Calendar header and one VEVENT per blackout with UTC times, inclusive end dates and RRULEs", () => {
        const { header, components } = parseCalendar(changeCalendarContent("Patching blackouts (prod)", [YEAR_END, RELEASE, MONTH_CLOSE]));
        assert.deepEqual(header, { PRODID: "-//AWS//Change Calendar 1.0//EN", VERSION: "2.0", "X-CALENDAR-TYPE": "DEFAULT_OPEN", "X-WR-CALDESC": "Patching blackouts (prod)" });
        assert.deepEqual(components, [
            { type: "VEVENT", props: { UID: "blackout-month-close@multicloud-patching", DTSTAMP: "20260128T000000Z", DTSTART: "20260128T000000Z", DTEND: "20260129T000000Z", SUMMARY: "month-close", RRULE: "FREQ=MONTHLY" } },
            { type: "VEVENT", props: { UID: "blackout-release-7@multicloud-patching", DTSTAMP: "20260302T180000Z", DTSTART: "20260302T180000Z", DTEND: "20260303T063000Z", SUMMARY: "Release 7" } },
            { type: "VEVENT", props: { UID: "blackout-year-end@multicloud-patching", DTSTAMP: "20261224T000000Z", DTSTART: "20261224T000000Z", DTEND: "20270103T000000Z", SUMMARY: "Year end", RRULE: "FREQ=YEARLY" } },
        ]);
    });

    it("a real iCalendar parser (python3-icalendar, /usr/bin/python3) reads the same events without errors", function () {
        const probe = spawnSync("/usr/bin/python3", ["-c", "import icalendar"], { encoding: "utf8" });
        if (probe.status !== 0) {
            // Not a pass: the structural test above still runs; CI installs the Debian package.
            this.skip();
        }
        const program = [
            "import sys, json, icalendar",
            "cal = icalendar.Calendar.from_ical(sys.stdin.read())",
            "errors = [e for c in cal.walk() for e in c.errors]",
            "events = [{'uid': str(e['UID']), 'summary': str(e['SUMMARY']), 'start': e.decoded('DTSTART').isoformat(), 'end': e.decoded('DTEND').isoformat(),",
            "           'rrule': e['RRULE'].to_ical().decode() if 'RRULE' in e else None} for e in cal.walk('VEVENT')]",
            "print(json.dumps({'type': str(cal['X-CALENDAR-TYPE']), 'errors': errors, 'events': events}))",
        ].join("\n");
        const run = spawnSync("/usr/bin/python3", ["-c", program], { input: changeCalendarContent("Patching blackouts", [YEAR_END, RELEASE, MONTH_CLOSE]), encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), {
            type: "DEFAULT_OPEN",
            errors: [],
            events: [
                { uid: "blackout-month-close@multicloud-patching", summary: "month-close", start: "2026-01-28T00:00:00+00:00", end: "2026-01-29T00:00:00+00:00", rrule: "FREQ=MONTHLY" },
                { uid: "blackout-release-7@multicloud-patching", summary: "Release 7", start: "2026-03-02T18:00:00+00:00", end: "2026-03-03T06:30:00+00:00", rrule: null },
                { uid: "blackout-year-end@multicloud-patching", summary: "Year end", start: "2026-12-24T00:00:00+00:00", end: "2027-01-03T00:00:00+00:00", rrule: "FREQ=YEARLY" },
            ],
        });
    });

    it("is deterministic: the same blackouts in any order give byte-identical content (no new document version per deployment)", () => {
        assert.equal(changeCalendarContent("x", [YEAR_END, RELEASE]), changeCalendarContent("x", [RELEASE, YEAR_END]));
    });

    it("recurrences mean what they say to an RFC 5545 evaluator: yearly on Dec 24, monthly on the 28th of every month", () => {
        const events = parseCalendar(changeCalendarContent("x", [YEAR_END, MONTH_CLOSE])).components.map((c) => c.props);
        const yearly = events.find((e) => e.RRULE === "FREQ=YEARLY")!;
        const monthly = events.find((e) => e.RRULE === "FREQ=MONTHLY")!;
        assert.deepEqual(occurrences(yearly.DTSTART, yearly.RRULE, "2030-12-31T00:00:00Z"), ["20261224T000000Z", "20271224T000000Z", "20281224T000000Z", "20291224T000000Z", "20301224T000000Z"]);
        assert.equal(occurrences(monthly.DTSTART, monthly.RRULE, "2026-12-31T00:00:00Z").length, 12, "February included: day 28 exists in every month");
    });

    it("without blackouts the calendar holds AWS's placeholder VTODO (RFC 5545 needs a component)", () => {
        const { components } = parseCalendar(changeCalendarContent("x", []));
        assert.deepEqual(components.map((c) => [c.type, Object.keys(c.props).sort()]), [["VTODO", ["DTSTAMP", "SUMMARY", "UID"]]]);
    });

    it("escapes and folds the description (RFC 5545 3.3.11, 3.1): unfolding gives the text back", () => {
        const description = `Blackouts; see runbook, page 4 \\ ${"é".repeat(60)}`;
        const { header } = parseCalendar(changeCalendarContent(description, [RELEASE]));
        assert.equal(header["X-WR-CALDESC"], description.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,"));
        assert.equal(foldLine("a".repeat(75)), "a".repeat(75));
        assert.equal(foldLine("a".repeat(76)), `${"a".repeat(75)}\r\n a`);
    });

    it(`refuses content above ${MAX_CALENDAR_BYTES} bytes (the SSM document size limit)`, () => {
        const many = Array.from({ length: 400 }, (_, i): Blackout => ({ name: `freeze ${i}`, start: "2026-01-01", end: "2026-01-02" }));
        assert.throws(() => changeCalendarContent("x", many), /the change calendar would be \d+ bytes; SSM documents take at most 65536/);
    });

    const BAD: [string, Partial<Blackout>, RegExp][] = [
        ["a date that does not exist", { start: "2026-02-30" }, /start "2026-02-30" is not a UTC date YYYY-MM-DD or date-time/],
        ["a date-time without Z", { end: "2026-03-03T06:30" }, /end "2026-03-03T06:30" is not a UTC date/],
        ["hour 24", { start: "2026-03-03T24:00Z" }, /start "2026-03-03T24:00Z" is not a UTC date/],
        ["end before start", { start: "2026-03-05", end: "2026-03-04" }, /end "2026-03-04" is not after start "2026-03-05"/],
        ["end equal to start (date-times)", { start: "2026-03-05T10:00Z", end: "2026-03-05T10:00Z" }, /is not after start/],
        ["a name with a comma", { name: "Xmas, NY" }, /name "Xmas, NY" must be 1-64 letters, digits, spaces or _.-/],
        ["a monthly blackout on the 30th", { start: "2026-01-30", end: "2026-01-30", recurrence: "monthly" }, /monthly blackout must start on day 1-28/],
        ["a yearly blackout on Feb 29", { start: "2028-02-29", end: "2028-02-29", recurrence: "yearly" }, /cannot start on Feb 29/],
        ["a monthly blackout longer than 28 days", { start: "2026-01-01", end: "2026-01-29", recurrence: "monthly" }, /monthly blackout may last at most 28 days/],
        ["an unknown recurrence", { recurrence: "weekly" as never }, /recurrence "weekly" is not one of yearly, monthly/],
    ];
    for (const [title, change, message] of BAD) {
        it(`refuses ${title}, naming the blackout and the value`, () => {
            const problems = blackoutProblems([{ ...RELEASE, ...change }]);
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], /^blackouts\[0\] \(/);
            assert.match(problems[0], message);
            assert.throws(() => changeCalendarContent("x", [{ ...RELEASE, ...change }]), message);
        });
    }

    it("refuses duplicate names, compared as their event UIDs (case and spaces)", () => {
        assert.deepEqual(blackoutProblems([YEAR_END, { ...RELEASE, name: "year-END" }]), ['blackouts[1] (year-END): name "year-END" is used twice (names are compared ignoring case, spaces as -)']);
        assert.deepEqual(blackoutProblems([YEAR_END, RELEASE, MONTH_CLOSE]), []);
    });
});
