import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { topicKeyPolicy } from "./topicDocuments";
import {
    ALARM_MESSAGE,
    AUTOMATION_MESSAGE,
    automationStatusPattern,
    MAX_EVENT_BUS_POLICY_CHARACTERS,
    PATCH_RUN_NAMES,
    patchingAlarmPattern,
    patchRunBusArn,
    patchRunBusPolicy,
    patchRunTopicPolicy,
    RUN_COMMAND_MESSAGE,
    runCommandFailurePattern,
    ROLLOUT_HOLD_MESSAGE,
} from "./notificationDocuments";
import { AUTOMATION_DOCUMENT_NAMES } from "../runbooks/patchAutomationDocuments";
import { listProblems, subscriptionProblems } from "./subscriptionChecks";
import { subscribeTopic } from "./topicSubscriptions";

export const PATCH_RUN_NOTIFICATION_DEFAULTS = {
    /** The patch runbooks (the remediation wrapper runs patching-RunPatchBaseline as a child, so it is covered). */
    documentNames: [AUTOMATION_DOCUMENT_NAMES.runPatchBaseline, AUTOMATION_DOCUMENT_NAMES.patchWithStoppedInstances] as readonly string[],
    notifySuccess: false,
} as const;

export interface PatchRunNotificationsArgs {
    /** The central Region: the topic, the rules and the bus that receives forwarded events. */
    readonly region: string;
    /** The central account. */
    readonly accountId: string;
    /**
     * Accounts whose forwarder roles may put events on the patch-run bus: every member account
     * except the central one (whose other Regions forward under its own identity). With the
     * central account, also the accounts the rules accept events of. Empty = only the central
     * account's own Regions forward.
     */
    readonly sourceAccountIds: readonly string[];
    /** E-mail addresses subscribed to the topic (each must confirm). @default - none */
    readonly emailSubscriptions?: readonly string[];
    /** https endpoints subscribed to the topic (each must confirm). @default - none */
    readonly httpsSubscriptions?: readonly string[];
    /** Also notify executions ending in Success (e.g. prod, so every run leaves a trace). @default PATCH_RUN_NOTIFICATION_DEFAULTS.notifySuccess */
    readonly notifySuccess?: boolean;
    /** Automation documents whose executions notify. @default PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames */
    readonly documentNames?: readonly string[];
    /**
     * Organization mode (issue 16): the organization whose member stacks forward here. Its
     * forwarder roles may put events on the bus (the accounts in an OU are unknown at deploy
     * time), the forwarded rules match any account (the bus policy already admits only
     * forwarders). (The members' AWS Config NON_COMPLIANT changes on this bus go to ComplianceAlerts.)
     * @default - configured accounts only
     */
    readonly organizationId?: string;
    /**
     * Safe rollout (issue 17): the gate runbook; its Failed executions (held runs) notify with their own message.
     * @default - no gate, no rule
     */
    readonly rolloutGateDocumentName?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Throws one error listing every problem, each naming the argument, the value and what is allowed. */
export function validatePatchRunNotificationsArgs(args: PatchRunNotificationsArgs): void {
    const documents = args.documentNames ?? PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames;
    const problems = [
        ...(REGION.test(args.region) ? [] : [`region "${args.region}" is not an AWS Region code`]),
        ...(ACCOUNT_ID.test(args.accountId) ? [] : [`accountId "${args.accountId}" is not a 12-digit AWS account id`]),
        ...listProblems("sourceAccountIds", args.sourceAccountIds, (id) => ACCOUNT_ID.test(id), "a 12-digit AWS account id"),
        ...args.sourceAccountIds.flatMap((id, i) =>
            id === args.accountId ? [`sourceAccountIds[${i}] "${id}" is the central account; its own Regions forward without a bus policy entry`] : [],
        ),
        ...subscriptionProblems(args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []),
        ...(documents.length === 0 ? ["documentNames is empty; name the runbooks whose executions notify"] : []),
        ...listProblems("documentNames", documents, (name) => /^[a-zA-Z0-9_.-]{3,128}$/.test(name), "an SSM document name (3-128 of a-z A-Z 0-9 _ - .)"),
        ...busPolicyProblems(args),
    ];
    if (problems.length > 0) {
        throw new Error(`PatchRunNotifications: ${problems.join("; ")}`);
    }
}

/** The bus policy must fit EventBridge's quota; only well-formed account ids are measured. */
function busPolicyProblems(args: PatchRunNotificationsArgs): string[] {
    if (!ACCOUNT_ID.test(args.accountId) || !REGION.test(args.region) || !args.sourceAccountIds.every((id) => ACCOUNT_ID.test(id))) {
        return [];
    }
    const size = JSON.stringify(patchRunBusPolicy(patchRunBusArn(args.region, args.accountId), args.sourceAccountIds, args.organizationId)).length;
    return size > MAX_EVENT_BUS_POLICY_CHARACTERS
        ? [`sourceAccountIds (${args.sourceAccountIds.length} accounts) make a ${size}-character bus policy, over EventBridge's ${MAX_EVENT_BUS_POLICY_CHARACTERS}-character quota ("Event bus policy size"); raise the quota first`]
        : [];
}

/**
 * Issue 9, central account and Region: one KMS-encrypted SNS topic `patching-patch-runs` that
 * hears about every patch run in the estate (failed / timed-out / cancelled runbook executions,
 * plus successes when asked; failed AWS-RunPatchBaseline invocations; patching alarms).
 *
 * Issue 14 (M3): every other location forwards its events (PatchRunEventForwarding) to a
 * dedicated custom bus `patching-patch-runs`, whose policy admits only the forwarder roles and
 * only those event types; the central default bus keeps no resource policy of ours (the old one
 * replaced the default bus's whole policy). The central account's own events in the central
 * Region arrive on its default bus, which AWS services always deliver to, so the same rules
 * exist there, each pattern pinned to the accounts it may hear from.
 */
export class PatchRunNotifications extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly topicKeyArn: pulumi.Output<string>;
    /** The patch-run bus ARN: what PatchRunEventForwarding targets (deterministic, so members need no output). */
    readonly eventBusArn: string;
    /** The patch-run bus's name, resolving once the bus exists (for rules other components put on it). */
    readonly eventBusName: pulumi.Output<string>;
    readonly automationRuleArn: pulumi.Output<string>;
    readonly runCommandRuleArn: pulumi.Output<string>;
    readonly alarmRuleArn: pulumi.Output<string>;
    readonly forwardedAutomationRuleArn: pulumi.Output<string>;
    readonly forwardedRunCommandRuleArn: pulumi.Output<string>;

    constructor(name: string, args: PatchRunNotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchRunNotificationsArgs(args);
        super("patching:notifications:PatchRunNotifications", name, {}, opts);
        const { region, accountId } = args;
        const documents = args.documentNames ?? PATCH_RUN_NOTIFICATION_DEFAULTS.documentNames;
        const notifySuccess = args.notifySuccess ?? PATCH_RUN_NOTIFICATION_DEFAULTS.notifySuccess;

        // The AWS managed SNS key cannot take EventBridge events: a customer managed key whose
        // policy lets events.amazonaws.com use it (same document as the NON_COMPLIANT topic's).
        const key = new aws.kms.Key(
            `${name}-topic-key`,
            { region, description: "Encrypts the patching patch-run topic; EventBridge may use it to publish", enableKeyRotation: true, deletionWindowInDays: 30, policy: JSON.stringify(topicKeyPolicy(accountId)) },
            { parent: this },
        );
        new aws.kms.Alias(`${name}-topic-key-alias`, { region, name: PATCH_RUN_NAMES.topicKeyAlias, targetKeyId: key.keyId }, { parent: this });
        const topic = new aws.sns.Topic(`${name}-topic`, { region, name: PATCH_RUN_NAMES.topic, kmsMasterKeyId: key.arn }, { parent: this });

        const estateAccounts = [accountId, ...args.sourceAccountIds];
        // In an organization the forwarding accounts are not known here; the bus policy is the filter.
        const forwardingAccounts = args.organizationId === undefined ? estateAccounts : undefined;
        const bus = new aws.cloudwatch.EventBus(
            `${name}-bus`,
            { region, name: PATCH_RUN_NAMES.bus, description: "Patch-run events forwarded from every location of the estate (multicloud-patching)" },
            { parent: this },
        );
        this.eventBusArn = patchRunBusArn(region, accountId);
        // A bus has one resource policy: this resource owns all of it.
        new aws.cloudwatch.EventBusPolicy(
            `${name}-patch-run-bus-policy`,
            { region, eventBusName: bus.name, policy: JSON.stringify(patchRunBusPolicy(this.eventBusArn, args.sourceAccountIds, args.organizationId)) },
            { parent: this },
        );

        type RuleSpec = { role: string; ruleName: string; bus?: pulumi.Output<string>; pattern: object; message: { inputPaths: Record<string, string>; inputTemplate: string }; what: string };
        const specs: RuleSpec[] = [
            // The central default bus: only the central account's own events (its default bus takes
            // no other account's events unless someone adds a policy; the pattern holds regardless).
            { role: "automation", ruleName: PATCH_RUN_NAMES.automationRule, pattern: automationStatusPattern(documents, notifySuccess, [accountId]), message: AUTOMATION_MESSAGE, what: "Patch runbook executions (central Region) that failed, timed out or were cancelled" },
            { role: "run-commands", ruleName: PATCH_RUN_NAMES.runCommandRule, pattern: runCommandFailurePattern([accountId]), message: RUN_COMMAND_MESSAGE, what: "AWS-RunPatchBaseline invocations (central Region) that failed or timed out" },
            { role: "alarms", ruleName: PATCH_RUN_NAMES.alarmRule, pattern: patchingAlarmPattern(estateAccounts), message: ALARM_MESSAGE, what: "Patching alarms of the estate's accounts (e.g. scheduled runs that could not start)" },
            // The patch-run bus: what every other location forwards.
            { role: "forwarded-automation", ruleName: PATCH_RUN_NAMES.forwardedAutomationRule, bus: bus.name, pattern: automationStatusPattern(documents, notifySuccess, forwardingAccounts), message: AUTOMATION_MESSAGE, what: "Patch runbook executions forwarded from the estate's locations" },
            { role: "forwarded-run-commands", ruleName: PATCH_RUN_NAMES.forwardedRunCommandRule, bus: bus.name, pattern: runCommandFailurePattern(forwardingAccounts), message: RUN_COMMAND_MESSAGE, what: "AWS-RunPatchBaseline failures forwarded from the estate's locations" },
            ...(args.rolloutGateDocumentName === undefined
                ? []
                : [
                      {
                          role: "rollout-holds",
                          ruleName: PATCH_RUN_NAMES.rolloutHoldRule,
                          // Held = Failed only: a wrong Patch Tuesday offset day ends Success on purpose.
                          pattern: { ...automationStatusPattern([args.rolloutGateDocumentName], false, [accountId]), detail: { Definition: [args.rolloutGateDocumentName], Status: ["Failed"] } },
                          message: ROLLOUT_HOLD_MESSAGE,
                          what: "Patch runs held by the safe-rollout gate (ring, blackout) in the central Region",
                      },
                  ]),
            // NON_COMPLIANT changes forwarded to this bus go to ComplianceAlerts' own rule (issue 19),
            // not to this topic.
        ];
        const rules = specs.map(({ role, ruleName, bus: eventBusName, pattern, message, what }) => {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${role}`,
                { region, name: ruleName, ...(eventBusName === undefined ? {} : { eventBusName }), description: what, eventPattern: JSON.stringify(pattern) },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${role}-notify`,
                {
                    region,
                    rule: rule.name,
                    ...(eventBusName === undefined ? {} : { eventBusName }),
                    targetId: "patch-run-topic",
                    arn: topic.arn,
                    inputTransformer: { inputPaths: { ...message.inputPaths }, inputTemplate: message.inputTemplate },
                },
                { parent: this },
            );
            return rule;
        });
        const topicPolicy = pulumi.all([topic.arn, ...rules.map((rule) => rule.arn)]).apply(([topicArn, ...ruleArns]) => JSON.stringify(patchRunTopicPolicy(topicArn, ruleArns, accountId)));
        new aws.sns.TopicPolicy(`${name}-topic-policy`, { region, arn: topic.arn, policy: topicPolicy }, { parent: this });

        subscribeTopic(this, name, region, topic.arn, args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []);

        this.topicArn = topic.arn;
        this.topicKeyArn = key.arn;
        this.eventBusName = bus.name;
        this.automationRuleArn = rules[0].arn;
        this.runCommandRuleArn = rules[1].arn;
        this.alarmRuleArn = rules[2].arn;
        this.forwardedAutomationRuleArn = rules[3].arn;
        this.forwardedRunCommandRuleArn = rules[4].arn;
        this.registerOutputs({
            topicArn: this.topicArn,
            topicKeyArn: this.topicKeyArn,
            eventBusArn: this.eventBusArn,
            automationRuleArn: this.automationRuleArn,
            runCommandRuleArn: this.runCommandRuleArn,
            alarmRuleArn: this.alarmRuleArn,
            forwardedAutomationRuleArn: this.forwardedAutomationRuleArn,
            forwardedRunCommandRuleArn: this.forwardedRunCommandRuleArn,
        });
    }
}
