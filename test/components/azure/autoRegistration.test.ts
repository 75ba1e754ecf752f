import { strict as assert } from "node:assert";
import { REGISTRATION_DEFINITION_NAMES, registrationAssignmentName, scopeResourceId } from "../../../catalog/azureRegistration";
import type { AzureAutoRegistrationArgs } from "../../../components/azure/autoRegistrationArgs";
import { REGISTRATION_REFERENCE_IDS, registrationAssignmentParameters } from "../../../components/azure/autoRegistrationPolicies";
import { REGISTRATION_ROLE_IDS, registrationRoleAssignmentCondition } from "../../../components/azure/autoRegistrationRoles";
import { assignmentValues } from "../../../components/azure/autoRegistrationArgs";
import { mockUuid } from "../../../tools/mock/mockState";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { validArgs } from "./autoRegistrationFixtures";

const SUBSCRIPTION_SCOPE = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
const VAULT_GROUP_ID = validArgs().vault.resourceGroupId as string;
const T = {
    definition: { managementGroup: "azure-native:authorization:PolicyDefinitionAtManagementGroup", subscription: "azure-native:authorization:PolicyDefinition" },
    initiative: { managementGroup: "azure-native:authorization:PolicySetDefinitionAtManagementGroup", subscription: "azure-native:authorization:PolicySetDefinition" },
    remediation: { managementGroup: "azure-native:policyinsights:RemediationAtManagementGroup", subscription: "azure-native:policyinsights:RemediationAtSubscription" },
    assignment: "azure-native:authorization:PolicyAssignment",
    role: "azure-native:authorization:RoleAssignment",
} as const;

function subscriptionArgs(): AzureAutoRegistrationArgs {
    return { ...validArgs(), scope: { kind: "subscription", id: SUBSCRIPTION_SCOPE, tenantId: validArgs().scope.tenantId } };
}

async function run(preview: boolean, withRound = true) {
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview });
    const { AzureAutoRegistration } = await import("../../../components/azure/autoRegistration");
    const { Provider } = await import("@pulumi/azure-native/provider");
    const tenantId = validArgs().scope.tenantId;
    const vaultProvider = new Provider("azure-vault", { subscriptionId: validArgs().vault.subscriptionId, tenantId });
    const scopeProvider = new Provider("azure-scope", { subscriptionId: SUBSCRIPTION_SCOPE, tenantId });
    const round = (args: AzureAutoRegistrationArgs) => (withRound ? args : { ...args, remediationRound: undefined });
    new AzureAutoRegistration("reg-mg", round(validArgs()), { provider: vaultProvider });
    new AzureAutoRegistration("reg-sub", round(subscriptionArgs()), { provider: scopeProvider });
    await settle();
    return recorder;
}

describe("AzureAutoRegistration under the mock runtime", () => {
    let recorder: ResourceRecorder;
    const children = (prefix: string, type: string) => recorder.find(type).filter((r) => r.name.startsWith(`${prefix}-`));
    const provider = (resource: RecordedResource) => recorder.providerOf(resource)?.name;

    before(async () => {
        recorder = await run(false);
    });

    for (const [prefix, kind, providerName] of [["reg-mg", "managementGroup", "azure-vault"], ["reg-sub", "subscription", "azure-scope"]] as const) {
        const args = kind === "managementGroup" ? validArgs() : subscriptionArgs();
        const scope = scopeResourceId(args.scope);

        it(`${kind}: the two definitions and the initiative at the scope, under the catalog's names`, () => {
            const definitions = children(prefix, T.definition[kind]);
            assert.deepEqual(definitions.map((d) => d.inputs.policyDefinitionName).sort(), [REGISTRATION_DEFINITION_NAMES.identity, REGISTRATION_DEFINITION_NAMES.registration].sort());
            const [initiative] = children(prefix, T.initiative[kind]);
            assert.equal(initiative.inputs.policySetDefinitionName, REGISTRATION_DEFINITION_NAMES.initiative);
            for (const resource of [...definitions, initiative]) {
                assert.equal(resource.inputs.policyType, "Custom");
                assert.equal(resource.inputs.managementGroupId, kind === "managementGroup" ? args.scope.id : undefined);
                assert.equal(provider(resource), providerName);
            }
            const references = (initiative.inputs.policyDefinitions as { policyDefinitionReferenceId: string }[]).map((d) => d.policyDefinitionReferenceId);
            assert.deepEqual(references.sort(), Object.values(REGISTRATION_REFERENCE_IDS).sort());
            for (const definition of definitions) {
                assert.ok(initiative.propertyDependencies.policyDefinitions?.includes(definition.urn), "the initiative references the definitions it was given");
            }
        });

        it(`${kind}: exactly one assignment per patch group, at the scope, with an identity, a location and the group's parameters`, () => {
            const assignments = children(prefix, T.assignment);
            assert.equal(assignments.length, args.groups.length);
            for (const group of args.groups) {
                const mine = assignments.filter((a) => (a.inputs.parameters as { patchGroup: { value: string } }).patchGroup.value === group.patchGroup);
                assert.equal(mine.length, 1, group.patchGroup);
                const [assignment] = mine;
                assert.equal(assignment.inputs.policyAssignmentName, registrationAssignmentName(group.patchGroup));
                assert.ok(String(assignment.inputs.policyAssignmentName).length <= 24, "management-group assignment names: 24 characters");
                assert.deepEqual([assignment.inputs.scope, assignment.inputs.identity, assignment.inputs.location], [scope, { type: "SystemAssigned" }, args.location]);
                assert.deepEqual(assignment.inputs.parameters, JSON.parse(JSON.stringify(registrationAssignmentParameters(assignmentValues(group, args)))));
                assert.ok(!JSON.stringify(assignment.inputs).includes("activationCode"), "no activation in an assignment");
                const messages = assignment.inputs.nonComplianceMessages as { policyDefinitionReferenceId: string }[];
                assert.deepEqual(messages.map((m) => m.policyDefinitionReferenceId).sort(), Object.values(REGISTRATION_REFERENCE_IDS).sort());
                assert.equal(provider(assignment), providerName);
            }
        });

        it(`${kind}: each assignment identity holds VM Contributor at the scope and a conditioned Key Vault Data Access Administrator on the vault group only`, () => {
            for (const assignment of children(prefix, T.assignment)) {
                const principal = mockUuid(`principal ${assignment.name}`);
                const roles = recorder.find(T.role).filter((r) => r.inputs.principalId === principal);
                assert.equal(roles.length, 2, assignment.name);
                const vm = roles.find((r) => String(r.inputs.roleDefinitionId).endsWith(REGISTRATION_ROLE_IDS.virtualMachineContributor));
                const vault = roles.find((r) => String(r.inputs.roleDefinitionId).endsWith(REGISTRATION_ROLE_IDS.keyVaultDataAccessAdministrator));
                assert.ok(vm && vault, "both roles");
                assert.deepEqual([vm.inputs.scope, vm.inputs.condition, vm.inputs.principalType], [scope, undefined, "ServicePrincipal"]);
                assert.deepEqual([vault.inputs.scope, vault.inputs.condition, vault.inputs.conditionVersion], [VAULT_GROUP_ID, registrationRoleAssignmentCondition(), "2.0"]);
                assert.match(String(vault.inputs.roleDefinitionId), new RegExp(`^/subscriptions/${validArgs().vault.subscriptionId}/providers/Microsoft\\.Authorization/roleDefinitions/`));
                for (const role of roles) {
                    assert.equal(role.options.deleteBeforeReplace, true, "a new identity replaces the role under the same name");
                    assert.match(String(role.inputs.roleAssignmentName), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
                    assert.equal(provider(role), providerName);
                }
            }
        });

        it(`${kind}: one remediation per definition and group, after the roles, discovering as the scope allows`, () => {
            const remediations = children(prefix, T.remediation[kind]);
            assert.equal(remediations.length, args.groups.length * 2);
            for (const remediation of remediations) {
                assert.ok(Object.values(REGISTRATION_REFERENCE_IDS).includes(remediation.inputs.policyDefinitionReferenceId as never));
                assert.equal(remediation.inputs.resourceDiscoveryMode, kind === "managementGroup" ? "ExistingNonCompliant" : "ReEvaluateCompliance");
                assert.match(String(remediation.inputs.remediationName), /^ssmreg-[0-9a-f]{16}-(identity|registration)-20261130$/);
                assert.equal(remediation.options.dependsOn.filter((urn) => recorder.byUrn(urn)?.type === T.role).length, 2, "waits for both roles");
                if (kind === "managementGroup") {
                    assert.deepEqual([remediation.inputs.managementGroupId, remediation.inputs.managementGroupsNamespace], [args.scope.id, "Microsoft.Management"]);
                }
                assert.equal(provider(remediation), providerName);
            }
        });
    }

    it("starts no remediation without a round, and registers the same resources in preview", async () => {
        const names = recorder.resources.map((r) => `${r.type}::${r.name}`).sort();
        const preview = await run(true);
        assert.deepEqual(preview.resources.map((r) => `${r.type}::${r.name}`).sort(), names);
        const none = await run(false, false);
        assert.equal(none.resources.filter((r) => r.type.startsWith("azure-native:policyinsights:")).length, 0);
        assert.equal(none.find(T.assignment).length, 4);
    });
});
