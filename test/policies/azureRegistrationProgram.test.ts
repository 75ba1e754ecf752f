import { strict as assert } from "node:assert";
import {
    azureKeyVaultNetworkDenied,
    azureKeyVaultPurgeProtection,
    azureKeyVaultRbacAuthorization,
    azureKeyVaultRoleAssignmentScoped,
    azurePolicyAssignmentIdentity,
} from "../../policies/azure";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { messages } from "./helpers";

/**
 * Issue 18's rules over the program's own prod estate (automatic registration under the corp-prod
 * management group): clean as built — in an update and in a preview, where the vault's ids are
 * unknown and the rules follow the engine's dependencies — and not vacuously so: the resources
 * they judge are there, and one change to a real resource is caught.
 */
const POLICIES = [azureKeyVaultRbacAuthorization, azureKeyVaultPurgeProtection, azureKeyVaultNetworkDenied, azurePolicyAssignmentIdentity, azureKeyVaultRoleAssignmentScoped];

const changed = (resources: readonly RecordedResource[], pick: (r: RecordedResource) => boolean, change: (inputs: Record<string, unknown>) => Record<string, unknown>) => {
    const target = resources.find(pick);
    assert.ok(target !== undefined, "the resource to change exists");
    return resources.map((r) => (r === target ? { ...r, inputs: change({ ...r.inputs }) } : r));
};

describe("policies/azure over the program's prod estate (issue 18)", function () {
    this.timeout(180_000);

    for (const preview of [false, true]) {
        it(`the registration resources as the program builds them pass every rule${preview ? " (preview)" : ""}`, async () => {
            const { resources } = (await evaluatedStack("prod", preview)).recorder;
            assert.equal(resources.filter((r) => r.type === "azure-native:keyvault:Vault").length, 1);
            assert.ok(resources.some((r) => r.type === "azure-native:authorization:RoleAssignment" && r.inputs["condition"] !== undefined), "a conditioned role assignment on the vault's group");
            for (const policy of POLICIES) {
                assert.deepEqual(await messages(policy, resources), [], policy.name);
            }
        });
    }

    it("the vault-access role assignment without its condition is caught", async () => {
        const { resources } = (await evaluatedStack("prod")).recorder;
        const broken = changed(
            resources,
            (r) => r.type === "azure-native:authorization:RoleAssignment" && r.inputs["condition"] !== undefined,
            ({ condition: _, ...rest }) => rest,
        );
        const found = await messages(azureKeyVaultRoleAssignmentScoped, broken);
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(found[0], /grants Key Vault Data Access Administrator without a condition/);
    });

    it("a registration assignment without its identity is caught", async () => {
        const { resources } = (await evaluatedStack("prod")).recorder;
        const broken = changed(resources, (r) => r.type === "azure-native:authorization:PolicyAssignment" && String(r.inputs["scope"]).includes("managementGroups"), ({ identity: _, ...rest }) => rest);
        const found = await messages(azurePolicyAssignmentIdentity, broken);
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(found[0], /may take the deployifnotexists\/modify effect but has no managed identity/);
    });
});
