import { createHash } from "node:crypto";

/**
 * Azure Policy content for the VM tag rules, as pure functions (policy definition grammar:
 * https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure). Custom
 * definitions scoped to virtual machines, because the built-in "Require a tag" denies (we audit)
 * and the built-in "Add a tag to resources" touches every resource type.
 */

/** Built-in role "Tag Contributor": the least a modify effect needs to add tags. */
export const TAG_CONTRIBUTOR_ROLE_ID = "4a9ae827-6dc8-4573-8ac7-8239d42aa03f";

const VM_TYPE = { field: "type", equals: "Microsoft.Compute/virtualMachines" };
const TAG_FIELD = "[concat('tags[', parameters('tagName'), ']')]";
const TAG_MISSING = { field: TAG_FIELD, exists: "false" };

export const TAG_POLICY_NAMES = {
    auditDefinition: "patching-audit-vm-tag",
    addDefinition: "patching-add-vm-tag",
} as const;

export interface PolicyDefinitionContent {
    readonly displayName: string;
    readonly description: string;
    readonly mode: "Indexed";
    readonly parameters: Record<string, { type: "String"; metadata: { displayName: string; description: string } }>;
    readonly policyRule: Record<string, unknown>;
}

const tagNameParameter = { tagName: { type: "String" as const, metadata: { displayName: "Tag name", description: "The tag every virtual machine must carry" } } };

/** Audit VMs without the tag (the patch-group tag has no estate-wide default value). */
export function auditVmTagDefinition(): PolicyDefinitionContent {
    return {
        displayName: "Audit virtual machines without a required tag (multicloud-patching)",
        description: "Reports virtual machines that lack the tag; the patch-group tag decides which SSM patch group a VM joins.",
        mode: "Indexed",
        parameters: tagNameParameter,
        policyRule: { if: { allOf: [VM_TYPE, TAG_MISSING] }, then: { effect: "audit" } },
    };
}

/**
 * Add the tag with a default value where it is missing: the modify `add` operation only creates a
 * missing tag and never changes or removes others (unlike addOrReplace).
 */
export function addVmTagDefinition(): PolicyDefinitionContent {
    return {
        displayName: "Add a required tag to virtual machines (multicloud-patching)",
        description: "Adds the tag with its default value to virtual machines that lack it; other tags are left alone.",
        mode: "Indexed",
        parameters: {
            ...tagNameParameter,
            tagValue: { type: "String", metadata: { displayName: "Tag value", description: "The value added when the tag is missing" } },
        },
        policyRule: {
            if: { allOf: [VM_TYPE, TAG_MISSING] },
            then: {
                effect: "modify",
                details: {
                    roleDefinitionIds: [`/providers/microsoft.authorization/roleDefinitions/${TAG_CONTRIBUTOR_ROLE_ID}`],
                    operations: [{ operation: "add", field: TAG_FIELD, value: "[parameters('tagValue')]" }],
                },
            },
        },
    };
}

/** Role assignment names must be GUIDs; derive one from what it is for, so reruns keep it. */
export function deterministicGuid(...parts: string[]): string {
    const hex = createHash("sha256").update(parts.join("\n")).digest("hex");
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Policy assignment names at subscription scope: at most 64 characters, no <>*%&:\?.+/ (ARM). */
export function assignmentName(purpose: string): string {
    return `patching-${purpose}`.replace(/[<>*%&:\\?.+/\s]/g, "-").slice(0, 64);
}
