/**
 * How many nodes one SSM hybrid activation may register (CreateActivation `RegistrationLimit`:
 * "Valid Range: Minimum value of 1. Maximum value of 1000"), and how the two ways an Azure VM
 * registers share a patch group's activation (issue 18).
 */
export const MAX_ACTIVATION_REGISTRATIONS = 1000;

/**
 * The activation limit of a patch group that registers Azure VMs automatically: its explicitly
 * listed VMs (`azureSubscriptions`, 0 when none) register with the same activation, so they come
 * on top of `azure.autoRegister.registrationLimit`, capped at the API's 1000. A capped sum leaves
 * fewer automatic registrations than configured; that group needs fewer explicit VMs or a split.
 */
export function autoRegisterActivationLimit(explicitVms: number, registrationLimit: number): number {
    return Math.min(MAX_ACTIVATION_REGISTRATIONS, explicitVms + registrationLimit);
}
