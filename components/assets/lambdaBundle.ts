import { buildSync } from "esbuild";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { findProjectRoot } from "./projectRoot";

/**
 * Lambda code built by the program itself, at `pulumi up` / preview / mock-test time: no
 * hand-written bundling step to forget, and the deployed code always matches the checkout.
 */

export const LAMBDA_BUNDLE_OPTIONS = {
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Bundled, not left to the Lambda runtime's copy of the SDK: the function runs the pinned
    // package versions the tests ran against, whatever the runtime ships.
    // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html
    external: [] as string[],
    write: false,
    sourcemap: false,
    legalComments: "none",
    minify: true,
    // Function and class names survive minification, so stack traces and error names stay readable.
    keepNames: true,
    logLevel: "silent",
} as const;

/** A handler source file given relative to the project root, as an absolute path that must exist. */
export function lambdaEntry(relativePath: string, root: string = findProjectRoot()): string {
    const entry = path.resolve(root, relativePath);
    if (!existsSync(entry)) {
        throw new Error(`Lambda entry ${relativePath} not found under the project root ${root}`);
    }
    return entry;
}

const bundles = new Map<string, string>();

/**
 * One CommonJS file (the handler and everything it imports, AWS SDK included), cached per entry
 * for the life of the process: every Region's function shares one build. Deterministic: the
 * working directory is pinned to the project root so the paths esbuild records do not depend on
 * where the program was started.
 */
export function bundleLambda(entryFile: string): string {
    const entry = path.resolve(entryFile);
    let code = bundles.get(entry);
    if (code === undefined) {
        const result = buildSync({ ...LAMBDA_BUNDLE_OPTIONS, entryPoints: [entry], absWorkingDir: findProjectRoot(path.dirname(entry)), outfile: "index.js" });
        if (result.errors.length > 0 || result.outputFiles.length !== 1) {
            throw new Error(`bundling ${entry} failed: ${result.errors.map((error) => error.text).join("; ")}`);
        }
        code = result.outputFiles[0].text;
        bundles.set(entry, code);
    }
    return code;
}
