import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resourceGroupName } from "../../catalog/naming";

/** EC2 instances and hybrid (`mi-`) nodes: what a patch group contains. */
export const PATCH_TARGET_RESOURCE_TYPES = ["AWS::EC2::Instance", "AWS::SSM::ManagedInstance"] as const;

export interface PatchResourceGroupsArgs {
    readonly region: string;
    readonly patchGroupNames: readonly string[];
    /** Tag key carrying the patch group name ("Patch Group"). */
    readonly tagKey: string;
}

export function validatePatchResourceGroupsArgs(args: PatchResourceGroupsArgs): void {
    const bad = args.patchGroupNames.find((group) => !/^[a-zA-Z0-9_.-]{1,128}$/.test(group) || /^aws/i.test(group));
    if (bad !== undefined) {
        throw new Error(`PatchResourceGroups: patchGroupNames contains "${bad}", which is not a valid resource group name ([a-zA-Z0-9_.-], 1-128, not starting with AWS)`);
    }
}

/** CreateGroup `Description`: ^[\sa-zA-Z0-9_\.-]*$, at most 1024 characters. */
export function resourceGroupDescription(patchGroup: string): string {
    return `EC2 instances and hybrid nodes in patch group ${patchGroup}`;
}

/**
 * TAG_FILTERS_1_0 query (resource-groups GroupQuery reference): every EC2 instance or managed
 * node whose tag `tagKey` equals the patch group name.
 */
export function resourceGroupQuery(tagKey: string, patchGroup: string): string {
    return JSON.stringify({
        ResourceTypeFilters: [...PATCH_TARGET_RESOURCE_TYPES],
        TagFilters: [{ Key: tagKey, Values: [patchGroup] }],
    });
}

/**
 * One tag-based resource group per patch group in an (account, Region), named exactly like the
 * patch group: multi-account Automation targets it by name in every location.
 */
export class PatchResourceGroups extends pulumi.ComponentResource {
    /** Resource group ARN per patch group. */
    readonly groupArns: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: PatchResourceGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchResourceGroupsArgs(args);
        super("patching:patching:PatchResourceGroups", name, {}, opts);
        for (const patchGroup of args.patchGroupNames) {
            const group = new aws.resourcegroups.Group(
                `${name}-${patchGroup}`,
                {
                    region: args.region,
                    name: resourceGroupName(patchGroup),
                    // CreateGroup Description allows only [\sa-zA-Z0-9_.-] (no "=", ":" or "/").
                    description: resourceGroupDescription(patchGroup),
                    resourceQuery: { type: "TAG_FILTERS_1_0", query: resourceGroupQuery(args.tagKey, patchGroup) },
                },
                { parent: this },
            );
            this.groupArns[patchGroup] = group.arn;
        }
        this.registerOutputs({ groupArns: this.groupArns });
    }
}
