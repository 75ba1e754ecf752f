import type { ConfigProblem } from "./errors";

/**
 * Config keys are `<namespace>:<key>`. The program reads its own namespace (the project name);
 * the engine and the providers read theirs (`pulumi:disable-default-providers`, `aws:region`,
 * `azure-native:location`). A key in any other namespace is read by nobody, so a misspelled
 * project name (`multicloud-patchng:notifications`) would silently drop the setting — refused here.
 */

/** Namespaces of the engine and of providers a Pulumi stack file commonly configures. */
export const PROVIDER_NAMESPACES = ["pulumi", "aws", "awsx", "azure-native", "azure", "azuread", "pulumiservice", "docker", "docker-build", "random", "tls", "command"] as const;

/** Whether a namespace belongs to an installed provider package (`@pulumi/<namespace>`). */
export type ProviderCheck = (namespace: string) => boolean;

/** One problem per key whose namespace is neither the project nor a provider's. */
export function unknownNamespaceProblems(keys: readonly string[], project: string, isInstalledProvider: ProviderCheck): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? project : key.slice(0, colon);
        if (namespace === project || (PROVIDER_NAMESPACES as readonly string[]).includes(namespace) || isInstalledProvider(namespace)) {
            continue;
        }
        const meant = closeTo(namespace, project) ? `; did you mean ${project}:${key.slice(colon + 1)}?` : "";
        problems.push({ path: key, message: `is read by nobody: "${namespace}" is neither this project (${project}) nor a provider${meant}` });
    }
    return problems;
}

/** A typo rather than another name: at most a quarter of the letters (at least 2) differ. */
function closeTo(a: string, b: string): boolean {
    return editDistance(a, b) <= Math.max(2, Math.floor(b.length / 4));
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
