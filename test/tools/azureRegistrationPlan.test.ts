import { strict as assert } from "node:assert";
import { registrationAssignmentName, registrationSecretName } from "../../catalog/azureRegistration";
import { parseEstateConfig } from "../../stacks/config/estateConfig";
import { azureRegistrationPlan, renderAzureRegistration } from "../../tools/plan/azure";
import { TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";
import { AUTO_REGISTRATION, estateWithAutoRegistration } from "./azureRegistrationFixture";

const SUBSCRIPTION = AUTO_REGISTRATION.scopes[1].id;

describe("tools/plan/azure: Azure automatic registration in the plan (issue 18, item 6)", () => {
    it("nothing without automatic registration", () => assert.equal(azureRegistrationPlan(parseEstateConfig(validRawConfig(), TEST_CONTEXT)), undefined));

    it("one assignment per (scope, patch group) with the catalog's names, the group's activation in the hybrid home and its secret", () => {
        const estate = estateWithAutoRegistration();
        const plan = azureRegistrationPlan(estate)!;
        assert.deepEqual(
            plan.assignments.map((a) => [a.scope.resourceId, a.patchGroup, a.assignment, a.secret.name, a.activation.name]),
            [
                ["/providers/Microsoft.Management/managementGroups/corp-prod", "Linux", registrationAssignmentName("Linux"), registrationSecretName("Linux"), "azure-Linux"],
                ["/providers/Microsoft.Management/managementGroups/corp-prod", "Mixed_fleet.prod", registrationAssignmentName("Mixed_fleet.prod"), registrationSecretName("Mixed_fleet.prod"), "azure-Mixed_fleet.prod"],
                [`/subscriptions/${SUBSCRIPTION}`, "Linux", registrationAssignmentName("Linux"), registrationSecretName("Linux"), "azure-Linux"],
                [`/subscriptions/${SUBSCRIPTION}`, "Mixed_fleet.prod", registrationAssignmentName("Mixed_fleet.prod"), registrationSecretName("Mixed_fleet.prod"), "azure-Mixed_fleet.prod"],
            ],
        );
        const mixed = plan.assignments[1];
        assert.deepEqual(mixed.effects.deployIfNotExists.extensions, ["CustomScript", "CustomScriptExtension"]);
        assert.deepEqual(mixed.activation, { name: "azure-Mixed_fleet.prod", account: estate.hybrid.account.alias, accountId: estate.hybrid.account.id, region: estate.hybrid.region, registrationLimit: 250 });
        assert.deepEqual([mixed.tag, mixed.remediation, mixed.secret.vault], [{ key: "Patch Group", value: "Mixed_fleet.prod" }, true, "kv-patching-prod"]);
        assert.equal(azureRegistrationPlan(estateWithAutoRegistration({ ...AUTO_REGISTRATION, remediateExisting: false }))!.assignments[0].remediation, false);
        // Linux also has one listed VM: its activation is shared, so it allows that VM + the limit.
        assert.equal(plan.assignments[0].activation.registrationLimit, 251);
    });

    it("the table: a row per assignment with effects, remediation and activation; the vault under it; fitted to the terminal", () => {
        const plan = azureRegistrationPlan(estateWithAutoRegistration())!;
        const wide = renderAzureRegistration(plan, false, { columns: 400, wide: true });
        const rows = wide.split("\n").filter((line) => line.includes("mg corp-prod") || line.includes(`subscription ${SUBSCRIPTION}`));
        assert.equal(rows.length, 4);
        assert.ok(rows[1].includes("modify: identity; deployIfNotExists: CustomScript / CustomScriptExtension") && rows[1].includes("│ yes "), rows[1]);
        assert.ok(rows[1].includes("azure-Mixed_fleet.prod @ security/us-west-2 (≤250)"), rows[1]);
        assert.ok(rows[1].includes(`kv-patching-prod/${registrationSecretName("Mixed_fleet.prod")}`), rows[1]);
        assert.match(wide, /VMs tagged Patch Group=<group> · Key Vault kv-patching-prod \(subscription 5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a, resource group rg-patching-registration, westeurope; RBAC, purge protection; 0 subnet\(s\), 1 IP range\(s\), default Deny\)/);
        const fitted = renderAzureRegistration(plan, false, { columns: 100 });
        const table = fitted.split("\n").slice(0, -1);
        assert.ok(table.every((line) => line.length <= 100), table.find((line) => line.length > 100));
    });
});
