import type { AutomationExecution } from "@aws-sdk/client-ssm";
import { CUTOFF_STEPS } from "../../components/rollout/cutoffDocument";
import { GATE_STEPS } from "../../components/rollout/gateDocument";
import { ROLLOUT_TAGS } from "../../components/rollout/gateScript";
import { ROLLOUT_DOCUMENT_NAMES } from "../../components/rollout/rolloutPlan";
import type { SsmApi } from "./clients";
import { allExecutions, newestFirst } from "./ssmPages";
import { cancellingCutoff, haltingAlarms, summariseGate, type GateSummary } from "./statusModel";

/**
 * `status` for the safe-rollout layer (issue 17): a gate execution (held, skipped, or the patch
 * run it started), and why a patch run was stopped (its halt alarm, or the window cutoff).
 */

export const isGateExecution = (execution: AutomationExecution): boolean => execution.DocumentName === ROLLOUT_DOCUMENT_NAMES.gate;

/** `known`: the gate as just read (status reads it first to tell a gate from a patch run). */
export async function readGate(ssm: SsmApi, executionId: string, known?: AutomationExecution): Promise<GateSummary> {
    const gate = known ?? (await ssm.getAutomationExecution({ AutomationExecutionId: executionId })).AutomationExecution;
    if (gate === undefined) {
        throw new Error(`GetAutomationExecution returned nothing for ${executionId}`);
    }
    return summariseGate(gate, GATE_STEPS);
}

/**
 * The newest gate execution of `group`: gate runs are not tagged (the schedule starts them), so
 * each candidate's PatchGroup parameter is read, newest first, until one matches.
 */
export async function latestGate(ssm: SsmApi, group: string): Promise<string | undefined> {
    const gates = (await allExecutions(ssm, [{ Key: "DocumentNamePrefix", Values: [ROLLOUT_DOCUMENT_NAMES.gate] }]))
        .filter((execution) => execution.DocumentName === ROLLOUT_DOCUMENT_NAMES.gate)
        .sort(newestFirst);
    for (const gate of gates) {
        const { AutomationExecution } = await ssm.getAutomationExecution({ AutomationExecutionId: gate.AutomationExecutionId });
        if (AutomationExecution?.Parameters?.PatchGroup?.[0] === group) {
            return gate.AutomationExecutionId;
        }
    }
    return undefined;
}

export function renderGate(gate: GateSummary): string {
    const started = gate.startTime === undefined ? "" : `, started ${gate.startTime.toISOString()}`;
    const lines = [`Rollout gate ${gate.executionId} (${ROLLOUT_DOCUMENT_NAMES.gate}) for patch group ${gate.patchGroup}: ${gate.status}${started}`];
    if (gate.reason !== undefined) {
        // A skip is a hold by design (offset schedules fire daily); say so instead of "held".
        lines.push(gate.decision === "wait" ? `  skipped: ${gate.reason.replace(/^held: /, "")}` : `  ${gate.reason}`);
    }
    if (gate.overrideReason !== undefined) {
        lines.push(`  blackout override (${ROLLOUT_TAGS.overrideReason} tag of the patch run): ${gate.overrideReason}`);
    }
    if (gate.childExecutionId !== undefined) {
        lines.push(`  started patch run ${gate.childExecutionId}:`);
    }
    return `${lines.join("\n")}\n`;
}

/**
 * Why a run that ended Cancelled or with alarms stopped: the alarms that halted it, and the
 * window-cutoff execution that cancelled it (the cutoff lists the runs it stopped in its
 * CancelledExecutionIds output). Empty for a run that was not stopped.
 */
export async function stopNotes(ssm: SsmApi, run: AutomationExecution): Promise<string[]> {
    const alarms = haltingAlarms(run);
    const notes = alarms.length === 0 ? [] : [`Halted by alarm ${alarms.join(", ")}`];
    if (run.AutomationExecutionStatus !== "Cancelled" || run.AutomationExecutionId === undefined) {
        return notes;
    }
    // StartTimeAfter narrows the search to cutoffs started after the run (value: ISO 8601, seconds).
    const after = run.ExecutionStartTime?.toISOString().replace(/\.\d{3}Z$/, "Z");
    const cutoffs = (await allExecutions(ssm, [{ Key: "DocumentNamePrefix", Values: [ROLLOUT_DOCUMENT_NAMES.cutoff] }, ...(after === undefined ? [] : [{ Key: "StartTimeAfter" as const, Values: [after] }])])).sort(newestFirst);
    const cutoff = cancellingCutoff(run.AutomationExecutionId, cutoffs, `${CUTOFF_STEPS.cancel}.CancelledExecutionIds`);
    notes.push(
        cutoff === undefined
            ? "Cancelled, not by a window cutoff (stopped by hand or by its halt alarm)"
            : `Cancelled by the window cutoff: ${ROLLOUT_DOCUMENT_NAMES.cutoff} execution ${cutoff.AutomationExecutionId} at ${cutoff.ExecutionStartTime?.toISOString() ?? "?"} (end of the group's maxDurationMinutes window)`,
    );
    return notes;
}
