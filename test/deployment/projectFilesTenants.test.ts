import { strict as assert } from "node:assert";
import { estateFromDocuments } from "../../deployment/projectFiles";

/** The deployment needs Azure credentials for every tenant the stack writes to (issue 18). */
describe("estateFromDocuments: Azure tenants", () => {
    const explicit = { "multicloud-patching:azureSubscriptions": [{ alias: "a", subscriptionId: "s", tenantId: "tenant-explicit" }] };

    it("takes the explicit subscriptions' tenants", () => {
        assert.deepEqual(estateFromDocuments("f", "multicloud-patching", {}, { config: explicit }).azureTenantIds, ["tenant-explicit"]);
    });

    it("adds the auto-registration vault's tenant, once", () => {
        const azure = (tenantId: string) => ({ "multicloud-patching:azure": { autoRegister: { keyVault: { tenantId } } } });
        assert.deepEqual(estateFromDocuments("f", "multicloud-patching", {}, { config: { ...explicit, ...azure("tenant-auto") } }).azureTenantIds, ["tenant-explicit", "tenant-auto"]);
        assert.deepEqual(estateFromDocuments("f", "multicloud-patching", {}, { config: { ...explicit, ...azure("tenant-explicit") } }).azureTenantIds, ["tenant-explicit"]);
        assert.deepEqual(estateFromDocuments("f", "multicloud-patching", {}, { config: azure("tenant-auto") }).azureTenantIds, ["tenant-auto"]);
    });
});
