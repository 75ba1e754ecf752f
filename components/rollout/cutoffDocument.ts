import type { AutomationDocument } from "../runbooks/documentModel";
import { SCRIPT_RUNTIME } from "../runbooks/runPatchBaseline";
import { CUTOFF_SCRIPT } from "./cutoffScript";

/**
 * The window-cutoff runbook (issue 17, item 3): started in the central account by a second
 * schedule at the end of a group's change window; cancels that group's gated patch runs that are
 * still running (StopAutomationExecution Type Cancel). Cancelling the parent multi-account
 * execution stops its per-location runs, so no new node starts patching after the cutoff, and the
 * stopped-instances workflow's onCancel step stops the instances it started.
 */

export const CUTOFF_STEPS = { cancel: "CancelRunningPatchRuns" } as const;

export function cutoffDocument(): AutomationDocument {
    return {
        schemaVersion: "0.3",
        description: "Window cutoff: cancels the patch group's gated patch runs (tagged patching:gate:<group>) that are still running.",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            // Required here: with the caller's (the scheduler's) permissions the run could do nothing.
            AutomationAssumeRole: { type: "String", description: "(Required) ARN of the rollout role the cutoff runs as (rolloutDocuments.ts cutoffRolePolicy)." },
            PatchGroup: { type: "String", description: "(Required) The patch group whose runs are cut off.", allowedPattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$" },
            DocumentNames: { type: "StringList", description: "(Required) The patch runbooks whose runs are cut off." },
        },
        mainSteps: [
            {
                name: CUTOFF_STEPS.cancel,
                action: "aws:executeScript",
                // Safe to retry: the script is idempotent.
                maxAttempts: 2,
                timeoutSeconds: 300,
                isEnd: true,
                inputs: {
                    Runtime: SCRIPT_RUNTIME,
                    Handler: "cancel_running_patch_runs",
                    InputPayload: { PatchGroup: "{{ PatchGroup }}", DocumentNames: "{{ DocumentNames }}" },
                    Script: CUTOFF_SCRIPT,
                },
                outputs: [
                    { Name: "CancelledExecutionIds", Selector: "$.Payload.CancelledExecutionIds", Type: "StringList" },
                    { Name: "Status", Selector: "$.Payload.Status", Type: "String" },
                ],
            },
        ],
        outputs: [`${CUTOFF_STEPS.cancel}.Status`, `${CUTOFF_STEPS.cancel}.CancelledExecutionIds`],
    };
}

export interface CutoffRunRequest {
    readonly cutoffDocumentName: string;
    readonly roleArn: string;
    readonly patchGroup: string;
    /** The patch runbooks (both: a group's install runbook may change between runs). */
    readonly documentNames: readonly string[];
}

/** The StartAutomationExecution request the cutoff schedule sends. */
export function cutoffStartInput(request: CutoffRunRequest): Record<string, unknown> {
    return {
        DocumentName: request.cutoffDocumentName,
        Parameters: { AutomationAssumeRole: [request.roleArn], PatchGroup: [request.patchGroup], DocumentNames: [...request.documentNames].sort() },
    };
}
