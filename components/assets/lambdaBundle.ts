import { buildSync, version as esbuildVersion } from "esbuild";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileHash, isCurrent, readJson, recordBuild, sha256, writeJsonAtomically, type BuildRecord } from "./buildRecord";
import { findProjectRoot } from "./projectRoot";

/**
 * Lambda code built by the program itself, at `pulumi up` / preview / mock-test time: no
 * hand-written bundling step to forget, and the deployed code always matches the checkout.
 */

export const LAMBDA_BUNDLE_OPTIONS = {
    bundle: true,
    platform: "node",
    target: "node24", // the Lambda runtime's Node (SSM_ROLE_ENFORCER_DEFAULTS.runtime nodejs24.x), not the build machine's
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

/** Where bundles persist between processes (ignored by git with node_modules/). */
export function lambdaCacheDirectory(root: string): string {
    return path.join(root, "node_modules", ".cache", "multicloud-patching", "lambda");
}

interface CachedBundle {
    readonly record: BuildRecord;
    readonly code: string;
}

/**
 * Everything besides the input files that decides the bundle: the options, esbuild's version, the
 * entry, and the files that steer resolution and compilation (lockfile: which package versions
 * bare imports reach; package.json; tsconfig.json).
 */
function bundleKey(root: string, entry: string): string {
    const steering = Object.fromEntries(["package-lock.json", "package.json", "tsconfig.json"].map((file) => [file, fileHash(path.join(root, file))]));
    return sha256(JSON.stringify({ esbuild: esbuildVersion, options: LAMBDA_BUNDLE_OPTIONS, entry: path.relative(root, entry), steering }));
}

/**
 * One CommonJS file (the handler and everything it imports, AWS SDK included). Cached per entry
 * for the life of the process (every Region's function shares one build) and on disk under
 * node_modules/.cache, keyed by the content of every file the previous build read (esbuild's
 * metafile) plus bundleKey: bundling takes ~0.5 s, checking the cache ~20 ms. Any changed input,
 * option or esbuild version rebuilds. Deterministic: the working directory is pinned to the
 * project root so the paths esbuild records do not depend on where the program was started.
 */
export function bundleLambda(entryFile: string): string {
    const entry = path.resolve(entryFile);
    let code = bundles.get(entry);
    if (code === undefined) {
        code = bundleWithDiskCache(entry, findProjectRoot(path.dirname(entry)));
        bundles.set(entry, code);
    }
    return code;
}

/** The disk-cached build behind bundleLambda (exported for its tests: bundleLambda also memoises per process). */
export function bundleWithDiskCache(entry: string, root: string): string {
    const key = bundleKey(root, entry);
    // One slot per (checkout, entry, key): copies of the project sharing node_modules (a mutation-testing
    // sandbox, a second worktree) or a different esbuild do not evict each other's bundle.
    const file = path.join(lambdaCacheDirectory(root), `${sha256(JSON.stringify({ root, entry, key })).slice(0, 32)}.json`);
    const cached = readJson<CachedBundle>(file);
    if (cached !== undefined && isCurrent(root, cached.record, key)) {
        return cached.code;
    }
    const result = buildSync({ ...LAMBDA_BUNDLE_OPTIONS, metafile: true, entryPoints: [entry], absWorkingDir: root, outfile: "index.js" });
    if (result.errors.length > 0 || result.outputFiles.length !== 1) {
        throw new Error(`bundling ${entry} failed: ${result.errors.map((error) => error.text).join("; ")}`);
    }
    const code = result.outputFiles[0].text;
    try {
        writeJsonAtomically(file, { record: recordBuild(root, key, result.metafile), code } satisfies CachedBundle);
    } catch {
        // A read-only checkout still deploys: the cache only saves time.
    }
    return code;
}
