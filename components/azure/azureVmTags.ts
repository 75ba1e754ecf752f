import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";

export interface AzureVmTagsArgs {
    readonly subscriptionId: string;
    readonly resourceGroupName: string;
    readonly vmName: string;
    /** The tags this program owns on the VM (patch group, owner, environment). */
    readonly tags: Readonly<Record<string, string>>;
}

export function vmResourceId(subscriptionId: string, resourceGroupName: string, vmName: string): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Compute/virtualMachines/${vmName}`;
}

export function validateAzureVmTagsArgs(args: AzureVmTagsArgs): void {
    if (Object.keys(args.tags).length === 0) {
        throw new Error(`AzureVmTags ${args.vmName}: tags is empty`);
    }
}

/**
 * The required tags on one Azure VM, merged into whatever tags it already has. `TagAtScope` in
 * azure-native ≥ 3.18 writes with the Tags API's `PATCH … operation: Merge` on create and update
 * and removes only its own keys (`operation: Delete`) on delete (pulumi-azure-native#4690), so
 * tags set by people or other tools are never replaced — unlike setting `tags` on the VM
 * resource itself, which would take over the whole tag set.
 */
export class AzureVmTags extends pulumi.ComponentResource {
    constructor(name: string, args: AzureVmTagsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAzureVmTagsArgs(args);
        super("patching:azure:AzureVmTags", name, {}, opts);
        new resources.TagAtScope(
            `${name}-tags`,
            { scope: vmResourceId(args.subscriptionId, args.resourceGroupName, args.vmName), properties: { tags: { ...args.tags } } },
            // An update only merges the new set, so a renamed or dropped key would stay on the VM;
            // replacing (delete our old keys first, then merge the new ones) removes it.
            { parent: this, replaceOnChanges: ["properties"], deleteBeforeReplace: true },
        );
        this.registerOutputs({});
    }
}
