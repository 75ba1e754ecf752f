// One benchmark measurement in a fresh process: evaluate the compiled program (dist/index.js)
// under the mock runtime for a synthetic estate of --pairs locations; print one JSON line.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { evaluateProgram } from "../plan/evaluate";
import { syntheticEstateConfig } from "./syntheticEstate";

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { pairs: { type: "string" } } });
    const pairs = Number(values.pairs);
    const root = path.resolve(__dirname, "..", "..", "..");
    const directory = mkdtempSync(path.join(os.tmpdir(), "patching-bench-"));
    try {
        copyFileSync(path.join(root, "Pulumi.yaml"), path.join(directory, "Pulumi.yaml"));
        const config = Object.fromEntries(Object.entries(syntheticEstateConfig(pairs)).map(([key, value]) => [`multicloud-patching:${key}`, value]));
        // No YAML anchors: every account shares one Regions list, and readers cap alias counts.
        writeFileSync(path.join(directory, "Pulumi.bench.yaml"), stringify({ config: { "pulumi:disable-default-providers": ["*"], ...config } }, { aliasDuplicateObjects: false }));
        const before = process.memoryUsage().rss;
        const evaluation = await evaluateProgram({ directory, stack: "bench", program: path.join(root, "dist", "index.js") });
        const registrations = evaluation.recorder.resources.length;
        const grownMb = (process.memoryUsage().rss - before) / 2 ** 20;
        console.log(JSON.stringify({ pairs, registrations, ms: Math.round(evaluation.durationMs), msPerRegistration: evaluation.durationMs / registrations, mb: grownMb, mbPerRegistration: grownMb / registrations }));
    } finally {
        rmSync(directory, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
