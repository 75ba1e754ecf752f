import type { ImportEdge, ImportGraph } from "./importGraph";

/**
 * The layering the project keeps (README "Layout"), as data:
 *   catalog/         facts about AWS and Azure: imports only itself
 *   stacks/config/   the config validator: catalog/ and itself, never components/
 *   components/      never stacks/, tools/, policies/ or deployment/
 *   policies/        a published pack stands alone: nothing outside policies/
 *   lambda/          runs in AWS: no @pulumi/*, nothing from components/, stacks/ or tools/
 * plus: no import cycles anywhere, and nothing but the barrel at the root of components/.
 */

export interface DependencyRule {
    readonly name: string;
    /** Project files the rule governs. */
    readonly appliesTo: (file: string) => boolean;
    /** Whether an import of `edge.to` is allowed from such a file. */
    readonly allows: (edge: ImportEdge) => boolean;
    /** What the rule allows, for the message. */
    readonly allowed: string;
}

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);
const internalUnder = (...folders: string[]) => (edge: ImportEdge) => !edge.external && folders.some((folder) => edge.to.startsWith(`${folder}/`));

export const DEPENDENCY_RULES: readonly DependencyRule[] = [
    {
        name: "catalog stands on the ground floor",
        appliesTo: under("catalog"),
        allows: (edge) => edge.external || internalUnder("catalog")(edge),
        allowed: "catalog/ files and npm packages",
    },
    {
        name: "the config never imports components",
        appliesTo: under("stacks/config"),
        allows: (edge) => edge.external || internalUnder("stacks/config", "catalog")(edge),
        allowed: "stacks/config/, catalog/ and npm packages",
    },
    {
        name: "components never import the wiring or the tools",
        appliesTo: under("components"),
        allows: (edge) => edge.external || !internalUnder("stacks", "tools", "policies", "deployment", "test")(edge),
        allowed: "components/, catalog/, lambda/ and npm packages",
    },
    {
        name: "the policy pack stands alone",
        appliesTo: under("policies"),
        allows: (edge) => edge.external || internalUnder("policies")(edge),
        allowed: "policies/ files and npm packages (a published pack carries nothing else)",
    },
    {
        name: "the Lambda carries no Pulumi and no components",
        appliesTo: under("lambda"),
        allows: (edge) => (edge.external ? !edge.to.startsWith("@pulumi/") : internalUnder("lambda", "catalog")(edge)),
        allowed: "lambda/, catalog/ and npm packages other than @pulumi/*",
    },
];

/** One line per forbidden import: `stacks/config/schema.ts imports ../../components/x (…): the config never imports components; allowed: …`. */
export function ruleViolations(graph: ImportGraph, rules: readonly DependencyRule[] = DEPENDENCY_RULES): string[] {
    const violations: string[] = [];
    for (const edge of graph.edges) {
        for (const rule of rules) {
            if (rule.appliesTo(edge.from) && !rule.allows(edge)) {
                violations.push(`${edge.from} imports "${edge.specifier}" (${edge.to}): ${rule.name}; allowed: ${rule.allowed}`);
            }
        }
    }
    return violations;
}

/** Every import cycle among project files, each as its files in order (Tarjan's strongly connected components). */
export function importCycles(graph: ImportGraph): string[][] {
    const next = new Map<string, string[]>();
    for (const edge of graph.edges) {
        if (!edge.external) {
            next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
        }
    }
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let counter = 0;
    const visit = (file: string): void => {
        index.set(file, counter);
        low.set(file, counter);
        counter += 1;
        stack.push(file);
        onStack.add(file);
        for (const target of next.get(file) ?? []) {
            if (!index.has(target)) {
                visit(target);
                low.set(file, Math.min(low.get(file)!, low.get(target)!));
            } else if (onStack.has(target)) {
                low.set(file, Math.min(low.get(file)!, index.get(target)!));
            }
        }
        if (low.get(file) === index.get(file)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== file);
            const selfLoop = (next.get(file) ?? []).includes(file);
            if (component.length > 1 || selfLoop) {
                cycles.push(component.reverse());
            }
        }
    };
    for (const file of graph.files) {
        if (!index.has(file)) {
            visit(file);
        }
    }
    return cycles;
}

/** Files at the root of components/ other than the barrel (each capability has its folder). */
export function looseComponentFiles(files: readonly string[]): string[] {
    return files.filter((file) => /^components\/[^/]+$/.test(file) && file !== "components/index.ts");
}
