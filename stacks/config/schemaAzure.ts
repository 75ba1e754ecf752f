import { z } from "zod";
import { MAX_KEY_VAULT_IP_RULES, MAX_KEY_VAULT_VNET_RULES } from "../../catalog/keyVault";
import { MAX_ACTIVATION_REGISTRATIONS } from "../../catalog/hybridActivationLimits";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { integer, list, record } from "./vocabulary";

/**
 * Azure at fleet scale (issue 18): where Azure Policy registers every tagged VM with Systems
 * Manager (`scope`), and how (`autoRegister`). The rules that relate these to the patch groups,
 * the hybrid home and each other live in crossChecksAzure.ts.
 */

const DEFAULTS = CONFIG_DEFAULTS.azureAutoRegister;

export const managementGroupScopeSchema = record(
    {
        id: field.MANAGEMENT_GROUP_ID.describe("The management group's id (its name, not its display name); the tenant root group's id is the tenant id."),
        tenantId: field.UUID.describe("The management group's Microsoft Entra tenant."),
    },
    "a management group ({id, tenantId})",
);

export const subscriptionScopeSchema = record(
    {
        subscriptionId: field.UUID.describe("A subscription whose VMs register themselves: the policy is defined and assigned in it."),
        tenantId: field.UUID.describe("The subscription's Microsoft Entra tenant."),
    },
    "a subscription ({subscriptionId, tenantId})",
);

export const azureScopeSchema = record(
    {
        managementGroups: list(managementGroupScopeSchema, "management groups", 0).default([]).describe("Management groups whose VMs (in every subscription below them, present and future) register themselves: the policy is defined and assigned at each."),
        subscriptions: list(subscriptionScopeSchema, "subscriptions", 0).default([]).describe("Subscriptions outside those management groups whose VMs register themselves."),
    },
    "Azure scopes ({managementGroups?, subscriptions?})",
);

export const keyVaultSchema = record(
    {
        name: field.KEY_VAULT_NAME.describe("The vault holding one secret per patch group (its activation id and code); globally unique, it is the vault's DNS name."),
        subscriptionId: field.UUID.describe("The subscription the vault is created in."),
        tenantId: field.UUID.describe("The vault's tenant: every scope must be in it, since the VMs' managed identities read the secret."),
        resourceGroup: field.AZURE_RESOURCE_GROUP.default(DEFAULTS.keyVaultResourceGroup).describe("A resource group the program creates for the vault alone."),
        location: field.AZURE_LOCATION.describe("The vault's Azure location."),
        allowedSubnetIds: list(field.AZURE_SUBNET_ID, "subnet ARM ids", 0)
            .max(MAX_KEY_VAULT_VNET_RULES, { error: `has more than ${MAX_KEY_VAULT_VNET_RULES} subnets (the Key Vault virtual network rule limit)` })
            .default([])
            .describe("Subnets whose VMs may reach the vault (firewall virtual network rules); each needs the Microsoft.KeyVault service endpoint."),
        allowedIpRanges: list(field.KEY_VAULT_IP_RANGE, "IPv4 addresses or ranges", 0)
            .max(MAX_KEY_VAULT_IP_RULES, { error: `has more than ${MAX_KEY_VAULT_IP_RULES} ranges (the Key Vault IP rule limit)` })
            .default([])
            .describe("Public IPv4 addresses or ranges (e.g. NAT gateway egress) allowed through the vault firewall. The vault denies every other network: at least one of allowedSubnetIds and allowedIpRanges is required."),
    },
    "a Key Vault ({name, subscriptionId, tenantId, location, resourceGroup?, allowedSubnetIds?, allowedIpRanges?})",
);

export const autoRegisterSchema = record(
    {
        patchGroupTagKey: field.TAG_KEY.optional().describe("The Azure tag whose value names a VM's patch group. Unset: the top-level patchGroupTagKey."),
        groups: list(field.PATCH_GROUP_NAME, "patch group names").describe("The patch groups a VM may join by tag; each needs a Linux or Windows baseline, and the policy registers only VMs of those OS families."),
        registrationLimit: integer(1, MAX_ACTIVATION_REGISTRATIONS, "VMs one patch group's activation may register")
            .default(DEFAULTS.registrationLimit)
            .describe("Per group and activation (a rotation starts a new one): headroom for the new, rebuilt and moved VMs of one rotation period, and the most nodes a leaked code could register. A group with explicitly listed VMs shares one activation: its limit is those VMs + this, at most 1000 (hybrid.registrationLimit is then not used)."),
        remediateExisting: z.boolean({ error: "is not a boolean (start a remediation task for VMs that exist before the assignment)" })
            .default(DEFAULTS.remediateExisting)
            .describe("true: each assignment gets a remediation task, so VMs that already exist register too; false: only VMs created or changed afterwards."),
        keyVault: keyVaultSchema.describe("Where the activations are kept (RBAC, purge protection, firewall denying all but the networks listed); each VM's managed identity may read its group's secret only."),
    },
    "automatic registration settings ({groups, keyVault, patchGroupTagKey?, registrationLimit?, remediateExisting?})",
);

export const azureSchema = record(
    {
        scope: azureScopeSchema.optional().describe("Where VMs register themselves: management groups and/or subscriptions (at least one). Needs autoRegister."),
        autoRegister: autoRegisterSchema.optional().describe("Which tagged VMs register, with which activation, and the vault holding it. Needs scope."),
    },
    "Azure automatic registration settings ({scope, autoRegister})",
);
