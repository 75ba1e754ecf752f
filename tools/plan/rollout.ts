import { nextOffsetDays } from "../../components/rollout/patchTuesday";
import { ROLLOUT_DOCUMENT_NAMES, type GroupRollout } from "../../components/rollout/rolloutPlan";
import { estateRolloutPlan } from "../../stacks/awsAutomation";
import type { Estate, PatchGroup } from "../../stacks/config/estateModel";
import type { RecordedResource } from "../mock/recorder";
import { UNKNOWN_MARK } from "../mock/plainValues";
import { loadEstate } from "../ops/estate";
import { renderFittedTable } from "./fitTable";
import { UNFITTED, type Layout } from "./report";

/**
 * Safe rollout in the plan (issue 17, item 8): per gated patch group, in ring order, what the
 * gate checks and what stops a run. The settings are `estateRolloutPlan(estate)` — the value the
 * program built the gate's request from; the install and cutoff schedules (their expressions, and
 * that the install really starts the gate) are read from the registered Scheduler schedules.
 */

const SCHEDULE_TYPE = "aws:scheduler/schedule:Schedule";
/** Offset days listed per group. */
const NEXT_DATES = 3;

export interface PlannedScheduleTiming {
    readonly expression: string;
    readonly timeZone: string;
}

export interface PlannedGroupRollout {
    readonly group: string;
    /** The earlier ring this group waits for (null: none). */
    readonly ring: { readonly after: string; readonly minDays: number; readonly require: string } | null;
    /** What the gate checks, in its order (gateScript check_gates). */
    readonly gateChecks: readonly string[];
    /** The install schedule starts the gate (from its registered input; null when unknown until deploy). */
    readonly installStartsGate: boolean | null;
    readonly install: PlannedScheduleTiming | null;
    readonly halt: { readonly alarmName: string; readonly ignorePollAlarmFailure: boolean } | null;
    readonly cutoff: { readonly maxDurationMinutes: number; readonly schedule: PlannedScheduleTiming | null } | null;
    readonly calendar: { readonly name: string; readonly blackouts: readonly { name: string; start: string; end: string; recurrence?: string }[] } | null;
    readonly patchTuesdayOffsetDays: number | null;
    /** The next offset days (local dates in the install's time zone). */
    readonly nextDates: readonly string[];
    readonly snapshotRetainDays: number | null;
    readonly hooks: { readonly preInstall?: string; readonly postInstall?: string; readonly onExit?: string } | null;
}

function scheduleOf(resources: readonly RecordedResource[], name: string): RecordedResource | undefined {
    return resources.find((r) => r.type === SCHEDULE_TYPE && r.inputs["name"] === name);
}

function timingOf(schedule: RecordedResource | undefined): PlannedScheduleTiming | null {
    const expression = schedule?.inputs["scheduleExpression"];
    return typeof expression === "string" ? { expression, timeZone: String(schedule?.inputs["scheduleExpressionTimezone"] ?? "UTC") } : null;
}

/** Whether the schedule's target input starts the gate; null while the input is unknown (preview). */
function startsGate(schedule: RecordedResource | undefined): boolean | null {
    const input = (schedule?.inputs["target"] as Record<string, unknown> | undefined)?.["input"];
    if (typeof input !== "string" || input === UNKNOWN_MARK) return null;
    try {
        return (JSON.parse(input) as { DocumentName?: string }).DocumentName === ROLLOUT_DOCUMENT_NAMES.gate;
    } catch {
        return null;
    }
}

/** Rings first: a group after every group it waits for (the config has rejected cycles). */
function ringOrder(groups: readonly GroupRollout[]): GroupRollout[] {
    const ordered: GroupRollout[] = [];
    const place = (g: GroupRollout) => {
        if (ordered.includes(g)) return;
        const earlier = groups.find((e) => e.group === g.ring?.after);
        if (earlier !== undefined) place(earlier);
        ordered.push(g);
    };
    groups.forEach(place);
    return ordered;
}

function plannedGroup(g: GroupRollout, group: PatchGroup | undefined, estatePlan: ReturnType<typeof estateRolloutPlan>, resources: readonly RecordedResource[], now: Date): PlannedGroupRollout {
    const install = scheduleOf(resources, `${g.group}-install`);
    const timeZone = group?.install.timeZone ?? "UTC";
    const calendar = estatePlan.calendars.find((c) => c.name === g.calendarName);
    return {
        group: g.group,
        ring: g.ring === undefined ? null : { after: g.ring.after, minDays: g.ring.minDays, require: g.ring.require === "success" ? "success" : `compliance ≥ ${g.ring.require.compliancePercent}%` },
        // The gate's order: offset day, then the calendar, then the earlier ring.
        gateChecks: [
            ...(g.patchTuesdayOffsetDays === undefined ? [] : ["offset day"]),
            ...(g.calendarName === undefined ? [] : ["calendar"]),
            ...(g.ring === undefined ? [] : ["ring"]),
        ],
        installStartsGate: startsGate(install),
        install: timingOf(install),
        halt: g.halt === undefined ? null : { alarmName: g.halt.alarmName, ignorePollAlarmFailure: g.halt.ignorePollAlarmFailure ?? false },
        cutoff: g.maxDurationMinutes === undefined ? null : { maxDurationMinutes: g.maxDurationMinutes, schedule: timingOf(scheduleOf(resources, `${g.group}-cutoff`)) },
        calendar: calendar === undefined ? null : { name: calendar.name, blackouts: calendar.blackouts.map((b) => ({ ...b })) },
        patchTuesdayOffsetDays: g.patchTuesdayOffsetDays ?? null,
        nextDates: g.patchTuesdayOffsetDays === undefined ? [] : nextOffsetDays(now, NEXT_DATES, g.patchTuesdayOffsetDays, timeZone),
        snapshotRetainDays: group?.snapshotBeforeInstall?.retainDays ?? null,
        hooks: group?.hooks === undefined ? null : { ...group.hooks },
    };
}

/** The gated groups of `estate`, in ring order; undefined when no group is gated (nothing is printed). */
export function plannedRollout(estate: Estate, resources: readonly RecordedResource[], now: Date): PlannedGroupRollout[] | undefined {
    const estatePlan = estateRolloutPlan(estate);
    if (estatePlan.groups.length === 0) return undefined;
    return ringOrder(estatePlan.groups).map((g) =>
        plannedGroup(
            g,
            estate.patchGroups.find((p) => p.name === g.group),
            estatePlan,
            resources,
            now,
        ),
    );
}

/** The stack's estate as the program read it (Pulumi.<stack>.yaml in `directory`), then plannedRollout. */
export function stackRollout(directory: string, stack: string, resources: readonly RecordedResource[], now = new Date()): PlannedGroupRollout[] | undefined {
    return plannedRollout(loadEstate(directory, stack), resources, now);
}

const dash = "—";

function cells(g: PlannedGroupRollout): Record<string, string> {
    const hooks = g.hooks === null ? dash : Object.entries(g.hooks).map(([when, document]) => `${when}: ${document}`).join(", ");
    return {
        ring: g.ring === null ? dash : `${g.ring.after} → ${g.group} ≥${g.ring.minDays} d ${g.ring.require}`,
        gate: `${g.gateChecks.join(" → ") || "no checks"}${g.installStartsGate === false ? " (install NOT through the gate)" : ""}`,
        halt: g.halt === null ? dash : `${g.halt.alarmName}${g.halt.ignorePollAlarmFailure ? " (ignores poll failures)" : ""}`,
        // The cutoff schedule's expression is in the JSON plan (rollout[].cutoff.schedule).
        window: g.cutoff === null ? dash : `${g.cutoff.maxDurationMinutes} min`,
        // Names only: the calendar (one long word) and the dates go under the table.
        blackouts: g.calendar === null ? dash : g.calendar.blackouts.map((b) => b.name).join(", "),
        offset: g.patchTuesdayOffsetDays === null ? dash : `+${g.patchTuesdayOffsetDays} d: ${g.nextDates.join(", ")}`,
        snapshots: g.snapshotRetainDays === null ? dash : `${g.snapshotRetainDays} d`,
        hooks,
    };
}

/** [key, heading, abbreviation]; a column is shown only when some group uses it. */
const COLUMNS = [
    ["ring", "Ring (after → group)", "Ring"],
    ["gate", "Gate checks", "Gate"],
    ["halt", "Halt alarm", "Halt"],
    ["window", "Window cutoff", "Cut"],
    ["blackouts", "Blackouts", "Blackouts"],
    ["offset", "Patch Tuesday offset (next dates)", "Offset"],
    ["snapshots", "Snapshot retention", "Snap"],
    ["hooks", "Hooks", "Hooks"],
] as const;

/** One line per Change Calendar: its name, the groups reading it and its blackouts' dates. */
function calendarNotes(groups: readonly PlannedGroupRollout[]): string[] {
    const calendars = new Map<string, { groups: string[]; blackouts: NonNullable<PlannedGroupRollout["calendar"]>["blackouts"] }>();
    for (const g of groups.filter((group) => group.calendar !== null)) {
        const calendar = g.calendar as NonNullable<PlannedGroupRollout["calendar"]>;
        const entry = calendars.get(calendar.name) ?? { groups: [], blackouts: calendar.blackouts };
        entry.groups.push(g.group);
        calendars.set(calendar.name, entry);
    }
    return [...calendars].map(
        ([name, { groups: readers, blackouts }]) =>
            `Change Calendar ${name} (${readers.join(", ")}): ${blackouts.map((b) => `${b.name} ${b.start} to ${b.end} UTC${b.recurrence === undefined ? "" : `, ${b.recurrence}`}`).join("; ")}`,
    );
}

/** One row per gated group, fitted to the terminal; columns no group uses are left out. */
export function renderRollout(groups: readonly PlannedGroupRollout[], color: boolean, layout: Layout = UNFITTED): string {
    const rows = groups.map(cells);
    const used = COLUMNS.filter(([key]) => rows.some((row) => row[key] !== dash));
    const table = renderFittedTable(
        [["Patch group", "Group"], ...used.map(([, heading, short]) => [heading, short] as const)],
        groups.map((g, i) => [g.group, ...used.map(([key]) => rows[i][key])]),
        { ...layout, color },
    );
    return [table, ...calendarNotes(groups)].join("\n");
}
