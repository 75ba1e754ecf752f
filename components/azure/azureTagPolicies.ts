import { createHash } from "node:crypto";

/**
 * Azure Policy content for the VM tag rules, as pure functions (policy definition grammar:
 * https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure). Custom
 * definitions scoped to virtual machines, because the built-in "Require a tag" denies (we audit)
 * and the built-in "Add a tag to resources" touches every resource type.
 */

/**
 * Built-in role "Tag Contributor" (manage tags on entities without access to the entities
 * themselves): the least privilege a modify effect that only adds a tag needs. Azure's own
 * tag-only modify built-in uses it ("Add a tag to subscriptions", 96d9a89c-0d67-41fc-899d-2b9599f76a24,
 * roleDefinitionIds 4a9ae827-…), and the Azure Policy team recommends copying the older
 * resource-level built-ins (which still name Contributor only so existing assignments keep their
 * role) with Tag Contributor instead (Azure/azure-policy#812). ARM lets a holder of
 * Microsoft.Resources/tags/write tag a resource without write access to it ("Use tags to organize
 * your Azure resources", Required access). Issue 14 replaced Virtual Machine Contributor, which
 * could also run commands and extensions on every VM of the subscription. A custom role with
 * tags/write alone is not used: which further reads a tag-only remediation performs is not
 * documented, and a remediation short of a permission fails silently.
 */
export const MODIFY_ROLE_ID = "4a9ae827-6dc8-4573-8ac7-8239d42aa03f";

/** Roles the modify identity must never get again (Virtual Machine Contributor, Contributor, Owner). */
export const TOO_BROAD_MODIFY_ROLE_IDS = ["9980e02c-c2be-4d73-94e8-173b1dc7cf3c", "b24988ac-6180-42a0-ab88-20f7382dd24c", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] as const;

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
                    roleDefinitionIds: [`/providers/microsoft.authorization/roleDefinitions/${MODIFY_ROLE_ID}`],
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
