// Compiles the program and the offline tools to plain JavaScript in dist/. The offline plan and
// the benchmark run this output rather than TypeScript through a loader: with a source-map
// aware loader every resource registration pays for stack-trace rewriting (~3x slower).
import { build } from "esbuild";

await build({
    entryPoints: ["index.ts", "tools/plan/main.ts", "tools/bench/main.ts", "tools/bench/run.ts"],
    outdir: "dist",
    outbase: ".",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    logLevel: "warning",
});
