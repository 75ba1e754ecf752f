import type { Estate, PatchGroup } from "./config/estateModel";

/**
 * Exceptions that expire (issue 19 item 5) as the rest of the program reads them: rejected patches
 * and excluded nodes, for the daily digest (which announces them a week before expiry), and the
 * excluded nodes as the schedules pass them to the per-node runbook. Pure: no Pulumi.
 */

/** One exception: a rejected patch (`kind: "patch"`, with its OS) or an excluded node (`kind: "node"`). */
export interface PatchException {
    readonly kind: "patch" | "node";
    /** The patch (KB/CVE id, name or package pattern) or the node id (i-… / mi-…). */
    readonly id: string;
    readonly patchGroup: string;
    readonly reason?: string;
    /** ISO date YYYY-MM-DD: the last day (UTC) the exception holds. */
    readonly expires?: string;
    /** Rejected patches only: the baseline's operating system. */
    readonly os?: string;
}

/**
 * The exceptions with a reason or an expiry: the rejected patches written as `{id, reason,
 * expires}` and every excluded node. Plain rejected ids carry neither and are left out (the
 * baseline still rejects them; in prod the policy pack refuses them). Ordered by patch group, then
 * rejected patches before nodes, each as configured.
 */
export function estateExceptions(estate: Estate): readonly PatchException[] {
    return estate.patchGroups.flatMap((group) => [
        ...(group.rejectedPatchExceptions ?? []).map((r): PatchException => ({ kind: "patch", id: r.id, patchGroup: group.name, reason: r.reason, expires: r.expires, os: r.os })),
        ...(group.excludedNodes ?? []).map((node): PatchException => ({ kind: "node", id: node.id, patchGroup: group.name, reason: node.reason, ...(node.expires === undefined ? {} : { expires: node.expires }) })),
    ]);
}

/** The group's excluded nodes as PatchSchedules takes them (nothing for a group without: its schedules stay as they were). */
export function excludedNodesOf(group: PatchGroup): { excludedNodes?: readonly { readonly id: string; readonly expires?: string }[] } {
    const nodes = group.excludedNodes ?? [];
    return nodes.length === 0 ? {} : { excludedNodes: nodes.map((node) => ({ id: node.id, ...(node.expires === undefined ? {} : { expires: node.expires }) })) };
}
