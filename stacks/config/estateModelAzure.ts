import type { AutoRegisterGroup, AzureRegistrationScope } from "../../catalog/azureRegistration";

/** The Azure side of the estate: listed VMs, the hybrid home, required tags, automatic registration. */

export interface AzureVm {
    readonly name: string;
    readonly os: "linux" | "windows";
    readonly patchGroup: string;
}

export interface AzureResourceGroup {
    readonly name: string;
    /** Azure location of the group's VMs (their extensions live there too). */
    readonly location: string;
    readonly vms: readonly AzureVm[];
}

export interface AzureSubscription {
    readonly alias: string;
    readonly subscriptionId: string;
    readonly tenantId: string;
    readonly resourceGroups: readonly AzureResourceGroup[];
}

/**
 * Automatic registration of tagged Azure VMs (issue 18): Azure Policy at management-group or
 * subscription scope, the activation (id and code) in a Key Vault secret per group.
 */
export interface AzureAutoRegistration {
    readonly scopes: readonly AzureRegistrationScope[];
    /** The Azure tag whose value names the VM's patch group (default: the estate's patchGroupTagKey). */
    readonly patchGroupTagKey: string;
    readonly groups: readonly AutoRegisterGroup[];
    /**
     * Registrations each group's activation allows (1-1000, default 100), per activation (rotation
     * starts a new one). A group that also has explicitly listed VMs shares one activation: use
     * catalog/hybridActivationLimits.ts autoRegisterActivationLimit(explicit VMs, this).
     */
    readonly registrationLimit: number;
    /** Start a remediation task per assignment for VMs that exist before the assignment. */
    readonly remediateExisting: boolean;
    readonly keyVault: {
        /** Globally unique vault name (3-24 letters, digits, hyphens). */
        readonly name: string;
        readonly subscriptionId: string;
        readonly tenantId: string;
        /** A resource group the program creates for the vault alone (its RBAC scope). */
        readonly resourceGroup: string;
        readonly location: string;
        /** Subnets (ARM ids, with the Microsoft.KeyVault service endpoint) whose VMs may reach the vault. */
        readonly allowedSubnetIds: readonly string[];
        /** Public CIDR ranges allowed through the vault firewall (e.g. NAT egress); empty = none. */
        readonly allowedIpRanges: readonly string[];
    };
}

/** The tags every Azure VM must carry besides the patch-group tag. */
export interface AzureTagSettings {
    readonly ownerTagKey: string;
    readonly owner: string;
    readonly environmentTagKey: string;
}
