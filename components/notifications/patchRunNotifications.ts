import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { topicKeyPolicy } from "./topicDocuments";
import {
    ALARM_MESSAGE,
    AUTOMATION_MESSAGE,
    automationStatusPattern,
    centralBusPolicy,
    defaultEventBusArn,
    PATCH_RUN_NAMES,
    patchingAlarmPattern,
    patchRunTopicPolicy,
    RUN_COMMAND_MESSAGE,
    runCommandFailurePattern,
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
     * Accounts allowed to put events on the central default bus: every member account except the
     * central one (whose other Regions forward under its own identity). Empty = no bus policy.
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
    ];
    if (problems.length > 0) {
        throw new Error(`PatchRunNotifications: ${problems.join("; ")}`);
    }
}

/**
 * Issue 9, central account and Region: one KMS-encrypted SNS topic `patching-patch-runs` that
 * hears about every patch run in the estate. Two rules on the central default bus (failed /
 * timed-out / cancelled runbook executions, plus successes when asked; failed
 * AWS-RunPatchBaseline invocations) publish to it; member locations forward the same events here
 * (PatchRunEventForwarding), which the bus policy admits from exactly `sourceAccountIds`.
 */
export class PatchRunNotifications extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly topicKeyArn: pulumi.Output<string>;
    /** The central default bus ARN: what PatchRunEventForwarding targets. */
    readonly eventBusArn: string;
    readonly automationRuleArn: pulumi.Output<string>;
    readonly runCommandRuleArn: pulumi.Output<string>;
    readonly alarmRuleArn: pulumi.Output<string>;

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

        const rules = [
            { role: "automation", ruleName: PATCH_RUN_NAMES.automationRule, pattern: automationStatusPattern(documents, notifySuccess), message: AUTOMATION_MESSAGE, what: "Patch runbook executions that failed, timed out or were cancelled" },
            { role: "run-commands", ruleName: PATCH_RUN_NAMES.runCommandRule, pattern: runCommandFailurePattern(), message: RUN_COMMAND_MESSAGE, what: "AWS-RunPatchBaseline invocations that failed or timed out" },
            { role: "alarms", ruleName: PATCH_RUN_NAMES.alarmRule, pattern: patchingAlarmPattern(), message: ALARM_MESSAGE, what: "Patching alarms (e.g. scheduled runs that could not start)" },
        ].map(({ role, ruleName, pattern, message, what }: { role: string; ruleName: string; pattern: object; message: { inputPaths: Record<string, string>; inputTemplate: string }; what: string }) => {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${role}`,
                { region, name: ruleName, description: `${what}, central account and forwarded from every location`, eventPattern: JSON.stringify(pattern) },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${role}-notify`,
                { region, rule: rule.name, targetId: "patch-run-topic", arn: topic.arn, inputTransformer: { inputPaths: { ...message.inputPaths }, inputTemplate: message.inputTemplate } },
                { parent: this },
            );
            return rule;
        });
        const topicPolicy = pulumi.all([topic.arn, ...rules.map((rule) => rule.arn)]).apply(([topicArn, ...ruleArns]) => JSON.stringify(patchRunTopicPolicy(topicArn, ruleArns, accountId)));
        new aws.sns.TopicPolicy(`${name}-topic-policy`, { region, arn: topic.arn, policy: topicPolicy }, { parent: this });

        subscribeTopic(this, name, region, topic.arn, args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []);

        this.eventBusArn = defaultEventBusArn(region, accountId);
        if (args.sourceAccountIds.length > 0) {
            // The bus has one resource policy: this resource owns all of it (PutPermission statements
            // added elsewhere would be overwritten).
            new aws.cloudwatch.EventBusPolicy(
                `${name}-bus-policy`,
                { region, eventBusName: "default", policy: JSON.stringify(centralBusPolicy(this.eventBusArn, args.sourceAccountIds)) },
                { parent: this },
            );
        }

        this.topicArn = topic.arn;
        this.topicKeyArn = key.arn;
        this.automationRuleArn = rules[0].arn;
        this.runCommandRuleArn = rules[1].arn;
        this.alarmRuleArn = rules[2].arn;
        this.registerOutputs({ topicArn: this.topicArn, topicKeyArn: this.topicKeyArn, eventBusArn: this.eventBusArn, automationRuleArn: this.automationRuleArn, runCommandRuleArn: this.runCommandRuleArn, alarmRuleArn: this.alarmRuleArn });
    }
}
