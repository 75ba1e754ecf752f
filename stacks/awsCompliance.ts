import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AUTOMATION_DOCUMENT_NAMES } from "../components/runbooks/patchAutomationDocuments";
import { PatchCompliance } from "../components/compliance/patchCompliance";
import { AggregatorAuthorization, ComplianceAggregator, type AggregatorSource } from "../components/compliance/complianceAggregator";
import { authorizationLocations } from "../components/compliance/aggregatorDocuments";
import { createAwsProvider, providerRegion } from "./providers";
import type { AwsCoreOutputs } from "./awsCore";
import { CONFIG_DELIVERY_PREFIX, type AwsDataOutputs } from "./awsData";
import type { AwsAccount, Estate, PatchGroup } from "./config/estateModel";

/**
 * Config remediation covers every NON_COMPLIANT node of an account and Region, whatever its patch
 * group, and its rate control is a share of those resources (SsmControls
 * ConcurrentExecutionRatePercentage / ErrorPercentage, integers 1-100). So it follows the strictest
 * patch group patched there, where a group's rate control translates: a percentage carries over
 * (at least 1); a serial group (maxConcurrency "1", or maxErrors "0") maps to 1, the strictest Config
 * accepts; other absolute counts have no share equivalent and leave the component default.
 */
export function remediationRateControl(groups: readonly PatchGroup[]): { concurrentExecutionRatePercentage?: number; errorPercentage?: number } {
    const share = (value: string, serial: string): number | undefined => {
        const percentage = /^(\d+)%$/.exec(value);
        return percentage !== null ? Math.min(100, Math.max(1, Number(percentage[1]))) : value === serial ? 1 : undefined;
    };
    const strictest = (values: (number | undefined)[]) => {
        const known = values.filter((v): v is number => v !== undefined);
        return known.length === 0 ? undefined : Math.min(...known);
    };
    const concurrency = strictest(groups.map((g) => share(g.rateControl.maxConcurrency, "1")));
    const errors = strictest(groups.map((g) => share(g.rateControl.maxErrors, "0")));
    return { ...(concurrency === undefined ? {} : { concurrentExecutionRatePercentage: concurrency }), ...(errors === undefined ? {} : { errorPercentage: errors }) };
}

export interface AwsComplianceOutputs {
    /** The central Config aggregator (`patching-compliance`); none in organization mode with `callAs: SELF` (see buildComplianceAggregator). */
    readonly aggregatorArn?: pulumi.Output<string>;
}

/** Every Region the estate patches in: the configured members' and, in organization mode, the targets'. */
function estateRegions(estate: Estate): string[] {
    const targets = estate.organization?.targets.flatMap((target) => target.regions) ?? [];
    return [...new Set([...estate.members.flatMap((member) => member.regions), ...targets])].sort();
}

/**
 * The aggregator's sources: the organization in organization mode, else the configured members and
 * their Regions. Always the estate's Regions, not allRegions: the program's rules exist only there
 * (the member template and the configured members), so other Regions would add nothing but the
 * recorders' own resources to the compliance team's view; a Region added to the estate is added to
 * the aggregator by the same update. The provider takes ONE AccountAggregationSource (accounts ×
 * Regions), so every member is asked for every estate Region; a member not patched in one of them gives no
 * authorization there and shows in the aggregator's source status as not authorized — no data, no cost.
 */
export function aggregatorSource(estate: Estate): AggregatorSource {
    return estate.organization === undefined
        ? { kind: "accounts", accountIds: estate.members.map((member) => member.id), regions: estateRegions(estate) }
        : { kind: "organization", regions: estateRegions(estate) };
}

/**
 * The provider for a member account in one Region. AggregateAuthorization is managed in its
 * provider's Region (its `region` input means the authorized Region), so a Region other than the
 * account provider's own needs a provider of its own: the same role, account pin and tags
 * (createAwsProvider), named `aws-<alias>-<region>`. Each is one more provider plugin process under
 * the real engine; only these authorizations use them.
 */
function regionalProvider(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, account: AwsAccount, region: string, cache: Map<string, AwsProvider>): AwsProvider {
    if (providerRegion(estate, account) === region) {
        return providerOf(account);
    }
    const key = `${account.alias}-${region}`;
    const provider = cache.get(key) ?? createAwsProvider(estate, account, region);
    cache.set(key, provider);
    return provider;
}

/**
 * Issue 19 item 1: the central aggregator, and in configured-accounts mode the authorization each
 * other source (account, Region) must give it. Organization mode needs none (Organizations
 * integration): an OrganizationAggregationSource over the estate's Regions, created by the central
 * account as Config's registered delegated administrator — an administrator registers it once
 * (`register-delegated-administrator --service-principal config.amazonaws.com`, an Organizations
 * write no program role may make).
 *
 * Not with `callAs: SELF` (the central account is the management account): there Config calls
 * EnableAWSServiceAccess as the caller on every PutConfigurationAggregator (Config API reference,
 * PutConfigurationAggregator), an Organizations write the program boundary denies — the deployment
 * would fail. Such an organization creates its aggregator by hand (README).
 */
export function buildComplianceAggregator(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider): pulumi.Output<string> | undefined {
    const central = estate.central;
    const source = aggregatorSource(estate);
    if (source.kind === "organization" && estate.organization?.callAs !== "DELEGATED_ADMIN") {
        return undefined;
    }
    const aggregator = new ComplianceAggregator(`${central.account.alias}-aggregator`, { region: central.region, accountId: central.account.id, source }, { provider: providerOf(central.account) });
    if (source.kind === "accounts") {
        const providers = new Map<string, AwsProvider>();
        const sources = estate.members.flatMap((member) => member.regions.map((region) => ({ accountId: member.id, region })));
        for (const location of authorizationLocations({ accountId: central.account.id, region: central.region }, sources)) {
            const member = estate.members.find((m) => m.id === location.accountId) as AwsAccount;
            new AggregatorAuthorization(
                `${member.alias}-${location.region}-aggregator`,
                { aggregatorAccountId: central.account.id, aggregatorRegion: central.region },
                { provider: regionalProvider(estate, providerOf, member, location.region, providers) },
            );
        }
    }
    return aggregator.aggregatorArn;
}

/**
 * SPEC capability 11 in every member (account, Region): Config rules on SSM compliance and — when configured — a Config
 * recorder delivering to the inventory-log bucket and automatic remediation with the patch
 * runbook under the account's execution role.
 */
export function buildAwsCompliance(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, core: AwsCoreOutputs, data: AwsDataOutputs): AwsComplianceOutputs {
    for (const member of estate.members) {
        for (const region of member.regions) {
            const scope = `${member.alias}-${region}`;
            const location = data.locations[scope];
            new PatchCompliance(
                `${scope}-compliance`,
                {
                    region,
                    accountId: member.id,
                    ...(estate.compliance.configRecorder
                        ? { configRecorder: { deliveryBucketName: location.inventoryLogBucket, deliveryKeyPrefix: CONFIG_DELIVERY_PREFIX, deliveryKmsKeyArn: location.logKmsKeyArn } }
                        : {}),
                    ...(estate.compliance.remediation
                        ? {
                              remediation: {
                                  documentName: AUTOMATION_DOCUMENT_NAMES.runPatchBaseline,
                                  executionRoleArn: core.accounts[member.alias].executionRoleArn,
                                  mode: estate.compliance.remediation.mode,
                                  ...(estate.compliance.remediation.rebootOption === undefined ? {} : { rebootOption: estate.compliance.remediation.rebootOption }),
                                  maximumAttempts: estate.compliance.remediation.maximumAutomaticAttempts,
                                  retryAttemptSeconds: estate.compliance.remediation.retryAttemptSeconds,
                                  ...remediationRateControl(estate.patchGroups.filter((group) => group.accounts.includes(member.alias))),
                              },
                          }
                        : {}),
                },
                { provider: providerOf(member) },
            );
        }
    }
    const aggregatorArn = buildComplianceAggregator(estate, providerOf);
    return { ...(aggregatorArn === undefined ? {} : { aggregatorArn }) };
}
