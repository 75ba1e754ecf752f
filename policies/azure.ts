/**
 * Azure VMs that become SSM hybrid nodes carry a Patch Group tag. The program tags existing VMs
 * with `azure-native:resources:TagAtScope` (scope = the VM's resource id) and installs the agent
 * with `azure-native:compute:VirtualMachineExtension`; a VM a stack creates itself
 * (`azure-native:compute:VirtualMachine`) may carry the tag in its own `tags` instead. Written
 * against the type tokens and a local shape of their inputs, so the pack need not load
 * @pulumi/azure-native (a very large package).
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { decode, known, ofType, PATCH_GROUP_TAG_KEYS, peek, quoted, referenced, tagValue, TYPES, UNKNOWN } from "./lib/graph";
import { settings } from "./lib/settings";
import { assignmentEffects, AZURE_TYPES, IDENTITY_EFFECTS, KEY_VAULT_ROLES, keyVaultScope, prop, roleGuid, templateRoleAssignments } from "./lib/azureResources";

const TAG_DEFAULTS = { tagKeys: PATCH_GROUP_TAG_KEYS };
const TAG_KEYS_SCHEMA = { type: "array", items: { type: "string" }, minItems: 1, default: PATCH_GROUP_TAG_KEYS } as const;
const VM_SCOPE = /\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i;

/** The tags a TagAtScope writes (`properties.tags`). */
function scopeTags(props: Record<string, unknown>): unknown {
    return peek(() => (props["properties"] as { tags?: unknown } | undefined)?.tags);
}

export const azureTagTargetPatchGroup: ResourceValidationPolicy = {
    name: "azure-tag-target-patch-group",
    description: "Every tag write on an Azure VM (TagAtScope with a virtual machine scope) includes a Patch Group tag.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { tagKeys: TAG_KEYS_SCHEMA } },
    validateResource: (args, reportViolation) => {
        const scope = known(() => args.props["scope"]);
        if (args.type !== TYPES.tagAtScope || typeof scope !== "string" || !VM_SCOPE.test(scope)) {
            return args.notApplicable("only TagAtScope on Azure virtual machines");
        }
        const { tagKeys } = settings(args, TAG_DEFAULTS);
        const tags = scopeTags(args.props);
        if (tags !== UNKNOWN && tagValue(tags, tagKeys) === undefined) {
            reportViolation(`${args.name} tags VM ${scope.split("/").pop()} without ${quoted(tagKeys)}: as a hybrid node it would join no patch group`);
        }
    },
};

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<vm>` from a provider's subscription, a group and a VM name. */
function vmResourceId(resource: PolicyResource, vmNameProperty: string): string | undefined {
    const subscription = decode(known(() => resource.provider?.props["subscriptionId"]));
    const group = known(() => resource.props["resourceGroupName"]);
    const vm = known(() => resource.props[vmNameProperty]);
    if (typeof subscription !== "string" || typeof group !== "string" || typeof vm !== "string") {
        return undefined;
    }
    return `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${vm}`;
}

/** The resource id of an extension's VM. */
export function extensionVmId(extension: PolicyResource): string | undefined {
    return vmResourceId(extension, "vmName");
}

/** Whether a set of tags carries a Patch Group tag: true, false, or UNKNOWN (preview). */
function carriesPatchGroup(tags: unknown, tagKeys: readonly string[]): boolean | typeof UNKNOWN {
    return tags === UNKNOWN ? UNKNOWN : tagValue(tags, tagKeys) !== undefined;
}

/**
 * How each VM is tagged in this stack, by lower-cased resource id (Azure compares resource ids
 * case-insensitively) — through a TagAtScope on its id, or, for a VM the stack creates
 * (azure-native:compute:VirtualMachine), through the VM's own `tags` — and each created VM's own
 * tagging. true: Patch Group found; false: absent; UNKNOWN: not known until the update.
 */
function vmTagging(resources: readonly PolicyResource[], tagKeys: readonly string[]): { byId: Map<string, boolean | typeof UNKNOWN>; ownTags: Map<PolicyResource, boolean | typeof UNKNOWN> } {
    const byId = new Map<string, boolean | typeof UNKNOWN>();
    // Any tag source that carries the tag wins; an unknown one is given the benefit of the doubt.
    const merge = (id: string, tagged: boolean | typeof UNKNOWN) => {
        const before = byId.get(id);
        byId.set(id, before === true || tagged === true ? true : before === UNKNOWN || tagged === UNKNOWN ? UNKNOWN : false);
    };
    for (const tagging of ofType(resources, TYPES.tagAtScope)) {
        const scope = known(() => tagging.props["scope"]);
        if (typeof scope === "string") {
            merge(scope.toLowerCase(), carriesPatchGroup(scopeTags(tagging.props), tagKeys));
        }
    }
    const ownTags = new Map<PolicyResource, boolean | typeof UNKNOWN>();
    for (const vm of ofType(resources, TYPES.virtualMachine)) {
        const tagged = carriesPatchGroup(peek(() => vm.props["tags"]), tagKeys);
        ownTags.set(vm, tagged);
        const id = vmResourceId(vm, "vmName");
        if (id !== undefined) {
            merge(id.toLowerCase(), tagged);
        }
    }
    return { byId, ownTags };
}

export const azureVmExtensionTargetTagged: StackValidationPolicy = {
    name: "azure-vm-extension-target-tagged",
    description:
        "Every Azure VM that gets a VM extension (the SSM agent) carries a Patch Group tag set in the same stack: by a TagAtScope on the VM, or by the VM's own tags when the stack creates the VM.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { tagKeys: TAG_KEYS_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const { tagKeys } = settings(args, TAG_DEFAULTS);
        const { byId, ownTags } = vmTagging(args.resources, tagKeys);
        const vms = [...ownTags.keys()];
        for (const extension of ofType(args.resources, TYPES.vmExtension)) {
            // An extension on a VM of this stack names it by output (`vmName: vm.name`): the
            // engine's property dependencies find it even while the name is unknown; else the VM's
            // resource id matches a TagAtScope's scope or an in-stack VM's id.
            const vmId = extensionVmId(extension)?.toLowerCase();
            const inStack = [...referenced(extension, "vmName", vms), ...vms.filter((vm) => vmId !== undefined && vmResourceId(vm, "vmName")?.toLowerCase() === vmId)];
            const tagged = [...inStack.map((vm) => ownTags.get(vm)), vmId === undefined ? undefined : byId.get(vmId)];
            if (tagged.includes(true) || tagged.includes(UNKNOWN) || (vmId === undefined && inStack.length === 0)) {
                continue;
            }
            const vmName = extensionVmId(extension)?.split("/").pop() ?? inStack[0]?.name;
            const where = inStack.length > 0 ? "which the stack creates without it in its tags, and no TagAtScope in this stack tags it with" : "which no TagAtScope in this stack tags with";
            reportViolation(`VM extension ${extension.name} targets ${vmName}, ${where} ${quoted(tagKeys)}`, extension.urn);
        }
    },
};

export const azureVmPatchGroupTag: StackValidationPolicy = {
    name: "azure-vm-patch-group-tag",
    description:
        "Every Azure VM the stack creates (azure-native:compute:VirtualMachine) carries a Patch Group tag, in its own tags or through a TagAtScope on it, so it joins a patch group once registered as a hybrid node.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { tagKeys: TAG_KEYS_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const { tagKeys } = settings(args, TAG_DEFAULTS);
        const { byId, ownTags } = vmTagging(args.resources, tagKeys);
        for (const [vm, own] of ownTags) {
            const id = vmResourceId(vm, "vmName");
            // byId merges the VM's own tags with any TagAtScope on its id.
            if ((id === undefined ? own : byId.get(id.toLowerCase())) === false) {
                const name = known(() => vm.props["vmName"]);
                reportViolation(`VM ${typeof name === "string" ? name : vm.name} is created without ${quoted(tagKeys)} (neither its tags nor a TagAtScope on it): as a hybrid node it would join no patch group`, vm.urn);
            }
        }
    },
};

/*
 * Automatic registration (issue 18): the Key Vault holding the activations, the policy
 * assignments that run as managed identities, and the role assignments on the vault.
 */

/** A Key Vault's `properties.<name>`, or UNKNOWN during preview. */
const vaultProperty = (args: { props: Record<string, unknown> }, name: string) => peek(() => (args.props["properties"] as Record<string, unknown> | undefined)?.[name]);
const vaultLabel = (args: { name: string; props: Record<string, unknown> }) => {
    const name = known(() => args.props["vaultName"]);
    return typeof name === "string" ? name : args.name;
};

export const azureKeyVaultRbacAuthorization: ResourceValidationPolicy = {
    name: "azure-key-vault-rbac-authorization",
    description: "Every Key Vault authorizes data access with Azure RBAC (enableRbacAuthorization: true), so access can be granted per secret; access policies are vault-wide.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== AZURE_TYPES.vault) {
            return args.notApplicable("only Key Vaults");
        }
        const rbac = vaultProperty(args, "enableRbacAuthorization");
        if (rbac !== UNKNOWN && rbac !== true) {
            reportViolation(`Key Vault ${vaultLabel(args)} uses access policies (enableRbacAuthorization is not true): a VM could not be limited to its one secret`);
        }
    },
};

export const azureKeyVaultPurgeProtection: ResourceValidationPolicy = {
    name: "azure-key-vault-purge-protection",
    description: "Every Key Vault has purge protection (and soft delete): a deleted vault or secret stays recoverable for the retention period.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== AZURE_TYPES.vault) {
            return args.notApplicable("only Key Vaults");
        }
        const purge = vaultProperty(args, "enablePurgeProtection");
        const softDelete = vaultProperty(args, "enableSoftDelete");
        if (purge !== UNKNOWN && purge !== true) {
            reportViolation(`Key Vault ${vaultLabel(args)} has no purge protection (enablePurgeProtection is not true): its secrets could be destroyed beyond recovery`);
        }
        if (softDelete === false) {
            reportViolation(`Key Vault ${vaultLabel(args)} turns soft delete off (enableSoftDelete: false)`);
        }
    },
};

export const azureKeyVaultNetworkDenied: ResourceValidationPolicy = {
    name: "azure-key-vault-network-denied",
    description:
        "Every Key Vault is private by default: public network access Disabled, or its firewall's defaultAction Deny (only the listed subnets and ranges get through). Absent settings mean Enabled and Allow.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== AZURE_TYPES.vault) {
            return args.notApplicable("only Key Vaults");
        }
        const access = vaultProperty(args, "publicNetworkAccess");
        const acls = vaultProperty(args, "networkAcls");
        const action = acls === UNKNOWN ? UNKNOWN : peek(() => (acls as { defaultAction?: unknown } | undefined)?.defaultAction);
        if (access === UNKNOWN || action === UNKNOWN) {
            return; // checked at update time
        }
        const disabled = typeof access === "string" && access.toLowerCase() === "disabled";
        const denied = typeof action === "string" && action.toLowerCase() === "deny";
        if (!disabled && !denied) {
            reportViolation(
                `Key Vault ${vaultLabel(args)} is reachable from every network: publicNetworkAccess ${JSON.stringify(access ?? "Enabled")} with networkAcls.defaultAction ${JSON.stringify(action ?? "Allow")}; set defaultAction "Deny" (or disable public access)`,
            );
        }
    },
};

export const azurePolicyAssignmentIdentity: StackValidationPolicy = {
    name: "azure-policy-assignment-identity",
    description:
        "Every policy assignment whose definition (or a member of its initiative) may take the deployIfNotExists or modify effect has a managed identity (SystemAssigned or UserAssigned) and a location: those effects run as that identity.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const assignment of ofType(args.resources, AZURE_TYPES.policyAssignment)) {
            const effects = [...new Set(assignmentEffects(assignment, args.resources).filter((effect) => IDENTITY_EFFECTS.includes(effect)))].sort();
            const type = prop(assignment, "identity", "type");
            const location = prop(assignment, "location");
            if (effects.length === 0 || type === UNKNOWN || location === UNKNOWN) {
                continue;
            }
            const name = known(() => assignment.props["policyAssignmentName"]) ?? assignment.name;
            if (typeof type !== "string" || !["systemassigned", "userassigned"].includes(type.toLowerCase())) {
                reportViolation(`policy assignment ${String(name)} may take the ${effects.join("/")} effect but has no managed identity (identity.type ${JSON.stringify(type ?? "None")}): its remediation could not deploy or modify anything`, assignment.urn);
            } else if (typeof location !== "string" || location === "") {
                reportViolation(`policy assignment ${String(name)} has a managed identity but no location (Azure requires one for an assignment with an identity)`, assignment.urn);
            }
        }
    },
};

const SECRETS_USER = KEY_VAULT_ROLES.secretsUser;

/** Why a role assignment on a vault, its group or a secret grants too much, or undefined. */
function keyVaultGrantProblem(role: string | undefined, where: "vault" | "secret", condition: unknown): string | undefined {
    if (role === SECRETS_USER) {
        return where === "secret" ? undefined : "grants Key Vault Secrets User on the whole vault (or its resource group): every group's activation would be readable; scope it to one secret";
    }
    if (role === KEY_VAULT_ROLES.dataAccessAdministrator && where === "vault") {
        return typeof condition === "string" && condition.toLowerCase().includes(SECRETS_USER) ? undefined : "grants Key Vault Data Access Administrator without a condition limiting it to Key Vault Secrets User";
    }
    return `grants role ${role ?? "(unknown)"}; on the registration vault only Key Vault Secrets User (on one secret) and a conditioned Key Vault Data Access Administrator are allowed`;
}

export const azureKeyVaultRoleAssignmentScoped: StackValidationPolicy = {
    name: "azure-key-vault-role-assignment-scoped",
    description:
        "Role assignments on a Key Vault of the stack (the vault, its resource group, a secret) grant only Key Vault Secrets User on a single secret, or Key Vault Data Access Administrator conditioned to that role; role assignments a policy definition's deployment creates (for VM identities) grant only Key Vault Secrets User.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const assignment of ofType(args.resources, AZURE_TYPES.roleAssignment)) {
            const where = keyVaultScope(assignment, args.resources);
            const roleId = known(() => assignment.props["roleDefinitionId"]);
            if (where === undefined || typeof roleId !== "string") {
                continue;
            }
            const problem = keyVaultGrantProblem(roleGuid(roleId), where, known(() => assignment.props["condition"]));
            if (problem !== undefined) {
                reportViolation(`role assignment ${assignment.name} ${problem}`, assignment.urn);
            }
        }
        for (const definition of args.resources.filter((r) => (AZURE_TYPES.definitions as readonly string[]).includes(r.type))) {
            for (const grant of templateRoleAssignments(definition)) {
                const roleId = (grant["properties"] as { roleDefinitionId?: unknown } | undefined)?.roleDefinitionId;
                if (typeof roleId === "string" && !roleId.toLowerCase().includes(SECRETS_USER)) {
                    reportViolation(`policy definition ${definition.name} deploys a role assignment of ${roleId}: a VM's identity may get only Key Vault Secrets User (${SECRETS_USER}) on its secret`, definition.urn);
                }
            }
        }
    },
};
