import { deterministicGuid } from "./azureTagPolicies";

/**
 * The Azure roles automatic registration (issue 18, item 2) hands out, each the least built-in
 * role that covers the calls it must make (ids from "Azure built-in roles",
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles). Pure.
 */
export const REGISTRATION_ROLE_IDS = {
    /**
     * Virtual Machine Contributor: `Microsoft.Compute/virtualMachines/*` (the modify effect's write of
     * `identity.type` and the extension the deployment creates) and `Microsoft.Resources/deployments/*`
     * (the deployIfNotExists deployment in the VM's resource group), with no data access and no
     * role assignment rights. Held by the assignment's identity at the assignment scope.
     */
    virtualMachineContributor: "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
    /**
     * Key Vault Data Access Administrator: `Microsoft.Authorization/roleAssignments/write` and
     * `Microsoft.Resources/deployments/*` (the nested deployment into the vault's resource group
     * that grants a VM its secret), no data actions, and a built-in condition that limits it to
     * the eight Key Vault data roles. Held by the assignment's identity on the vault's resource
     * group only, narrowed further by registrationRoleAssignmentCondition.
     */
    keyVaultDataAccessAdministrator: "8b54135c-b56d-4d72-a534-26097cfdc8d8",
    /**
     * Key Vault Secrets User: `secrets/getSecret/action` and `secrets/readMetadata/action` only.
     * Each VM's system-assigned identity gets it on its own group's secret.
     */
    keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

/** A built-in role's id as policy definitions list it (`details.roleDefinitionIds`). */
export function builtInRoleDefinitionId(roleId: string): string {
    return `/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/** A role's id as a role assignment at `scope` takes it (the scope's subscription, or none above one). */
export function scopedRoleDefinitionId(scope: string, roleId: string): string {
    const subscription = /^\/subscriptions\/[^/]+/i.exec(scope)?.[0] ?? "";
    return `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/**
 * ABAC condition (conditionVersion 2.0) on the assignment identity's Key Vault Data Access
 * Administrator: it may create and delete only Key Vault Secrets User assignments, and only for
 * service principals (managed identities are ServicePrincipal) — the "Constrain roles and
 * principal types" example of "Examples to delegate Azure role assignment management with
 * conditions" (learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples).
 * The built-in role alone would let it grant Key Vault Administrator or Secrets Officer to anyone.
 */
export function registrationRoleAssignmentCondition(): string {
    const role = REGISTRATION_ROLE_IDS.keyVaultSecretsUser;
    const side = (action: "write" | "delete", source: "Request" | "Resource") =>
        `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR ` +
        `(@${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${role}} AND ` +
        `@${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))`;
    return `${side("write", "Request")} AND ${side("delete", "Resource")}`;
}

/** The GUID name of the role assignment of `roleId` at `scope` for one policy assignment: stable across runs. */
export function registrationRoleAssignmentName(scope: string, assignmentName: string, roleId: string): string {
    return deterministicGuid(scope, assignmentName, roleId);
}
