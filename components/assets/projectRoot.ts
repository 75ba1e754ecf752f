import { existsSync } from "node:fs";
import * as path from "node:path";

/**
 * The directory holding Pulumi.yaml, searched upward from `start`. The same answer whether the
 * program runs from source (components/assets/, under tsx) or from the esbuild output (dist/index.js,
 * dist/tools/plan/main.js, where `__dirname` is inside dist/).
 */
export function findProjectRoot(start: string = __dirname): string {
    let directory = path.resolve(start);
    for (;;) {
        if (existsSync(path.join(directory, "Pulumi.yaml"))) {
            return directory;
        }
        const parent = path.dirname(directory);
        if (parent === directory) {
            throw new Error(`no Pulumi.yaml in ${path.resolve(start)} or any directory above it`);
        }
        directory = parent;
    }
}
