import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { committedAgentSigningKey } from "../components/azure/azureAgentScript";
import { AzureSsmAgent } from "../components/azure/azureSsmAgent";
import { AzureTagGovernance } from "../components/azure/azureTagGovernance";
import { AzureVmTags } from "../components/azure/azureVmTags";
import { activationExpiry, HybridActivations, MAX_REGISTRATION_LIMIT } from "../components/azure/hybridActivations";
import { HybridRegistrationAlerts } from "../components/azure/hybridRegistrationAlerts";
import type { AwsCoreOutputs } from "./awsCore";
import type { AwsAccount, Estate } from "./config/estateModel";

export interface AzureOutputs {
    /** Activation id per patch group (the codes stay secret inside the VM extensions). */
    readonly activationIds: Record<string, pulumi.Output<string>>;
    readonly hybridHome: { readonly account: string; readonly region: string };
    /** The hybrid home's topic announcing every node registration (absent without Azure VMs). */
    readonly registrationAlertTopicArn?: pulumi.Output<string>;
}

/**
 * Without a configured limit: exactly the group's configured VMs (issue 14 M1). Anyone who holds
 * a code can register nodes up to the limit, so it leaves no spare: AWS refuses the registration
 * after the last configured VM. A rebuilt VM (new disk, no registration file) registers with the
 * next activation (rotation, or a VM count change, which replaces the activation).
 */
export function defaultRegistrationLimit(vms: number): number {
    return Math.min(MAX_REGISTRATION_LIMIT, vms);
}

/**
 * SPEC capabilities 13-14: SSM hybrid activations in the hybrid home (one per patch group with
 * Azure VMs), and per subscription the agent extension and the required tags on every configured
 * VM, plus the subscription's tag policies.
 */
export function buildAzure(
    estate: Estate,
    awsProviderOf: (account: AwsAccount) => AwsProvider,
    azureProviders: ReadonlyMap<string, AzureProvider>,
    core: AwsCoreOutputs,
    now: Date,
): AzureOutputs {
    const home = estate.hybrid;
    const vms = estate.azureSubscriptions.flatMap((subscription) =>
        subscription.resourceGroups.flatMap((group) => group.vms.map((vm) => ({ subscription, group, vm }))),
    );
    const outputs: AzureOutputs = { activationIds: {}, hybridHome: { account: home.account.alias, region: home.region } };
    if (vms.length === 0) {
        return outputs;
    }
    const groups = estate.patchGroups.map((group) => group.name).filter((name) => vms.some(({ vm }) => vm.patchGroup === name));
    const configuredVms = Object.fromEntries(groups.map((patchGroup) => [patchGroup, vms.filter(({ vm }) => vm.patchGroup === patchGroup).length]));
    const activations = new HybridActivations(
        `${home.account.alias}-${home.region}-hybrid-activations`,
        {
            region: home.region,
            hybridRoleName: core.accounts[home.account.alias].hybridRoleName,
            patchGroups: groups.map((patchGroup) => ({
                patchGroup,
                registrationLimit: home.registrationLimit ?? defaultRegistrationLimit(configuredVms[patchGroup]),
            })),
            expirationDate: activationExpiry(now, home.rotationDays),
            patchGroupTagKey: estate.patchGroupTagKey,
            now,
        },
        { provider: awsProviderOf(home.account) },
    );
    Object.assign(outputs.activationIds, activations.activationIds);
    const alerts = new HybridRegistrationAlerts(
        `${home.account.alias}-${home.region}-hybrid-registration-alerts`,
        { region: home.region, accountId: home.account.id, configuredVms, emailSubscriptions: estate.notifications.emails, httpsSubscriptions: estate.notifications.httpsEndpoints },
        { provider: awsProviderOf(home.account) },
    );
    // Read and checked against the pinned fingerprint once; only Linux VMs verify with it.
    const signingKey = vms.some(({ vm }) => vm.os === "linux") ? committedAgentSigningKey() : undefined;

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
    return { ...outputs, registrationAlertTopicArn: alerts.topicArn };
}
