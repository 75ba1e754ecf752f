import { buildAwsCore, type AwsCoreOutputs } from "./awsCore";
import { buildAwsAutomation, type AwsAutomationOutputs } from "./awsAutomation";
import { buildAwsCompliance, type AwsComplianceOutputs } from "./awsCompliance";
import { buildAwsConnectivity, type AwsConnectivityOutputs } from "./awsConnectivity";
import { buildAwsEnforcer, type AwsEnforcerOutputs } from "./awsEnforcer";
import { buildAwsNotifications, type AwsNotificationOutputs } from "./awsNotifications";
import { buildAwsOrganization, type AwsOrganizationOutputs } from "./awsOrganization";
import { buildAwsReporting, type AwsReportingOutputs } from "./awsReporting";
import { buildAzure, type AzureOutputs } from "./azure";
import { buildAzureInventory } from "./azureInventory";
import { buildAwsData, type AwsDataOutputs } from "./awsData";
import type { AwsAccount, Estate } from "./config/estateModel";
import { assertPreflight } from "./preflight";
import { createProviders, type ProviderFabric } from "./providers";

/** What the stack exports: plain, non-secret facts about the estate and its per-scope ids. */
export interface EstateOutputs {
    readonly environment: string;
    readonly centralAccountId: string;
    readonly centralRegion: string;
    readonly accounts: Record<string, { id: string; regions: readonly string[]; member: boolean }>;
    readonly patchGroups: Record<string, { operatingSystems: readonly string[]; accounts: readonly string[] }>;
    readonly azureSubscriptions: Record<string, { subscriptionId: string; vms: number }>;
    readonly aws: AwsCoreOutputs;
    readonly data: AwsDataOutputs;
    readonly automation: AwsAutomationOutputs;
    readonly connectivity: AwsConnectivityOutputs;
    readonly compliance: AwsComplianceOutputs;
    readonly enforcer: AwsEnforcerOutputs;
    readonly reporting: AwsReportingOutputs;
    readonly azure: AzureOutputs;
    readonly notifications: AwsNotificationOutputs;
    /** Organization mode only: the member-side StackSets. */
    readonly organization: AwsOrganizationOutputs;
}

export interface BuiltEstate {
    readonly providers: ProviderFabric;
    readonly outputs: EstateOutputs;
}

/**
 * Creates the providers and wires every component into its account/Region/subscription. `now`
 * moves configured schedule start dates forward (Scheduler rejects past ones).
 */
export function buildEstate(estate: Estate, now: Date = new Date()): BuiltEstate {
    assertPreflight(estate);
    const providers = createProviders(estate);
    const providerOf = (account: AwsAccount) => {
        const provider = providers.aws.get(account.alias);
        if (provider === undefined) {
            throw new Error(`no AWS provider for account ${account.alias}`);
        }
        return provider;
    };
    const aws = buildAwsCore(estate, providerOf);
    const data = buildAwsData(estate, providerOf);
    const automation = buildAwsAutomation(estate, providerOf, aws.administrationRoleArn, now);
    const connectivity = buildAwsConnectivity(estate, providerOf, providers);
    const compliance = buildAwsCompliance(estate, providerOf, aws, data);
    const enforcer = buildAwsEnforcer(estate, providerOf, aws);
    // Notifications first: the daily digest (reporting) publishes to the compliance alert topic.
    const notifications = buildAwsNotifications(estate, providerOf);
    const reporting = buildAwsReporting(estate, providerOf, data, { arn: notifications.complianceAlertTopicArn, kmsKeyArn: notifications.complianceAlertTopicKeyArn });
    const azure = buildAzure(estate, providerOf, providers.azure, aws, now);
    buildAzureInventory(estate, providerOf);
    const organization = buildAwsOrganization(estate, providerOf, data);
    return {
        providers,
        outputs: {
            environment: estate.environment,
            centralAccountId: estate.central.account.id,
            centralRegion: estate.central.region,
            accounts: Object.fromEntries(estate.accounts.map((a) => [a.alias, { id: a.id, regions: a.regions, member: a.member }])),
            patchGroups: Object.fromEntries(estate.patchGroups.map((g) => [g.name, { operatingSystems: g.operatingSystems, accounts: g.accounts }])),
            azureSubscriptions: Object.fromEntries(
                estate.azureSubscriptions.map((s) => [s.alias, { subscriptionId: s.subscriptionId, vms: s.resourceGroups.reduce((n, g) => n + g.vms.length, 0) }]),
            ),
            aws,
            data,
            automation,
            connectivity,
            compliance,
            enforcer,
            reporting,
            azure,
            notifications,
            organization,
        },
    };
}
