import { strict as assert } from "node:assert";
import { azureTagTargetPatchGroup, azureVmExtensionTargetTagged, azureVmPatchGroupTag } from "../../policies/azure";
import type { RecordedResource } from "../../tools/mock/recorder";
import { messages, packMessages, resource } from "./helpers";

const SUBSCRIPTION = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
const provider = resource("pulumi:providers:azure-native", "azure-corp", { subscriptionId: SUBSCRIPTION, tenantId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f" });
const vmId = (vm: string, group = "rg-shared-prod") => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${vm}`;
const tagging = (scope: string, tags: Record<string, string> = { "Patch Group": "Linux", Owner: "platform" }) =>
    resource("azure-native:resources:TagAtScope", "az-lin-web-01-tags", { scope, properties: { tags } }, { provider });
const extension = (vmName = "az-lin-web-01") =>
    resource("azure-native:compute:VirtualMachineExtension", `${vmName}-ssm-agent`, { resourceGroupName: "rg-shared-prod", vmName, publisher: "Microsoft.Azure.Extensions", type: "CustomScript" }, { provider });
/** A VM the stack creates itself, with its own tags. */
const virtualMachine = (vmName = "az-lin-web-01", tags: Record<string, string> = { "Patch Group": "Linux" }) =>
    resource("azure-native:compute:VirtualMachine", vmName, { resourceGroupName: "rg-shared-prod", vmName, location: "westeurope", tags }, { provider });
/** An extension that names its in-stack VM by output, as `vmName: vm.name` records it (a property dependency). */
const extensionOf = (vm: RecordedResource): RecordedResource => ({ ...extension(String(vm.inputs["vmName"])), propertyDependencies: { vmName: [vm.urn] } });

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
    describe("azure-vm-extension-target-tagged: VMs the stack creates", () => {
        it("passes an extension on an in-stack VM tagged through its own tags (no TagAtScope)", async () => {
            const vm = virtualMachine();
            assert.deepEqual(await messages(azureVmExtensionTargetTagged, [provider, vm, extensionOf(vm)]), []);
        });
        it("passes it when the extension names the VM by literal name only", async () => {
            assert.deepEqual(await messages(azureVmExtensionTargetTagged, [provider, virtualMachine(), extension()]), []);
        });
        it("fails an extension on an in-stack VM whose own tags lack Patch Group", async () => {
            const vm = virtualMachine("az-lin-web-01", { Owner: "platform" });
            assert.deepEqual(await messages(azureVmExtensionTargetTagged, [provider, vm, extensionOf(vm)]), [
                'VM extension az-lin-web-01-ssm-agent targets az-lin-web-01, which the stack creates without it in its tags, and no TagAtScope in this stack tags it with "Patch Group", "PatchGroup"',
            ]);
        });
    });

    describe("azure-vm-patch-group-tag", () => {
        it("passes a VM created with a Patch Group tag", async () => assert.deepEqual(await messages(azureVmPatchGroupTag, [provider, virtualMachine()]), []));
        it("passes a VM tagged through a TagAtScope on its id", async () => {
            assert.deepEqual(await messages(azureVmPatchGroupTag, [provider, virtualMachine("az-lin-web-01", {}), tagging(vmId("az-lin-web-01"))]), []);
        });
        it("fails a VM created without one", async () => {
            assert.deepEqual(await messages(azureVmPatchGroupTag, [provider, virtualMachine("az-lin-web-01", { Owner: "platform" })]), [
                'VM az-lin-web-01 is created without "Patch Group", "PatchGroup" (neither its tags nor a TagAtScope on it): as a hybrid node it would join no patch group',
            ]);
        });
        it("honours tagKeys", async () => {
            assert.equal((await messages(azureVmPatchGroupTag, [provider, virtualMachine()], { tagKeys: ["PatchGroup"] })).length, 1);
        });
    });

    describe("the prod pack over VMs the stack creates", () => {
        it("reports the untagged VM and not the extension of the tagged one", async () => {
            const tagged = virtualMachine("az-lin-web-01");
            const untagged = virtualMachine("az-lin-web-02", { Owner: "platform" });
            const found = await packMessages([provider, tagged, extensionOf(tagged), untagged], "prod");
            assert.deepEqual(found.filter((m) => m.startsWith("azure-")), [
                'azure-vm-patch-group-tag: VM az-lin-web-02 is created without "Patch Group", "PatchGroup" (neither its tags nor a TagAtScope on it): as a hybrid node it would join no patch group',
            ]);
        });
    });
});
