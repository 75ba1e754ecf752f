// Compiles the program and the offline tools to plain JavaScript in dist/. The offline plan and
// the benchmark run this output rather than TypeScript through a loader: with a source-map
// aware loader every resource registration pays for stack-trace rewriting (~3x slower).
//
// Skips the build when nothing it depends on changed: dist/.build-record.json holds the content
// hash of every file the last build read (esbuild's metafile), the resolution candidates of every
// relative import, a key over the options, esbuild's version and the lockfile, and the hashes of
// the outputs it wrote. Content hashes, not timestamps: a checkout or an editor that restores a
// file's old content does not trigger a build, and a change that keeps the mtime still does.
import { build, transform, version } from "esbuild";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RECORD = path.join(ROOT, "dist", ".build-record.json");

const OPTIONS = {
    entryPoints: ["index.ts", "tools/plan/main.ts", "tools/bench/main.ts", "tools/bench/run.ts", "tools/bench/floor.ts"],
    outdir: "dist",
    outbase: ".",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    logLevel: "warning",
    // First statement of every output: Node >= 22.1 then caches the V8 compilation of every module
    // loaded afterwards (node_modules included; the offline plan loads ~1,500) on disk, in
    // <os.tmpdir()>/node-compile-cache or $NODE_COMPILE_CACHE, checked against each file's content.
    // Feature-detected: a no-op on Node 20. https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
    banner: { js: 'require("node:module").enableCompileCache?.();' },
};

/**
 * components/assets/buildRecord.ts (node: built-ins only), compiled on the fly: this script runs
 * before anything is built. The async API starts esbuild's service once (~20 ms; the sync API
 * spawns a process per call, ~100 ms) and `build` reuses it.
 */
async function loadBuildRecord() {
    const file = path.join(ROOT, "components", "assets", "buildRecord.ts");
    const { code } = await transform(readFileSync(file, "utf8"), { loader: "ts", format: "cjs", target: "node20", sourcefile: file });
    const module = { exports: {} };
    new Function("module", "exports", "require", code)(module, module.exports, createRequire(file));
    return module.exports;
}

const records = await loadBuildRecord();
const steering = Object.fromEntries(["package-lock.json", "package.json", "tsconfig.json"].map((file) => [file, records.fileHash(path.join(ROOT, file))]));
const key = records.sha256(JSON.stringify({ esbuild: version, options: OPTIONS, steering }));
const previous = records.readJson(RECORD);
const outputsIntact = (outputs) => Object.entries(outputs ?? {}).every(([file, hash]) => records.fileHash(path.join(ROOT, file)) === hash);

if (!(previous !== undefined && outputsIntact(previous.outputs) && records.isCurrent(ROOT, previous.record, key))) {
    const result = await build({ ...OPTIONS, absWorkingDir: ROOT, metafile: true });
    const outputs = Object.fromEntries(Object.keys(result.metafile.outputs).map((file) => [file, records.fileHash(path.join(ROOT, file))]));
    records.writeJsonAtomically(RECORD, { record: records.recordBuild(ROOT, key, result.metafile), outputs });
}
