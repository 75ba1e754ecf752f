import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { subscriptionProblems } from "../notifications/subscriptionChecks";
import { eventBridgeTopicPolicy, topicKeyPolicy } from "../notifications/topicDocuments";
import { subscribeTopic } from "../notifications/topicSubscriptions";

/**
 * Issue 14 M1: every hybrid-node registration in the hybrid home is announced. SSM sends "SSM
 * Managed Instance Registration" to EventBridge itself (EventBridge events reference, "Amazon EC2
 * Systems Manager events": https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ssm.html),
 * so no trail, Lambda or schedule is needed.
 *
 * Why every registration and not "more registrations than configured VMs": the activation's
 * RegistrationLimit is the group's configured VM count, so AWS itself refuses the registration
 * that would exceed it. What the limit cannot stop is a leaked code used within it: after a
 * rotation the new activation has its whole limit unused, because the existing VMs stay
 * registered under the old one and never register again. In steady state the hybrid home sees no
 * registrations at all; each one is a new VM, a rebuilt one, or a node that should not exist.
 * Counting nodes against the configured VMs needs a scheduled query (DescribeInstanceInformation)
 * that nothing AWS-native runs without code; the alert carries the configured counts so the
 * on-call compares them with what registered.
 */

/** Fixed physical names. Renaming one replaces it. */
export const HYBRID_REGISTRATION_NAMES = {
    topic: "patching-hybrid-registrations",
    topicKeyAlias: "alias/patching-hybrid-registrations-topic",
    rule: "patching-hybrid-registrations",
} as const;

export const MANAGED_INSTANCE_REGISTRATION_DETAIL_TYPE = "SSM Managed Instance Registration";

/** Every managed-node registration in the account and Region (source and detail-type: the events reference). */
export function registrationEventPattern(): { readonly source: readonly string[]; readonly "detail-type": readonly string[] } {
    return { source: ["aws.ssm"], "detail-type": [MANAGED_INSTANCE_REGISTRATION_DETAIL_TYPE] };
}

/**
 * The message: fixed text with the configured VM counts per patch group, and the whole event
 * (`<aws.events.event>`, a predefined input-transformer variable: EventBridge user guide,
 * "Input transformation", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html),
 * since the event's detail fields are not documented and a missing input path would lose them.
 */
export function registrationAlertTemplate(configuredVms: Readonly<Record<string, number>>): string {
    const counts = Object.keys(configuredVms)
        .sort()
        .map((group) => `${group}: ${configuredVms[group]}`)
        .join(", ");
    const alert = `A node registered with SSM in the hybrid home. Registrations each patch group's activation allows: ${counts} (the listed VMs, plus autoRegister.registrationLimit for groups that register themselves); an unexpected node means a leaked activation code - deregister it and rotate the activation.`;
    return `{"alert": ${JSON.stringify(alert)}, "event": <aws.events.event>}`;
}

export interface HybridRegistrationAlertsArgs {
    /** The hybrid home Region (where the Azure VMs register). */
    readonly region: string;
    /** The hybrid home account. */
    readonly accountId: string;
    /** Configured Azure VMs per patch group, quoted in every alert. */
    readonly configuredVms: Readonly<Record<string, number>>;
    /** E-mail addresses subscribed to the topic (each must confirm). @default - none */
    readonly emailSubscriptions?: readonly string[];
    /** https endpoints subscribed to the topic (each must confirm). @default - none */
    readonly httpsSubscriptions?: readonly string[];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

export function validateHybridRegistrationAlertsArgs(args: HybridRegistrationAlertsArgs): void {
    const groups = Object.entries(args.configuredVms);
    const problems = [
        ...(REGION.test(args.region) ? [] : [`region "${args.region}" is not an AWS Region code`]),
        ...(ACCOUNT_ID.test(args.accountId) ? [] : [`accountId "${args.accountId}" is not a 12-digit AWS account id`]),
        ...(groups.length === 0 ? ["configuredVms is empty; the alerts exist only where Azure VMs register"] : []),
        ...groups.flatMap(([group, count]) => (Number.isInteger(count) && count >= 1 ? [] : [`configuredVms.${group} ${count} is not a positive integer`])),
        ...subscriptionProblems(args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []),
    ];
    if (problems.length > 0) {
        throw new Error(`HybridRegistrationAlerts: ${problems.join("; ")}`);
    }
}

/**
 * In the hybrid home: a KMS-encrypted SNS topic, a rule on the default bus for managed-node
 * registrations publishing to it, and the estate's notification subscribers. Its own topic, not
 * the central patch-run topic: the event happens in the hybrid home, and delivering it to
 * another account would need that bus's policy to admit it.
 */
export class HybridRegistrationAlerts extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly ruleArn: pulumi.Output<string>;

    constructor(name: string, args: HybridRegistrationAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateHybridRegistrationAlertsArgs(args);
        super("patching:azure:HybridRegistrationAlerts", name, {}, opts);
        const { region, accountId } = args;
        // EventBridge cannot publish to a topic under the AWS managed SNS key (its policy is fixed).
        const key = new aws.kms.Key(
            `${name}-topic-key`,
            { region, description: "Encrypts the hybrid-registration alert topic; EventBridge may use it to publish", enableKeyRotation: true, deletionWindowInDays: 30, policy: JSON.stringify(topicKeyPolicy(accountId)) },
            { parent: this },
        );
        new aws.kms.Alias(`${name}-topic-key-alias`, { region, name: HYBRID_REGISTRATION_NAMES.topicKeyAlias, targetKeyId: key.keyId }, { parent: this });
        const topic = new aws.sns.Topic(`${name}-topic`, { region, name: HYBRID_REGISTRATION_NAMES.topic, kmsMasterKeyId: key.arn }, { parent: this });
        const rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            { region, name: HYBRID_REGISTRATION_NAMES.rule, description: "Every SSM managed-node registration in the hybrid home (Azure VMs register here)", eventPattern: JSON.stringify(registrationEventPattern()) },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(
            `${name}-notify`,
            { region, rule: rule.name, targetId: "hybrid-registration-topic", arn: topic.arn, inputTransformer: { inputTemplate: registrationAlertTemplate(args.configuredVms) } },
            { parent: this },
        );
        const topicPolicy = pulumi.all([topic.arn, rule.arn]).apply(([topicArn, ruleArn]) => JSON.stringify(eventBridgeTopicPolicy("EventBridgeHybridRegistrationRule", topicArn, [ruleArn], accountId)));
        new aws.sns.TopicPolicy(`${name}-topic-policy`, { region, arn: topic.arn, policy: topicPolicy }, { parent: this });
        subscribeTopic(this, name, region, topic.arn, args.emailSubscriptions ?? [], args.httpsSubscriptions ?? []);

        this.topicArn = topic.arn;
        this.ruleArn = rule.arn;
        this.registerOutputs({ topicArn: this.topicArn, ruleArn: this.ruleArn });
    }
}
