import * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { registrationSecretName, scopeKey, type RegistrationSecretValue } from "../catalog/azureRegistration";
import { AzureAutoRegistration } from "../components/azure/autoRegistration";
import { autoRegisterProtectedSetting } from "../components/azure/autoRegisterScript";
import { committedAgentSigningKey, type AgentSigningKey } from "../components/azure/azureAgentScript";
import { AzureSsmAgent } from "../components/azure/azureSsmAgent";
import { AzureTagGovernance } from "../components/azure/azureTagGovernance";
import { AzureVmTags } from "../components/azure/azureVmTags";
import { activationExpiry, HybridActivations } from "../components/azure/hybridActivations";
import { HybridRegistrationAlerts } from "../components/azure/hybridRegistrationAlerts";
import { RegistrationVault } from "../components/azure/registrationVault";
import type { AwsCoreOutputs } from "./awsCore";
import type { AwsAccount, AzureAutoRegistration as AutoRegistrationSettings, Estate } from "./config/estateModel";
import { activationLimit } from "./azureVms";
import { createAzureRegistrationProviders } from "./providers";

export interface AzureOutputs {
    /** Activation id per patch group (the codes stay secret inside the VM extensions). */
    readonly activationIds: Record<string, pulumi.Output<string>>;
    readonly hybridHome: { readonly account: string; readonly region: string };
    /** The hybrid home's topic announcing every node registration (absent without Azure VMs). */
    readonly registrationAlertTopicArn?: pulumi.Output<string>;
}

/** Every explicitly listed VM with its subscription and resource group. */
function explicitVms(estate: Estate) {
    return estate.azureSubscriptions.flatMap((subscription) => subscription.resourceGroups.flatMap((group) => group.vms.map((vm) => ({ subscription, group, vm }))));
}

/**
 * SPEC capabilities 13-14: SSM hybrid activations in the hybrid home (one per patch group with
 * Azure VMs, listed or registering automatically), per subscription the agent extension and the
 * required tags on every listed VM plus the subscription's tag policies, and (issue 18) the
 * automatic registration: the activations in a Key Vault and the policy at each configured scope.
 */
export function buildAzure(
    estate: Estate,
    awsProviderOf: (account: AwsAccount) => AwsProvider,
    azureProviders: ReadonlyMap<string, AzureProvider>,
    core: AwsCoreOutputs,
    now: Date,
): AzureOutputs {
    const home = estate.hybrid;
    const vms = explicitVms(estate);
    const auto = estate.azureAutoRegistration;
    const outputs: AzureOutputs = { activationIds: {}, hybridHome: { account: home.account.alias, region: home.region } };
    if (vms.length === 0 && auto === undefined) {
        return outputs;
    }
    const listed = (name: string) => vms.filter(({ vm }) => vm.patchGroup === name).length;
    const groups = estate.patchGroups.map((group) => group.name).filter((name) => listed(name) > 0 || auto?.groups.some((group) => group.patchGroup === name));
    const limits = Object.fromEntries(groups.map((patchGroup) => [patchGroup, activationLimit(estate, patchGroup)]));
    const activations = new HybridActivations(
        `${home.account.alias}-${home.region}-hybrid-activations`,
        {
            region: home.region,
            hybridRoleName: core.accounts[home.account.alias].hybridRoleName,
            patchGroups: groups.map((patchGroup) => ({ patchGroup, registrationLimit: limits[patchGroup] })),
            expirationDate: activationExpiry(now, home.rotationDays),
            patchGroupTagKey: estate.patchGroupTagKey,
            now,
        },
        { provider: awsProviderOf(home.account) },
    );
    Object.assign(outputs.activationIds, activations.activationIds);
    // Listed VMs per group; a group that registers automatically allows its activation's limit.
    const configuredVms = Object.fromEntries(groups.map((patchGroup) => [patchGroup, auto?.groups.some((g) => g.patchGroup === patchGroup) ? limits[patchGroup] : listed(patchGroup)]));
    const alerts = new HybridRegistrationAlerts(
        `${home.account.alias}-${home.region}-hybrid-registration-alerts`,
        { region: home.region, accountId: home.account.id, configuredVms, emailSubscriptions: estate.notifications.emails, httpsSubscriptions: estate.notifications.httpsEndpoints },
        { provider: awsProviderOf(home.account) },
    );
    // Read and checked against the pinned fingerprint once; only Linux VMs verify with it.
    const needsKey = vms.some(({ vm }) => vm.os === "linux") || (auto?.groups.some((group) => group.osFamilies.includes("linux")) ?? false);
    const signingKey = needsKey ? committedAgentSigningKey() : undefined;
    buildListedVms(estate, azureProviders, activations, signingKey);
    if (auto !== undefined) {
        buildAutoRegistration(estate, auto, azureProviders, activations, signingKey, now);
    }
    return { ...outputs, registrationAlertTopicArn: alerts.topicArn };
}

/** The explicit mode: per listed VM the agent extension and the required tags; per subscription the tag policies. */
function buildListedVms(estate: Estate, azureProviders: ReadonlyMap<string, AzureProvider>, activations: HybridActivations, signingKey: AgentSigningKey | undefined): void {
    const home = estate.hybrid;
    for (const subscription of estate.azureSubscriptions) {
        const provider = azureProviders.get(subscription.alias);
        if (provider === undefined) {
            throw new Error(`no Azure provider for subscription ${subscription.alias}`);
        }
        for (const group of subscription.resourceGroups) {
            for (const vm of group.vms) {
                const key = `${subscription.alias}-${group.name}-${vm.name}`;
                new AzureSsmAgent(
                    `${key}-ssm-agent`,
                    {
                        resourceGroupName: group.name,
                        vmName: vm.name,
                        location: group.location,
                        os: vm.os,
                        patchGroup: vm.patchGroup,
                        activation: { id: activations.activationIds[vm.patchGroup], code: activations.activationCodes[vm.patchGroup], region: home.region },
                        ...(vm.os === "linux" && signingKey !== undefined ? { signingKey } : {}),
                    },
                    { provider },
                );
                new AzureVmTags(
                    `${key}-tags`,
                    {
                        subscriptionId: subscription.subscriptionId,
                        resourceGroupName: group.name,
                        vmName: vm.name,
                        tags: {
                            [estate.patchGroupTagKey]: vm.patchGroup,
                            [estate.azureTags.ownerTagKey]: estate.azureTags.owner,
                            [estate.azureTags.environmentTagKey]: estate.environment,
                        },
                    },
                    { provider },
                );
            }
        }
        if (subscription.resourceGroups.length === 0) {
            continue;
        }
        new AzureTagGovernance(
            `${subscription.alias}-tag-governance`,
            {
                subscriptionId: subscription.subscriptionId,
                location: subscription.resourceGroups[0].location,
                auditedTags: [estate.patchGroupTagKey],
                defaultedTags: { [estate.azureTags.ownerTagKey]: estate.azureTags.owner, [estate.azureTags.environmentTagKey]: estate.environment },
            },
            { provider },
        );
    }
}

/** The remediation round: the activation rotation window's start (YYYYMMDD), so each window starts a fresh one-shot remediation. */
export function remediationRound(now: Date, rotationDays: number): string {
    const window = rotationDays * 86_400_000;
    return new Date(Math.floor(now.getTime() / window) * window).toISOString().slice(0, 10).replace(/-/g, "");
}

/**
 * Issue 18, automatic registration: the vault with each group's activation (id, code, Region) as a
 * secret JSON value — replaced activations rewrite it in the same `pulumi up` — and per scope the
 * registration policy, whose assignments pass the group's scripts (vault and secret names only).
 */
function buildAutoRegistration(
    estate: Estate,
    auto: AutoRegistrationSettings,
    azureProviders: ReadonlyMap<string, AzureProvider>,
    activations: HybridActivations,
    signingKey: AgentSigningKey | undefined,
    now: Date,
): void {
    const providers = createAzureRegistrationProviders(estate, auto, azureProviders);
    const region = estate.hybrid.region;
    const secrets = Object.fromEntries(
        auto.groups.map(({ patchGroup }) => [
            patchGroup,
            pulumi
                .all([activations.activationIds[patchGroup], activations.activationCodes[patchGroup]])
                .apply(([activationId, activationCode]) => JSON.stringify({ activationId, activationCode, region } satisfies RegistrationSecretValue)),
        ]),
    );
    const { keyVault } = auto;
    const vault = new RegistrationVault(
        "azure-registration-vault",
        {
            vaultName: keyVault.name,
            subscriptionId: keyVault.subscriptionId,
            tenantId: keyVault.tenantId,
            resourceGroupName: keyVault.resourceGroup,
            location: keyVault.location,
            allowedSubnetIds: keyVault.allowedSubnetIds,
            allowedIpRanges: keyVault.allowedIpRanges,
            secrets: Object.fromEntries(Object.entries(secrets).map(([group, value]) => [group, pulumi.secret(value)])),
            tags: { ...estate.standardTags },
        },
        { provider: providers.vault },
    );
    const groups = auto.groups.map((group) => {
        const values = { patchGroup: group.patchGroup, vaultName: keyVault.name, secretName: registrationSecretName(group.patchGroup) };
        return {
            ...group,
            secretName: values.secretName,
            ...(group.osFamilies.includes("linux") ? { linuxScript: autoRegisterProtectedSetting("linux", values, signingKey) } : {}),
            ...(group.osFamilies.includes("windows") ? { windowsCommand: autoRegisterProtectedSetting("windows", values) } : {}),
        };
    });
    for (const scope of auto.scopes) {
        new AzureAutoRegistration(
            `azure-registration-${scopeKey(scope)}`,
            {
                scope,
                location: keyVault.location,
                patchGroupTagKey: auto.patchGroupTagKey,
                vault: { name: keyVault.name, subscriptionId: keyVault.subscriptionId, tenantId: keyVault.tenantId, resourceGroup: keyVault.resourceGroup, resourceGroupId: vault.resourceGroupId },
                groups,
                ...(auto.remediateExisting ? { remediationRound: remediationRound(now, estate.hybrid.rotationDays) } : {}),
            },
            { provider: providers.scopes.get(scopeKey(scope)) },
        );
    }
}
