import { KEY_VAULT_NAME_PATTERN, keyVaultIpRuleProblem, MAX_KEY_VAULT_IP_RULES, MAX_KEY_VAULT_VNET_RULES } from "../../catalog/keyVault";

/**
 * Pure rules and builders of the registration Key Vault (issue 18, item 2): argument checks with
 * Azure's naming and firewall limits (the facts in catalog/keyVault.ts, shared with the config), the vault's properties, and the ARM ids consumers scope
 * role assignments to. No Pulumi resources here: unit-tested without mocks.
 */

/** What the vault component takes, apart from the secrets and tags (plain values: they name things). */
export interface RegistrationVaultPlacement {
    /** Globally unique vault name: 3-24 letters, digits and hyphens. */
    readonly vaultName: string;
    readonly subscriptionId: string;
    /** Microsoft Entra tenant that authenticates requests to the vault. */
    readonly tenantId: string;
    /** A resource group the component creates for the vault alone (RBAC at the group = the vault). */
    readonly resourceGroupName: string;
    /** ARM location name (lowercase, e.g. westeurope). */
    readonly location: string;
    /** Subnet ARM ids (with the Microsoft.KeyVault service endpoint) whose VMs may reach the vault. */
    readonly allowedSubnetIds: readonly string[];
    /** Public IPv4 addresses or CIDR ranges (e.g. NAT egress) allowed through the firewall. */
    readonly allowedIpRanges: readonly string[];
}

/**
 * Settings the vault always gets; code and tests import them, so the docs cannot drift.
 * - softDeleteRetentionInDays 90: the maximum Key Vault accepts (7-90), and it cannot be changed
 *   after the vault is created, so the longest recovery window is chosen once.
 * - bypass "None": the only writer is the deployer through ARM (`Microsoft.KeyVault/vaults/secrets`),
 *   a management-plane call the firewall does not apply to ("Key Vault firewalls and virtual
 *   network rules only apply to the data plane", learn.microsoft.com/azure/key-vault/general/
 *   overview-vnet-service-endpoints); the readers are VMs, which are not trusted services. So no
 *   "trusted Microsoft service" needs a way round the firewall.
 */
export const REGISTRATION_VAULT_DEFAULTS = {
    softDeleteRetentionInDays: 90,
    bypass: "None",
    skuName: "standard",
    secretContentType: "application/json",
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Resource group names: 1-90 of letters, digits, _ . ( ) -, not ending in "." (Microsoft.Resources naming rules). */
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const LOCATION = /^[a-z][a-z0-9]{2,30}$/;
const SUBNET_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]{2,64}\/subnets\/[-\w.]{1,80}$/i;

/** Every problem of the arguments, one line each, naming the argument, the value and what is allowed. */
export function registrationVaultProblems(args: RegistrationVaultPlacement, patchGroups: readonly string[]): string[] {
    const problems: string[] = [];
    const check = (ok: boolean, key: string, value: unknown, allowed: string) => {
        if (!ok) problems.push(`${key} ${JSON.stringify(value)} is not ${allowed}`);
    };
    check(KEY_VAULT_NAME_PATTERN.test(args.vaultName), "vaultName", args.vaultName, "a Key Vault name (3-24 letters, digits and hyphens; starts with a letter, ends with a letter or digit, no '--')");
    check(UUID.test(args.subscriptionId), "subscriptionId", args.subscriptionId, "a subscription id (UUID)");
    check(UUID.test(args.tenantId), "tenantId", args.tenantId, "a tenant id (UUID)");
    check(RESOURCE_GROUP.test(args.resourceGroupName), "resourceGroupName", args.resourceGroupName, "a resource group name (1-90 letters, digits, _ . ( ) -, not ending in '.')");
    check(LOCATION.test(args.location), "location", args.location, "an Azure location name (lowercase letters and digits, e.g. westeurope)");
    args.allowedSubnetIds.forEach((id, i) =>
        check(SUBNET_ID.test(id), `allowedSubnetIds[${i}]`, id, "a subnet resource id (/subscriptions/<uuid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)"),
    );
    args.allowedIpRanges.forEach((range, i) => {
        const problem = keyVaultIpRuleProblem(range);
        if (problem !== undefined) problems.push(`allowedIpRanges[${i}] ${JSON.stringify(range)} ${problem}`);
    });
    const limit = (list: readonly string[], key: string, max: number) => {
        if (list.length > max) problems.push(`${key} has ${list.length} entries; a Key Vault firewall takes at most ${max}`);
        const duplicate = list.find((entry, i) => list.findIndex((other) => other.toLowerCase() === entry.toLowerCase()) !== i);
        if (duplicate !== undefined) problems.push(`${key} lists ${JSON.stringify(duplicate)} twice`);
    };
    limit(args.allowedSubnetIds, "allowedSubnetIds", MAX_KEY_VAULT_VNET_RULES);
    limit(args.allowedIpRanges, "allowedIpRanges", MAX_KEY_VAULT_IP_RULES);
    if (patchGroups.length === 0) problems.push("secrets is empty: the vault exists to hold at least one patch group's activation");
    patchGroups.filter((group) => group.trim() === "").forEach(() => problems.push('secrets has an empty patch group key ""'));
    return problems;
}

/** Throws one error listing every problem (the component's first statement). */
export function validateRegistrationVaultArgs(args: RegistrationVaultPlacement, patchGroups: readonly string[]): void {
    const problems = registrationVaultProblems(args, patchGroups);
    if (problems.length > 0) {
        throw new Error(`RegistrationVault: ${problems.join("; ")}`);
    }
}

/**
 * Without any allowed subnet or range, the vault takes private-endpoint traffic only
 * (publicNetworkAccess "Disabled" overrides the firewall rules: only private endpoints and trusted
 * services get through, Microsoft.KeyVault vaults API). With rules, the public endpoint stays
 * "Enabled" but the firewall denies everything the rules do not name: service-endpoint (subnet)
 * and IP-rule traffic arrives on the public endpoint, so "Disabled" would shut the VMs out too.
 */
export function vaultNetworkAccess(args: Pick<RegistrationVaultPlacement, "allowedSubnetIds" | "allowedIpRanges">) {
    const open = args.allowedSubnetIds.length > 0 || args.allowedIpRanges.length > 0;
    return {
        publicNetworkAccess: open ? "Enabled" : "Disabled",
        networkAcls: {
            bypass: REGISTRATION_VAULT_DEFAULTS.bypass,
            defaultAction: "Deny",
            ipRules: args.allowedIpRanges.map((value) => ({ value })),
            // ignoreMissingVnetServiceEndpoint false: ARM refuses a subnet without the
            // Microsoft.KeyVault service endpoint at deploy time instead of a VM failing later.
            virtualNetworkRules: args.allowedSubnetIds.map((id) => ({ id, ignoreMissingVnetServiceEndpoint: false })),
        },
    };
}

/** The vault's `properties` (Microsoft.KeyVault/vaults 2024-11-01). */
export function vaultProperties(args: RegistrationVaultPlacement) {
    return {
        tenantId: args.tenantId,
        sku: { family: "A", name: REGISTRATION_VAULT_DEFAULTS.skuName },
        // Data-plane access by Azure RBAC only: a role assignment on the one secret is what lets a
        // VM read it; access policies (vault-wide, per identity) are ignored.
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: REGISTRATION_VAULT_DEFAULTS.softDeleteRetentionInDays,
        // Irreversible by design: a deleted vault or secret stays recoverable for the retention period.
        enablePurgeProtection: true,
        // Nothing reads the vault on a VM's or a template's behalf: the script fetches the secret itself.
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        ...vaultNetworkAccess(args),
    };
}

/** ARM ids (what `id` of each resource is), computed so they are known in the plan. */
export function resourceGroupResourceId(subscriptionId: string, resourceGroupName: string): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`;
}

export function vaultResourceId(args: Pick<RegistrationVaultPlacement, "subscriptionId" | "resourceGroupName" | "vaultName">): string {
    return `${resourceGroupResourceId(args.subscriptionId, args.resourceGroupName)}/providers/Microsoft.KeyVault/vaults/${args.vaultName}`;
}

export function secretResourceId(args: Pick<RegistrationVaultPlacement, "subscriptionId" | "resourceGroupName" | "vaultName">, secretName: string): string {
    return `${vaultResourceId(args)}/secrets/${secretName}`;
}

/** The data-plane URI (Azure public cloud DNS suffix vault.azure.net), what the VM's script calls. */
export function vaultUri(vaultName: string): string {
    return `https://${vaultName.toLowerCase()}.vault.azure.net/`;
}
