import { logBucketName } from "../../catalog/naming";
import type { AutomationDocument, Parameter, Step } from "./documentModel";
import { HOOK_PARAMETERS, NO_HOOK } from "./installSafety";
import { CHECK_NODE_SCRIPT, EXCLUDED_NODES_PARAMETERS } from "./checkNode";
import { SNAPSHOT_POLL_SECONDS, SNAPSHOT_SCRIPT, SNAPSHOT_WAIT_ATTEMPTS, WAIT_FOR_SNAPSHOTS_SCRIPT } from "./snapshotScripts";

/**
 * The per-account/Region patch-log bucket, resolved by Automation at run time: the same document
 * content works in every member account and Region, where that bucket exists under this name.
 * global:ACCOUNT_ID is the account the execution runs in (automation-variables.html).
 */
export const PATCH_LOG_BUCKET = logBucketName("patch", "{{global:ACCOUNT_ID}}", "{{global:REGION}}");

/**
 * Parameters both runbooks pass through to AWS-RunPatchBaseline, defined as that document
 * defines them: its SnapshotId and InstallOverrideList default to "" and their patterns accept
 * "" via `(^$)`, so forwarding the empty defaults is what AWS-RunPatchBaseline does on its own.
 */
export const PATCH_PARAMETERS = {
    AutomationAssumeRole: {
        type: "String",
        description: "(Optional) ARN of the role Automation assumes to run this runbook. Empty: the caller's permissions.",
        default: "",
    },
    Operation: {
        type: "String",
        description: "(Optional) Scan reports missing patches; Install installs them.",
        allowedValues: ["Scan", "Install"],
        default: "Scan",
    },
    RebootOption: {
        type: "String",
        description: "(Optional) RebootIfNeeded reboots after installing; NoReboot leaves the node pending reboot.",
        allowedValues: ["RebootIfNeeded", "NoReboot"],
        default: "RebootIfNeeded",
    },
    SnapshotId: {
        type: "String",
        description: "(Optional) GUID that makes every node in one run use the same patch baseline snapshot.",
        default: "",
        allowedPattern: "(^$)|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    },
    InstallOverrideList: {
        type: "String",
        description: "(Optional) https:// or s3:// URL of a YAML list of patches that replaces the baseline for Install.",
        default: "",
        allowedPattern: "(^$)|^https://.+$|^s3://([^/]+)/(.*?([^/]+))$",
    },
} as const satisfies Record<string, Parameter>;

/** The AWS-RunPatchBaseline `Parameters` map, forwarding the runbook's parameters unchanged. */
export function runPatchBaselineParameters(): Record<string, string> {
    return {
        Operation: "{{ Operation }}",
        RebootOption: "{{ RebootOption }}",
        SnapshotId: "{{ SnapshotId }}",
        InstallOverrideList: "{{ InstallOverrideList }}",
    };
}

/** Step names of the per-node runbook: a public contract (execution history, `ops status`). */
export const NODE_STEPS = {
    check: "CheckNode",
    branch: "BranchOnNodeState",
    branchOnSnapshot: "BranchOnSnapshot",
    snapshot: "SnapshotVolumes",
    branchOnSnapshotTaken: "BranchOnSnapshotTaken",
    waitSnapshots: "WaitForSnapshots",
    branchOnHooks: "BranchOnHooks",
    patch: "RunPatchBaseline",
    patchWithHooks: "RunPatchBaselineWithHooks",
    skipped: "NodeSkipped",
} as const;

/** The SnapshotVolumes output `ops status` reads: "Created N snapshot(s) …" or "Skipped: <reason>". */
export const SNAPSHOT_STATUS_OUTPUT = `${NODE_STEPS.snapshot}.SnapshotStatus`;

/** The CheckNode output `ops status` reads: "Ready", or "Skipped: <reason>". */
export const NODE_STATUS_OUTPUT = `${NODE_STEPS.check}.NodeStatus`;
export const NODE_READY = "Ready";
export const SKIPPED_PREFIX = "Skipped: ";

/** Python 3.6-3.8 runtimes are retired for aws:executeScript; 3.11 is the one AWS recommends. */
export const SCRIPT_RUNTIME = "python3.11";


/** Issue 17: the install options the schedules pass for groups that set them (defaults: off). */
export const INSTALL_SAFETY_PARAMETERS = {
    SnapshotRetainDays: {
        type: "Integer",
        description: "(Optional) Install on an EC2 instance: first snapshot all its EBS volumes (crash-consistent) and keep them this many days; 0: no snapshots. Scan and hybrid nodes never snapshot.",
        default: 0,
    },
    // Names only, never ARNs: a hook runs as a document the node fetches itself (AWS's own or this
    // account's — the hybrid node role reads no other), so it must exist in every target location.
    ...(Object.fromEntries(
        Object.entries(HOOK_PARAMETERS).map(([key, parameter]) => [
            parameter,
            {
                type: "String",
                description: `(Optional) Install: the Command document AWS-RunPatchBaselineWithHooks runs as its ${key} hook; ${NO_HOOK} (the default) runs none.`,
                default: NO_HOOK,
                // CreateDocument's Name pattern (API_CreateDocument).
                allowedPattern: "^[a-zA-Z0-9_\\-.]{3,128}$",
            },
        ]),
    ) as Record<(typeof HOOK_PARAMETERS)[keyof typeof HOOK_PARAMETERS], Parameter>),
} as const satisfies Record<string, Parameter>;

const INSTALL = { Variable: "{{ Operation }}", StringEquals: "Install" };

/** The runCommand step on the node: AWS-RunPatchBaseline, or AWS-RunPatchBaselineWithHooks with the hooks. */
function patchStep(name: string, documentName: string, parameters: Record<string, string>): Step {
    return {
        name,
        action: "aws:runCommand",
        // One retry covers a transient delivery failure; more would repeat failed installs.
        maxAttempts: 2,
        // AWS-RunPatchBaseline's own executionTimeout is 7200 seconds.
        timeoutSeconds: 7200,
        onFailure: "Abort",
        isEnd: true,
        inputs: {
            DocumentName: documentName,
            InstanceIds: ["{{ InstanceId }}"],
            Parameters: parameters,
            OutputS3BucketName: PATCH_LOG_BUCKET,
            OutputS3KeyPrefix: "run-patch-baseline/{{ automation:EXECUTION_ID }}",
        },
    };
}

/**
 * Snapshots before install (issue 17 item 6): only for Install with SnapshotRetainDays above 0.
 * Taking them is never retried (a retry would make a second set); waiting is, by maxAttempts.
 * Any failure aborts the execution before the patch step: no restore point, no install.
 */
function snapshotSteps(patchGroupTagKey: string): Step[] {
    return [
        {
            name: NODE_STEPS.branchOnSnapshot,
            action: "aws:branch",
            inputs: {
                Choices: [{ NextStep: NODE_STEPS.snapshot, And: [INSTALL, { Variable: "{{ SnapshotRetainDays }}", NumericGreater: 0 }] }],
                Default: NODE_STEPS.branchOnHooks,
            },
        },
        {
            name: NODE_STEPS.snapshot,
            action: "aws:executeScript",
            maxAttempts: 1,
            timeoutSeconds: 300,
            onFailure: "Abort",
            nextStep: NODE_STEPS.branchOnSnapshotTaken,
            inputs: {
                Runtime: SCRIPT_RUNTIME,
                Handler: "snapshot_volumes",
                InputPayload: { InstanceId: "{{ InstanceId }}", RetainDays: "{{ SnapshotRetainDays }}", PatchGroupTagKey: patchGroupTagKey, ExecutionId: "{{ automation:EXECUTION_ID }}" },
                Script: SNAPSHOT_SCRIPT,
            },
            outputs: [
                { Name: "SnapshotStatus", Selector: "$.Payload.SnapshotStatus", Type: "String" },
                { Name: "SnapshotIds", Selector: "$.Payload.SnapshotIds", Type: "StringList" },
                { Name: "ExpiresAt", Selector: "$.Payload.ExpiresAt", Type: "String" },
            ],
        },
        {
            // A hybrid node has nothing to snapshot: the reason is SnapshotVolumes' output; patch on.
            name: NODE_STEPS.branchOnSnapshotTaken,
            action: "aws:branch",
            inputs: {
                Choices: [{ NextStep: NODE_STEPS.branchOnHooks, Variable: `{{ ${SNAPSHOT_STATUS_OUTPUT} }}`, StringStartsWith: SKIPPED_PREFIX }],
                Default: NODE_STEPS.waitSnapshots,
            },
        },
        {
            name: NODE_STEPS.waitSnapshots,
            action: "aws:executeScript",
            maxAttempts: SNAPSHOT_WAIT_ATTEMPTS,
            timeoutSeconds: 600,
            onFailure: "Abort",
            nextStep: NODE_STEPS.branchOnHooks,
            inputs: {
                Runtime: SCRIPT_RUNTIME,
                Handler: "wait_for_snapshots",
                InputPayload: { SnapshotIds: `{{ ${NODE_STEPS.snapshot}.SnapshotIds }}`, PollSeconds: SNAPSHOT_POLL_SECONDS },
                Script: WAIT_FOR_SNAPSHOTS_SCRIPT,
            },
        },
    ];
}

/**
 * (a) AWS-RunPatchBaseline on one node. Multi-account schedules target a resource group with
 * TargetParameterName InstanceId, so Automation runs this once per EC2 instance or hybrid node.
 * A node that is not running and Online is skipped: the child ends Success with
 * `CheckNode.NodeStatus` "Skipped: <reason>" in its outputs, so skips never consume MaxErrors.
 * Install may first snapshot the node's volumes (SnapshotRetainDays) and run with hooks
 * (AWS-RunPatchBaselineWithHooks when any hook is not AWS-Noop); Scan never does either.
 */
export function runPatchBaselineDocument(options: { patchGroupTagKey?: string } = {}): AutomationDocument {
    const hookNames = Object.values(HOOK_PARAMETERS);
    // AWS-RunPatchBaselineWithHooks has no InstallOverrideList parameter.
    const withHooksParameters = Object.fromEntries(Object.entries(runPatchBaselineParameters()).filter(([name]) => name !== "InstallOverrideList"));
    return {
        schemaVersion: "0.3",
        description: "Runs AWS-RunPatchBaseline (Scan or Install) on one managed node and writes the command output to this account's patch-log bucket; skips (Success, output CheckNode.NodeStatus \"Skipped: <reason>\") a node listed in ExcludedNodes (until its date) or not running and Online. Install can snapshot the EC2 instance's volumes first and run AWS-RunPatchBaselineWithHooks with hooks.",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            ...PATCH_PARAMETERS,
            InstanceId: {
                type: "String",
                description: "(Required) The EC2 instance (i-) or hybrid node (mi-) to patch.",
                // SendCommand's InstanceIds pattern (API_SendCommand).
                allowedPattern: "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)",
            },
            ...INSTALL_SAFETY_PARAMETERS,
            ...EXCLUDED_NODES_PARAMETERS,
        },
        mainSteps: [
            {
                name: NODE_STEPS.check,
                action: "aws:executeScript",
                // Read-only: a retry is harmless and covers API throttling.
                maxAttempts: 2,
                timeoutSeconds: 120,
                onFailure: "Abort",
                nextStep: NODE_STEPS.branch,
                inputs: { Runtime: SCRIPT_RUNTIME, Handler: "check_node", InputPayload: { InstanceId: "{{ InstanceId }}", ExcludedNodes: "{{ ExcludedNodes }}" }, Script: CHECK_NODE_SCRIPT },
                outputs: [{ Name: "NodeStatus", Selector: "$.Payload.NodeStatus", Type: "String" }],
            },
            {
                name: NODE_STEPS.branch,
                action: "aws:branch",
                inputs: {
                    Choices: [{ NextStep: NODE_STEPS.branchOnSnapshot, Variable: `{{ ${NODE_STATUS_OUTPUT} }}`, StringEquals: NODE_READY }],
                    Default: NODE_STEPS.skipped,
                },
            },
            ...snapshotSteps(options.patchGroupTagKey ?? "Patch Group"),
            {
                // AWS-RunPatchBaselineWithHooks only for Install with at least one hook: it has no
                // InstallOverrideList, and Scan runs no hooks (patch-manager-aws-runpatchbaselinewithhooks).
                name: NODE_STEPS.branchOnHooks,
                action: "aws:branch",
                inputs: {
                    Choices: hookNames.map((parameter) => ({ NextStep: NODE_STEPS.patchWithHooks, And: [INSTALL, { Not: { Variable: `{{ ${parameter} }}`, StringEquals: NO_HOOK } }] })),
                    Default: NODE_STEPS.patch,
                },
            },
            patchStep(NODE_STEPS.patch, "AWS-RunPatchBaseline", runPatchBaselineParameters()),
            patchStep(NODE_STEPS.patchWithHooks, "AWS-RunPatchBaselineWithHooks", { ...withHooksParameters, ...Object.fromEntries(hookNames.map((p) => [p, `{{ ${p} }}`])) }),
            {
                // The skip's end: a no-op so the execution ends Success; the reason is CheckNode's output.
                name: NODE_STEPS.skipped,
                action: "aws:sleep",
                isEnd: true,
                inputs: { Duration: "PT1S" },
            },
        ],
        outputs: [
            NODE_STATUS_OUTPUT,
            SNAPSHOT_STATUS_OUTPUT,
            `${NODE_STEPS.snapshot}.SnapshotIds`,
            `${NODE_STEPS.patch}.CommandId`,
            `${NODE_STEPS.patch}.Status`,
            `${NODE_STEPS.patchWithHooks}.CommandId`,
            `${NODE_STEPS.patchWithHooks}.Status`,
        ],
    };
}
