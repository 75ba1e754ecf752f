import { autoRegisterActivationLimit, MAX_ACTIVATION_REGISTRATIONS } from "../catalog/hybridActivationLimits";
import type { Estate } from "./config/estateModel";

/**
 * Azure VMs exist when some are listed explicitly or automatic registration is configured: then
 * the hybrid home gets the Custom:AzureVm inventory and the reporting its Azure table, view and
 * query. Pure (no Pulumi import), so the ops CLI can ask it without loading the provider SDKs.
 */
export function hasAzureVms(estate: Estate): boolean {
    return estate.azureAutoRegistration !== undefined || estate.azureSubscriptions.some((s) => s.resourceGroups.some((g) => g.vms.length > 0));
}

/** How many VMs the stack lists explicitly in a patch group. */
export function listedVmCount(estate: Estate, patchGroup: string): number {
    return estate.azureSubscriptions.reduce((sum, s) => sum + s.resourceGroups.reduce((inGroup, g) => inGroup + g.vms.filter((vm) => vm.patchGroup === patchGroup).length, 0), 0);
}

/**
 * Without a configured limit: exactly the group's configured VMs (issue 14 M1). Anyone who holds
 * a code can register nodes up to the limit, so it leaves no spare: AWS refuses the registration
 * after the last configured VM. A rebuilt VM (new disk, no registration file) registers with the
 * next activation (rotation, or a VM count change, which replaces the activation).
 */
export function defaultRegistrationLimit(vms: number): number {
    return Math.min(MAX_ACTIVATION_REGISTRATIONS, vms);
}

/**
 * Registrations a group's activation allows. A group that also registers automatically shares
 * its activation with its listed VMs: those plus `autoRegister.registrationLimit`, at most 1000
 * (hybrid.registrationLimit does not apply, catalog/hybridActivationLimits.ts).
 */
export function activationLimit(estate: Estate, patchGroup: string): number {
    const listed = listedVmCount(estate, patchGroup);
    const auto = estate.azureAutoRegistration;
    if (auto?.groups.some((group) => group.patchGroup === patchGroup)) {
        return autoRegisterActivationLimit(listed, auto.registrationLimit);
    }
    return estate.hybrid.registrationLimit ?? defaultRegistrationLimit(listed);
}
