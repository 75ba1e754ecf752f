import type { AutomationDocument, Step } from "../runbooks/documentModel";
import { SCRIPT_RUNTIME } from "../runbooks/runPatchBaseline";
import { GATE_SCRIPT, HOLD_SCRIPT } from "./gateScript";
import { MAX_PATCH_TUESDAY_OFFSET_DAYS, offsetDaysProblem } from "./patchTuesday";

/**
 * The gate runbook (issue 17, items 1, 4, 5): started in the central account by the install
 * schedule INSTEAD of the patch runbook, with that schedule's StartAutomationExecution request as
 * a parameter. It checks, in order, the Patch Tuesday offset day, the Change Calendar and the
 * previous ring, then starts exactly that request itself (same TargetLocations, rate control,
 * AlarmConfiguration), tagged so rings and the window cutoff can find it. Everything runs
 * AWS-side and is recorded in Automation history: the gate's execution shows why it held, the
 * patch run carries the gate's execution id.
 *
 * How a run ends:
 * - started: Success, output Status "started: <document> execution <id>";
 * - held by the calendar or the previous ring: Failed, failure message "held: <reason>" — the
 *   patch-run notifications report Failed/TimedOut/Cancelled executions of the documents they
 *   watch, so a hold reaches the on-call like a failed run would (list the gate document there);
 * - not the Patch Tuesday offset day: Success, output Status "held: <date> is not Patch Tuesday +
 *   N ...". An offset schedule fires every day of its window and holds on all but one of them by
 *   design; notifying 27-30 times a month would bury the holds that matter.
 */

export const GATE_STEPS = { check: "CheckGates", branch: "BranchOnDecision", start: "StartPatchRun", held: "HoldPatchRun", wait: "NotOffsetDay" } as const;

/** CheckGates' Decision output. */
export const GATE_DECISIONS = { start: "start", held: "held", wait: "wait" } as const;

/** Per chunk of the PatchRunRequest StringList: an Automation parameter value holds at most 512 characters. */
export const REQUEST_CHUNK_CHARS = 500;
/** A StringList parameter holds at most 50 values (AutomationParameterValueList). */
export const MAX_REQUEST_CHUNKS = 50;

/** A subset of the tag value pattern ([\p{L}\p{Z}\p{N}_.:/=+\-@]*, at most 256). */
const OVERRIDE_REASON = /^[A-Za-z0-9 _.:/=+@-]{1,200}$/;

const CHECK_OUTPUT = (name: string) => `{{ ${GATE_STEPS.check}.${name} }}`;

function script(handler: string, source: string, payload: Record<string, unknown>): Record<string, unknown> {
    return { Runtime: SCRIPT_RUNTIME, Handler: handler, InputPayload: payload, Script: source };
}

const REQUEST_AND_GROUP = { PatchRunRequest: "{{ PatchRunRequest }}", PatchGroup: "{{ PatchGroup }}", OverrideReason: "{{ OverrideReason }}", GateExecutionId: "{{ automation:EXECUTION_ID }}" };

function gateSteps(): Step[] {
    return [
        {
            // Read-only: decides, starts nothing. Retried once (throttling); a script error fails the run.
            name: GATE_STEPS.check,
            action: "aws:executeScript",
            maxAttempts: 2,
            timeoutSeconds: 300,
            nextStep: GATE_STEPS.branch,
            inputs: script("check_gates", GATE_SCRIPT, {
                ...REQUEST_AND_GROUP,
                Ring: "{{ Ring }}",
                PatchTuesdayOffsetDays: "{{ PatchTuesdayOffsetDays }}",
                TimeZone: "{{ TimeZone }}",
                ChangeCalendarName: "{{ ChangeCalendarName }}",
            }),
            outputs: [
                { Name: "Decision", Selector: "$.Payload.Decision", Type: "String" },
                { Name: "Status", Selector: "$.Payload.Status", Type: "String" },
            ],
        },
        {
            name: GATE_STEPS.branch,
            action: "aws:branch",
            inputs: {
                Choices: [
                    { NextStep: GATE_STEPS.start, Variable: CHECK_OUTPUT("Decision"), StringEquals: GATE_DECISIONS.start },
                    { NextStep: GATE_STEPS.held, Variable: CHECK_OUTPUT("Decision"), StringEquals: GATE_DECISIONS.held },
                ],
                Default: GATE_STEPS.wait,
            },
        },
        {
            // Never retried by Automation; the ClientToken makes a repeated start a no-op anyway.
            name: GATE_STEPS.start,
            action: "aws:executeScript",
            maxAttempts: 1,
            timeoutSeconds: 120,
            isEnd: true,
            inputs: script("start_patch_run", GATE_SCRIPT, REQUEST_AND_GROUP),
            outputs: [
                { Name: "ChildExecutionId", Selector: "$.Payload.ChildExecutionId", Type: "String" },
                { Name: "Status", Selector: "$.Payload.Status", Type: "String" },
            ],
        },
        {
            name: GATE_STEPS.held,
            action: "aws:executeScript",
            timeoutSeconds: 60,
            isEnd: true,
            inputs: script("hold", HOLD_SCRIPT, { Status: CHECK_OUTPUT("Status") }),
        },
        { name: GATE_STEPS.wait, action: "aws:sleep", isEnd: true, inputs: { Duration: "PT1S" } },
    ];
}

export function gateDocument(): AutomationDocument {
    return {
        schemaVersion: "0.3",
        description: "Safe-rollout gate: checks the Patch Tuesday offset day, the Change Calendar and the previous ring, then starts the patch run (PatchRunRequest) with its TargetLocations, or ends with Status held: <reason>.",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            // Required here: with the caller's (the scheduler's) permissions the run could do nothing.
            AutomationAssumeRole: { type: "String", description: "(Required) ARN of the rollout role the gate runs as (rolloutDocuments.ts gateRolePolicy)." },
            PatchRunRequest: { type: "StringList", description: "(Required) The StartAutomationExecution request of the patch run as JSON, in chunks of at most 500 characters (joined in order)." },
            PatchGroup: { type: "String", description: "(Required) The patch group this run patches.", allowedPattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$" },
            Ring: { type: "String", description: '(Optional) JSON {"after": group, "minDays": n, "require": "success" | {"compliancePercent": n}, "documentName"?: name}; empty = no ring.', default: "" },
            PatchTuesdayOffsetDays: {
                type: "String",
                description: `(Optional) Run only on the second Tuesday + this many days (0-${MAX_PATCH_TUESDAY_OFFSET_DAYS}) in TimeZone; empty = any day.`,
                default: "",
                allowedPattern: "^$|^([0-9]|1[0-9]|2[0-7])$",
            },
            TimeZone: { type: "String", description: "(Optional) IANA time zone of the offset day and of the ring's minDays.", default: "UTC", allowedPattern: "^[A-Za-z][A-Za-z0-9_+/-]{0,63}$" },
            ChangeCalendarName: { type: "String", description: "(Optional) Change Calendar (DEFAULT_OPEN) whose CLOSED state holds the run; empty = none.", default: "", allowedPattern: "^$|^[a-zA-Z0-9_.-]{3,128}$" },
            // The reason becomes a tag value: a subset of the tag value pattern, at most 200 characters.
            OverrideReason: { type: "String", description: "(Optional) Run during a blackout anyway; recorded as the patching:override-reason tag.", default: "", allowedPattern: `^$|${OVERRIDE_REASON.source}` },
        },
        mainSteps: gateSteps(),
        outputs: [`${GATE_STEPS.check}.Decision`, `${GATE_STEPS.check}.Status`, `${GATE_STEPS.start}.ChildExecutionId`, `${GATE_STEPS.start}.Status`],
    };
}

export type RingRequirement = "success" | { readonly compliancePercent: number };

/** A ring: this group installs only after `after`'s latest gated install met `require` at least `minDays` ago. */
export interface RingCondition {
    readonly after: string;
    readonly minDays: number;
    readonly require: RingRequirement;
    /** @default - the patch run's own document */
    readonly documentName?: string;
}

/** Problems with a ring condition, one line each. */
export function ringProblems(ring: RingCondition): string[] {
    const problems: string[] = [];
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(ring.after)) problems.push(`after "${ring.after}" is not a patch group name`);
    if (!Number.isInteger(ring.minDays) || ring.minDays < 0 || ring.minDays > 60) problems.push(`minDays ${ring.minDays} is not an integer from 0 to 60`);
    if (ring.require !== "success") {
        const percent = ring.require.compliancePercent;
        if (!(typeof percent === "number" && percent > 0 && percent <= 100)) problems.push(`require.compliancePercent ${percent} is not a number above 0 and at most 100`);
    }
    return problems;
}

export interface AlarmHalt {
    readonly alarmName: string;
    /** @default false */
    readonly ignorePollAlarmFailure?: boolean;
}

/** The patch run with StartAutomationExecution's AlarmConfiguration (exactly one alarm: AlarmList max 1). */
export function withAlarmConfiguration(patchRun: Readonly<Record<string, unknown>>, alarm: AlarmHalt): Record<string, unknown> {
    return { ...patchRun, AlarmConfiguration: { IgnorePollAlarmFailure: alarm.ignorePollAlarmFailure ?? false, Alarms: [{ Name: alarm.alarmName }] } };
}

export interface GateRunRequest {
    readonly gateDocumentName: string;
    /** The role the gate execution runs as (rolloutDocuments.ts gateRolePolicy). */
    readonly gateRoleArn: string;
    readonly patchGroup: string;
    /** What the schedule starts today (startAutomationExecutionInput), with AlarmConfiguration if any. */
    readonly patchRun: Readonly<Record<string, unknown>>;
    readonly ring?: RingCondition;
    readonly patchTuesdayOffsetDays?: number;
    /** @default "UTC" */
    readonly timeZone?: string;
    readonly changeCalendarName?: string;
    readonly overrideReason?: string;
}

/** `value` in consecutive pieces of at most `size` characters. */
export function chunks(value: string, size = REQUEST_CHUNK_CHARS): string[] {
    const pieces: string[] = [];
    for (let start = 0; start < value.length; start += size) pieces.push(value.slice(start, start + size));
    return pieces;
}

/** The StartAutomationExecution request that starts the gate (what the install schedule sends instead). */
export function gateStartInput(request: GateRunRequest): Record<string, unknown> {
    const problems = [
        ...(request.ring === undefined ? [] : ringProblems(request.ring).map((p) => `ring: ${p}`)),
        ...(request.patchTuesdayOffsetDays === undefined ? [] : [offsetDaysProblem(request.patchTuesdayOffsetDays)].filter((p) => p !== undefined).map((p) => `patchTuesdayOffsetDays ${p}`)),
    ];
    if (request.overrideReason !== undefined && !OVERRIDE_REASON.test(request.overrideReason)) {
        problems.push(`overrideReason "${request.overrideReason}" must be 1-200 of letters, digits, space and _.:/=+@- (it becomes a tag value)`);
    }
    const pieces = chunks(JSON.stringify(request.patchRun));
    if (pieces.length > MAX_REQUEST_CHUNKS) problems.push(`the patch run request is ${JSON.stringify(request.patchRun).length} characters; the gate takes at most ${MAX_REQUEST_CHUNKS * REQUEST_CHUNK_CHARS}`);
    if (problems.length > 0) throw new Error(`gate for ${request.patchGroup}: ${problems.join("; ")}`);
    const optional: [string, string | undefined][] = [
        ["Ring", request.ring === undefined ? undefined : JSON.stringify(request.ring)],
        ["PatchTuesdayOffsetDays", request.patchTuesdayOffsetDays?.toString()],
        ["TimeZone", request.timeZone],
        ["ChangeCalendarName", request.changeCalendarName],
        ["OverrideReason", request.overrideReason],
    ];
    return {
        DocumentName: request.gateDocumentName,
        Parameters: {
            AutomationAssumeRole: [request.gateRoleArn],
            PatchRunRequest: pieces,
            PatchGroup: [request.patchGroup],
            // Empty values are left out: a parameter value must be 1-512 characters.
            ...Object.fromEntries(optional.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "").map(([key, value]) => [key, [value]])),
        },
    };
}
