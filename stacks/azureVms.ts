import type { Estate } from "./config/estateModel";

/**
 * Azure VMs exist when some are listed explicitly or automatic registration is configured: then
 * the hybrid home gets the Custom:AzureVm inventory and the reporting its Azure table, view and
 * query. Pure (no Pulumi import), so the ops CLI can ask it without loading the provider SDKs.
 */
export function hasAzureVms(estate: Estate): boolean {
    return estate.azureAutoRegistration !== undefined || estate.azureSubscriptions.some((s) => s.resourceGroups.some((g) => g.vms.length > 0));
}
