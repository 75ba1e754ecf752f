import { buildSync, version as esbuildVersion } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileHash, isCurrent, readJson, recordBuild, sha256, writeJsonAtomically, type BuildRecord } from "./buildRecord";
import { findProjectRoot } from "./projectRoot";

/**
 * Lambda code built by the program itself, at `pulumi up` / preview / mock-test time: no
 * hand-written bundling step to forget, and the deployed code always matches the checkout.
 * lambdaArchive.ts turns a bundle into the deployment package (index.js at the zip root).
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

const bundles = new Map<string, LambdaBundle>();

/** Where bundles persist between processes (ignored by git with node_modules/). */
export function lambdaCacheDirectory(root: string): string {
    return path.join(root, "node_modules", ".cache", "multicloud-patching", "lambda");
}

/**
 * A built handler on disk: `<sha256>.js`, named by its content, so a file of that name never
 * changes once written. The program hands the path to Pulumi as a FileAsset instead of passing
 * the ~1.7 MB text as a StringAsset through every registration (the SDK then sends the path, not
 * the text, and the engine hashes the file itself).
 */
export interface LambdaBundle {
    /** Absolute path of the bundled CommonJS file. */
    readonly file: string;
    /** sha256 (hex) of the file's bytes: the digest the Pulumi engine computes for the asset. */
    readonly sha256: string;
    readonly bytes: number;
}

/** The cache entry of one (checkout, entry, key): what the last build read, and which file it wrote. */
interface CachedBundle {
    readonly record: BuildRecord;
    readonly sha256: string;
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
 * The handler and everything it imports (AWS SDK included) as one CommonJS file on disk. Cached
 * per entry for the life of the process (every Region's function shares one build) and on disk
 * under node_modules/.cache, keyed by the content of every file the previous build read
 * (esbuild's metafile) plus bundleKey: bundling takes ~0.5 s, checking the cache ~20 ms. Any
 * changed input, option or esbuild version rebuilds. Deterministic: the working directory is
 * pinned to the project root so the paths esbuild records do not depend on where the program was
 * started. Used the same way under `pulumi up` and by the offline plan.
 */
export function lambdaBundle(entryFile: string): LambdaBundle {
    const entry = path.resolve(entryFile);
    let bundle = bundles.get(entry);
    if (bundle === undefined) {
        bundle = bundleWithDiskCache(entry, findProjectRoot(path.dirname(entry)));
        bundles.set(entry, bundle);
    }
    return bundle;
}

/** The bundled code as text (for what needs the text itself, e.g. a content-hashed object key). */
export function bundleLambda(entryFile: string): string {
    return readFileSync(lambdaBundle(entryFile).file, "utf8");
}

/** The disk-cached build behind lambdaBundle (exported for its tests: lambdaBundle also memoises per process). */
export function bundleWithDiskCache(entry: string, root: string): LambdaBundle {
    const key = bundleKey(root, entry);
    const directory = lambdaCacheDirectory(root);
    // One slot per (checkout, entry, key): copies of the project sharing node_modules (a mutation-testing
    // sandbox, a second worktree) or a different esbuild do not evict each other's bundle.
    const slot = path.join(directory, `${sha256(JSON.stringify({ root, entry, key })).slice(0, 32)}.json`);
    const cached = readJson<CachedBundle>(slot);
    if (cached !== undefined && isCurrent(root, cached.record, key)) {
        // Checked, not trusted: a file edited or truncated by hand is rebuilt, never deployed.
        const intact = intactBundle(path.join(directory, `${cached.sha256}.js`), cached.sha256);
        if (intact !== undefined) {
            return intact;
        }
    }
    const result = buildSync({ ...LAMBDA_BUNDLE_OPTIONS, metafile: true, entryPoints: [entry], absWorkingDir: root, outfile: "index.js" });
    if (result.errors.length > 0 || result.outputFiles.length !== 1) {
        throw new Error(`bundling ${entry} failed: ${result.errors.map((error) => error.text).join("; ")}`);
    }
    const contents = Buffer.from(result.outputFiles[0].contents);
    const digest = sha256(contents);
    const bundle = writeBundle([directory, path.join(os.tmpdir(), "multicloud-patching-lambda")], digest, contents);
    try {
        writeJsonAtomically(slot, { record: recordBuild(root, key, result.metafile), sha256: digest } satisfies CachedBundle);
        pruneBundles(directory);
    } catch {
        // A read-only checkout still deploys: the record only saves the next build.
    }
    return bundle;
}

/** How long an unreferenced bundle file stays: a deploy started before a rebuild may still be reading it. */
export const UNREFERENCED_BUNDLE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes bundle files no cache entry names any more and older than UNREFERENCED_BUNDLE_TTL_MS
 * (after a rebuild only: every changed handler or lockfile leaves a ~1.7 MB file behind).
 */
export function pruneBundles(directory: string, now: number = Date.now()): string[] {
    const names = readdirSync(directory);
    const referenced = new Set(names.filter((name) => name.endsWith(".json")).map((name) => readJson<CachedBundle>(path.join(directory, name))?.sha256));
    const pruned: string[] = [];
    for (const name of names) {
        const digest = /^([0-9a-f]{64})\.js$/.exec(name)?.[1];
        const file = path.join(directory, name);
        if (digest !== undefined && !referenced.has(digest) && now - statSync(file).mtimeMs > UNREFERENCED_BUNDLE_TTL_MS) {
            rmSync(file, { force: true });
            pruned.push(file);
        }
    }
    return pruned;
}

/** The bundle at `file` when it exists and its content still has `digest`. */
function intactBundle(file: string, digest: string): LambdaBundle | undefined {
    try {
        const contents = readFileSync(file);
        return sha256(contents) === digest ? { file, sha256: digest, bytes: contents.length } : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Writes `<digest>.js` into the first directory that takes it (the project cache; the OS temporary
 * directory for a read-only checkout). Written under a temporary name and renamed, so a reader —
 * the Pulumi engine hashing the asset, a concurrent plan — sees the whole file or none; an
 * existing file of that name already has this content (checked) and is left alone.
 */
function writeBundle(directories: readonly string[], digest: string, contents: Buffer): LambdaBundle {
    const failures: string[] = [];
    for (const directory of directories) {
        const file = path.join(directory, `${digest}.js`);
        const existing = intactBundle(file, digest);
        if (existing !== undefined) {
            return existing;
        }
        try {
            mkdirSync(directory, { recursive: true });
            const temporary = `${file}.${process.pid}.tmp`;
            writeFileSync(temporary, contents);
            renameSync(temporary, file);
            return { file, sha256: digest, bytes: contents.length };
        } catch (error) {
            failures.push(`${directory}: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    throw new Error(`cannot write the Lambda bundle ${digest}.js (${failures.join("; ")})`);
}
