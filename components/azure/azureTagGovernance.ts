import * as authorization from "@pulumi/azure-native/authorization";
import * as policyinsights from "@pulumi/azure-native/policyinsights";
import * as pulumi from "@pulumi/pulumi";
import { addVmTagDefinition, assignmentName, auditVmTagDefinition, deterministicGuid, MODIFY_ROLE_ID, TAG_POLICY_NAMES } from "./azureTagPolicies";

export interface AzureTagGovernanceArgs {
    readonly subscriptionId: string;
    /** Location of the modify assignments' managed identities (any location of the subscription). */
    readonly location: string;
    /** Tags that must exist and have no single default (the patch-group tag): audited. */
    readonly auditedTags: readonly string[];
    /** Tags with a default value: added where missing (modify + remediation). */
    readonly defaultedTags: Readonly<Record<string, string>>;
}

export function validateAzureTagGovernanceArgs(args: AzureTagGovernanceArgs): void {
    const keys = [...args.auditedTags, ...Object.keys(args.defaultedTags)];
    const duplicate = keys.find((key, i) => keys.findIndex((other) => other.toLowerCase() === key.toLowerCase()) !== i);
    if (duplicate !== undefined) {
        throw new Error(`AzureTagGovernance: tag "${duplicate}" is both audited and defaulted, or listed twice (Azure tag names are case-insensitive)`);
    }
    if (keys.length === 0) {
        throw new Error("AzureTagGovernance: no tags to govern");
    }
}

/** `Owner` → `owner`: the slug in assignment and child names. */
function slug(tag: string): string {
    return tag.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/**
 * SPEC capability 14, declarative form of the case study's daily VM tag check, at subscription
 * scope: custom definitions (audit / add-if-missing, VMs only), one audit assignment per tag
 * without a default, and per defaulted tag a modify assignment with a system-assigned identity,
 * the role its definition names (Tag Contributor) for that identity, and a
 * remediation task for VMs that already exist. The remediation runs once, when created; later
 * VMs get the tag from the modify effect itself when they are created or updated.
 */
export class AzureTagGovernance extends pulumi.ComponentResource {
    readonly assignmentIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: AzureTagGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAzureTagGovernanceArgs(args);
        super("patching:azure:AzureTagGovernance", name, {}, opts);
        const scope = `/subscriptions/${args.subscriptionId}`;
        const definition = (role: string, policyDefinitionName: string, content: ReturnType<typeof auditVmTagDefinition>) =>
            new authorization.PolicyDefinition(`${name}-${role}`, { policyDefinitionName, policyType: "Custom", ...content }, { parent: this });
        const audit = definition("audit-definition", TAG_POLICY_NAMES.auditDefinition, auditVmTagDefinition());
        const add = definition("add-definition", TAG_POLICY_NAMES.addDefinition, addVmTagDefinition());

        for (const tag of args.auditedTags) {
            const assignment = new authorization.PolicyAssignment(
                `${name}-audit-${slug(tag)}`,
                {
                    scope,
                    policyAssignmentName: assignmentName(`audit-${slug(tag)}`),
                    displayName: `Virtual machines must carry the ${tag} tag`,
                    policyDefinitionId: audit.id,
                    parameters: { tagName: { value: tag } },
                    nonComplianceMessages: [{ message: `Add the ${tag} tag: it decides the VM's SSM patch group.` }],
                },
                { parent: this },
            );
            this.assignmentIds[tag] = assignment.id;
        }

        for (const [tag, value] of Object.entries(args.defaultedTags)) {
            const assignment = new authorization.PolicyAssignment(
                `${name}-add-${slug(tag)}`,
                {
                    scope,
                    policyAssignmentName: assignmentName(`add-${slug(tag)}`),
                    displayName: `Add the ${tag} tag to virtual machines that lack it`,
                    policyDefinitionId: add.id,
                    parameters: { tagName: { value: tag }, tagValue: { value } },
                    // A modify effect runs as the assignment's managed identity, which needs a location.
                    identity: { type: "SystemAssigned" },
                    location: args.location,
                },
                { parent: this },
            );
            const principalId = assignment.identity.apply((identity) => identity?.principalId ?? "");
            const role = new authorization.RoleAssignment(
                // Issue 14: Tag Contributor replaced Virtual Machine Contributor. A role assignment
                // cannot change its role, so the new name makes Pulumi create the new assignment
                // and then delete the old one (their GUID names differ, so they never collide).
                `${name}-add-${slug(tag)}-tag-contributor`,
                {
                    scope,
                    roleAssignmentName: deterministicGuid(args.subscriptionId, assignmentName(`add-${slug(tag)}`), MODIFY_ROLE_ID),
                    roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${MODIFY_ROLE_ID}`,
                    principalId,
                    // A new identity may not have replicated yet; ServicePrincipal skips that lookup.
                    principalType: "ServicePrincipal",
                },
                { parent: this },
            );
            new policyinsights.RemediationAtSubscription(
                `${name}-add-${slug(tag)}-remediation`,
                // ReEvaluateCompliance: a brand-new assignment has no compliance records yet (the first scan
                // takes ~30 minutes), so "ExistingNonCompliant" would find nothing to fix.
                { remediationName: assignmentName(`add-${slug(tag)}-remediation`), policyAssignmentId: assignment.id, resourceDiscoveryMode: "ReEvaluateCompliance" },
                // The remediation's modify calls run as the identity, so its role must exist first.
                { parent: this, dependsOn: [role] },
            );
            this.assignmentIds[tag] = assignment.id;
        }
        this.registerOutputs({ assignmentIds: this.assignmentIds });
    }
}
