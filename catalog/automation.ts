/**
 * Multi-account Automation limits (SSM API reference, StartAutomationExecution / TargetLocation)
 * and the vocabulary of a patch run: which operation, which reboot behaviour, which runbook.
 */

/** StartAutomationExecution allows at most 100 (account, Region) locations (TargetLocations). */
export const MAX_TARGET_LOCATIONS = 100;
/** TargetLocation Accounts and Regions: 1-50 entries each. */
export const MAX_PER_TARGET_LOCATION = 50;

export type PatchOperation = "Scan" | "Install";
export type RebootOption = "RebootIfNeeded" | "NoReboot";
export type InstallRunbook = "RunPatchBaseline" | "PatchWithStoppedInstances";
