import { baselineInputs, type BaselinePatchGroup } from "./patchBaselines";
import { resourceGroupDescription, resourceGroupQuery } from "./patchResourceGroups";
import { resourceGroupName } from "../../catalog/naming";
import { logicalId, sub, type CfnResource, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): the patch baselines (registered to their patch groups) and the
 * patch groups' resource groups of one Region, as CloudFormation resources built from the same
 * `baselineInputs` / `resourceGroupQuery` the Pulumi components use. The Region is the stack
 * instance's own (no Region property in CloudFormation); `baselineInputs` only gets a marker for it.
 */
export interface BaselinesTemplateArgs {
    readonly patchGroups: readonly BaselinePatchGroup[];
    /** Tag key carrying the patch group name. */
    readonly patchGroupTagKey: string;
}

/** AWS::SSM::PatchBaseline properties from the provider-shaped CreatePatchBaseline inputs. */
export function patchBaselineProperties(group: BaselinePatchGroup, os: BaselinePatchGroup["operatingSystems"][number]): Record<string, unknown> {
    const inputs = baselineInputs(group, os, "${AWS::Region}");
    const rules = (inputs.approvalRules ?? []) as { approveAfterDays?: number; complianceLevel: string; enableNonSecurity?: boolean; patchFilters: { key: string; values: string[] }[] }[];
    return {
        Name: inputs.name,
        OperatingSystem: inputs.operatingSystem,
        Description: inputs.description,
        ApprovalRules: {
            PatchRules: rules.map((rule) => ({
                ...(rule.approveAfterDays === undefined ? {} : { ApproveAfterDays: rule.approveAfterDays }),
                ComplianceLevel: rule.complianceLevel,
                ...(rule.enableNonSecurity === undefined ? {} : { EnableNonSecurity: rule.enableNonSecurity }),
                PatchFilterGroup: { PatchFilters: rule.patchFilters.map((filter) => ({ Key: filter.key, Values: filter.values })) },
            })),
        },
        ...(inputs.approvedPatches === undefined
            ? {}
            : {
                  ApprovedPatches: inputs.approvedPatches,
                  ApprovedPatchesComplianceLevel: inputs.approvedPatchesComplianceLevel,
                  ...(inputs.approvedPatchesEnableNonSecurity === undefined ? {} : { ApprovedPatchesEnableNonSecurity: inputs.approvedPatchesEnableNonSecurity }),
              }),
        ...(inputs.rejectedPatches === undefined ? {} : { RejectedPatches: inputs.rejectedPatches, RejectedPatchesAction: inputs.rejectedPatchesAction }),
        // The registration (aws.ssm.PatchGroup in the component) is a property here.
        PatchGroups: [group.name],
        ...(group.baselines?.[os]?.setAsDefault === true ? { DefaultBaseline: true } : {}),
    };
}

export function baselineResources(args: BaselinesTemplateArgs): CfnResources {
    const resources: Record<string, CfnResource> = {};
    for (const group of args.patchGroups) {
        for (const os of group.operatingSystems) {
            resources[logicalId("Baseline", group.name, os)] = { Type: "AWS::SSM::PatchBaseline", Properties: sub(patchBaselineProperties(group, os)) as Record<string, unknown> };
        }
        resources[logicalId("ResourceGroup", group.name)] = {
            Type: "AWS::ResourceGroups::Group",
            Properties: {
                Name: resourceGroupName(group.name),
                Description: resourceGroupDescription(group.name),
                // CloudFormation takes the TAG_FILTERS_1_0 query as an object, the API as a string.
                ResourceQuery: { Type: "TAG_FILTERS_1_0", Query: JSON.parse(resourceGroupQuery(args.patchGroupTagKey, group.name)) as unknown },
            },
        };
    }
    return resources;
}
