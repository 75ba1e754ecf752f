import { parseEstateConfig } from "../../stacks/config/estateConfig";
import type { AzureAutoRegistration, Estate } from "../../stacks/config/estateModel";
import { TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";

const TENANT = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const SUBSCRIPTION = "7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a";

/** A hand-built auto-registration on the fixture's estate (independent of how the config resolves it). */
export const AUTO_REGISTRATION: AzureAutoRegistration = {
    scopes: [
        { kind: "managementGroup", id: "corp-prod", tenantId: TENANT },
        { kind: "subscription", id: SUBSCRIPTION, tenantId: TENANT },
    ],
    patchGroupTagKey: "Patch Group",
    groups: [
        { patchGroup: "Linux", osFamilies: ["linux"] },
        { patchGroup: "Mixed_fleet.prod", osFamilies: ["linux", "windows"] },
    ],
    registrationLimit: 250,
    remediateExisting: true,
    keyVault: {
        name: "kv-patching-prod",
        subscriptionId: "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a",
        tenantId: TENANT,
        resourceGroup: "rg-patching-registration",
        location: "westeurope",
        allowedSubnetIds: [],
        allowedIpRanges: ["203.0.113.0/24"],
    },
};

export function estateWithAutoRegistration(auto: AzureAutoRegistration = AUTO_REGISTRATION): Estate {
    return { ...parseEstateConfig(validRawConfig(), TEST_CONTEXT), azureAutoRegistration: auto };
}

