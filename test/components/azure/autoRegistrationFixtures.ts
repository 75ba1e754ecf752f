import type { AzureAutoRegistrationArgs } from "../../../components/azure/autoRegistrationArgs";

/** Shared by the builder and the component tests: one management-group scope, a Linux and a Windows group. */
export const TENANT = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
export function validArgs(): AzureAutoRegistrationArgs {
    return {
        scope: { kind: "managementGroup", id: "mg-workloads", tenantId: TENANT },
        location: "westeurope",
        patchGroupTagKey: "Patch Group",
        vault: { name: "kv-patching", subscriptionId: "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a", tenantId: TENANT, resourceGroup: "patching-registration", resourceGroupId: "/subscriptions/5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a/resourceGroups/patching-registration" },
        groups: [
            { patchGroup: "Linux", osFamilies: ["linux"], secretName: "ssm-activation-Linux-0", linuxScript: "c2g=" },
            { patchGroup: "Windows", osFamilies: ["windows"], secretName: "ssm-activation-Windows-0", windowsCommand: "powershell.exe -EncodedCommand AA==" },
        ],
        remediationRound: "20261130",
    };
}

