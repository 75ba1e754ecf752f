import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * What an esbuild build read, so a later run can tell — exactly, not by timestamps — whether
 * building again would produce the same output: the content hash of every input file esbuild
 * reports in its metafile, and, for every relative import, which of the files esbuild's resolver
 * would try existed (a new `x.ts` next to an imported `x/index.ts` changes the build without
 * changing any input). Bare package imports resolve through node_modules, which the caller
 * covers by putting the lockfile's hash into the key; for the same reason the resolution of
 * relative imports inside node_modules is not re-checked (files appear there only through npm,
 * which rewrites the lockfile) — their content is, like every input's.
 *
 * Only `node:` built-ins are imported here: tools/build.mjs loads this file through esbuild's
 * transform before anything is compiled.
 */
export interface BuildRecord {
    /** Everything else the output depends on (options, esbuild version, lockfile, tsconfig). */
    readonly key: string;
    /** Input file (relative to the root) → sha256 of its content. */
    readonly files: Readonly<Record<string, string>>;
    /** Import base path (relative) → the resolution candidates that existed, sorted. */
    readonly candidates: Readonly<Record<string, readonly string[]>>;
}

/** The subset of esbuild's metafile this needs. */
export interface MetafileInputs {
    readonly inputs: Readonly<Record<string, { readonly imports: readonly { readonly original?: string }[] }>>;
}

// esbuild's default resolveExtensions, and TypeScript's `./x.js` → `./x.ts` rewrite.
// https://esbuild.github.io/api/#resolve-extensions
const EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".css", ".json"];

export function sha256(data: string | Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

/** sha256 of a file, or "missing". */
export function fileHash(file: string): string {
    return existsSync(file) ? sha256(readFileSync(file)) : "missing";
}

/** The files esbuild's resolver would try for `base` (an import path without its resolution). */
function resolutionCandidates(base: string): string[] {
    const stem = base.replace(/\.(m|c)?jsx?$/, "");
    const stems = stem === base ? [base] : [base, stem];
    return [base, ...stems.flatMap((s) => EXTENSIONS.map((ext) => s + ext)), path.join(base, "package.json"), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
}

function existingCandidates(root: string, base: string): string[] {
    return resolutionCandidates(base)
        .filter((candidate) => existsSync(path.join(root, candidate)))
        .sort();
}

/** Records a finished build: `root` is esbuild's absWorkingDir (metafile paths are relative to it). */
export function recordBuild(root: string, key: string, metafile: MetafileInputs): BuildRecord {
    const files: Record<string, string> = {};
    const candidates: Record<string, string[]> = {};
    for (const [input, { imports }] of Object.entries(metafile.inputs).sort(([a], [b]) => a.localeCompare(b))) {
        files[input] = fileHash(path.join(root, input));
        for (const { original } of imports) {
            if (original !== undefined && original.startsWith(".") && !input.split("/").includes("node_modules")) {
                const base = path.join(path.dirname(input), original);
                candidates[base] ??= existingCandidates(root, base);
            }
        }
    }
    return { key, files, candidates };
}

/** True when building again with `key` would read exactly the same files with the same content. */
export function isCurrent(root: string, record: BuildRecord | undefined, key: string): boolean {
    if (record === undefined || record.key !== key) {
        return false;
    }
    const sameFiles = Object.entries(record.files).every(([file, hash]) => fileHash(path.join(root, file)) === hash);
    return sameFiles && Object.entries(record.candidates).every(([base, existing]) => existingCandidates(root, base).join("\n") === existing.join("\n"));
}

/** A JSON file written by writeJsonAtomically, or undefined when absent or unreadable. */
export function readJson<T>(file: string): T | undefined {
    try {
        return JSON.parse(readFileSync(file, "utf8")) as T;
    } catch {
        return undefined;
    }
}

/** Written under a temporary name and renamed: a concurrent reader sees the old file or the new one, never half of one. */
export function writeJsonAtomically(file: string, value: unknown): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
}
