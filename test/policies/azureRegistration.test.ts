import { strict as assert } from "node:assert";
import {
    azureKeyVaultNetworkDenied,
    azureKeyVaultPurgeProtection,
    azureKeyVaultRbacAuthorization,
    azureKeyVaultRoleAssignmentScoped,
    azurePolicyAssignmentIdentity,
} from "../../policies/azure";
import { vaultProperties } from "../../components/azure/registrationVaultRules";
import { REGISTRATION_ROLE_IDS, registrationRoleAssignmentCondition } from "../../components/azure/autoRegistrationRoles";
import type { RecordedResource } from "../../tools/mock/recorder";
import { messages, packMessages, resource } from "./helpers";

/**
 * Issue 18's CrossGuard rules: one happy estate as the registration components build it, and per
 * rule a single change that must be caught (and named in the message).
 */
const SUBSCRIPTION = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
const RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-patching-registration`;
const VAULT_ID = `${RG}/providers/Microsoft.KeyVault/vaults/kv-patching-prod`;
const MG = "/providers/Microsoft.Management/managementGroups/mg-prod";
const role = (id: string) => `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
const provider = resource("pulumi:providers:azure-native", "azure-corp", { subscriptionId: SUBSCRIPTION, tenantId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f" });

type Inputs = Record<string, unknown>;
const properties = vaultProperties({
    vaultName: "kv-patching-prod",
    subscriptionId: SUBSCRIPTION,
    tenantId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
    resourceGroupName: "rg-patching-registration",
    location: "westeurope",
    allowedSubnetIds: [],
    allowedIpRanges: ["203.0.113.0/24"],
});
const vault = (change: (p: Inputs) => Inputs = (p) => p) =>
    resource("azure-native:keyvault:Vault", "registration-vault", { vaultName: "kv-patching-prod", resourceGroupName: "rg-patching-registration", properties: change({ ...properties }) }, { provider });

/** The deployIfNotExists definition: its deployment grants the VM Key Vault Secrets User on the secret (nested deployment). */
const registrationDefinition = (grantedRole = `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${REGISTRATION_ROLE_IDS.keyVaultSecretsUser}')]`, effect: unknown = "[parameters('effect')]") =>
    resource("azure-native:authorization:PolicyDefinitionAtManagementGroup", "registration-definition", {
        managementGroupId: "mg-prod",
        policyDefinitionName: "patching-ssm-registration",
        parameters: { effect: { type: "String", defaultValue: "DeployIfNotExists", allowedValues: ["DeployIfNotExists", "Disabled"] } },
        policyRule: {
            if: { field: "type", equals: "Microsoft.Compute/virtualMachines" },
            then: {
                effect,
                details: {
                    type: "Microsoft.Compute/virtualMachines/extensions",
                    roleDefinitionIds: [`/providers/Microsoft.Authorization/roleDefinitions/${REGISTRATION_ROLE_IDS.virtualMachineContributor}`],
                    deployment: {
                        properties: {
                            mode: "incremental",
                            template: {
                                resources: [
                                    {
                                        type: "Microsoft.Resources/deployments",
                                        properties: {
                                            template: {
                                                resources: [
                                                    {
                                                        type: "Microsoft.Authorization/roleAssignments",
                                                        scope: "[parameters('secretScope')]",
                                                        properties: { roleDefinitionId: grantedRole, principalId: "[parameters('principalId')]", principalType: "ServicePrincipal" },
                                                    },
                                                ],
                                            },
                                        },
                                    },
                                ],
                            },
                        },
                    },
                },
            },
        },
    });
const identityDefinition = resource("azure-native:authorization:PolicyDefinitionAtManagementGroup", "identity-definition", {
    managementGroupId: "mg-prod",
    policyDefinitionName: "patching-vm-identity",
    policyRule: { if: { field: "identity.type", notContains: "SystemAssigned" }, then: { effect: "modify", details: { operations: [] } } },
});
const auditDefinition = resource("azure-native:authorization:PolicyDefinition", "audit-definition", { policyDefinitionName: "patching-audit-vm-tag", policyRule: { if: {}, then: { effect: "audit" } } });
const initiative = resource("azure-native:authorization:PolicySetDefinitionAtManagementGroup", "initiative", {
    managementGroupId: "mg-prod",
    policySetDefinitionName: "patching-ssm-auto-registration",
    policyDefinitions: [{ policyDefinitionId: `${MG}/providers/Microsoft.Authorization/policyDefinitions/patching-vm-identity` }, { policyDefinitionId: `${MG}/providers/Microsoft.Authorization/policyDefinitions/patching-ssm-registration` }],
});
const assignment = (change: (a: Inputs) => Inputs = (a) => a, definitionId = `${MG}/providers/Microsoft.Authorization/policySetDefinitions/patching-ssm-auto-registration`) =>
    resource("azure-native:authorization:PolicyAssignment", "assignment-Linux", change({ scope: MG, policyAssignmentName: "ssmreg-0123456789abcdef", policyDefinitionId: definitionId, identity: { type: "SystemAssigned" }, location: "westeurope" }));
const roleAssignment = (name: string, scope: string, roleId: string, extra: Inputs = {}) =>
    resource("azure-native:authorization:RoleAssignment", name, { scope, roleDefinitionId: role(roleId), principalId: "11111111-2222-4333-8444-555555555555", principalType: "ServicePrincipal", ...extra });
const grantAdministrator = (extra: Inputs = { condition: registrationRoleAssignmentCondition(), conditionVersion: "2.0" }) =>
    roleAssignment("assignment-Linux-kv-access", RG, REGISTRATION_ROLE_IDS.keyVaultDataAccessAdministrator, extra);

const vaultGroup = resource("azure-native:resources:ResourceGroup", "registration-group", { resourceGroupName: "rg-patching-registration", location: "westeurope" }, { provider });

function happyEstate(): RecordedResource[] {
    return [
        provider,
        vaultGroup,
        vault(),
        registrationDefinition(),
        identityDefinition,
        auditDefinition,
        initiative,
        assignment(),
        grantAdministrator(),
        roleAssignment("assignment-Linux-vm-contributor", MG, REGISTRATION_ROLE_IDS.virtualMachineContributor),
        roleAssignment("vm-secret-reader", `${VAULT_ID}/secrets/ssm-activation-Linux-1a2b3c4d`, REGISTRATION_ROLE_IDS.keyVaultSecretsUser),
    ];
}
const POLICIES = [azureKeyVaultRbacAuthorization, azureKeyVaultPurgeProtection, azureKeyVaultNetworkDenied, azurePolicyAssignmentIdentity, azureKeyVaultRoleAssignmentScoped];
const omit = (inputs: Inputs, ...keys: string[]) => Object.fromEntries(Object.entries(inputs).filter(([key]) => !keys.includes(key)));
const replace = (name: string, by: RecordedResource) => happyEstate().map((r) => (r.name === name ? by : r));

describe("policies/azure: automatic registration (issue 18)", () => {
    for (const policy of POLICIES) {
        it(`${policy.name}: the registration estate as the components build it passes`, async () => assert.deepEqual(await messages(policy, happyEstate()), []));
    }

    describe("Key Vault", () => {
        it("azure-key-vault-rbac-authorization: access policies instead of RBAC", async () => {
            assert.deepEqual(await messages(azureKeyVaultRbacAuthorization, replace("registration-vault", vault((p) => ({ ...p, enableRbacAuthorization: false })))), [
                "Key Vault kv-patching-prod uses access policies (enableRbacAuthorization is not true): a VM could not be limited to its one secret",
            ]);
        });
        it("azure-key-vault-purge-protection: no purge protection", async () => {
            assert.deepEqual(await messages(azureKeyVaultPurgeProtection, replace("registration-vault", vault((p) => omit(p, "enablePurgeProtection")))), [
                "Key Vault kv-patching-prod has no purge protection (enablePurgeProtection is not true): its secrets could be destroyed beyond recovery",
            ]);
        });
        it("azure-key-vault-purge-protection: soft delete off", async () => {
            assert.deepEqual(await messages(azureKeyVaultPurgeProtection, replace("registration-vault", vault((p) => ({ ...p, enableSoftDelete: false })))), ["Key Vault kv-patching-prod turns soft delete off (enableSoftDelete: false)"]);
        });
        it("azure-key-vault-network-denied: firewall Allow on the public endpoint", async () => {
            const open = vault((p) => ({ ...p, networkAcls: { ...properties.networkAcls, defaultAction: "Allow" } }));
            assert.deepEqual(await messages(azureKeyVaultNetworkDenied, replace("registration-vault", open)), [
                'Key Vault kv-patching-prod is reachable from every network: publicNetworkAccess "Enabled" with networkAcls.defaultAction "Allow"; set defaultAction "Deny" (or disable public access)',
            ]);
        });
        it("azure-key-vault-network-denied: no network settings at all means Enabled and Allow", async () => {
            assert.equal((await messages(azureKeyVaultNetworkDenied, replace("registration-vault", vault((p) => omit(p, "networkAcls", "publicNetworkAccess"))))).length, 1);
        });
        it("azure-key-vault-network-denied: public access Disabled passes even with Allow", async () => {
            const privateOnly = vault((p) => ({ ...p, publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Allow" } }));
            assert.deepEqual(await messages(azureKeyVaultNetworkDenied, replace("registration-vault", privateOnly)), []);
        });
    });

    describe("azure-policy-assignment-identity", () => {
        it("an initiative with modify/deployIfNotExists members assigned without an identity", async () => {
            assert.deepEqual(await messages(azurePolicyAssignmentIdentity, replace("assignment-Linux", assignment(({ identity: _, ...rest }) => rest))), [
                'policy assignment ssmreg-0123456789abcdef may take the deployifnotexists/modify effect but has no managed identity (identity.type "None"): its remediation could not deploy or modify anything',
            ]);
        });
        it("an identity without a location", async () => {
            assert.deepEqual(await messages(azurePolicyAssignmentIdentity, replace("assignment-Linux", assignment(({ location: _, ...rest }) => rest))), [
                "policy assignment ssmreg-0123456789abcdef has a managed identity but no location (Azure requires one for an assignment with an identity)",
            ]);
        });
        it("a definition whose parameterised effect defaults to DeployIfNotExists, assigned directly with identity None", async () => {
            const direct = assignment((a) => ({ ...a, identity: { type: "None" } }), `${MG}/providers/Microsoft.Authorization/policyDefinitions/patching-ssm-registration`);
            assert.equal((await messages(azurePolicyAssignmentIdentity, replace("assignment-Linux", direct)))[0], 'policy assignment ssmreg-0123456789abcdef may take the deployifnotexists effect but has no managed identity (identity.type "None"): its remediation could not deploy or modify anything');
        });
        it("an audit-only definition needs no identity", async () => {
            const audit = assignment(({ identity: _, location: __, ...rest }) => rest, `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/policyDefinitions/patching-audit-vm-tag`);
            assert.deepEqual(await messages(azurePolicyAssignmentIdentity, replace("assignment-Linux", audit)), []);
        });
    });

    describe("azure-key-vault-role-assignment-scoped", () => {
        it("Key Vault Secrets User on the whole vault instead of one secret", async () => {
            const wide = roleAssignment("vm-secret-reader", VAULT_ID, REGISTRATION_ROLE_IDS.keyVaultSecretsUser);
            assert.deepEqual(await messages(azureKeyVaultRoleAssignmentScoped, replace("vm-secret-reader", wide)), [
                "role assignment vm-secret-reader grants Key Vault Secrets User on the whole vault (or its resource group): every group's activation would be readable; scope it to one secret",
            ]);
        });
        it("another role (Key Vault Secrets Officer) on a secret", async () => {
            const officer = roleAssignment("vm-secret-reader", `${VAULT_ID}/secrets/x`, "b86a8fe4-44ce-4948-aee5-eccb2c155cd7");
            assert.deepEqual(await messages(azureKeyVaultRoleAssignmentScoped, replace("vm-secret-reader", officer)), [
                "role assignment vm-secret-reader grants role b86a8fe4-44ce-4948-aee5-eccb2c155cd7; on the registration vault only Key Vault Secrets User (on one secret) and a conditioned Key Vault Data Access Administrator are allowed",
            ]);
        });
        it("Key Vault Data Access Administrator on the vault's resource group without its condition", async () => {
            assert.deepEqual(await messages(azureKeyVaultRoleAssignmentScoped, replace("assignment-Linux-kv-access", grantAdministrator({}))), [
                "role assignment assignment-Linux-kv-access grants Key Vault Data Access Administrator without a condition limiting it to Key Vault Secrets User",
            ]);
        });
        it("Owner on the vault's resource group, named by output (the engine's dependency, the value unknown)", async () => {
            const owner = { ...roleAssignment("assignment-Linux-kv-access", "[unknown]", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), propertyDependencies: { scope: [vaultGroup.urn] } };
            assert.deepEqual(await messages(azureKeyVaultRoleAssignmentScoped, replace("assignment-Linux-kv-access", owner)), [
                "role assignment assignment-Linux-kv-access grants role 8e3af657-a8ff-443c-a75c-2fe8c4bcb635; on the registration vault only Key Vault Secrets User (on one secret) and a conditioned Key Vault Data Access Administrator are allowed",
            ]);
        });
        it("a policy deployment that grants the VM Contributor", async () => {
            const contributor = registrationDefinition("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]");
            assert.deepEqual(await messages(azureKeyVaultRoleAssignmentScoped, replace("registration-definition", contributor)), [
                "policy definition registration-definition deploys a role assignment of [subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]: a VM's identity may get only Key Vault Secrets User (4633458b-17de-408a-b874-0445c86b69e6) on its secret",
            ]);
        });
    });

    it("the prod pack enforces all five (mandatory)", async () => {
        const broken = happyEstate().map((r) => {
            if (r.name === "registration-vault") return vault(() => ({ tenantId: "t", sku: { family: "A", name: "standard" } }));
            if (r.name === "assignment-Linux") return assignment(({ identity: _, ...rest }) => rest);
            if (r.name === "vm-secret-reader") return roleAssignment("vm-secret-reader", VAULT_ID, REGISTRATION_ROLE_IDS.keyVaultSecretsUser);
            return r;
        });
        const found = (await packMessages(broken, "prod")).map((m) => m.split(":")[0]);
        assert.deepEqual([...new Set(found.filter((p) => POLICIES.some((policy) => policy.name === p)))].sort(), POLICIES.map((p) => p.name).sort());
    });
});
