// `npm run bench [-- --sizes 3,30,300]`: times the offline evaluation of estates of growing size,
// each in its own process, and reports time and memory per registration so cost growth shows.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import Table from "cli-table3";

interface Measurement {
    readonly pairs: number;
    readonly registrations: number;
    readonly ms: number;
    readonly msPerRegistration: number;
    readonly mb: number;
    readonly mbPerRegistration: number;
}

function measure(pairs: number): Measurement {
    const run = spawnSync(process.execPath, ["--stack-trace-limit=3", "--max-old-space-size=8192", path.join(__dirname, "run.js"), "--pairs", String(pairs)], { encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`${pairs} pairs: ${run.stderr.trim() || `exit ${run.status}`}`);
    }
    return JSON.parse(run.stdout.trim().split("\n").pop() as string) as Measurement;
}

function main(): number {
    const { values } = parseArgs({ options: { sizes: { type: "string", default: "3,30,300" }, json: { type: "boolean", default: false } } });
    const sizes = values.sizes.split(",").map(Number);
    if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
        console.error(`bench: --sizes "${values.sizes}" is not a comma-separated list of positive integers`);
        return 2;
    }
    const results = sizes.map(measure);
    if (values.json) {
        console.log(JSON.stringify(results, null, 2));
        return 0;
    }
    const table = new Table({ head: ["account×Region pairs", "registrations", "evaluation", "per registration", "memory", "per registration"] });
    for (const r of results) {
        table.push([r.pairs, r.registrations, `${(r.ms / 1000).toFixed(2)} s`, `${r.msPerRegistration.toFixed(2)} ms`, `${r.mb.toFixed(0)} MB`, `${(r.mbPerRegistration * 1024).toFixed(0)} KB`]);
    }
    console.log(table.toString());
    return 0;
}

try {
    process.exitCode = main();
} catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
}
