// `npm run bench [-- --sizes 3,30,300] [--org-accounts 10,1000] [--prod-runs 5] [--json]`: times the offline
// evaluation of estates of growing size, each in its own process, and reports time and memory per
// registration so cost growth shows. Two series: configured accounts (account×Region pairs, every
// account its own provider) and organization mode (accounts in 20 OUs × 17 Regions, reached by
// StackSets), whose target (issue 16) the output checks: < 5 s, < 500 MB, and a resource count
// that does not depend on the account count. Then the prod plan's speed (issue 20): wall time and
// evaluation overhead over the Pulumi SDK floor (planSpeed.ts), printed, not asserted.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { renderFittedTable } from "../plan/fitTable";
import { terminalColumns, useColor } from "../plan/terminal";
import { measurePlanSpeed, PLAN_SPEED_TARGET, renderPlanSpeed } from "./planSpeed";
import { ORGANIZATION_BENCH_REGIONS, ORGANIZATION_BENCH_SHAPE } from "./syntheticEstate";

const USAGE = `usage: npm run bench -- [--sizes <n,…>] [--org-accounts <n,…>] [--prod-runs <n>] [--json]

  --sizes <n,…>          configured-accounts series: account×Region pairs (default 3,30,300; "" skips it)
  --org-accounts <n,…>   organization-mode series: accounts in ${ORGANIZATION_BENCH_SHAPE.organizationalUnits} OUs × ${ORGANIZATION_BENCH_REGIONS.length} Regions (default 10,1000; "" skips it)
  --prod-runs <n>        prod plan speed: runs of \`npm run plan -- --stack prod\` (build check + plan,
                         warm, without npm's start-up) and of the SDK floor (the plan's own resources
                         as a flat program of @pulumi/aws / azure-native class instances with their
                         recorded inputs, same mocks), medians printed against the targets
                         (wall < ${PLAN_SPEED_TARGET.maxWallMs / 1000} s, evaluation ≤ ${PLAN_SPEED_TARGET.maxOverFloor}× the floor); default 5, 0 skips
  --json                 print the measurements as one JSON document instead of tables:
                         {configuredAccounts: [...], organization: {shape, target, measurements, check},
                         planSpeed: {target, wallMs, evaluationMs, floorMs, floor, overFloor, met, ...}}
  --help                 this text

Exit codes: 0 ok, 1 a measurement failed or the organization-mode target is not met, 2 usage.
The plan-speed targets are reported, not enforced: wall time depends on what else the machine runs.`;

/** Issue 16, item 7: the organization-mode estate evaluates within these, whatever its account count. */
export const ORGANIZATION_TARGET = { maxMs: 5000, maxRssMb: 500 } as const;

interface Measurement {
    readonly registrations: number;
    readonly ms: number;
    readonly msPerRegistration: number;
    /** RSS the evaluation added. */
    readonly mb: number;
    readonly mbPerRegistration: number;
}

interface ConfiguredMeasurement extends Measurement {
    readonly pairs: number;
}

interface OrganizationMeasurement extends Measurement {
    readonly accountsInOrganization: number;
    readonly excludedAccounts: number;
    /** RSS of the whole evaluating process. */
    readonly rssMb: number;
    readonly resources: number;
    readonly providerProcesses: number;
    readonly estimatedStackInstances: number;
}

interface TargetCheck {
    readonly met: boolean;
    readonly maxMs: number;
    readonly maxRssMb: number;
    readonly sameResourceCount: boolean;
    readonly problems: readonly string[];
}

function measure<T>(args: string[], label: string): T {
    const run = spawnSync(process.execPath, ["--stack-trace-limit=3", "--max-old-space-size=8192", path.join(__dirname, "run.js"), ...args], { encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`${label}: ${run.stderr.trim() || `exit ${run.status}`}`);
    }
    return JSON.parse(run.stdout.trim().split("\n").pop() as string) as T;
}

class UsageError extends Error {}

function runCount(value: string): number {
    const runs = Number(value);
    if (value.trim() === "" || !Number.isInteger(runs) || runs < 0) {
        throw new UsageError(`--prod-runs "${value}" is not a whole number (0 skips the plan-speed measurement)`);
    }
    return runs;
}

function sizes(value: string, option: string): number[] {
    if (value.trim() === "") {
        return [];
    }
    const list = value.split(",").map(Number);
    if (list.some((size) => !Number.isInteger(size) || size < 1)) {
        throw new UsageError(`${option} "${value}" is not a comma-separated list of positive integers`);
    }
    return list;
}

export function checkOrganizationTarget(results: readonly OrganizationMeasurement[]): TargetCheck {
    const problems: string[] = [];
    for (const r of results) {
        if (r.ms >= ORGANIZATION_TARGET.maxMs) {
            problems.push(`${r.accountsInOrganization} accounts: ${(r.ms / 1000).toFixed(2)} s ≥ ${ORGANIZATION_TARGET.maxMs / 1000} s`);
        }
        if (r.rssMb >= ORGANIZATION_TARGET.maxRssMb) {
            problems.push(`${r.accountsInOrganization} accounts: ${r.rssMb.toFixed(0)} MB ≥ ${ORGANIZATION_TARGET.maxRssMb} MB`);
        }
    }
    const counts = new Set(results.map((r) => `${r.resources}/${r.registrations}`));
    const sameResourceCount = counts.size <= 1;
    if (!sameResourceCount) {
        problems.push(`resource count depends on the account count: ${results.map((r) => `${r.accountsInOrganization} accounts → ${r.resources} resources (${r.registrations} registrations)`).join(", ")}`);
    }
    return {
        met: problems.length === 0,
        maxMs: Math.max(0, ...results.map((r) => r.ms)),
        maxRssMb: Math.max(0, ...results.map((r) => r.rssMb)),
        sameResourceCount,
        problems,
    };
}

function main(): number {
    const { values } = parseArgs({
        options: {
            sizes: { type: "string", default: "3,30,300" },
            "org-accounts": { type: "string", default: "10,1000" },
            "prod-runs": { type: "string", default: "5" },
            json: { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
        allowPositionals: false,
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const pairs = sizes(values.sizes, "--sizes");
    const accounts = sizes(values["org-accounts"], "--org-accounts");
    const prodRuns = runCount(values["prod-runs"]);
    const configured = pairs.map((n) => measure<ConfiguredMeasurement>(["--pairs", String(n)], `${n} pairs`));
    const organization = accounts.map((n) => measure<OrganizationMeasurement>(["--org-accounts", String(n)], `organization mode, ${n} accounts`));
    const target = organization.length === 0 ? undefined : checkOrganizationTarget(organization);
    const planSpeed = prodRuns === 0 ? undefined : measurePlanSpeed(path.resolve(__dirname, "..", "..", ".."), prodRuns);
    if (values.json) {
        console.log(JSON.stringify({ configuredAccounts: configured, organization: { shape: { ...ORGANIZATION_BENCH_SHAPE, regions: ORGANIZATION_BENCH_REGIONS.length }, target: ORGANIZATION_TARGET, measurements: organization, ...(target === undefined ? {} : { check: target }) }, ...(planSpeed === undefined ? {} : { planSpeed: { target: PLAN_SPEED_TARGET, ...planSpeed } }) }, null, 2));
        return target?.met === false ? 1 : 0;
    }
    const layout = { columns: terminalColumns(), color: useColor() };
    if (configured.length > 0) {
        console.log("Configured accounts (one AWS provider per account)");
        const rows = configured.map((r) => [r.pairs, r.registrations, `${(r.ms / 1000).toFixed(2)} s`, `${r.msPerRegistration.toFixed(2)} ms`, `${r.mb.toFixed(0)} MB`, `${(r.mbPerRegistration * 1024).toFixed(0)} KB`]);
        console.log(renderFittedTable(["account×Region pairs", "registrations", "evaluation", "per registration", "memory", "per registration"], rows, layout));
    }
    if (target !== undefined) {
        console.log(`Organization mode (${ORGANIZATION_BENCH_SHAPE.organizationalUnits} OUs × ${ORGANIZATION_BENCH_REGIONS.length} Regions, StackSets; accounts appear only as the 1 % excluded and in the estimate)`);
        const rows = organization.map((r) => [r.accountsInOrganization, r.excludedAccounts, r.resources, r.registrations, r.providerProcesses, `${(r.ms / 1000).toFixed(2)} s`, `${r.rssMb.toFixed(0)} MB`, r.estimatedStackInstances]);
        console.log(renderFittedTable(["accounts", "excluded", "resources", "registrations", "provider processes", "evaluation", "memory (process)", "stack instances (CloudFormation, est.)"], rows, layout));
        const goal = `< ${ORGANIZATION_TARGET.maxMs / 1000} s, < ${ORGANIZATION_TARGET.maxRssMb} MB, resource count identical for ${accounts.join(" and ")} accounts`;
        console.log(target.met ? `organization target met: ${goal}` : `organization target NOT met (${goal}): ${target.problems.join("; ")}`);
    }
    if (planSpeed !== undefined) {
        console.log(renderPlanSpeed(planSpeed));
    }
    return target?.met === false ? 1 : 0;
}

try {
    process.exitCode = main();
} catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}${usage ? `\n\n${USAGE}` : ""}`);
    process.exitCode = usage ? 2 : 1;
}
