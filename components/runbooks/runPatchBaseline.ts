import { logBucketName } from "../../catalog/naming";
import type { AutomationDocument, Parameter } from "./documentModel";

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
export const NODE_STEPS = { check: "CheckNode", branch: "BranchOnNodeState", patch: "RunPatchBaseline", skipped: "NodeSkipped" } as const;

/** The CheckNode output `ops status` reads: "Ready", or "Skipped: <reason>". */
export const NODE_STATUS_OUTPUT = `${NODE_STEPS.check}.NodeStatus`;
export const NODE_READY = "Ready";
export const SKIPPED_PREFIX = "Skipped: ";

/** Python 3.6-3.8 runtimes are retired for aws:executeScript; 3.11 is the one AWS recommends. */
export const SCRIPT_RUNTIME = "python3.11";

// SendCommand accepts a command for a stopped or offline node and leaves it pending until it
// times out (hours), so the child fails and eats MaxErrors. The node is checked first: EC2 state
// (DescribeInstances, i- ids only; hybrid mi- nodes have no EC2 state) and Systems Manager
// PingStatus (DescribeInstanceInformation, both). Anything but running + Online is a skip, which
// ends the child as Success with the reason recorded. Any API error propagates: the step fails
// and counts as an error, because "could not check" is not "nothing to do".
const CHECK_NODE_SCRIPT = [
    "import boto3",
    "from botocore.exceptions import ClientError",
    "",
    "def check_node(events, context):",
    "    node = events['InstanceId']",
    "    if node.startswith('i-'):",
    "        try:",
    "            reservations = boto3.client('ec2').describe_instances(InstanceIds=[node])['Reservations']",
    "        except ClientError as error:",
    "            if error.response['Error']['Code'] != 'InvalidInstanceID.NotFound':",
    "                raise",
    "            reservations = []",
    "        instances = [i for r in reservations for i in r['Instances']]",
    "        if not instances:",
    "            return {'NodeStatus': 'Skipped: ' + node + ' does not exist in EC2'}",
    "        state = instances[0]['State']['Name']",
    "        if state != 'running':",
    "            return {'NodeStatus': 'Skipped: EC2 instance ' + node + ' is ' + state}",
    "    found = boto3.client('ssm').describe_instance_information(Filters=[{'Key': 'InstanceIds', 'Values': [node]}])['InstanceInformationList']",
    "    if not found:",
    "        return {'NodeStatus': 'Skipped: ' + node + ' is not registered with Systems Manager'}",
    "    if found[0]['PingStatus'] != 'Online':",
    "        return {'NodeStatus': 'Skipped: ' + node + ' has Systems Manager PingStatus ' + found[0]['PingStatus']}",
    "    return {'NodeStatus': 'Ready'}",
].join("\n");

/**
 * (a) AWS-RunPatchBaseline on one node. Multi-account schedules target a resource group with
 * TargetParameterName InstanceId, so Automation runs this once per EC2 instance or hybrid node.
 * A node that is not running and Online is skipped: the child ends Success with
 * `CheckNode.NodeStatus` "Skipped: <reason>" in its outputs, so skips never consume MaxErrors.
 */
export function runPatchBaselineDocument(): AutomationDocument {
    return {
        schemaVersion: "0.3",
        description: "Runs AWS-RunPatchBaseline (Scan or Install) on one managed node and writes the command output to this account's patch-log bucket; skips (Success, output CheckNode.NodeStatus \"Skipped: <reason>\") a node that is not running and Online.",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            ...PATCH_PARAMETERS,
            InstanceId: {
                type: "String",
                description: "(Required) The EC2 instance (i-) or hybrid node (mi-) to patch.",
                // SendCommand's InstanceIds pattern (API_SendCommand).
                allowedPattern: "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)",
            },
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
                inputs: { Runtime: SCRIPT_RUNTIME, Handler: "check_node", InputPayload: { InstanceId: "{{ InstanceId }}" }, Script: CHECK_NODE_SCRIPT },
                outputs: [{ Name: "NodeStatus", Selector: "$.Payload.NodeStatus", Type: "String" }],
            },
            {
                name: NODE_STEPS.branch,
                action: "aws:branch",
                inputs: {
                    Choices: [{ NextStep: NODE_STEPS.patch, Variable: `{{ ${NODE_STATUS_OUTPUT} }}`, StringEquals: NODE_READY }],
                    Default: NODE_STEPS.skipped,
                },
            },
            {
                name: NODE_STEPS.patch,
                action: "aws:runCommand",
                // One retry covers a transient delivery failure; more would repeat failed installs.
                maxAttempts: 2,
                // AWS-RunPatchBaseline's own executionTimeout is 7200 seconds.
                timeoutSeconds: 7200,
                onFailure: "Abort",
                isEnd: true,
                inputs: {
                    DocumentName: "AWS-RunPatchBaseline",
                    InstanceIds: ["{{ InstanceId }}"],
                    Parameters: runPatchBaselineParameters(),
                    OutputS3BucketName: PATCH_LOG_BUCKET,
                    OutputS3KeyPrefix: "run-patch-baseline/{{ automation:EXECUTION_ID }}",
                },
            },
            {
                // The skip's end: a no-op so the execution ends Success; the reason is CheckNode's output.
                name: NODE_STEPS.skipped,
                action: "aws:sleep",
                isEnd: true,
                inputs: { Duration: "PT1S" },
            },
        ],
        outputs: [NODE_STATUS_OUTPUT, `${NODE_STEPS.patch}.CommandId`, `${NODE_STEPS.patch}.Status`],
    };
}
