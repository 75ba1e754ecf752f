import type { Blackout } from "../../catalog/blackouts";
import { withAlarmConfiguration, type AlarmHalt, type RingCondition } from "./gateDocument";

/**
 * Which patch groups go through the gate, with what, and which Change Calendar each reads: plain
 * data, decided before any resource exists (names and counts must not be Outputs). The stacks
 * layer builds it from the estate (stacks/awsAutomation.ts estateRolloutPlan); the components, the plan's rollout table
 * and `ops` read it.
 */

/** Fixed names in the central account and Region: renaming one replaces the document. */
export const ROLLOUT_DOCUMENT_NAMES = { gate: "patching-RolloutGate", cutoff: "patching-WindowCutoff" } as const;

/** A group's safety settings as the gate takes them. */
export interface GroupRollout {
    readonly group: string;
    readonly ring?: RingCondition;
    readonly halt?: AlarmHalt;
    readonly patchTuesdayOffsetDays?: number;
    readonly maxDurationMinutes?: number;
    /** The Change Calendar the gate checks (none when the group honours no blackout). */
    readonly calendarName?: string;
}

export interface RolloutCalendar {
    readonly name: string;
    readonly blackouts: readonly Blackout[];
}

export interface RolloutPlan {
    readonly groups: readonly GroupRollout[];
    readonly calendars: readonly RolloutCalendar[];
}

/** A group's settings before calendars are assigned (the estate's RolloutSettings, plainly). */
export interface GroupRolloutSettings extends Omit<GroupRollout, "calendarName"> {
    /** Names of the blackouts the group honours. */
    readonly blackouts: readonly string[];
}

/**
 * Calendars: one shared `patching-<env>-blackouts` for the groups that honour every blackout, and
 * `patching-<env>-blackouts-<group>` for a group that honours only some (the gate reads one
 * calendar). Deterministic names, so adding a group never renames a calendar another group uses.
 */
export function rolloutPlan(environment: string, groups: readonly GroupRolloutSettings[], blackouts: readonly Blackout[]): RolloutPlan {
    const all = blackouts.map((b) => b.name);
    const calendars = new Map<string, RolloutCalendar>();
    const planned = groups.map(({ blackouts: names, ...settings }): GroupRollout => {
        if (names.length === 0) return settings;
        const shared = all.every((name) => names.includes(name));
        const name = shared ? `patching-${environment}-blackouts` : `patching-${environment}-blackouts-${settings.group}`;
        calendars.set(name, { name, blackouts: blackouts.filter((b) => names.includes(b.name)) });
        return { ...settings, calendarName: name };
    });
    return { groups: planned, calendars: [...calendars.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** One line per gated group for a table: ring, halt alarm, offset, cutoff, calendar ("-" when unset). */
export function rolloutRows(plan: RolloutPlan): { group: string; ring: string; halt: string; offset: string; cutoff: string; calendar: string }[] {
    return plan.groups.map((g) => ({
        group: g.group,
        ring: g.ring === undefined ? "-" : `after ${g.ring.after} +${g.ring.minDays}d, ${g.ring.require === "success" ? "success" : `≥${g.ring.require.compliancePercent}%`}`,
        halt: g.halt === undefined ? "-" : `${g.halt.alarmName}${g.halt.ignorePollAlarmFailure === true ? " (ignore poll failure)" : ""}`,
        offset: g.patchTuesdayOffsetDays === undefined ? "-" : `Patch Tuesday +${g.patchTuesdayOffsetDays}`,
        cutoff: g.maxDurationMinutes === undefined ? "-" : `${g.maxDurationMinutes} min`,
        calendar: g.calendarName ?? "-",
    }));
}

/**
 * The patch run with the halt alarm (issue 17 item 2): StartAutomationExecution's AlarmConfiguration
 * (the parent run, read in the central account and Region) and every target location's
 * TargetLocationAlarmConfiguration (same AlarmConfiguration shape, read where that location's
 * run executes). Both take exactly one alarm (AlarmList: 1 item), hence one name.
 */
export function withHaltAlarm(patchRun: Readonly<Record<string, unknown>>, halt: AlarmHalt): Record<string, unknown> {
    const withParent = withAlarmConfiguration(patchRun, halt);
    const locations = patchRun.TargetLocations as readonly Record<string, unknown>[] | undefined;
    return locations === undefined ? withParent : { ...withParent, TargetLocations: locations.map((location) => ({ ...location, TargetLocationAlarmConfiguration: withParent.AlarmConfiguration })) };
}
