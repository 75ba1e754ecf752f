import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AzureVmInventory } from "../components/inventory/azureVmInventory";
import { hasAzureVms } from "./azureVms";
import type { AwsAccount, Estate } from "./config/estateModel";

export interface AzureInventoryOutputs {
    /** The Custom:AzureVm association in the hybrid home (absent without Azure VMs). */
    readonly associationId?: pulumi.Output<string>;
}

/**
 * Issue 18 item 4: the Custom:AzureVm inventory on the Azure hybrid nodes, in the hybrid home
 * (estate.hybrid), where every Azure VM registers. The PatchGroupTag attribute reads the Azure tag
 * automatic registration keys on (else the estate's patch-group tag, which explicit VMs carry).
 */
export function buildAzureInventory(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider): AzureInventoryOutputs {
    if (!hasAzureVms(estate)) {
        return {};
    }
    const home = estate.hybrid;
    const inventory = new AzureVmInventory(
        `${home.account.alias}-${home.region}-azure-vm-inventory`,
        { region: home.region, patchGroupTagKey: estate.azureAutoRegistration?.patchGroupTagKey ?? estate.patchGroupTagKey },
        { provider: providerOf(home.account) },
    );
    return { associationId: inventory.associationId };
}
