import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALERTS_ENV, DEDUPE_TABLE } from "../../lambda/complianceAlerts/settings";
import {
    alertEventPattern,
    alertFilterPolicy,
    alertRolePolicy,
    alertTopicKeyPolicy,
    alertTopicPolicy,
    COMPLIANCE_ALERT_DEFAULTS,
    COMPLIANCE_ALERT_NAMES,
    complianceAlertsRoleName,
} from "./complianceAlertsDocuments";
import { validateComplianceAlertsArgs, type ComplianceAlertsArgs } from "./complianceAlertsArgs";
import { enforcerTrust, functionLogGroupName } from "../enforcer/enforcerDocuments";
import { lambdaBundle, lambdaEntry } from "../assets/lambdaBundle";
import { lambdaCodeArchive } from "../assets/lambdaArchive";
import { subscribeTopic } from "../notifications/topicSubscriptions";
import { permissionsBoundaryArn } from "../../catalog/naming";

export { type ComplianceAlertsArgs, validateComplianceAlertsArgs } from "./complianceAlertsArgs";

/** Handler source, relative to the project root; nodejs24.x as the SSM-role enforcer (see its runtime note). */
export const COMPLIANCE_ALERTS_FUNCTION = { entry: "lambda/complianceAlerts/handler.ts", runtime: aws.lambda.Runtime.NodeJS24dX } as const;

/**
 * Issue 19 item 2, central account and Region: ONE compliance topic `patching-compliance-alerts`
 * for the whole estate, fed by a small function that de-duplicates. Every other location forwards
 * its AWS Config NON_COMPLIANT changes to the patch-run bus (PatchRunEventForwarding, or the
 * organization's Regional template); the central location's own arrive on its default bus. Both
 * rules invoke the function, which publishes at most one `alertKind=immediate` message per (node,
 * rule) per `dedupeHours` (a conditional write to its table: EventBridge cannot de-duplicate). The
 * daily digest publishes `alertKind=digest` to the same topic; each subscription's filter policy
 * picks immediate, digest or both.
 */
export class ComplianceAlerts extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly topicKeyArn: pulumi.Output<string>;
    readonly functionArn: pulumi.Output<string>;
    readonly tableName: pulumi.Output<string>;
    readonly failureQueueArn: pulumi.Output<string>;

    constructor(name: string, args: ComplianceAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateComplianceAlertsArgs(args);
        super("patching:compliance:ComplianceAlerts", name, {}, opts);
        const { region, accountId } = args;
        const names = COMPLIANCE_ALERT_NAMES;
        const defaults = COMPLIANCE_ALERT_DEFAULTS;
        const dedupeHours = args.dedupeHours ?? defaults.dedupeHours;

        const key = new aws.kms.Key(
            `${name}-topic-key`,
            { region, description: "Encrypts the patching compliance-alerts topic; only the alert publishers use it", enableKeyRotation: true, deletionWindowInDays: 30, policy: JSON.stringify(alertTopicKeyPolicy(accountId)) },
            { parent: this },
        );
        new aws.kms.Alias(`${name}-topic-key-alias`, { region, name: names.topicKeyAlias, targetKeyId: key.keyId }, { parent: this });
        const topic = new aws.sns.Topic(`${name}-topic`, { region, name: names.topic, kmsMasterKeyId: key.arn }, { parent: this });
        new aws.sns.TopicPolicy(`${name}-topic-policy`, { region, arn: topic.arn, policy: topic.arn.apply((arn) => JSON.stringify(alertTopicPolicy(arn, accountId))) }, { parent: this });

        // Windows only (a key and an expiry): on-demand, encrypted with the AWS managed key, TTL
        // removing expired windows, PITR so a restore never re-sends a day's alerts.
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                region,
                name: names.table,
                billingMode: "PAY_PER_REQUEST",
                hashKey: DEDUPE_TABLE.key,
                attributes: [{ name: DEDUPE_TABLE.key, type: "S" }],
                ttl: { attributeName: DEDUPE_TABLE.expiresAt, enabled: true },
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true },
            },
            { parent: this },
        );
        // Events Lambda gave up on (after its retries) wait here 14 days; SSE-SQS needs no key grants.
        const failures = new aws.sqs.Queue(
            `${name}-failures`,
            { region, name: names.failureQueue, sqsManagedSseEnabled: true, messageRetentionSeconds: defaults.failureRetentionSeconds },
            { parent: this },
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            { name: complianceAlertsRoleName(region), permissionsBoundary: permissionsBoundaryArn(accountId), description: `Compliance alerts Lambda in ${region} (multicloud-patching)`, assumeRolePolicy: JSON.stringify(enforcerTrust(accountId)) },
            { parent: this },
        );
        const permissions = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.name,
                name: "deduplicate-and-publish",
                policy: pulumi
                    .all([table.arn, topic.arn, key.arn, failures.arn])
                    .apply(([tableArn, topicArn, topicKeyArn, failureQueueArn]) => JSON.stringify(alertRolePolicy({ accountId, region, tableArn, topicArn, topicKeyArn, failureQueueArn }))),
            },
            { parent: this },
        );
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-log-group`, { region, name: functionLogGroupName(names.function), retentionInDays: args.logRetentionDays ?? defaults.logRetentionDays }, { parent: this });
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                region,
                name: names.function,
                description: "At most one NON_COMPLIANT alert per node and rule per window (multicloud-patching)",
                role: role.arn,
                runtime: COMPLIANCE_ALERTS_FUNCTION.runtime,
                handler: "index.handler",
                code: lambdaCodeArchive(lambdaBundle(lambdaEntry(COMPLIANCE_ALERTS_FUNCTION.entry))),
                timeout: defaults.timeoutSeconds,
                memorySize: defaults.memorySizeMb,
                reservedConcurrentExecutions: defaults.reservedConcurrency,
                environment: { variables: { [ALERTS_ENV.tableName]: table.name, [ALERTS_ENV.topicArn]: topic.arn, [ALERTS_ENV.dedupeSeconds]: String(dedupeHours * 3600) } },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            },
            // Never invoked without its permissions: EventBridge may fire as soon as a rule exists.
            { parent: this, dependsOn: [permissions] },
        );
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-async`,
            {
                region,
                functionName: fn.name,
                maximumRetryAttempts: defaults.maximumRetryAttempts,
                maximumEventAgeInSeconds: defaults.maximumEventAgeSeconds,
                destinationConfig: { onFailure: { destination: failures.arn } },
            },
            { parent: this },
        );

        const rules = [
            { role: "forwarded", ruleName: names.forwardedRule, bus: args.forwardedEventBusName, pattern: alertEventPattern(args.forwardingAccountIds), what: "NON_COMPLIANT changes forwarded from the estate's locations" },
            { role: "central", ruleName: names.centralRule, bus: undefined, pattern: alertEventPattern([accountId]), what: "NON_COMPLIANT changes of the central account in the central Region" },
        ];
        for (const rule of rules) {
            const busName = rule.bus === undefined ? {} : { eventBusName: rule.bus };
            const eventRule = new aws.cloudwatch.EventRule(`${name}-${rule.role}`, { region, name: rule.ruleName, ...busName, description: rule.what, eventPattern: JSON.stringify(rule.pattern) }, { parent: this });
            new aws.cloudwatch.EventTarget(`${name}-${rule.role}-target`, { region, rule: eventRule.name, ...busName, targetId: "compliance-alerts", arn: fn.arn }, { parent: this });
            // Only this rule may invoke the function through EventBridge.
            new aws.lambda.Permission(`${name}-${rule.role}-permission`, { region, action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: eventRule.arn }, { parent: this });
        }

        const receiveBy = args.receiveBy ?? {};
        subscribeTopic(this, name, region, topic.arn, args.emailSubscriptions ?? [], args.httpsSubscriptions ?? [], (endpoint) => alertFilterPolicy(receiveBy[endpoint] ?? args.receive ?? defaults.receive));

        this.topicArn = topic.arn;
        this.topicKeyArn = key.arn;
        this.functionArn = fn.arn;
        this.tableName = table.name;
        this.failureQueueArn = failures.arn;
        this.registerOutputs({ topicArn: this.topicArn, topicKeyArn: this.topicKeyArn, functionArn: this.functionArn, tableName: this.tableName, failureQueueArn: this.failureQueueArn });
    }
}
