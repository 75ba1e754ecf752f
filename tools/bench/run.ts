// One benchmark measurement in a fresh process: evaluate the compiled program (dist/index.js)
// under the mock runtime for a synthetic estate — configured accounts (--pairs locations) or
// organization mode (--org-accounts accounts in the target OUs); print one JSON line.
import "../plan/prelude";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { evaluateProgram } from "../plan/evaluate";
import { engineCost } from "../plan/engineCost";
import { syntheticEstateConfig, syntheticOrganizationEstate, writeSyntheticStack } from "./syntheticEstate";

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { pairs: { type: "string" }, "org-accounts": { type: "string" } } });
    const organization = values["org-accounts"] === undefined ? undefined : syntheticOrganizationEstate(Number(values["org-accounts"]));
    const pairs = Number(values.pairs);
    const root = path.resolve(__dirname, "..", "..", "..");
    const directory = mkdtempSync(path.join(os.tmpdir(), "patching-bench-"));
    try {
        writeSyntheticStack(root, directory, "bench", organization?.config ?? syntheticEstateConfig(pairs));
        const before = process.memoryUsage().rss;
        const evaluation = await evaluateProgram({ directory, stack: "bench", program: path.join(root, "dist", "index.js") });
        const after = process.memoryUsage().rss;
        const resources = evaluation.recorder.resources;
        const registrations = resources.length;
        const grownMb = (after - before) / 2 ** 20;
        const common = { registrations, ms: Math.round(evaluation.durationMs), msPerRegistration: evaluation.durationMs / registrations, mb: grownMb, mbPerRegistration: grownMb / registrations };
        if (organization === undefined) {
            console.log(JSON.stringify({ pairs, ...common }));
            return;
        }
        const engine = engineCost(resources);
        console.log(
            JSON.stringify({
                accountsInOrganization: organization.accountsInOrganization,
                excludedAccounts: organization.excludedAccounts,
                ...common,
                // The whole process (runtime, SDKs, program), not only what the evaluation added: what the target bounds.
                rssMb: after / 2 ** 20,
                resources: resources.filter((r) => r.custom).length,
                providerProcesses: engine.providerProcesses,
                estimatedStackInstances: organization.estimatedStackInstances,
            }),
        );
    } finally {
        rmSync(directory, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
