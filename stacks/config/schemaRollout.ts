import { z } from "zod";
import { BLACKOUT_NAME, BLACKOUT_RECURRENCES } from "../../catalog/blackouts";
import { MAX_PATCH_TUESDAY_OFFSET_DAYS, parseAlarm, TIME_OF_DAY } from "../../catalog/rolloutSchedules";
import * as field from "./fields";
import { integer, list, oneOf, record, text } from "./vocabulary";

/**
 * Safe rollout (issue 17): the install schedule's Patch Tuesday offset and window cutoff, a patch
 * group's ring and halt alarm, and the estate's blackouts. Rules between keys (one of expression /
 * patchTuesdayOffsetDays, ring order, feasibility, alarm ARN account) live in crossChecksRollout.ts.
 */

/** The gate's minDays range (components/rollout/gateDocument.ts ringProblems). */
const MAX_RING_DAYS = 60;
const PERCENT = "is not a percentage above 0 and at most 100 (of the earlier ring's steps that succeeded)";

/** The install schedule: scan's keys, the expression optional (a Patch Tuesday offset replaces it), and the cutoff. */
// Takes the scan schedule's schema (schemaEstate.ts) as an argument: importing it would make a cycle.
export function installScheduleSchema<S extends z.ZodRawShape & { expression: z.ZodType }>(schedule: { shape: S }) {
    return record(
    {
        ...schedule.shape,
        expression: schedule.shape.expression.optional().describe("An EventBridge Scheduler cron(…) or rate(…); leave it out for patchTuesdayOffsetDays."),
        patchTuesdayOffsetDays: integer(0, MAX_PATCH_TUESDAY_OFFSET_DAYS, "days after the second Tuesday of the month")
            .optional()
            .describe("Instead of expression: install on the second Tuesday + N days, at timeOfDay in timeZone. The schedule fires daily and the gate runbook lets the run through only on that date."),
        timeOfDay: text(TIME_OF_DAY, "a 24-hour time HH:MM").optional().describe("With patchTuesdayOffsetDays (and only then): the install's local start time, e.g. 03:00."),
        maxDurationMinutes: integer(15, 10080, "minutes from the install's start to the end of its change window")
            .optional()
            .describe("Window cutoff: a second schedule this many minutes after each install start cancels the group's patch runs still running (no new node starts patching). More than flexibleWindowMinutes, less than the time between two installs."),
    },
    "an install schedule ({expression | patchTuesdayOffsetDays + timeOfDay, timeZone?, startDate?, flexibleWindowMinutes?, maxDurationMinutes?})",
    );
}

/** The halt alarm's syntax (name or ARN); whose account the ARN names is a cross-check. */
export function alarmProblem(value: string): string | undefined {
    const parsed = parseAlarm(value);
    return "problem" in parsed ? parsed.problem : undefined;
}

/** `after`: the ring this group follows. */
export const ringSchema = record(
    {
        group: field.PATCH_GROUP_NAME.describe("The earlier ring: another patch group of this stack."),
        minDays: integer(0, MAX_RING_DAYS, "days the earlier ring's latest install must have ended before this group installs").describe("Calendar days, counted in this group's install timeZone."),
        require: z
            .union([z.literal("success"), record({ compliancePercent: z.number({ error: PERCENT }).gt(0, { error: PERCENT }).max(100, { error: PERCENT }) }, "{compliancePercent: N}")], {
                error: "is not success or {compliancePercent: N} (N above 0, at most 100)",
            })
            .default("success")
            .describe("success: the earlier ring's latest install ended Success; {compliancePercent: N}: at least N% of its steps succeeded, whatever its final status."),
    },
    "a ring ({group, minDays, require?})",
);

export const blackoutSchema = record(
    {
        name: text(BLACKOUT_NAME, "a blackout name (1-64 letters, digits, spaces or _.-, starting with a letter or digit)").describe("Unique; the calendar event's summary."),
        start: z.string({ error: "is not a UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS]Z" }).describe("UTC: YYYY-MM-DD (00:00 UTC) or YYYY-MM-DDTHH:MM[:SS]Z."),
        end: z.string({ error: "is not a UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS]Z" }).describe("UTC; a date end is inclusive (the blackout lasts until 24:00 UTC that day)."),
        recurrence: oneOf(BLACKOUT_RECURRENCES).optional().describe("yearly or monthly; once when absent."),
        groups: list(field.PATCH_GROUP_NAME, "patch group names").optional().describe("The patch groups that honour this blackout. Unset: every patch group."),
    },
    "a blackout ({name, start, end, recurrence?, groups?})",
);

export const blackoutsSchema = list(blackoutSchema, "blackouts", 0)
    .default([])
    .describe("Change freezes: rendered as SSM Change Calendar documents (DEFAULT_OPEN) in the central account; a patch group's install held while one it honours is in progress (see Safe rollout).");

/** CreateDocument's Name pattern (API_CreateDocument): a hook is a document NAME, never an ARN. */
const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const HOOK = "an SSM Command document name (3-128 of letters, digits, _ - .; a name, not an ARN)";
const HOOK_WHERE = "must exist under this name in every account and Region the group runs in (the node fetches it; a document shared from another account is not run).";

/** `snapshotBeforeInstall` (issue 17 item 6). */
export const snapshotBeforeInstallSchema = record(
    {
        retainDays: integer(1, 365, "days the pre-patch snapshots are kept").describe("Days after which the next install run in the same account and Region deletes the snapshots (the expiry is a tag on them)."),
    },
    "snapshot settings ({retainDays})",
);

/** `hooks` (issue 17 item 7): AWS-RunPatchBaselineWithHooks' three hook documents. */
export const hooksSchema = record(
    {
        preInstall: text(DOCUMENT_NAME, HOOK).optional().describe(`Runs before the install (no reboot yet); ${HOOK_WHERE}`),
        postInstall: text(DOCUMENT_NAME, HOOK).optional().describe(`Runs after the install, before the reboot; ${HOOK_WHERE}`),
        onExit: text(DOCUMENT_NAME, HOOK).optional().describe(`Runs at the end, after the reboot if any; ${HOOK_WHERE}`),
    },
    "install hooks ({preInstall?, postInstall?, onExit?})",
);
