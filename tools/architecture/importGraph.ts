import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/**
 * The project's module graph as the TypeScript compiler resolves it: every `import`, `import type`,
 * `export … from`, dynamic `import()` and `require()` of every source file, resolved with the
 * project's own module settings. Edges to npm packages keep the package name.
 */

/** Folders whose TypeScript the rules govern (node_modules, dist and build output are not source). */
export const SOURCE_ROOTS = ["index.ts", "catalog", "components", "deployment", "lambda", "policies", "stacks", "tools", "test"] as const;

export interface ImportEdge {
    /** Importing file, relative to the project root with forward slashes. */
    readonly from: string;
    /** The specifier as written. */
    readonly specifier: string;
    /** A project file (relative path), or the npm package name for an external import. */
    readonly to: string;
    readonly external: boolean;
}

export interface ImportGraph {
    readonly files: readonly string[];
    readonly edges: readonly ImportEdge[];
}

/** Every .ts file under the source roots, relative to `root`, sorted. */
export function sourceFiles(root: string): string[] {
    const found: string[] = [];
    const walk = (relative: string): void => {
        const absolute = path.join(root, relative);
        if (statSync(absolute).isDirectory()) {
            for (const entry of readdirSync(absolute)) {
                if (entry !== "node_modules" && entry !== "dist") {
                    walk(path.posix.join(relative, entry));
                }
            }
        } else if (relative.endsWith(".ts") && !relative.endsWith(".d.ts")) {
            found.push(relative);
        }
    };
    for (const entry of SOURCE_ROOTS) {
        try {
            walk(entry);
        } catch {
            // A root that does not exist in this checkout has nothing to check.
        }
    }
    return found.sort();
}

/** The npm package an external specifier names: `@scope/name` or `name`. */
export function packageName(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const COMPILER_OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };

/**
 * Builds the graph. `readText` reads a project file by relative path; tests pass one that injects a
 * changed file to prove a rule fires.
 */
export function buildImportGraph(root: string, files: readonly string[] = sourceFiles(root), readText: (file: string) => string = (file) => readFileSync(path.join(root, file), "utf8")): ImportGraph {
    const edges: ImportEdge[] = [];
    for (const from of files) {
        const { importedFiles } = ts.preProcessFile(readText(from), true, true);
        for (const { fileName: specifier } of importedFiles) {
            if (!specifier.startsWith(".")) {
                edges.push({ from, specifier, to: packageName(specifier.replace(/^node:/, "node:")), external: true });
                continue;
            }
            const resolved = ts.resolveModuleName(specifier, path.join(root, from), COMPILER_OPTIONS, ts.sys).resolvedModule;
            const target = resolved === undefined ? path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)) : path.relative(root, resolved.resolvedFileName).split(path.sep).join("/");
            edges.push({ from, specifier, to: target, external: false });
        }
    }
    return { files, edges };
}
