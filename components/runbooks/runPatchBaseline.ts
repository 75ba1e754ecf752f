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

/**
 * (a) AWS-RunPatchBaseline on one node. Multi-account schedules target a resource group with
 * TargetParameterName InstanceId, so Automation runs this once per EC2 instance or hybrid node.
 */
export function runPatchBaselineDocument(): AutomationDocument {
    return {
        schemaVersion: "0.3",
        description: "Runs AWS-RunPatchBaseline (Scan or Install) on one managed node and writes the command output to this account's patch-log bucket.",
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
                name: "RunPatchBaseline",
                action: "aws:runCommand",
                // One retry covers a transient delivery failure; more would repeat failed installs.
                maxAttempts: 2,
                // AWS-RunPatchBaseline's own executionTimeout is 7200 seconds.
                timeoutSeconds: 7200,
                onFailure: "Abort",
                inputs: {
                    DocumentName: "AWS-RunPatchBaseline",
                    InstanceIds: ["{{ InstanceId }}"],
                    Parameters: runPatchBaselineParameters(),
                    OutputS3BucketName: PATCH_LOG_BUCKET,
                    OutputS3KeyPrefix: "run-patch-baseline/{{ automation:EXECUTION_ID }}",
                },
            },
        ],
        outputs: ["RunPatchBaseline.CommandId", "RunPatchBaseline.Status"],
    };
}
