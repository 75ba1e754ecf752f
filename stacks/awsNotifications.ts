import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { PatchRunEventForwarding } from "../components/notifications/patchRunEventForwarding";
import { PatchRunNotifications } from "../components/notifications/patchRunNotifications";
import { runbookLocations } from "./awsAutomation";
import { estateRolloutPlan } from "./awsAutomation";
import { ROLLOUT_DOCUMENT_NAMES } from "../components/rollout/rolloutPlan";
import type { AwsAccount, Estate } from "./config/estateModel";
import { ComplianceAlerts } from "../components/compliance/complianceAlerts";
import { availableRules } from "../catalog/configRules";

export interface AwsNotificationOutputs {
    readonly patchRunTopicArn: pulumi.Output<string>;
    /** Issue 19: the one central compliance topic `patching-compliance-alerts` (immediate alerts and the daily digest publish here). */
    readonly complianceAlertTopicArn: pulumi.Output<string>;
    /** Its KMS key: a publisher (the daily digest) needs kms:GenerateDataKey / kms:Decrypt on it through SNS. */
    readonly complianceAlertTopicKeyArn: pulumi.Output<string>;
}

/**
 * Patch-run notifications: one encrypted topic in the central account and Region fed by the
 * central default event bus, and in every other location that runs the runbooks a rule pair
 * forwarding their execution and Run Command events there. Successes only when configured: each
 * patched node's execution is an event, which would page on-call once per node.
 */
export function buildAwsNotifications(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider): AwsNotificationOutputs {
    const central = estate.central;
    const notifySuccess = estate.notifications.patchRunSuccess;
    const notifications = new PatchRunNotifications(
        `${central.account.alias}-patch-run-notifications`,
        {
            region: central.region,
            accountId: central.account.id,
            sourceAccountIds: [...new Set(estate.members.map((member) => member.id))].filter((id) => id !== central.account.id),
            emailSubscriptions: estate.notifications.emails,
            httpsSubscriptions: estate.notifications.httpsEndpoints,
            notifySuccess,
            // Organization mode: the member stacks forward here too (stacks/awsOrganization.ts).
            ...(estate.organization === undefined || estate.organizationId === undefined ? {} : { organizationId: estate.organizationId }),
            // Safe rollout (issue 17): the gate's Failed executions (held runs) notify.
            ...(estateRolloutPlan(estate).groups.length === 0 ? {} : { rolloutGateDocumentName: ROLLOUT_DOCUMENT_NAMES.gate }),
        },
        { provider: providerOf(central.account) },
    );
    for (const { account, region } of runbookLocations(estate)) {
        if (account.alias === central.account.alias && region === central.region) {
            continue;
        }
        new PatchRunEventForwarding(
            `${account.alias}-${region}-patch-run-forwarding`,
            {
                region,
                accountId: account.id,
                centralAccountId: central.account.id,
                centralRegion: central.region,
                notifySuccess,
                // Issue 19: every forwarding location is a member location with the Config rules its Region offers.
                nonCompliantRuleNames: account.member ? availableRules(region).map((rule) => rule.name) : [],
            },
            { provider: providerOf(account) },
        );
    }
    const alerts = buildComplianceAlerts(estate, providerOf, notifications.eventBusName);
    return { patchRunTopicArn: notifications.topicArn, complianceAlertTopicArn: alerts.topicArn, complianceAlertTopicKeyArn: alerts.topicKeyArn };
}

/**
 * Issue 19 item 2: the one compliance topic in the central account and Region, fed by the
 * forwarded NON_COMPLIANT changes (configured accounts: the estate's accounts; organization mode:
 * any forwarder of the organization, as the bus policy admits) and the central location's own.
 */
function buildComplianceAlerts(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, busName: pulumi.Output<string>): ComplianceAlerts {
    const central = estate.central;
    const settings = estate.notifications.complianceAlerts;
    const estateAccounts = [...new Set([central.account.id, ...estate.members.map((member) => member.id)])];
    return new ComplianceAlerts(
        `${central.account.alias}-compliance-alerts`,
        {
            region: central.region,
            accountId: central.account.id,
            forwardedEventBusName: busName,
            ...(estate.organization === undefined ? { forwardingAccountIds: estateAccounts } : {}),
            emailSubscriptions: estate.notifications.emails,
            httpsSubscriptions: estate.notifications.httpsEndpoints,
            receive: settings.receive,
            receiveBy: Object.fromEntries(settings.subscribers.map((subscriber) => [subscriber.endpoint, subscriber.receive])),
            dedupeHours: settings.dedupeHours,
        },
        { provider: providerOf(central.account) },
    );
}
