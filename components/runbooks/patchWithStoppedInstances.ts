import type { AutomationDocument, Step } from "./documentModel";
import { PATCH_LOG_BUCKET, PATCH_PARAMETERS, runPatchBaselineParameters, SCRIPT_RUNTIME } from "./runPatchBaseline";
import { ONLINE_POLL_SECONDS, START_SCRIPT, STOP_ON_CANCEL_SCRIPT, VERIFY_SCRIPT, WAIT_ONLINE_SCRIPT } from "./patchWithStoppedInstancesScripts";

/** Step names: a public contract (execution history, the tests' control-flow proofs). */
export const STEPS = {
    start: "StartStoppedInstances", branchOnMembers: "BranchOnGroupMembers", noMembers: "NoInstancesInLocation", branchOnStarted: "BranchOnStartedInstances", waitRunning: "WaitForStartedInstancesRunning",
    waitOnline: "WaitForSsmOnline", updateAgent: "UpdateSsmAgent", patch: "PatchInstances", branchOnStop: "ShouldStopInstances",
    stop: "StopStartedInstances", verify: "VerifyPatchSucceeded", stopOnCancel: "StopStartedInstancesOnCancel",
} as const;

const STARTED_IDS = `{{ ${STEPS.start}.StartedInstanceIds }}`;
const STARTED_COUNT = `{{ ${STEPS.start}.StartedCount }}`;
const MEMBER_COUNT = `{{ ${STEPS.start}.MemberCount }}`;

// Inline `Script`: older reference pages said JSON runbooks need an Attachment, so the documents
// are rendered as YAML (renderDocument), which every reference supports for inline scripts.
function script(handler: string, payload: Record<string, unknown>, source: string): Record<string, unknown> {
    return { Runtime: SCRIPT_RUNTIME, Handler: handler, InputPayload: payload, Script: source };
}

/** A cancelled execution still stops what it started (onCancel runs for up to two minutes). */
const ON_CANCEL = `step:${STEPS.stopOnCancel}` as const;

/**
 * (b) The case-study patch workflow, run once per account/Region for one patch group: start the
 * group's stopped EC2 instances, wait until they are running and Online in Systems Manager,
 * update SSM Agent, patch every node of the group, then stop exactly the instances it started —
 * after a failed patch too, ending Failed so the failure is visible.
 */
export function patchWithStoppedInstancesDocument(options: { patchGroupTagKey: string }): AutomationDocument {
    const targets = [{ Key: `tag:${options.patchGroupTagKey}`, Values: ["{{ PatchGroup }}"] }];
    const rateControl = { MaxConcurrency: "{{ MaxConcurrency }}", MaxErrors: "{{ MaxErrors }}" };
    const { AutomationAssumeRole, ...patchOptions } = PATCH_PARAMETERS;
    const steps: Step[] = [
        {
            name: STEPS.start,
            action: "aws:executeScript",
            // Never retried: a second attempt would find the instances already pending and
            // report none started, and they would never be stopped again.
            maxAttempts: 1,
            timeoutSeconds: 600,
            onFailure: "Abort",
            onCancel: ON_CANCEL,
            nextStep: STEPS.branchOnMembers,
            inputs: script("start_stopped_instances", { TagKey: options.patchGroupTagKey, PatchGroup: "{{ PatchGroup }}" }, START_SCRIPT),
            outputs: [
                { Name: "StartedInstanceIds", Selector: "$.Payload.StartedInstanceIds", Type: "StringList" },
                { Name: "StartedCount", Selector: "$.Payload.StartedCount", Type: "Integer" },
                { Name: "StartedAt", Selector: "$.Payload.StartedAt", Type: "String" },
                { Name: "FailedToStart", Selector: "$.Payload.FailedToStart", Type: "StringList" },
                { Name: "NotStartedByUs", Selector: "$.Payload.NotStartedByUs", Type: "StringList" },
                { Name: "MemberCount", Selector: "$.Payload.MemberCount", Type: "Integer" },
                { Name: "Status", Selector: "$.Payload.Status", Type: "String" },
            ],
        },
        {
            // No member in this location: end Success, the start step's Status says why.
            name: STEPS.branchOnMembers,
            action: "aws:branch",
            inputs: {
                Choices: [{ NextStep: STEPS.noMembers, Variable: MEMBER_COUNT, NumericEquals: 0 }],
                Default: STEPS.branchOnStarted,
            },
        },
        {
            // aws:branch cannot test a list for emptiness; the script's count it can.
            name: STEPS.branchOnStarted,
            action: "aws:branch",
            inputs: {
                Choices: [{ NextStep: STEPS.updateAgent, Variable: STARTED_COUNT, NumericEquals: 0 }],
                Default: STEPS.waitRunning,
            },
        },
        {
            // DesiredState running waits for state running and both status checks OK; assert
            // mode (CheckStateOnly) because the script already started them.
            name: STEPS.waitRunning,
            action: "aws:changeInstanceState",
            timeoutSeconds: 900,
            // Continue: patch the others; an instance that never came up counts as a command error.
            onFailure: "Continue",
            isCritical: false,
            onCancel: ON_CANCEL,
            nextStep: STEPS.waitOnline,
            inputs: { InstanceIds: STARTED_IDS, CheckStateOnly: true, DesiredState: "running" },
        },
        {
            name: STEPS.waitOnline,
            action: "aws:executeScript",
            maxAttempts: 2,
            timeoutSeconds: 600,
            onFailure: "Continue",
            isCritical: false,
            onCancel: ON_CANCEL,
            nextStep: STEPS.updateAgent,
            inputs: script("wait_until_online", { InstanceIds: STARTED_IDS, StartedAt: `{{ ${STEPS.start}.StartedAt }}`, PollSeconds: ONLINE_POLL_SECONDS }, WAIT_ONLINE_SCRIPT),
        },
        {
            // An agent update failure must not block patching.
            name: STEPS.updateAgent,
            action: "aws:runCommand",
            timeoutSeconds: 1800,
            onFailure: "Continue",
            isCritical: false,
            onCancel: ON_CANCEL,
            nextStep: STEPS.patch,
            inputs: {
                DocumentName: "AWS-UpdateSSMAgent",
                Targets: targets,
                ...rateControl,
                OutputS3BucketName: PATCH_LOG_BUCKET,
                OutputS3KeyPrefix: "update-ssm-agent/{{ automation:EXECUTION_ID }}",
            },
        },
        {
            // Failure goes on to the stop decision; isCritical keeps the execution Failed.
            // 12 hours: a timeout here would stop instances in the middle of installing, so this
            // must exceed waves (100% / MaxConcurrency) x AWS-RunPatchBaseline's 2-hour limit.
            name: STEPS.patch,
            action: "aws:runCommand",
            timeoutSeconds: 43200,
            onFailure: `step:${STEPS.branchOnStop}`,
            isCritical: true,
            onCancel: ON_CANCEL,
            nextStep: STEPS.branchOnStop,
            inputs: {
                DocumentName: "AWS-RunPatchBaseline",
                Targets: targets,
                Parameters: runPatchBaselineParameters(),
                ...rateControl,
                OutputS3BucketName: PATCH_LOG_BUCKET,
                OutputS3KeyPrefix: "patch-with-stopped-instances/{{ automation:EXECUTION_ID }}",
            },
        },
        {
            name: STEPS.branchOnStop,
            action: "aws:branch",
            inputs: {
                Choices: [{ NextStep: STEPS.verify, Variable: STARTED_COUNT, NumericEquals: 0 }],
                Default: STEPS.stop,
            },
        },
        {
            // Only the ids the start step returned: never an instance that was running before.
            name: STEPS.stop,
            action: "aws:changeInstanceState",
            maxAttempts: 3,
            timeoutSeconds: 1800,
            onFailure: "Abort",
            nextStep: STEPS.verify,
            inputs: { InstanceIds: STARTED_IDS, CheckStateOnly: false, DesiredState: "stopped" },
        },
        {
            // Reached after success and after failure: fails the execution unless the patch
            // command succeeded (an unresolvable status also fails it — fail closed).
            name: STEPS.verify,
            action: "aws:executeScript",
            timeoutSeconds: 120,
            isEnd: true,
            inputs: script("verify_patch_succeeded", { PatchStatus: `{{ ${STEPS.patch}.Status }}`, CommandId: `{{ ${STEPS.patch}.CommandId }}` }, VERIFY_SCRIPT),
        },
        {
            name: STEPS.stopOnCancel,
            action: "aws:executeScript",
            timeoutSeconds: 110,
            isEnd: true,
            inputs: script("stop_started_instances", { InstanceIds: STARTED_IDS, ExecutionId: "{{ automation:EXECUTION_ID }}" }, STOP_ON_CANCEL_SCRIPT),
        },
        {
            name: STEPS.noMembers,
            action: "aws:sleep",
            isEnd: true,
            inputs: { Duration: "PT1S" },
        },
    ];
    return {
        schemaVersion: "0.3",
        description: `Patches every node whose ${options.patchGroupTagKey} tag is the PatchGroup parameter: starts the group's stopped EC2 instances, updates SSM Agent, runs AWS-RunPatchBaseline, then stops exactly the instances it started.`,
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            AutomationAssumeRole,
            PatchGroup: {
                type: "String",
                description: `(Required) The patch group: the value of the ${options.patchGroupTagKey} tag.`,
                allowedPattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
            },
            ...patchOptions,
            // SendCommand's MaxConcurrency / MaxErrors patterns (API_SendCommand).
            MaxConcurrency: { type: "String", description: "(Optional) Nodes running each command at once: a number or a percentage.", default: "10%", allowedPattern: "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$" },
            MaxErrors: { type: "String", description: "(Optional) Errors allowed before a command is sent to no more nodes.", default: "10%", allowedPattern: "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$" },
        },
        mainSteps: steps,
        outputs: [`${STEPS.start}.Status`, `${STEPS.start}.StartedInstanceIds`, `${STEPS.start}.NotStartedByUs`, `${STEPS.patch}.CommandId`, `${STEPS.patch}.Status`],
    };
}
