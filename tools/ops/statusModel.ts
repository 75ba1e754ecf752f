import type { AutomationExecution, AutomationExecutionMetadata, StepExecution, TargetLocation } from "@aws-sdk/client-ssm";
import { NODE_STATUS_OUTPUT, NODE_STEPS, SKIPPED_PREFIX } from "../../components/runbooks/runPatchBaseline";

/**
 * Progress of one multi-account Automation run, from what the central account can read (pure).
 * API reference: GetAutomationExecution (the parent: status, TargetLocations), the parent's
 * DescribeAutomationStepExecutions (a StepExecution's `TargetLocation` says which account and
 * Region it ran in), and DescribeAutomationExecutions filtered by `ParentExecutionId` (the child
 * executions; `Target` is the node a child ran on), each child's own step executions giving its
 * location and the failing step's `FailureMessage`.
 */
export type Bucket = "pending" | "inProgress" | "success" | "failed";
export const BUCKETS: readonly Bucket[] = ["pending", "inProgress", "success", "failed"];

/** AutomationExecutionStatus values (API_AutomationExecution) by what they mean for a run. */
const STATUS_BUCKETS: Readonly<Record<string, Bucket>> = {
    Pending: "pending",
    Waiting: "pending",
    Scheduled: "pending",
    PendingApproval: "pending",
    Approved: "pending",
    PendingChangeCalendarOverride: "pending",
    ChangeCalendarOverrideApproved: "pending",
    InProgress: "inProgress",
    Cancelling: "inProgress",
    RunbookInProgress: "inProgress",
    Success: "success",
    CompletedWithSuccess: "success",
    Failed: "failed",
    TimedOut: "failed",
    Cancelled: "failed",
    Rejected: "failed",
    ChangeCalendarOverrideRejected: "failed",
    CompletedWithFailure: "failed",
    Exited: "failed",
};

export function bucketOf(status: string | undefined): Bucket {
    return STATUS_BUCKETS[status ?? "Pending"] ?? "inProgress";
}

export interface ChildRun {
    readonly execution: AutomationExecutionMetadata;
    readonly steps: readonly StepExecution[];
}

export interface RunSnapshot {
    readonly parent: AutomationExecution;
    readonly parentSteps: readonly StepExecution[];
    readonly children: readonly ChildRun[];
}

export interface NodeFailure {
    readonly node: string;
    readonly step: string;
    readonly message: string;
    /** Where the failed step sent its command output (`s3://bucket/prefix/`), from its resolved inputs. */
    readonly output?: string;
}

/** A node the per-node runbook skipped (not running / not Online): a Success child, not a failure. */
export interface NodeSkip {
    readonly node: string;
    /** CheckNode's recorded reason, without the "Skipped: " prefix. */
    readonly reason: string;
}

export interface LocationProgress {
    readonly account: string;
    readonly region: string;
    /** The location's own state (its step in the parent, else derived from its nodes). */
    readonly state: Bucket;
    /** Child executions (nodes) by bucket. */
    readonly nodes: Readonly<Record<Bucket, number>>;
    readonly failures: readonly NodeFailure[];
    /** Successful children that skipped their node; counted here, not in `nodes.success`. */
    readonly skipped: readonly NodeSkip[];
}

export interface RunSummary {
    readonly executionId: string;
    readonly documentName: string;
    readonly status: string;
    readonly startTime?: Date;
    /** The parent has ended (success or failure). */
    readonly done: boolean;
    readonly locations: readonly LocationProgress[];
    /** A location or the run itself failed: the CLI exits 1. */
    readonly failed: boolean;
}

const UNKNOWN = "?";
const keyOf = (account: string, region: string) => `${account} ${region}`;

/** The single (account, Region) of a step's TargetLocation, if it names one. */
function locationOf(target: TargetLocation | undefined): [string, string] | undefined {
    const account = target?.Accounts?.[0];
    const region = target?.Regions?.[0];
    return account === undefined || region === undefined ? undefined : [account, region];
}

/** StepExecution.Inputs holds each resolved input as JSON text (`"\"name\""`). */
function input(step: StepExecution | undefined, key: string): string | undefined {
    const raw = step?.Inputs?.[key];
    try {
        return raw === undefined ? undefined : String(JSON.parse(raw));
    } catch {
        return raw;
    }
}

function failureOf(steps: readonly StepExecution[], fallback: { node: string; message?: string; status?: string }): NodeFailure {
    const failed = [...steps].reverse().find((step) => bucketOf(step.StepStatus) === "failed" && step.FailureMessage !== undefined);
    const [bucket, prefix] = [input(failed, "OutputS3BucketName"), input(failed, "OutputS3KeyPrefix")];
    return {
        node: fallback.node,
        step: failed?.StepName ?? "-",
        message: failed?.FailureMessage ?? fallback.message ?? fallback.status ?? "failed",
        ...(bucket === undefined ? {} : { output: `s3://${bucket}/${prefix === undefined ? "" : `${prefix}/`}` }),
    };
}

/**
 * The skip reason a finished child recorded: the execution's outputs (AutomationExecutionMetadata
 * `Outputs`, the document's outputs) or, when those are not listed, its CheckNode step's outputs.
 */
export function skipReasonOf(child: ChildRun): string | undefined {
    const fromOutputs = child.execution.Outputs?.[NODE_STATUS_OUTPUT]?.[0];
    const fromStep = child.steps.find((step) => step.StepName === NODE_STEPS.check)?.Outputs?.NodeStatus?.[0];
    const status = fromOutputs ?? fromStep;
    return status?.startsWith(SKIPPED_PREFIX) ? status.slice(SKIPPED_PREFIX.length) : undefined;
}

export function summariseRun(snapshot: RunSnapshot): RunSummary {
    const { parent } = snapshot;
    const rows = new Map<string, { account: string; region: string; step?: StepExecution; nodes: Record<Bucket, number>; failures: NodeFailure[]; skipped: NodeSkip[] }>();
    const row = (account: string, region: string) => {
        const key = keyOf(account, region);
        const existing = rows.get(key) ?? { account, region, nodes: { pending: 0, inProgress: 0, success: 0, failed: 0 }, failures: [], skipped: [] };
        rows.set(key, existing);
        return existing;
    };
    // Every requested location is listed, even before anything ran there.
    for (const target of parent.TargetLocations ?? []) {
        for (const account of target.Accounts ?? []) {
            for (const region of target.Regions ?? []) {
                row(account, region);
            }
        }
    }
    for (const step of snapshot.parentSteps) {
        const location = locationOf(step.TargetLocation);
        if (location !== undefined) {
            row(...location).step = step;
        }
    }
    for (const child of snapshot.children) {
        const location = child.steps.map((step) => locationOf(step.TargetLocation)).find((found) => found !== undefined) ?? [UNKNOWN, UNKNOWN];
        const target = row(...location);
        const bucket = bucketOf(child.execution.AutomationExecutionStatus);
        const node = child.execution.Target ?? child.execution.ResolvedTargets?.ParameterValues?.[0] ?? child.execution.AutomationExecutionId ?? UNKNOWN;
        const skip = bucket === "success" ? skipReasonOf(child) : undefined;
        if (skip !== undefined) {
            target.skipped.push({ node, reason: skip });
            continue;
        }
        target.nodes[bucket] += 1;
        if (bucket === "failed") {
            target.failures.push(failureOf(child.steps, { node, message: child.execution.FailureMessage, status: child.execution.AutomationExecutionStatus }));
        }
    }
    const locations = [...rows.values()]
        .map((r): LocationProgress => {
            const fromNodes: Bucket = r.nodes.pending + r.nodes.inProgress > 0 ? "inProgress" : r.nodes.failed > 0 ? "failed" : r.nodes.success + r.skipped.length > 0 ? "success" : "pending";
            const state = r.step === undefined ? fromNodes : bucketOf(r.step.StepStatus);
            // A location that failed before any node ran (say, the execution role could not be assumed).
            const failures = state === "failed" && r.failures.length === 0 && r.step !== undefined ? [failureOf([r.step], { node: "-", status: r.step.StepStatus })] : r.failures;
            return { account: r.account, region: r.region, state, nodes: r.nodes, failures, skipped: r.skipped };
        })
        // Children whose location could not be read go last.
        .sort((a, b) => Number(a.account === UNKNOWN) - Number(b.account === UNKNOWN) || keyOf(a.account, a.region).localeCompare(keyOf(b.account, b.region)));
    const parentBucket = bucketOf(parent.AutomationExecutionStatus);
    return {
        executionId: parent.AutomationExecutionId ?? UNKNOWN,
        documentName: parent.DocumentName ?? UNKNOWN,
        status: parent.AutomationExecutionStatus ?? "Pending",
        ...(parent.ExecutionStartTime === undefined ? {} : { startTime: parent.ExecutionStartTime }),
        done: parentBucket === "success" || parentBucket === "failed",
        locations,
        failed: parentBucket === "failed" || locations.some((l) => l.state === "failed" || l.nodes.failed > 0),
    };
}

/**
 * A rollout gate execution (issue 17), from GetAutomationExecution: the gate's document outputs
 * (`CheckGates.Status` is "held: <reason>" or "clear: …"; `StartPatchRun.ChildExecutionId` the
 * patch run it started) and its OverrideReason parameter, which the gate puts on that run as the
 * patching:override-reason tag. A hold by the calendar or the ring fails the gate (its failure
 * message is the hold); the Patch Tuesday "not today" hold ends Success with Decision "wait".
 */
export interface GateSummary {
    readonly executionId: string;
    readonly patchGroup: string;
    readonly status: string;
    readonly startTime?: Date;
    readonly done: boolean;
    /** start | held | wait (CheckGates.Decision), once the check ran. */
    readonly decision?: string;
    /** What the gate decided and why: "held: …", "clear: …", or the failure message. */
    readonly reason?: string;
    readonly childExecutionId?: string;
    readonly overrideReason?: string;
}

const first = (values: readonly string[] | undefined): string | undefined => (values === undefined || values[0] === "" ? undefined : values[0]);

export function summariseGate(gate: AutomationExecution, steps: { readonly check: string; readonly start: string }): GateSummary {
    const outputs = gate.Outputs ?? {};
    const decision = first(outputs[`${steps.check}.Decision`]);
    const checked = first(outputs[`${steps.check}.Status`]);
    const child = first(outputs[`${steps.start}.ChildExecutionId`]);
    const bucket = bucketOf(gate.AutomationExecutionStatus);
    // A hold or skip: CheckGates' own Status. Any other failure (a script error, the start refused): the failure message.
    const holds = decision === "held" || decision === "wait";
    const reason = holds ? checked : bucket === "failed" ? (gate.FailureMessage ?? checked) : checked;
    return {
        executionId: gate.AutomationExecutionId ?? UNKNOWN,
        patchGroup: first(gate.Parameters?.PatchGroup) ?? UNKNOWN,
        status: gate.AutomationExecutionStatus ?? "Pending",
        ...(gate.ExecutionStartTime === undefined ? {} : { startTime: gate.ExecutionStartTime }),
        done: bucket === "success" || bucket === "failed",
        ...(decision === undefined ? {} : { decision }),
        ...(reason === undefined ? {} : { reason }),
        ...(child === undefined ? {} : { childExecutionId: child }),
        ...(first(gate.Parameters?.OverrideReason) === undefined ? {} : { overrideReason: first(gate.Parameters?.OverrideReason) }),
    };
}

/** Why a run was stopped: the alarms that halted it (AutomationExecution.TriggeredAlarms). */
export function haltingAlarms(execution: AutomationExecution): string[] {
    return (execution.TriggeredAlarms ?? []).map((alarm) => `${alarm.Name ?? UNKNOWN} (${alarm.State ?? UNKNOWN})`);
}

/**
 * The window-cutoff execution that cancelled `runId`: the cutoff runbook lists what it stopped in
 * its `<step>.CancelledExecutionIds` output (AutomationExecutionMetadata.Outputs).
 */
export function cancellingCutoff(runId: string, cutoffs: readonly AutomationExecutionMetadata[], outputKey: string): AutomationExecutionMetadata | undefined {
    return cutoffs.find((cutoff) => (cutoff.Outputs?.[outputKey] ?? []).some((value) => value === runId || value.includes(runId)));
}
