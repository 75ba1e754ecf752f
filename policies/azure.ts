/**
 * Azure VMs that become SSM hybrid nodes carry a Patch Group tag. The program tags VMs with
 * `azure-native:resources:TagAtScope` (scope = the VM's resource id) and installs the agent with
 * `azure-native:compute:VirtualMachineExtension`. Written against the type tokens and a local
 * shape of their inputs, so the pack need not load @pulumi/azure-native (a very large package).
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { decode, known, ofType, PATCH_GROUP_TAG_KEYS, peek, quoted, tagValue, TYPES, UNKNOWN } from "./lib/graph";
import { settings } from "./lib/settings";

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

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<vm>` of an extension's VM. */
export function extensionVmId(extension: PolicyResource): string | undefined {
    const subscription = decode(known(() => extension.provider?.props["subscriptionId"]));
    const group = known(() => extension.props["resourceGroupName"]);
    const vm = known(() => extension.props["vmName"]);
    if (typeof subscription !== "string" || typeof group !== "string" || typeof vm !== "string") {
        return undefined;
    }
    return `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${vm}`;
}

export const azureVmExtensionTargetTagged: StackValidationPolicy = {
    name: "azure-vm-extension-target-tagged",
    description: "Every Azure VM that gets a VM extension (the SSM agent) is tagged with Patch Group by a TagAtScope in the same stack.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { tagKeys: TAG_KEYS_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const { tagKeys } = settings(args, TAG_DEFAULTS);
        const tagged = new Set(
            ofType(args.resources, TYPES.tagAtScope)
                .filter((tagging) => {
                    const tags = scopeTags(tagging.props);
                    return tags !== UNKNOWN && tagValue(tags, tagKeys) !== undefined;
                })
                .map((tagging) => known(() => tagging.props["scope"]))
                .filter((scope): scope is string => typeof scope === "string")
                // Azure resource ids compare case-insensitively.
                .map((scope) => scope.toLowerCase()),
        );
        for (const extension of ofType(args.resources, TYPES.vmExtension)) {
            const vmId = extensionVmId(extension);
            if (vmId !== undefined && !tagged.has(vmId.toLowerCase())) {
                reportViolation(`VM extension ${extension.name} targets ${vmId.split("/").pop()}, which no TagAtScope in this stack tags with ${quoted(tagKeys)}`, extension.urn);
            }
        }
    },
};
