/**
 * Issue 17 items 6-7: what a patch group's install adds to the per-node runbook's parameters —
 * snapshots before install and AWS-RunPatchBaselineWithHooks hooks — and the names both the
 * runbook and the IAM policies use for the snapshots' tags.
 */

/** A hook's runbook parameter per config key (AWS-RunPatchBaselineWithHooks parameter names). */
export const HOOK_PARAMETERS = { preInstall: "PreInstallHookDocName", postInstall: "PostInstallHookDocName", onExit: "OnExitHookDocName" } as const;
export type HookKey = keyof typeof HOOK_PARAMETERS;

/** AWS-RunPatchBaselineWithHooks' default for every hook: the AWS document that does nothing. */
export const NO_HOOK = "AWS-Noop";

/** Tags on every pre-patch snapshot. The marker is what the IAM policies key on (create and delete). */
export const SNAPSHOT_TAGS = {
    marker: "patching:pre-patch-snapshot",
    patchGroup: "patching:patch-group",
    node: "patching:node",
    executionId: "patching:execution-id",
    /** UTC date-time (YYYY-MM-DDTHH:MM:SSZ) after which the runbook's prune deletes the snapshot. */
    expiresAt: "patching:expires-at",
} as const;
export const SNAPSHOT_MARKER_VALUE = "true";

export interface InstallHooks {
    readonly preInstall?: string;
    readonly postInstall?: string;
    readonly onExit?: string;
}

/** A patch group's install options of the per-node runbook (both absent: the install is unchanged). */
export interface InstallSafety {
    /** Days the pre-patch snapshots are kept; absent: no snapshots. */
    readonly snapshotRetainDays?: number;
    readonly hooks?: InstallHooks;
}

/**
 * StartAutomationExecution parameters for an install (list-valued, as the API takes them). Only the
 * settings a group has: a group without any gets nothing, so its request stays exactly as it was.
 */
export function installSafetyParameters(safety: InstallSafety | undefined): Record<string, string[]> {
    const hooks = Object.entries(safety?.hooks ?? {}).filter((entry): entry is [HookKey, string] => entry[1] !== undefined);
    return {
        ...(safety?.snapshotRetainDays === undefined ? {} : { SnapshotRetainDays: [String(safety.snapshotRetainDays)] }),
        ...Object.fromEntries(hooks.map(([key, name]) => [HOOK_PARAMETERS[key], [name]])),
    };
}

/** The patch run request with the install options merged into its Parameters (unchanged without any). */
export function withInstallSafety(patchRun: Readonly<Record<string, unknown>>, safety: InstallSafety | undefined): Record<string, unknown> {
    const added = installSafetyParameters(safety);
    if (Object.keys(added).length === 0) {
        return { ...patchRun };
    }
    return { ...patchRun, Parameters: { ...(patchRun.Parameters as Record<string, unknown>), ...added } };
}

/** One line per group for the plan's rollout table: snapshot retention and hooks ("-" when unused). */
export function installSafetyRow(safety: InstallSafety | undefined): { snapshots: string; hooks: string } {
    const hooks = Object.entries(safety?.hooks ?? {}).filter(([, name]) => name !== undefined);
    return {
        snapshots: safety?.snapshotRetainDays === undefined ? "-" : `keep ${safety.snapshotRetainDays}d`,
        hooks: hooks.length === 0 ? "-" : hooks.map(([key, name]) => `${key}=${name}`).join(", "),
    };
}

/** The rollout table's snapshot and hooks columns, one row per group in the order given. */
export function installSafetyRows(groups: readonly { readonly name: string; readonly installSafety?: InstallSafety }[]): { group: string; snapshots: string; hooks: string }[] {
    return groups.map((g) => ({ group: g.name, ...installSafetyRow(g.installSafety) }));
}
