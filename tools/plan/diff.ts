import { isDeepStrictEqual } from "node:util";

/**
 * What differs between two JSON plans (`npm run plan` output) in what the engine would act on:
 * resources by URN (type and name are part of it), their provider, parent and inputs. A
 * refactoring that keeps every URN and input changes nothing in a real stack; a changed URN is a
 * replacement (delete + create) unless the component carries an alias.
 */

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent?: string;
    readonly provider?: string;
    readonly inputs?: Readonly<Record<string, unknown>>;
}

export interface PlanDiff {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** URN → the top-level fields that differ (`inputs.policy`, `provider`, `parent`). */
    readonly changed: ReadonlyMap<string, readonly string[]>;
}

export function diffPlans(before: readonly PlanResource[], after: readonly PlanResource[]): PlanDiff {
    const old = new Map(before.map((resource) => [resource.urn, resource]));
    const now = new Map(after.map((resource) => [resource.urn, resource]));
    const changed = new Map<string, string[]>();
    for (const [urn, resource] of now) {
        const previous = old.get(urn);
        if (previous === undefined) {
            continue;
        }
        const fields = [
            ...(["parent", "provider"] as const).filter((field) => previous[field] !== resource[field]),
            ...[...new Set([...Object.keys(previous.inputs ?? {}), ...Object.keys(resource.inputs ?? {})])]
                .sort()
                .filter((key) => !isDeepStrictEqual(previous.inputs?.[key], resource.inputs?.[key]))
                .map((key) => `inputs.${key}`),
        ];
        if (fields.length > 0) {
            changed.set(urn, fields);
        }
    }
    return {
        added: [...now.keys()].filter((urn) => !old.has(urn)).sort(),
        removed: [...old.keys()].filter((urn) => !now.has(urn)).sort(),
        changed,
    };
}

export function isEmptyDiff(diff: PlanDiff): boolean {
    return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.size === 0;
}

export function renderDiff(diff: PlanDiff): string {
    if (isEmptyDiff(diff)) {
        return "no differences: same URNs, parents, providers and inputs";
    }
    return [
        ...diff.added.map((urn) => `+ ${urn}`),
        ...diff.removed.map((urn) => `- ${urn}`),
        ...[...diff.changed].map(([urn, fields]) => `~ ${urn} (${fields.join(", ")})`),
        `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.size} changed`,
    ].join("\n");
}
