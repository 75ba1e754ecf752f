import { OPERATING_SYSTEMS } from "../../catalog/operatingSystems";
import type { ConfigProblem } from "./errors";
import { duplicates } from "./duplicates";
import type { ParsedEstateConfig } from "./schema";

/** Cross-checks of the Azure side: subscriptions, VMs against patch groups, and the hybrid home. */

export function checkAzure(config: ParsedEstateConfig): ConfigProblem[] {
    const groups = new Map(config.patchGroups.map((g) => [g.name, g]));
    const problems = [
        ...duplicates(config.azureSubscriptions, (s) => s.alias, (i) => `azureSubscriptions[${i}].alias`, "subscription aliases"),
        ...duplicates(config.azureSubscriptions, (s) => s.subscriptionId, (i) => `azureSubscriptions[${i}].subscriptionId`, "subscription ids"),
    ];
    config.azureSubscriptions.forEach((subscription, i) => {
        // Azure resource group and VM names are case-insensitive, hence the case-folded comparison.
        problems.push(...duplicates(subscription.resourceGroups, (g) => g.name, (k) => `azureSubscriptions[${i}].resourceGroups[${k}].name`, "resource group names in a subscription"));
        subscription.resourceGroups.forEach((resourceGroup, k) => {
            const at = `azureSubscriptions[${i}].resourceGroups[${k}]`;
            problems.push(...duplicates(resourceGroup.vms, (vm) => vm.name, (v) => `${at}.vms[${v}].name`, "VM names in a resource group"));
            resourceGroup.vms.forEach((vm, v) => {
                const group = groups.get(vm.patchGroup);
                if (group === undefined) {
                    problems.push({ path: `${at}.vms[${v}].patchGroup`, value: vm.patchGroup, message: `is not a configured patch group; allowed: ${[...groups.keys()].join(", ")}` });
                } else if (!group.operatingSystems.some((os) => OPERATING_SYSTEMS[os].kind === vm.os)) {
                    problems.push({
                        path: `${at}.vms[${v}].os`,
                        value: vm.os,
                        message: `does not match patch group ${group.name}, which has no ${vm.os} baseline (it covers ${group.operatingSystems.join(", ")})`,
                    });
                }
            });
        });
    });
    return problems;
}

/**
 * Where Azure VMs register (the activations' account and Region): as configured, else the central
 * account when it is a member (in the central Region if it patches there), else the first member.
 */
export function hybridHome(config: ParsedEstateConfig): { account: string; region: string } {
    const members = config.accounts.filter((a) => a.member);
    const account =
        config.hybrid.account !== undefined
            ? config.accounts.find((a) => a.alias === config.hybrid.account)
            : (members.find((a) => a.alias === config.centralAccount) ?? members[0]);
    const region = config.hybrid.region ?? (account?.regions.includes(config.centralRegion) ? config.centralRegion : account?.regions[0]);
    return { account: account?.alias ?? config.hybrid.account ?? "", region: region ?? "" };
}

export function checkHybrid(config: ParsedEstateConfig): ConfigProblem[] {
    const vms = config.azureSubscriptions.flatMap((s) => s.resourceGroups.flatMap((g) => g.vms));
    const memberAliases = config.accounts.filter((a) => a.member).map((a) => a.alias);
    // Without Azure VMs there is nothing to register; without members checkAccounts has spoken.
    if (vms.length === 0 || memberAliases.length === 0) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    const home = hybridHome(config);
    const account = config.accounts.find((a) => a.alias === home.account);
    if (account === undefined || !account.member) {
        // Stryker disable next-line LogicalOperator: equivalent — when hybrid.account is set, hybridHome returns that very alias as home.account.
        problems.push({ path: "hybrid.account", value: config.hybrid.account ?? home.account, message: `is not a member account alias; Azure VMs must register where their patch groups are patched (members: ${config.accounts.filter((a) => a.member).map((a) => a.alias).join(", ")})` });
        return problems;
    }
    if (!account.regions.includes(home.region)) {
        problems.push({ path: "hybrid.region", value: home.region, message: `is not one of ${account.alias}'s regions (${account.regions.join(", ")})` });
    }
    for (const group of config.patchGroups) {
        const count = vms.filter((vm) => vm.patchGroup === group.name).length;
        const groupAccountsValid = (group.accounts ?? []).every((alias) => memberAliases.includes(alias));
        if (count > 0 && group.accounts !== undefined && groupAccountsValid && !group.accounts.includes(account.alias)) {
            problems.push({ path: "hybrid.account", value: account.alias, message: `is not in patch group ${group.name}'s accounts (${group.accounts.join(", ")}), so its Azure VMs would never be patched` });
        }
        if (count > 0 && config.hybrid.registrationLimit !== undefined && config.hybrid.registrationLimit < count) {
            problems.push({ path: "hybrid.registrationLimit", value: config.hybrid.registrationLimit, message: `is below the ${count} Azure VMs of patch group ${group.name}` });
        }
    }
    if (config.azureTags.owner === undefined && config.tags[config.azureTags.ownerTagKey] === undefined) {
        problems.push({ path: "azureTags.owner", message: `missing; Azure VMs need a value for the required ${config.azureTags.ownerTagKey} tag (or set tags.${config.azureTags.ownerTagKey})` });
    }
    return problems;
}
