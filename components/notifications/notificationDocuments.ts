import { policy, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";
import { logBucketName } from "../../catalog/naming";
import { eventBridgeTopicPolicy } from "./topicDocuments";

/**
 * Pure builders for the patch-run notifications (PatchRunNotifications in the central account,
 * PatchRunEventForwarding everywhere else): EventBridge patterns and messages, the topic policy,
 * the resource policy of the central patch-run bus and the forwarders' role documents. Plain
 * objects, fixed key order. Event shapes: "Amazon EventBridge event examples for Systems Manager",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html
 */

/** Fixed physical names. Renaming one replaces it. */
export const PATCH_RUN_NAMES = {
    topic: "patching-patch-runs",
    topicKeyAlias: "alias/patching-patch-runs-topic",
    /**
     * Issue 14 (M3): the custom bus in the central account and Region that receives forwarded
     * events. A bus name is 1-256 of `[/\.\-_A-Za-z0-9]` and not `default` (CreateEventBus).
     */
    bus: "patching-patch-runs",
    /** On the central default bus: the central account's own events in the central Region. */
    automationRule: "patching-patch-run-automation",
    runCommandRule: "patching-patch-run-commands",
    /** On the patch-run bus: the events every other location forwards. */
    forwardedAutomationRule: "patching-patch-run-forwarded-automation",
    forwardedRunCommandRule: "patching-patch-run-forwarded-commands",
    /** Safe rollout (issue 17): Failed executions of the rollout gate, i.e. held patch runs. */
    rolloutHoldRule: "patching-patch-run-holds",
    forwardAutomationRule: "patching-forward-patch-run-automation",
    forwardRunCommandRule: "patching-forward-patch-run-commands",
    alarmRule: "patching-patch-run-alarms",
    /**
     * Every forwarding location (both modes, issue 19) forwards its AWS Config NON_COMPLIANT
     * changes with this rule; the central side is ComplianceAlerts (COMPLIANCE_ALERT_NAMES).
     */
    forwardNonCompliantRule: "patching-forward-non-compliant",
    /** Organization mode before issue 19 (to the patch-run topic): no longer created; named for the upgrade note. */
    forwardedNonCompliantRule: "patching-patch-run-forwarded-non-compliant",
} as const;

/** Alarms the estate raises about patching itself (e.g. scheduled runs that never started). */
export const PATCHING_ALARM_PREFIX = "patching-";

/** IAM is global: one forwarder role per Region of an account, so the name carries the Region. */
export const FORWARDER_ROLE_PREFIX = "patching-patch-run-forwarder-";
export const forwarderRoleName = (region: string): string => `${FORWARDER_ROLE_PREFIX}${region}`;

/**
 * Any forwarder role of any account, for `aws:PrincipalArn` on the bus policy. The account is
 * pinned by the statement's Principal (the listed account roots), so together they mean "a
 * forwarder role of a listed account". One pattern instead of one ARN per (account, Region) keeps
 * the policy inside EventBridge's 10,240-character quota at estate scale; a role of that name can
 * only be made by whoever can already rewrite the real forwarder (the deployer, within the
 * program boundary, or the account's administrators).
 */
export const FORWARDER_ROLE_ARN_PATTERN = `arn:aws:iam::*:role/${FORWARDER_ROLE_PREFIX}*`;

/** EventBridge quotas, "Event bus policy size": 10,240 characters (adjustable). */
export const MAX_EVENT_BUS_POLICY_CHARACTERS = 10_240;

/** Automation execution statuses that always notify (API_AutomationExecution, AutomationExecutionStatus). */
export const AUTOMATION_FAILURE_STATUSES = ["Failed", "TimedOut", "Cancelled"] as const;
/** Run Command statuses that notify (API_NotificationConfig lists InProgress | Success | TimedOut | Cancelled | Failed). */
export const RUN_COMMAND_FAILURE_STATUSES = ["Failed", "TimedOut"] as const;
export const RUN_PATCH_BASELINE_DOCUMENT = "AWS-RunPatchBaseline";

export const AUTOMATION_DETAIL_TYPE = "EC2 Automation Execution Status-change Notification";
export const COMMAND_INVOCATION_DETAIL_TYPE = "EC2 Command Invocation Status-change Notification";

export interface AutomationStatusPattern {
    /** Only events of these accounts (the envelope's `account`, kept when an event is forwarded). */
    readonly account?: readonly string[];
    readonly source: readonly string[];
    readonly "detail-type": readonly string[];
    readonly detail: { readonly Definition: readonly string[]; readonly Status: readonly string[] };
}

export interface RunCommandFailurePattern {
    readonly account?: readonly string[];
    readonly source: readonly string[];
    readonly "detail-type": readonly string[];
    readonly detail: { readonly "document-name": readonly string[]; readonly status: readonly string[] };
}

/**
 * An execution of one of our runbooks ending badly (and, with `includeSuccess`, ending well). The
 * event's `detail` names the runbook in `Definition` and the outcome in `Status` (PascalCase, as
 * in the documented sample). Every execution emits it where it runs: the parent in the central
 * Region, each location's child in its member account and Region (hence the forwarding).
 * `accounts`: only events of these accounts (issue 14, M3) — a rule never acts on an event some
 * other account managed to put on its bus.
 */
export function automationStatusPattern(documentNames: readonly string[], includeSuccess: boolean, accounts?: readonly string[]): AutomationStatusPattern {
    return {
        ...accountFilter(accounts),
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
export function runCommandFailurePattern(accounts?: readonly string[]): RunCommandFailurePattern {
    return {
        ...accountFilter(accounts),
        source: ["aws.ssm"],
        "detail-type": [COMMAND_INVOCATION_DETAIL_TYPE],
        detail: { "document-name": [RUN_PATCH_BASELINE_DOCUMENT], status: [...RUN_COMMAND_FAILURE_STATUSES] },
    };
}

/**
 * CloudWatch alarms named `patching-…` going into ALARM (EventBridge "CloudWatch Alarm State
 * Change" events, emitted for every alarm, no alarm action needed): they reach the topic through
 * EventBridge, which the topic and its key already admit. `accounts`: the estate's accounts
 * (issue 14, M3), so an alarm named `patching-…` in an account outside the estate that reaches
 * the bus (e.g. through an organization-wide default-bus policy someone else adds) pages no one.
 */
export function patchingAlarmPattern(accounts?: readonly string[]): Record<string, unknown> {
    return {
        ...accountFilter(accounts),
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        detail: { alarmName: [{ prefix: PATCHING_ALARM_PREFIX }], state: { value: ["ALARM"] } },
    };
}

/** `account` first in the pattern (sorted, unique); nothing when no filter is asked for. */
function accountFilter(accounts: readonly string[] | undefined): { account?: readonly string[] } {
    return accounts === undefined ? {} : { account: [...new Set(accounts)].sort() };
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

/**
 * A held patch run (issue 17): the gate ends Failed with the failure message and output Status
 * "held: <reason>". The Automation status event carries no failure message, so the notification
 * says which gate execution held and where the reason is (no other <…> in the template: EventBridge
 * reads every <name> as an input path placeholder).
 */
export const ROLLOUT_HOLD_MESSAGE = {
    inputPaths: { document: "$.detail.Definition", execution: "$.detail.ExecutionId", status: "$.detail.Status", time: "$.time" },
    inputTemplate:
        '"Patch run HELD: the safe-rollout gate (<document>) execution <execution> ended <status> (<time>): a ring, blackout or failed check held the install. Its output Status gives the reason after held: (aws ssm get-automation-execution --automation-execution-id <execution>)."',
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

/** The patch-run bus in the central account and Region: what every forwarding rule targets. */
export function patchRunBusArn(region: string, accountId: string): string {
    return `arn:aws:events:${region}:${accountId}:event-bus/${PATCH_RUN_NAMES.bus}`;
}

export function eventRuleArn(region: string, accountId: string, ruleName: string): string {
    return `arn:aws:events:${region}:${accountId}:rule/${ruleName}`;
}

/** Only EventBridge may publish, and only for our rules in the central account. */
export function patchRunTopicPolicy(topicArn: string, ruleArns: readonly string[], accountId: string): PolicyDocument {
    return eventBridgeTopicPolicy("EventBridgePatchRunRules", topicArn, ruleArns, accountId);
}

/**
 * What the forwarders send: SSM's events with the two detail types the patch-run rules match, and
 * AWS Config's compliance changes (issue 19: every location, in both deployment modes, forwards
 * its NON_COMPLIANT changes to the one central compliance topic; organization mode did since
 * issue 16).
 */
export const FORWARDED_SOURCES = ["aws.ssm", "aws.config"] as const;
export const FORWARDED_DETAIL_TYPES = [AUTOMATION_DETAIL_TYPE, COMMAND_INVOCATION_DETAIL_TYPE, "Config Rules Compliance Change"] as const;

/**
 * Resource policy of the patch-run bus (issue 14, M3; it replaces the old policy that took over
 * the central default bus's whole resource policy):
 * - member accounts may put events only as one of their forwarder roles (`aws:PrincipalArn`),
 *   and only SSM's two patch-run event types and AWS Config's compliance changes: `events:source` / `events:detail-type` are the
 *   PutEvents condition keys on an event-bus resource (Service Authorization Reference,
 *   "Actions, resources, and condition keys for Amazon EventBridge"; the EventBridge user guide's
 *   "Send events to a custom bus in a different account" example uses them with ForAllValues, as
 *   one PutEvents call carries up to 10 entries);
 * - every other principal is denied, including the central account's own (whose identity
 *   policies would otherwise be enough within the account): only forwarder roles put events here;
 * - every other source or detail type is denied, for the central account's other Regions too
 *   (they forward under their own identity, without an Allow here);
 * - organization mode: any principal of the organization (`aws:PrincipalOrgID`; the accounts an
 *   OU holds are unknown when the stack is deployed) may put events, again only as a forwarder role
 *   and only the forwarded event types.
 */
export function patchRunBusPolicy(busArn: string, memberAccountIds: readonly string[], organizationId?: string): PolicyDocument {
    const onlyPatchRunEvents = { "events:source": [...FORWARDED_SOURCES], "events:detail-type": [...FORWARDED_DETAIL_TYPES] };
    const statements: PolicyStatement[] = [];
    if (organizationId !== undefined) {
        statements.push({
            Sid: "OrganizationForwardersPutPatchRunEvents",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "events:PutEvents",
            Resource: busArn,
            Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId }, ArnLike: { "aws:PrincipalArn": FORWARDER_ROLE_ARN_PATTERN }, "ForAllValues:StringEquals": onlyPatchRunEvents },
        });
    }
    if (memberAccountIds.length > 0) {
        statements.push({
            Sid: "MemberForwardersPutPatchRunEvents",
            Effect: "Allow",
            Principal: { AWS: [...new Set(memberAccountIds)].sort().map((id) => `arn:aws:iam::${id}:root`) },
            Action: "events:PutEvents",
            Resource: busArn,
            Condition: { ArnLike: { "aws:PrincipalArn": FORWARDER_ROLE_ARN_PATTERN }, "ForAllValues:StringEquals": onlyPatchRunEvents },
        });
    }
    const denyPutEvents = (Sid: string, Condition: PolicyStatement["Condition"]): PolicyStatement => ({ Sid, Effect: "Deny", Principal: { AWS: "*" }, Action: "events:PutEvents", Resource: busArn, Condition });
    statements.push(
        denyPutEvents("DenyAllButForwarders", { ArnNotLike: { "aws:PrincipalArn": FORWARDER_ROLE_ARN_PATTERN } }),
        // Two statements: a Deny's conditions are ANDed, and either key alone must deny.
        denyPutEvents("DenyOtherSources", { "ForAnyValue:StringNotEquals": { "events:source": onlyPatchRunEvents["events:source"] } }),
        denyPutEvents("DenyOtherDetailTypes", { "ForAnyValue:StringNotEquals": { "events:detail-type": onlyPatchRunEvents["events:detail-type"] } }),
    );
    return policy(...statements);
}

/**
 * Forwarder role trust: EventBridge acting for exactly this location's two forwarding rules, and
 * `extraRuleNames` (the NON_COMPLIANT forwarding rule; EventBridge passes the rule's ARN as
 * aws:SourceArn when it assumes a target role).
 */
export function forwarderRoleTrust(accountId: string, region: string, extraRuleNames: readonly string[] = []): PolicyDocument {
    return policy({
        Sid: "EventBridgeForwardingRules",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnEquals: { "aws:SourceArn": [PATCH_RUN_NAMES.forwardAutomationRule, PATCH_RUN_NAMES.forwardRunCommandRule, ...extraRuleNames].map((name) => eventRuleArn(region, accountId, name)) },
        },
    });
}

/** The forwarder may put events on the central patch-run bus, and nothing else. */
export function forwarderRolePolicy(centralBusArn: string): PolicyDocument {
    return policy({ Sid: "PutEventsOnCentralBus", Effect: "Allow", Action: "events:PutEvents", Resource: centralBusArn });
}
