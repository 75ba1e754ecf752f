/**
 * Reading Azure Key Vaults, policy definitions/assignments and role assignments the way the
 * engine hands them to the pack (issue 18). Local shapes of the azure-native inputs, so the pack
 * need not load @pulumi/azure-native.
 */
import type { PolicyResource } from "@pulumi/policy";
import { asList, known, ofType, peek, referenced, UNKNOWN } from "./graph";

export const AZURE_TYPES = {
    vault: "azure-native:keyvault:Vault",
    secret: "azure-native:keyvault:Secret",
    resourceGroup: "azure-native:resources:ResourceGroup",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    policyAssignment: "azure-native:authorization:PolicyAssignment",
    definitions: [
        "azure-native:authorization:PolicyDefinition",
        "azure-native:authorization:PolicyDefinitionAtManagementGroup",
        "azure-native:authorization:PolicySetDefinition",
        "azure-native:authorization:PolicySetDefinitionAtManagementGroup",
    ],
} as const;

/** Built-in role ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const KEY_VAULT_ROLES = {
    secretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    dataAccessAdministrator: "8b54135c-b56d-4d72-a534-26097cfdc8d8",
} as const;

/** Effects that run as the assignment's managed identity (Azure Policy "Remediate non-compliant resources"). */
export const IDENTITY_EFFECTS = ["deployifnotexists", "modify"];

/** A property of a resource's props, or UNKNOWN during preview. */
export function prop(resource: PolicyResource, ...path: string[]): unknown {
    return peek(() => path.reduce<unknown>((value, key) => (value === null || typeof value !== "object" ? undefined : (value as Record<string, unknown>)[key]), resource.props));
}

const lastSegment = (id: string) => id.split("/").filter((part) => part !== "").pop()?.toLowerCase();

/** A definition's own name (policyDefinitionName or policySetDefinitionName). */
function definitionName(definition: PolicyResource): string | undefined {
    const name = known(() => definition.props["policyDefinitionName"] ?? definition.props["policySetDefinitionName"]);
    return typeof name === "string" ? name.toLowerCase() : undefined;
}

/** The in-stack definitions `resource.props[property]` names: by engine dependency, else by the id's last segment. */
function definitionsNamedBy(resource: PolicyResource, property: string, definitions: readonly PolicyResource[]): PolicyResource[] {
    const byDependency = referenced(resource, property, definitions);
    if (byDependency.length > 0) {
        return byDependency;
    }
    // A literal id, or an initiative's members (`policyDefinitions[].policyDefinitionId`).
    const ids = asList(known(() => resource.props[property]))
        .map((entry) => (typeof entry === "string" ? entry : known(() => (entry as { policyDefinitionId?: unknown } | null)?.policyDefinitionId)))
        .filter((id): id is string => typeof id === "string");
    const names = new Set(ids.map(lastSegment));
    return definitions.filter((definition) => names.has(definitionName(definition)));
}

const PARAMETER = /^\[parameters\('([^']+)'\)\]$/i;

/**
 * The effects a policy definition may take: a literal effect, or for `[parameters('x')]` every
 * value x may have (the given value, its default, its allowed values). Lower-cased.
 */
function definitionEffects(definition: PolicyResource, given: Record<string, unknown>): string[] {
    const effect = prop(definition, "policyRule", "then", "effect");
    if (typeof effect !== "string") {
        return [];
    }
    const parameter = PARAMETER.exec(effect)?.[1];
    if (parameter === undefined) {
        return [effect.toLowerCase()];
    }
    const declared = prop(definition, "parameters", parameter) as { defaultValue?: unknown; allowedValues?: unknown } | undefined;
    const candidates = [(given[parameter] as { value?: unknown } | undefined)?.value, declared?.defaultValue, ...asList(declared?.allowedValues)];
    return candidates.filter((value): value is string => typeof value === "string" && !PARAMETER.test(value)).map((value) => value.toLowerCase());
}

/** The effects an assignment's definition (or every member of its initiative) may take; empty when not in the stack. */
export function assignmentEffects(assignment: PolicyResource, resources: readonly PolicyResource[]): string[] {
    const definitions = resources.filter((r) => (AZURE_TYPES.definitions as readonly string[]).includes(r.type));
    const given = (prop(assignment, "parameters") ?? {}) as Record<string, unknown>;
    return definitionsNamedBy(assignment, "policyDefinitionId", definitions).flatMap((definition) => {
        const members = prop(definition, "policyDefinitions");
        if (members === undefined || members === UNKNOWN) {
            return definitionEffects(definition, given);
        }
        return definitionsNamedBy(definition, "policyDefinitions", definitions).flatMap((member) => definitionEffects(member, {}));
    });
}

/**
 * Every role assignment a policy definition's deployment template creates (objects of type
 * Microsoft.Authorization/roleAssignments anywhere in the rule, nested deployments included).
 */
export function templateRoleAssignments(definition: PolicyResource): Record<string, unknown>[] {
    const found: Record<string, unknown>[] = [];
    const walk = (value: unknown) => {
        if (Array.isArray(value)) {
            value.forEach(walk);
        } else if (value !== null && typeof value === "object") {
            const record = value as Record<string, unknown>;
            if (typeof record["type"] === "string" && record["type"].toLowerCase() === "microsoft.authorization/roleassignments") {
                found.push(record);
            }
            Object.values(record).forEach(walk);
        }
    };
    const rule = prop(definition, "policyRule");
    walk(rule === UNKNOWN ? undefined : rule);
    return found;
}

/** The role GUID of a roleDefinitionId (`.../roleDefinitions/<guid>`), lower-cased. */
export function roleGuid(roleDefinitionId: string): string | undefined {
    return /roleDefinitions\/([0-9a-f-]{36})/i.exec(roleDefinitionId)?.[1]?.toLowerCase();
}

/**
 * Whether a role assignment's scope is a Key Vault of this stack, something inside it, or the
 * resource group holding it: "vault" (the vault or its group), "secret", or undefined (elsewhere
 * or unknown). By engine dependency on the Vault/Secret, else by the scope's text.
 */
export function keyVaultScope(assignment: PolicyResource, resources: readonly PolicyResource[]): "vault" | "secret" | undefined {
    const vaults = ofType(resources, AZURE_TYPES.vault);
    if (referenced(assignment, "scope", ofType(resources, AZURE_TYPES.secret)).length > 0) return "secret";
    const groups = vaults.map((vault) => known(() => vault.props["resourceGroupName"])).filter((g): g is string => typeof g === "string");
    // The vault's own resource group (a role there reaches the vault), when the stack creates it.
    const vaultGroups = ofType(resources, AZURE_TYPES.resourceGroup).filter((group) => groups.includes(known(() => group.props["resourceGroupName"]) as string));
    if (referenced(assignment, "scope", [...vaults, ...vaultGroups]).length > 0) return "vault";
    const scope = known(() => assignment.props["scope"]);
    if (typeof scope !== "string") return undefined;
    if (/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/[^/]+$/i.test(scope)) return "secret";
    if (/\/providers\/Microsoft\.KeyVault\/vaults\//i.test(scope)) return "vault";
    return groups.some((group) => new RegExp(`/resourceGroups/${group.replace(/[.()]/g, "\\$&")}$`, "i").test(scope)) ? "vault" : undefined;
}
