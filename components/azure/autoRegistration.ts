import * as authorization from "@pulumi/azure-native/authorization";
import * as policyinsights from "@pulumi/azure-native/policyinsights";
import * as pulumi from "@pulumi/pulumi";
import { REGISTRATION_DEFINITION_NAMES, registrationAssignmentName, scopeResourceId } from "../../catalog/azureRegistration";
import { assignmentValues, validateAzureAutoRegistrationArgs, type AutoRegistrationGroupArgs, type AzureAutoRegistrationArgs } from "./autoRegistrationArgs";
import {
    REGISTRATION_REFERENCE_IDS,
    registrationAssignmentParameters,
    registrationInitiative,
    vmIdentityDefinition,
    vmRegistrationDefinition,
    type RegistrationDefinitionContent,
} from "./autoRegistrationPolicies";
import { REGISTRATION_ROLE_IDS, registrationRoleAssignmentCondition, registrationRoleAssignmentName, scopedRoleDefinitionId } from "./autoRegistrationRoles";

export type { AzureAutoRegistrationArgs } from "./autoRegistrationArgs";

/**
 * Issue 18, item 2, at one management group or subscription: the identity (modify) and
 * registration (deployIfNotExists) definitions and their initiative, defined at the scope, and per
 * patch group one assignment of the initiative with a system-assigned identity that holds
 * - Virtual Machine Contributor at the scope (what both definitions' roleDefinitionIds demand), and
 * - Key Vault Data Access Administrator on the vault's resource group, conditioned to Key Vault
 *   Secrets User for service principals (the nested deployment grants each VM its secret),
 * plus, with a remediation round, one-shot remediation tasks for VMs that already exist. The
 * provider must be the scope's subscription (subscription scope) or any subscription of the
 * scope's tenant (management-group scope: the ARM ids carry no subscription).
 */
export class AzureAutoRegistration extends pulumi.ComponentResource {
    /** Assignment id per patch group. */
    readonly assignmentIds: Record<string, pulumi.Output<string>> = {};
    readonly initiativeId: pulumi.Output<string>;

    constructor(name: string, args: AzureAutoRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAzureAutoRegistrationArgs(args);
        super("patching:azure:AzureAutoRegistration", name, {}, opts);
        const identity = this.definition(`${name}-identity-definition`, REGISTRATION_DEFINITION_NAMES.identity, vmIdentityDefinition(), args);
        const registration = this.definition(`${name}-registration-definition`, REGISTRATION_DEFINITION_NAMES.registration, vmRegistrationDefinition(), args);
        const initiative = this.initiative(`${name}-initiative`, { identity: identity.id, registration: registration.id }, args);
        this.initiativeId = initiative.id;
        for (const group of args.groups) {
            this.assignmentIds[group.patchGroup] = this.assign(`${name}-${group.patchGroup}`, group, initiative.id, args);
        }
        this.registerOutputs({ assignmentIds: this.assignmentIds, initiativeId: this.initiativeId });
    }

    private definition(resourceName: string, policyDefinitionName: string, content: RegistrationDefinitionContent, args: AzureAutoRegistrationArgs) {
        const inputs = { policyDefinitionName, policyType: "Custom", ...content };
        return args.scope.kind === "managementGroup"
            ? new authorization.PolicyDefinitionAtManagementGroup(resourceName, { ...inputs, managementGroupId: args.scope.id }, { parent: this })
            : new authorization.PolicyDefinition(resourceName, inputs, { parent: this });
    }

    private initiative(resourceName: string, ids: { identity: pulumi.Output<string>; registration: pulumi.Output<string> }, args: AzureAutoRegistrationArgs) {
        const content = pulumi.all([ids.identity, ids.registration]).apply(([identity, registration]) => registrationInitiative({ identity, registration }));
        const inputs = {
            policySetDefinitionName: REGISTRATION_DEFINITION_NAMES.initiative,
            policyType: "Custom",
            displayName: content.displayName,
            description: content.description,
            metadata: content.metadata,
            parameters: content.parameters,
            policyDefinitions: content.policyDefinitions,
        };
        return args.scope.kind === "managementGroup"
            ? new authorization.PolicySetDefinitionAtManagementGroup(resourceName, { ...inputs, managementGroupId: args.scope.id }, { parent: this })
            : new authorization.PolicySetDefinition(resourceName, inputs, { parent: this });
    }

    private assign(resourceName: string, group: AutoRegistrationGroupArgs, initiativeId: pulumi.Output<string>, args: AzureAutoRegistrationArgs): pulumi.Output<string> {
        const scope = scopeResourceId(args.scope);
        const policyAssignmentName = registrationAssignmentName(group.patchGroup);
        const assignment = new authorization.PolicyAssignment(
            resourceName,
            {
                scope,
                policyAssignmentName,
                displayName: `Register ${group.patchGroup} VMs with AWS Systems Manager`,
                policyDefinitionId: initiativeId,
                parameters: registrationAssignmentParameters(assignmentValues(group, args)),
                // modify and deployIfNotExists run as the assignment's identity, which needs a location.
                identity: { type: "SystemAssigned" },
                location: args.location,
                nonComplianceMessages: [
                    {
                        policyDefinitionReferenceId: REGISTRATION_REFERENCE_IDS.registration,
                        message: `VMs tagged ${args.patchGroupTagKey}=${group.patchGroup} get the SSM Agent registered with that patch group's activation.`,
                    },
                    {
                        policyDefinitionReferenceId: REGISTRATION_REFERENCE_IDS.identity,
                        message: "The VM needs a system-assigned identity to read its patch group's activation from Key Vault.",
                    },
                ],
            },
            { parent: this },
        );
        const principalId = assignment.identity.apply((identity) => identity?.principalId ?? "");
        // A replaced assignment has a new identity; a role assignment cannot change its principal,
        // and the replacement keeps the deterministic name, so the old one must go first.
        const roleOptions = { parent: this, deleteBeforeReplace: true };
        const vmContributor = new authorization.RoleAssignment(
            `${resourceName}-vm-contributor`,
            {
                scope,
                roleAssignmentName: registrationRoleAssignmentName(scope, policyAssignmentName, REGISTRATION_ROLE_IDS.virtualMachineContributor),
                roleDefinitionId: scopedRoleDefinitionId(scope, REGISTRATION_ROLE_IDS.virtualMachineContributor),
                principalId,
                // A new identity may not have replicated yet; ServicePrincipal skips that lookup.
                principalType: "ServicePrincipal",
            },
            roleOptions,
        );
        const vaultGroup = `/subscriptions/${args.vault.subscriptionId}/resourceGroups/${args.vault.resourceGroup}`;
        const vaultAccess = new authorization.RoleAssignment(
            `${resourceName}-vault-access`,
            {
                scope: args.vault.resourceGroupId,
                roleAssignmentName: registrationRoleAssignmentName(`${scope}|${vaultGroup}`, policyAssignmentName, REGISTRATION_ROLE_IDS.keyVaultDataAccessAdministrator),
                roleDefinitionId: scopedRoleDefinitionId(vaultGroup, REGISTRATION_ROLE_IDS.keyVaultDataAccessAdministrator),
                principalId,
                principalType: "ServicePrincipal",
                condition: registrationRoleAssignmentCondition(),
                conditionVersion: "2.0",
            },
            roleOptions,
        );
        if (args.remediationRound !== undefined) {
            this.remediate(resourceName, policyAssignmentName, assignment.id, args, [vmContributor, vaultAccess]);
        }
        return assignment.id;
    }

    /**
     * One remediation per definition of the initiative (a remediation of an initiative assignment
     * names one reference id). Subscription scope re-evaluates compliance first (a brand-new
     * assignment has no compliance data yet); management-group remediations only take the
     * resources already known non-compliant ("For policies assigned on a management group,
     * remediation tasks should be created … after evaluation has determined resource
     * compliance", Remediate non-compliant resources), which the next round picks up.
     */
    private remediate(resourceName: string, assignmentName: string, assignmentId: pulumi.Output<string>, args: AzureAutoRegistrationArgs, roles: pulumi.Resource[]): void {
        for (const [key, referenceId] of Object.entries(REGISTRATION_REFERENCE_IDS)) {
            const common = { remediationName: `${assignmentName}-${key}-${args.remediationRound}`, policyAssignmentId: assignmentId, policyDefinitionReferenceId: referenceId };
            const opts = { parent: this, dependsOn: roles };
            if (args.scope.kind === "managementGroup") {
                new policyinsights.RemediationAtManagementGroup(
                    `${resourceName}-${key}-remediation`,
                    { ...common, managementGroupId: args.scope.id, managementGroupsNamespace: "Microsoft.Management", resourceDiscoveryMode: "ExistingNonCompliant" },
                    opts,
                );
            } else {
                new policyinsights.RemediationAtSubscription(`${resourceName}-${key}-remediation`, { ...common, resourceDiscoveryMode: "ReEvaluateCompliance" }, opts);
            }
        }
    }
}
