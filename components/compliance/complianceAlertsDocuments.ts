import { policy, roleArn, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";
import { ALERT_KIND_ATTRIBUTE, type AlertKind } from "../../lambda/complianceAlerts/settings";
import { nonCompliantEventPattern, type EventPattern } from "./complianceDocuments";
import { COMPLIANCE_RULES } from "../../catalog/configRules";

/**
 * Pure builders for ComplianceAlerts (issue 19 item 2): names, the subscription filter policies,
 * the event patterns of the central rules, and the IAM documents (function role, topic policy,
 * topic key policy). Plain objects, fixed key order.
 */

/** Fixed physical names in the central account and Region. Renaming one replaces it. */
export const COMPLIANCE_ALERT_NAMES = {
    topic: "patching-compliance-alerts",
    topicKeyAlias: "alias/patching-compliance-alerts-topic",
    table: "patching-compliance-alerts",
    function: "patching-compliance-alerts",
    failureQueue: "patching-compliance-alerts-failed",
    /** On the patch-run bus: the NON_COMPLIANT changes every other location forwards. */
    forwardedRule: "patching-compliance-alerts-forwarded",
    /** On the central default bus: the central account's own changes in the central Region. */
    centralRule: "patching-compliance-alerts-central",
} as const;

/**
 * Roles that may publish to the compliance topic: this function's and the daily digest's, which
 * must be named `patching-compliance-…` (the topic policy denies every other principal).
 */
export const COMPLIANCE_PUBLISHER_ROLE_PREFIX = "patching-compliance-";
/** IAM is global: the function's role name carries the Region. */
export const complianceAlertsRoleName = (region: string): string => `${COMPLIANCE_PUBLISHER_ROLE_PREFIX}alerts-${region}`;

export type AlertReceive = AlertKind | "both";
export const ALERT_RECEIVE_VALUES: readonly AlertReceive[] = ["immediate", "digest", "both"];

export const COMPLIANCE_ALERT_DEFAULTS = {
    /** At most one immediate alert per (node, rule) per day: the digest repeats the rest daily. */
    dedupeHours: 24,
    receive: "both",
    logRetentionDays: 90,
    /**
     * Reserved concurrency: bounds the DynamoDB/SNS call rate and the cost of an alert storm (a
     * fleet-wide scan turning thousands of nodes NON_COMPLIANT at once). Asynchronous events beyond
     * it wait in Lambda's queue (up to maximumEventAgeSeconds) instead of failing, and the
     * conditional write keeps de-duplication exact at any concurrency. Also a floor: other functions
     * of the account cannot starve the alerts.
     */
    reservedConcurrency: 5,
    /**
     * Lambda's async retries before the on-failure destination; the API default (2), stated.
     * FunctionEventInvokeConfig: MaximumRetryAttempts 0-2, MaximumEventAgeInSeconds 60-21600 (API reference).
     */
    maximumRetryAttempts: 2,
    /** 6 hours (the API maximum, the default): an alert late by hours is still worth sending. */
    maximumEventAgeSeconds: 21600,
    /** Up to three SDK calls (claim, publish, give-back) of one attempt ≤ 5 s each (lambda/complianceAlerts/ports.ts ALERT_CLIENT_CONFIG), plus cold start. */
    timeoutSeconds: 30,
    memorySizeMb: 128,
    /** SQS MessageRetentionPeriod maximum (14 days): time to look at failed events. */
    failureRetentionSeconds: 1209600,
} as const satisfies { receive: AlertReceive } & Record<string, unknown>;

/**
 * Subscription filter policy (attribute-based, FilterPolicyScope MessageAttributes): exact string
 * matching on `alertKind` (SNS developer guide, "Amazon SNS subscription filter policies"). "both"
 * lists both kinds rather than no policy, so a message without the attribute reaches no one.
 */
export function alertFilterPolicy(receive: AlertReceive): Record<string, string[]> {
    return { [ALERT_KIND_ATTRIBUTE]: receive === "both" ? ["immediate", "digest"] : [receive] };
}

/**
 * The central rules' pattern: our rules' NON_COMPLIANT changes, from `accounts` (the estate's
 * accounts in configured-accounts mode, the central account on its default bus); undefined = any
 * account (organization mode: the bus policy admits only the organization's forwarders).
 */
export function alertEventPattern(accounts?: readonly string[]): { account?: readonly string[] } & EventPattern {
    return { ...(accounts === undefined ? {} : { account: [...new Set(accounts)].sort() }), ...nonCompliantEventPattern(COMPLIANCE_RULES.map((rule) => rule.name)) };
}

export interface AlertRolePolicyInputs {
    readonly accountId: string;
    readonly region: string;
    readonly tableArn: string;
    readonly topicArn: string;
    readonly topicKeyArn: string;
    readonly failureQueueArn: string;
}

export const functionLogGroupArn = (region: string, accountId: string, functionName: string) => `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${functionName}`;

/**
 * Least privilege for the function: claim and release windows in its table (no reads, scans or
 * other tables), publish to the compliance topic, use the topic key only through SNS in this
 * Region (kms:ViaService; SNS needs GenerateDataKey and Decrypt from a publisher to an encrypted
 * topic: SNS developer guide, "Configure AWS KMS permissions for publishers"), write its own log
 * streams (no CreateLogGroup: the component creates the group), and hand failed events to its
 * on-failure queue (Lambda sends them with the execution role: "Adding a destination").
 */
export function alertRolePolicy(inputs: AlertRolePolicyInputs): PolicyDocument {
    const logGroup = functionLogGroupArn(inputs.region, inputs.accountId, COMPLIANCE_ALERT_NAMES.function);
    const statements: PolicyStatement[] = [
        { Sid: "ClaimAlertWindows", Effect: "Allow", Action: ["dynamodb:DeleteItem", "dynamodb:PutItem"], Resource: inputs.tableArn },
        { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: inputs.topicArn },
        {
            Sid: "EncryptThroughSns",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: inputs.topicKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `sns.${inputs.region}.amazonaws.com` } },
        },
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup}:log-stream:*` },
        { Sid: "HandOverFailedEvents", Effect: "Allow", Action: "sqs:SendMessage", Resource: inputs.failureQueueArn },
    ];
    return policy(...statements);
}

/**
 * The compliance topic's policy. The account's identity policies grant management (same account);
 * this policy only takes away: nobody but the publisher roles (`patching-compliance-*` of this
 * account: the function, the digest) may publish — also not an administrator holding sns:* — and
 * nothing goes over plain HTTP.
 */
export function alertTopicPolicy(topicArn: string, accountId: string): PolicyDocument {
    return policy(
        {
            Sid: "OnlyComplianceAlertPublishers",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { ArnNotLike: { "aws:PrincipalArn": roleArn(accountId, `${COMPLIANCE_PUBLISHER_ROLE_PREFIX}*`) } },
        },
        { Sid: "TlsOnly", Effect: "Deny", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
}

/**
 * The topic key: managed through IAM in this account (the root statement delegates to identity
 * policies, so only the function's role, by its policy, may use it). No service grant: nothing
 * publishes to this topic through EventBridge.
 */
export function alertTopicKeyPolicy(accountId: string): PolicyDocument {
    return policy({ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" });
}
