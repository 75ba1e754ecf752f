import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { registrationSecretName, type RegistrationSecretValue } from "../../../catalog/azureRegistration";
import {
    REGISTRATION_VAULT_DEFAULTS,
    registrationVaultProblems,
    vaultProperties,
    type RegistrationVaultPlacement,
} from "../../../components/azure/registrationVaultRules";
import type { RegistrationVault } from "../../../components/azure/registrationVault";
import { promiseOf } from "../../../tools/mock/promiseOf";
import { SECRET_MASK } from "../../../tools/mock/plainValues";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

const SUBSCRIPTION = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
const SUBNET = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/vms`;
const PLACEMENT: RegistrationVaultPlacement = {
    vaultName: "kv-patching-prod",
    subscriptionId: SUBSCRIPTION,
    tenantId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
    resourceGroupName: "rg-patching-registration",
    location: "westeurope",
    allowedSubnetIds: [SUBNET],
    allowedIpRanges: ["203.0.113.0/24", "198.51.100.7"],
};
const VALUE: RegistrationSecretValue = { activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "AbCdEfGhIjKlMnOpQrSt", region: "eu-west-2" };

describe("components/registrationVaultRules: argument checks", () => {
    it("accepts the valid placement", () => assert.deepEqual(registrationVaultProblems(PLACEMENT, ["Linux"]), []));

    const cases: [string, Partial<RegistrationVaultPlacement>, RegExp][] = [
        ["a vault name with '--'", { vaultName: "kv--patching" }, /^vaultName "kv--patching" is not a Key Vault name/],
        ["a vault name of 25 characters", { vaultName: "k".repeat(25) }, /^vaultName "k{25}" is not a Key Vault name/],
        ["a vault name starting with a digit", { vaultName: "1kv" }, /^vaultName "1kv"/],
        ["a vault name ending with a hyphen", { vaultName: "kv-" }, /^vaultName "kv-"/],
        ["a subscription that is no UUID", { subscriptionId: "corp" }, /^subscriptionId "corp" is not a subscription id \(UUID\)$/],
        ["a tenant that is no UUID", { tenantId: "contoso.onmicrosoft.com" }, /^tenantId "contoso.onmicrosoft.com" is not a tenant id/],
        ["a group name ending in '.'", { resourceGroupName: "rg-vault." }, /^resourceGroupName "rg-vault\." is not a resource group name/],
        ["a display-style location", { location: "West Europe" }, /^location "West Europe" is not an Azure location name/],
        ["a vnet id instead of a subnet id", { allowedSubnetIds: [SUBNET.replace(/\/subnets\/vms$/, "")] }, /^allowedSubnetIds\[0\] ".*vnet-prod" is not a subnet resource id/],
        ["an IPv6 range", { allowedIpRanges: ["2001:db8::/32"] }, /^allowedIpRanges\[0\] "2001:db8::\/32" is not an IPv4 address or CIDR range/],
        ["a private range", { allowedIpRanges: ["10.1.0.0/16"] }, /^allowedIpRanges\[0\] "10\.1\.0\.0\/16" is \(or overlaps\) a private RFC 1918 range/],
        ["a range with host bits", { allowedIpRanges: ["203.0.113.9/24"] }, /has host bits set; did you mean "203\.0\.113\.0\/24"\?$/],
        ["the same subnet twice (ids compare case-insensitively)", { allowedSubnetIds: [SUBNET, SUBNET.toLowerCase()] }, /^allowedSubnetIds lists ".*" twice$/],
        ["more subnets than the firewall takes", { allowedSubnetIds: Array.from({ length: 201 }, (_, i) => `${SUBNET}${i}`) }, /^allowedSubnetIds has 201 entries; a Key Vault firewall takes at most 200$/],
    ];
    for (const [what, change, message] of cases) {
        it(`refuses ${what}`, () => {
            const problems = registrationVaultProblems({ ...PLACEMENT, ...change }, ["Linux"]);
            assert.equal(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], message);
        });
    }

    it("refuses a vault without secrets", () => assert.deepEqual(registrationVaultProblems(PLACEMENT, []), ["secrets is empty: the vault exists to hold at least one patch group's activation"]));

});

describe("components/registrationVaultRules: vault properties", () => {
    it("RBAC, purge protection, 90-day soft delete, standard SKU, nothing read on a template's or VM's behalf", () => {
        const properties = vaultProperties(PLACEMENT);
        assert.deepEqual(
            [properties.enableRbacAuthorization, properties.enablePurgeProtection, properties.enableSoftDelete, properties.softDeleteRetentionInDays, properties.sku],
            [true, true, true, 90, { family: "A", name: "standard" }],
        );
        assert.deepEqual([properties.enabledForDeployment, properties.enabledForDiskEncryption, properties.enabledForTemplateDeployment], [false, false, false]);
        assert.equal(properties.tenantId, PLACEMENT.tenantId);
    });

    it("with subnets or ranges: public endpoint on, firewall Deny with exactly those rules, no trusted-service bypass", () => {
        assert.deepEqual(vaultProperties(PLACEMENT).publicNetworkAccess, "Enabled");
        assert.deepEqual(vaultProperties(PLACEMENT).networkAcls, {
            bypass: "None",
            defaultAction: "Deny",
            ipRules: [{ value: "203.0.113.0/24" }, { value: "198.51.100.7" }],
            virtualNetworkRules: [{ id: SUBNET, ignoreMissingVnetServiceEndpoint: false }],
        });
    });

    it("without any: the public endpoint is disabled (private endpoints only) and the firewall still denies", () => {
        const properties = vaultProperties({ ...PLACEMENT, allowedSubnetIds: [], allowedIpRanges: [] });
        assert.equal(properties.publicNetworkAccess, "Disabled");
        assert.deepEqual([properties.networkAcls.defaultAction, properties.networkAcls.ipRules, properties.networkAcls.virtualNetworkRules], ["Deny", [], []]);
    });
});

const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";
const VAULT = "azure-native:keyvault:Vault";
const SECRET = "azure-native:keyvault:Secret";

async function runVault(preview: boolean) {
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview });
    const { RegistrationVault } = await import("../../../components/azure/registrationVault");
    const { Provider } = await import("@pulumi/azure-native/provider");
    const provider = new Provider("azure-corp", { subscriptionId: SUBSCRIPTION, tenantId: PLACEMENT.tenantId });
    const vault = new RegistrationVault(
        "registration",
        { ...PLACEMENT, secrets: { Linux: JSON.stringify(VALUE), "Windows_Servers.prod": JSON.stringify({ ...VALUE, activationCode: "ZyXwVuTsRqPoNmLkJiHg" }) }, tags: { Project: "multicloud-patching" } },
        { provider },
    );
    await settle();
    return { recorder, vault };
}

describe("RegistrationVault under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let vault: RegistrationVault;
    before(async () => ({ recorder, vault } = await runVault(false)));

    it("a resource group holding only the vault, both in the given subscription, kept on destroy", () => {
        const group = recorder.get(RESOURCE_GROUP, "registration-group");
        const created = recorder.get(VAULT, "registration-vault");
        assert.deepEqual([group.inputs.resourceGroupName, group.inputs.location], [PLACEMENT.resourceGroupName, PLACEMENT.location]);
        assert.deepEqual([created.inputs.vaultName, created.inputs.resourceGroupName, created.inputs.location], [PLACEMENT.vaultName, PLACEMENT.resourceGroupName, PLACEMENT.location]);
        assert.deepEqual(created.inputs.properties, JSON.parse(JSON.stringify(vaultProperties(PLACEMENT))));
        assert.ok(created.options.dependsOn.includes(group.urn));
        for (const resource of [group, created]) {
            assert.equal(recorder.providerOf(resource)?.name, "azure-corp");
            assert.deepEqual([resource.options.retainOnDelete, resource.inputs.tags], [true, { Project: "multicloud-patching" }]);
        }
        assert.deepEqual(recorder.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type).sort(), [SECRET, SECRET, VAULT, RESOURCE_GROUP]);
    });

    it("one secret per group, named by the catalog, JSON content type, value kept secret, kept on destroy", async () => {
        for (const group of ["Linux", "Windows_Servers.prod"]) {
            const secret = recorder.get(SECRET, `registration-${group}`);
            assert.deepEqual(
                [secret.inputs.secretName, secret.inputs.vaultName, secret.inputs.resourceGroupName, secret.options.retainOnDelete],
                [registrationSecretName(group), PLACEMENT.vaultName, PLACEMENT.resourceGroupName, true],
            );
            const properties = secret.inputs.properties as Record<string, unknown>;
            assert.equal(properties.contentType, REGISTRATION_VAULT_DEFAULTS.secretContentType);
            assert.ok(properties.value === SECRET_MASK || secret.inputs.properties === SECRET_MASK, "the recorded value is masked");
            assert.equal(recorder.providerOf(secret)?.name, "azure-corp");
            assert.equal(await promiseOf(vault.secretResourceIds[group]), `/subscriptions/${SUBSCRIPTION}/resourceGroups/${PLACEMENT.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${PLACEMENT.vaultName}/secrets/${registrationSecretName(group)}`);
        }
    });

    it("a plain secret input still reaches the engine as a secret", async () => {
        const { RegistrationVault: Vault } = await import("../../../components/azure/registrationVault");
        // The argument is a plain string: the component must mark it.
        new Vault("plain", { ...PLACEMENT, vaultName: "kv-plain", secrets: { Linux: "{}" }, tags: {} });
        await settle();
        const properties = recorder.get(SECRET, "plain-Linux").inputs.properties as Record<string, unknown>;
        assert.ok(properties.value === SECRET_MASK || recorder.get(SECRET, "plain-Linux").inputs.properties === SECRET_MASK);
    });

    it("outputs: vault id, URI, group id as ARM shapes them; vaultName plain", async () => {
        assert.equal(vault.vaultName, PLACEMENT.vaultName);
        assert.equal(await promiseOf(vault.vaultId), `/subscriptions/${SUBSCRIPTION}/resourceGroups/${PLACEMENT.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${PLACEMENT.vaultName}`);
        assert.equal(await promiseOf(vault.vaultUri), "https://kv-patching-prod.vault.azure.net/");
        assert.equal(await promiseOf(vault.resourceGroupId), `/subscriptions/${SUBSCRIPTION}/resourceGroups/${PLACEMENT.resourceGroupName}`);
        assert.equal(await pulumi.isSecret(vault.vaultId), false);
    });

    it("creates no role assignment (the VMs' access comes from the registration policy)", () => {
        assert.deepEqual(recorder.resources.filter((r) => r.type.startsWith("azure-native:authorization:")), []);
    });

    it("refuses bad arguments before registering anything", async () => {
        const { RegistrationVault: Vault } = await import("../../../components/azure/registrationVault");
        const before = recorder.resources.length;
        assert.throws(() => new Vault("bad", { ...PLACEMENT, vaultName: "kv--x", secrets: { Linux: "{}" }, tags: {} }), /^Error: RegistrationVault: vaultName "kv--x" is not a Key Vault name/);
        await settle();
        assert.equal(recorder.resources.length, before);
    });

    it("registers the same resources in preview", async () => {
        const names = recorder.resources.filter((r) => !r.name.startsWith("plain")).map((r) => `${r.type}::${r.name}`);
        const preview = await runVault(true);
        assert.deepEqual(preview.recorder.resources.map((r) => `${r.type}::${r.name}`).sort(), [...names].sort());
    });
});
