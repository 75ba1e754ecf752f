import { strict as assert } from "node:assert";
import { azureTagTargetPatchGroup, azureVmExtensionTargetTagged } from "../../policies/azure";
import { messages, resource } from "./helpers";

const SUBSCRIPTION = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
const provider = resource("pulumi:providers:azure-native", "azure-corp", { subscriptionId: SUBSCRIPTION, tenantId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f" });
const vmId = (vm: string, group = "rg-shared-prod") => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${vm}`;
const tagging = (scope: string, tags: Record<string, string> = { "Patch Group": "Linux", Owner: "platform" }) =>
    resource("azure-native:resources:TagAtScope", "az-lin-web-01-tags", { scope, properties: { tags } }, { provider });
const extension = (vmName = "az-lin-web-01") =>
    resource("azure-native:compute:VirtualMachineExtension", `${vmName}-ssm-agent`, { resourceGroupName: "rg-shared-prod", vmName, publisher: "Microsoft.Azure.Extensions", type: "CustomScript" }, { provider });

describe("policies/azure", () => {
    describe("azure-tag-target-patch-group", () => {
        it("passes a VM tagged with its patch group", async () => assert.deepEqual(await messages(azureTagTargetPatchGroup, [provider, tagging(vmId("az-lin-web-01"))]), []));
        it("fails a VM tag write without Patch Group", async () => {
            assert.deepEqual(await messages(azureTagTargetPatchGroup, [provider, tagging(vmId("az-lin-web-01"), { Owner: "platform" })]), [
                'az-lin-web-01-tags tags VM az-lin-web-01 without "Patch Group", "PatchGroup": as a hybrid node it would join no patch group',
            ]);
        });
        it("ignores tag writes on other scopes", async () => {
            assert.deepEqual(await messages(azureTagTargetPatchGroup, [provider, tagging(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-shared-prod`, {})]), []);
        });
    });

    describe("azure-vm-extension-target-tagged", () => {
        it("passes an extension whose VM a TagAtScope tags (resource ids compare case-insensitively)", async () => {
            assert.deepEqual(await messages(azureVmExtensionTargetTagged, [provider, extension(), tagging(vmId("az-lin-web-01").toLowerCase())]), []);
        });
        it("fails an extension on an untagged VM", async () => {
            assert.deepEqual(await messages(azureVmExtensionTargetTagged, [provider, extension("az-win-ad-01"), tagging(vmId("az-lin-web-01"))]), [
                'VM extension az-win-ad-01-ssm-agent targets az-win-ad-01, which no TagAtScope in this stack tags with "Patch Group", "PatchGroup"',
            ]);
        });
        it("fails when the VM's tag write lacks Patch Group", async () => {
            assert.equal((await messages(azureVmExtensionTargetTagged, [provider, extension(), tagging(vmId("az-lin-web-01"), { Owner: "platform" })])).length, 1);
        });
    });
});
