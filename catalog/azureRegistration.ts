import { createHash } from "node:crypto";

/**
 * Names shared by everything that builds or reads Azure automatic registration (issue 18): the
 * policy component, the Key Vault, the scripts' parameters and the plan. Pure; one place, so a
 * name can never drift between the resource that creates it and the code that reads it.
 */

/** What the estate asks for, in the shape the components take (the stack resolves config into it). */
export type AzureScopeKind = "managementGroup" | "subscription";

export interface AzureRegistrationScope {
    readonly kind: AzureScopeKind;
    /** Management group id, or subscription id (UUID). */
    readonly id: string;
    readonly tenantId: string;
}

export type AzureOsFamily = "linux" | "windows";

export interface AutoRegisterGroup {
    readonly patchGroup: string;
    /** OS families the group has baselines for: the policy only registers VMs of these. */
    readonly osFamilies: readonly AzureOsFamily[];
}

/** The ARM id of a scope (policy assignments, remediations and definitions live there). */
export function scopeResourceId(scope: AzureRegistrationScope): string {
    return scope.kind === "managementGroup" ? `/providers/Microsoft.Management/managementGroups/${scope.id}` : `/subscriptions/${scope.id}`;
}

/** A stable short key for a scope, used in Pulumi resource names (never the array index). */
export function scopeKey(scope: AzureRegistrationScope): string {
    return scope.kind === "managementGroup" ? `mg-${scope.id}` : `sub-${scope.id.slice(0, 8)}`;
}

function shortHash(value: string, length: number): string {
    return createHash("sha256").update(value).digest("hex").slice(0, length);
}

/** Policy (set) definition names: the same in every scope they are defined at. */
export const REGISTRATION_DEFINITION_NAMES = {
    /** `modify`: adds a system-assigned identity to VMs that lack one (Key Vault access needs it). */
    identity: "patching-vm-identity",
    /** `deployIfNotExists`: the SSM agent install-and-register extension. */
    registration: "patching-ssm-registration",
    /** The initiative holding both; one assignment per patch group assigns it. */
    initiative: "patching-ssm-auto-registration",
} as const;

/**
 * The assignment of one patch group's registration. Azure limits assignment names to 24
 * characters at management-group scope (64 elsewhere; Microsoft.Authorization naming rules), and
 * patch group names run to 56, hence the hash; the display name carries the group in full.
 */
export function registrationAssignmentName(patchGroup: string): string {
    return `ssmreg-${shortHash(patchGroup, 16)}`;
}

/**
 * The Key Vault secret holding one group's activation (`RegistrationSecretValue` as JSON). Secret
 * names allow only 1-127 letters, digits and hyphens (Key Vault object naming), patch group names
 * also `_` and `.`, so those become hyphens and a hash keeps two groups from colliding.
 */
export function registrationSecretName(patchGroup: string): string {
    return `ssm-activation-${patchGroup.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 80)}-${shortHash(patchGroup, 8)}`;
}

/**
 * The secret's value. The activation id rotates with the code (the activation is replaced), so
 * both travel together and the policy assignment's parameters stay the same across rotations.
 */
export interface RegistrationSecretValue {
    readonly activationId: string;
    readonly activationCode: string;
    readonly region: string;
}

/**
 * Tag on the agent extension naming the patch group whose activation it registered with. The
 * policy's existenceCondition compares it with the VM's patch-group tag, so a VM whose tag
 * changes becomes non-compliant and gets the new group's extension (group moves, issue 18 item 3).
 * The explicitly listed VMs' extensions carry it too, so the policy leaves them alone.
 */
export const REGISTRATION_EXTENSION_GROUP_TAG = "patching-group";

/**
 * Tag on the explicitly listed VMs' extensions (value "explicit"): Pulumi owns those, so the
 * policy counts them as registered even when they are not Succeeded. Otherwise a failed explicit
 * extension would be overwritten by the vault-mode one, which re-registers the node under a new
 * mi- id, and the next `pulumi up` would push the explicit one back.
 */
export const REGISTRATION_EXTENSION_MODE_TAG = { key: "patching-mode", explicit: "explicit" } as const;

/**
 * Tag on every activation, hence on every node it registers (SSM copies activation tags onto the
 * nodes). State Manager associations can only target instance ids or tags (SSM API "Target"), and
 * nothing else tells an Azure node from an EC2 instance, so the Custom:AzureVm inventory
 * association targets this tag.
 */
export const AZURE_NODE_TAG = { key: "patching:node-origin", value: "azure" } as const;
