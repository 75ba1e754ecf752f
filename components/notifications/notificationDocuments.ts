import { policy, type PolicyDocument } from "../identity/iamDocuments";
import { logBucketName } from "../../catalog/naming";
import { eventBridgeTopicPolicy } from "./topicDocuments";

/**
 * Pure builders for the patch-run notifications (PatchRunNotifications in the central account,
 * PatchRunEventForwarding everywhere else): EventBridge patterns and messages, the topic policy,
 * the central default bus's resource policy and the forwarders' role documents. Plain objects,
 * fixed key order. Event shapes: "Amazon EventBridge event examples for Systems Manager",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html
 */

/** Fixed physical names. Renaming one replaces it. */
export const PATCH_RUN_NAMES = {
    topic: "patching-patch-runs",
    topicKeyAlias: "alias/patching-patch-runs-topic",
    automationRule: "patching-patch-run-automation",
    runCommandRule: "patching-patch-run-commands",
    forwardAutomationRule: "patching-forward-patch-run-automation",
    forwardRunCommandRule: "patching-forward-patch-run-commands",
    alarmRule: "patching-patch-run-alarms",
} as const;

/** Alarms the estate raises about patching itself (e.g. scheduled runs that never started). */
export const PATCHING_ALARM_PREFIX = "patching-";

/** IAM is global: one forwarder role per Region of an account, so the name carries the Region. */
export const forwarderRoleName = (region: string): string => `patching-patch-run-forwarder-${region}`;

/** Automation execution statuses that always notify (API_AutomationExecution, AutomationExecutionStatus). */
export const AUTOMATION_FAILURE_STATUSES = ["Failed", "TimedOut", "Cancelled"] as const;
/** Run Command statuses that notify (API_NotificationConfig lists InProgress | Success | TimedOut | Cancelled | Failed). */
export const RUN_COMMAND_FAILURE_STATUSES = ["Failed", "TimedOut"] as const;
export const RUN_PATCH_BASELINE_DOCUMENT = "AWS-RunPatchBaseline";

export const AUTOMATION_DETAIL_TYPE = "EC2 Automation Execution Status-change Notification";
export const COMMAND_INVOCATION_DETAIL_TYPE = "EC2 Command Invocation Status-change Notification";

export interface AutomationStatusPattern {
    readonly source: readonly string[];
    readonly "detail-type": readonly string[];
    readonly detail: { readonly Definition: readonly string[]; readonly Status: readonly string[] };
}

export interface RunCommandFailurePattern {
    readonly source: readonly string[];
    readonly "detail-type": readonly string[];
    readonly detail: { readonly "document-name": readonly string[]; readonly status: readonly string[] };
}

/**
 * An execution of one of our runbooks ending badly (and, with `includeSuccess`, ending well). The
 * event's `detail` names the runbook in `Definition` and the outcome in `Status` (PascalCase, as
 * in the documented sample). Every execution emits it where it runs: the parent in the central
 * Region, each location's child in its member account and Region (hence the forwarding).
 */
export function automationStatusPattern(documentNames: readonly string[], includeSuccess: boolean): AutomationStatusPattern {
    return {
        source: ["aws.ssm"],
        "detail-type": [AUTOMATION_DETAIL_TYPE],
        detail: { Definition: [...documentNames].sort(), Status: [...AUTOMATION_FAILURE_STATUSES, ...(includeSuccess ? ["Success"] : [])] },
    };
}

/**
 * A node on which AWS-RunPatchBaseline failed or timed out. The per-node invocation event is used,
 * not the command-level "EC2 Command Status-change Notification": it carries `instance-id`, and
 * the command-level event of a failed node would only repeat it without saying which node.
 * Field names are kebab-case in Run Command events (`document-name`, `status`).
 */
export function runCommandFailurePattern(): RunCommandFailurePattern {
    return {
        source: ["aws.ssm"],
        "detail-type": [COMMAND_INVOCATION_DETAIL_TYPE],
        detail: { "document-name": [RUN_PATCH_BASELINE_DOCUMENT], status: [...RUN_COMMAND_FAILURE_STATUSES] },
    };
}

/**
 * CloudWatch alarms named `patching-…` going into ALARM (EventBridge "CloudWatch Alarm State
 * Change" events, emitted for every alarm, no alarm action needed): they reach the topic through
 * EventBridge, which the topic and its key already admit.
 */
export function patchingAlarmPattern(): Record<string, unknown> {
    return {
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        detail: { alarmName: [{ prefix: PATCHING_ALARM_PREFIX }], state: { value: ["ALARM"] } },
    };
}

/**
 * One-line messages instead of raw events. A template that is not JSON must be one quoted string
 * (eb-transform-target-input.html); the substituted values contain no quotes. `account`/`region`
 * are the envelope's, i.e. where the execution or command ran, also for forwarded events.
 */
export const AUTOMATION_MESSAGE = {
    inputPaths: {
        account: "$.account",
        region: "$.region",
        document: "$.detail.Definition",
        execution: "$.detail.ExecutionId",
        status: "$.detail.Status",
        time: "$.time",
    },
    inputTemplate: '"Patch run: Automation <document> execution <execution> is <status> in account <account>, Region <region> (<time>)."',
} as const;

export const ALARM_MESSAGE = {
    inputPaths: { account: "$.account", region: "$.region", alarm: "$.detail.alarmName", reason: "$.detail.state.reason", time: "$.time" },
    inputTemplate: '"Patching alarm <alarm> in account <account>, Region <region> (<time>): <reason>"',
} as const;

export const RUN_COMMAND_MESSAGE = {
    inputPaths: {
        account: "$.account",
        region: "$.region",
        instance: "$.detail.instance-id",
        command: "$.detail.command-id",
        status: "$.detail.status",
        time: "$.time",
    },
    // The runbooks send command output to that location's patch-log bucket.
    inputTemplate: `"Patch run: AWS-RunPatchBaseline on <instance> is <status> (command <command>) in account <account>, Region <region> (<time>). Output: s3://${logBucketName("patch", "<account>", "<region>")}/"`,
} as const;

/** The default event bus of an account and Region: what member rules forward to. */
export function defaultEventBusArn(region: string, accountId: string): string {
    return `arn:aws:events:${region}:${accountId}:event-bus/default`;
}

export function eventRuleArn(region: string, accountId: string, ruleName: string): string {
    return `arn:aws:events:${region}:${accountId}:rule/${ruleName}`;
}

/** Only EventBridge may publish, and only for our rules in the central account. */
export function patchRunTopicPolicy(topicArn: string, ruleArns: readonly string[], accountId: string): PolicyDocument {
    return eventBridgeTopicPolicy("EventBridgePatchRunRules", topicArn, ruleArns, accountId);
}

/**
 * Resource policy of the central default bus: exactly the listed accounts may put events on it
 * (EventBridge user guide, "Permissions for event buses", cross-account example: the accounts as
 * principals). The central account's own Regions need no entry: within one account the
 * forwarder role's identity policy is enough.
 */
export function centralBusPolicy(busArn: string, sourceAccountIds: readonly string[]): PolicyDocument {
    return policy({
        Sid: "PatchingMembersForwardPatchRunEvents",
        Effect: "Allow",
        Principal: { AWS: [...sourceAccountIds].sort().map((id) => `arn:aws:iam::${id}:root`) },
        Action: "events:PutEvents",
        Resource: busArn,
    });
}

/** Forwarder role trust: EventBridge acting for exactly this location's two forwarding rules. */
export function forwarderRoleTrust(accountId: string, region: string): PolicyDocument {
    return policy({
        Sid: "EventBridgeForwardingRules",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnEquals: { "aws:SourceArn": [PATCH_RUN_NAMES.forwardAutomationRule, PATCH_RUN_NAMES.forwardRunCommandRule].map((name) => eventRuleArn(region, accountId, name)) },
        },
    });
}

/** The forwarder may put events on the central default bus, and nothing else. */
export function forwarderRolePolicy(centralBusArn: string): PolicyDocument {
    return policy({ Sid: "PutEventsOnCentralBus", Effect: "Allow", Action: "events:PutEvents", Resource: centralBusArn });
}
