import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { parseEstateConfig } from "../../stacks/config/estateConfig";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { ORGANIZATION_BENCH_REGIONS, syntheticEstateConfig, syntheticOrganizationEstate } from "../../tools/bench/syntheticEstate";

const ROOT = path.resolve(__dirname, "..", "..");
const BENCH = path.join(ROOT, "dist", "tools", "bench", "main.js");
const parse = (config: Record<string, unknown>) => parseEstateConfig(config, { project: "multicloud-patching", stack: "bench" });

describe("tools/bench: synthetic estates", () => {
    for (const pairs of [3, 30, 300]) {
        it(`${pairs} pairs: a valid configuration with that many member (account, Region) locations`, () => {
            const estate = parse(syntheticEstateConfig(pairs));
            const locations = estate.members.reduce((sum, member) => sum + member.regions.length, 0);
            assert.ok(locations >= pairs && locations <= pairs + 1, `${locations} locations`);
            for (const group of estate.patchGroups) {
                const reach = group.accounts.reduce((sum, alias) => sum + (estate.members.find((m) => m.alias === alias)?.regions.length ?? 0), 0);
                assert.ok(reach <= 100, `${group.name} reaches ${reach} locations`);
            }
        });
    }

    for (const accounts of [10, 1000]) {
        it(`organization mode, ${accounts} accounts: a valid configuration of 20 OUs × 17 Regions whose only per-account entries are the excluded 1 %`, () => {
            const synthetic = syntheticOrganizationEstate(accounts);
            const estate = parse(synthetic.config);
            const targets = estate.organization?.targets ?? [];
            assert.equal(new Set(targets.flatMap((t) => t.organizationalUnits)).size, 20);
            assert.ok(targets.every((t) => t.regions.length === 17 && t.regions.length <= 50));
            assert.equal(ORGANIZATION_BENCH_REGIONS.length, 17);
            const excluded = targets.flatMap((t) => t.excludeAccounts);
            assert.equal(excluded.length, synthetic.excludedAccounts);
            assert.equal(synthetic.excludedAccounts, Math.max(1, accounts / 100));
            // The organization's accounts are not configured accounts: only the central one is.
            assert.deepEqual(estate.accounts.map((a) => a.alias), ["security"]);
            assert.equal(synthetic.estimatedStackInstances, (accounts - synthetic.excludedAccounts) * 18);
        });
    }

    it("organization mode: 10 and 1,000 accounts differ only in the excluded accounts", () => {
        const strip = (config: Record<string, unknown>) => JSON.parse(JSON.stringify(config, (key, value) => (key === "excludeAccounts" ? undefined : value)));
        assert.deepEqual(strip(syntheticOrganizationEstate(10).config), strip(syntheticOrganizationEstate(1000).config));
        assert.notDeepEqual(syntheticOrganizationEstate(10).config, syntheticOrganizationEstate(1000).config);
    });
});

describe("npm run bench (command line; figures are measured, not asserted here)", function () {
    this.timeout(120_000);

    before(() => execFileSync(process.execPath, [path.join(ROOT, "tools", "build.mjs")], { cwd: ROOT }));

    const bench = (args: string[]) => spawnSync(process.execPath, [BENCH, ...args], { cwd: ROOT, encoding: "utf8" });

    it("--help lists both series and the exit codes", () => {
        const result = bench(["--help"]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /--sizes <n,…>/);
        assert.match(result.stdout, /--org-accounts <n,…> .*20 OUs × 17 Regions \(default 10,1000/);
    });

    it("exits 2 with usage on a bad size list or an unknown option", () => {
        for (const args of [["--org-accounts", "10,x"], ["--sizes", "0"], ["--bogus"], ["--prod-runs", "1.5"], ["--prod-runs", "two"]]) {
            const result = bench(args);
            assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
            assert.match(result.stderr, /^bench: .*\n\nusage: npm run bench/);
        }
    });

    it("--json: the organization series with its measurements and the target check", () => {
        const result = bench(["--sizes", "", "--org-accounts", "10", "--prod-runs", "0", "--json"]);
        const json = JSON.parse(result.stdout);
        assert.deepEqual(json.configuredAccounts, []);
        assert.deepEqual(json.organization.shape, { organizationalUnits: 20, targets: 4, regions: 17 });
        assert.deepEqual(json.organization.target, { maxMs: 5000, maxRssMb: 500 });
        const [measurement] = json.organization.measurements;
        assert.deepEqual(Object.keys(measurement).sort(), ["accountsInOrganization", "estimatedStackInstances", "excludedAccounts", "mb", "mbPerRegistration", "ms", "msPerRegistration", "providerProcesses", "registrations", "resources", "rssMb"]);
        assert.equal(measurement.accountsInOrganization, 10);
        assert.equal(measurement.providerProcesses, 1);
        assert.equal(typeof json.organization.check.met, "boolean");
        // The exit code follows the check (the timing itself is not asserted: it depends on the machine's load).
        assert.equal(result.status, json.organization.check.met ? 0 : 1);
    });

    it("--prod-runs: the prod plan's wall time and its evaluation against the SDK floor, printed with the targets, not asserted", async () => {
        const result = bench(["--sizes", "", "--org-accounts", "", "--prod-runs", "1", "--json"]);
        assert.equal(result.status, 0, result.stderr);
        const { planSpeed } = JSON.parse(result.stdout);
        assert.deepEqual(planSpeed.target, { maxWallMs: 2000, maxOverFloor: 2 });
        assert.equal(planSpeed.stack, "prod");
        assert.equal(planSpeed.runs, 1);
        // The floor replays exactly the plan's registrations.
        assert.equal(planSpeed.registrations, (await evaluatedStack("prod")).recorder.resources.length);
        // ... each custom resource and provider as its provider SDK class (prod has a class for every token).
        const evaluated = (await evaluatedStack("prod")).recorder.resources;
        assert.deepEqual(planSpeed.floor, { classBased: evaluated.filter((r) => r.custom).length, components: evaluated.filter((r) => !r.custom).length, bare: {} });
        for (const figure of [planSpeed.wallMs.median, planSpeed.evaluationMs, planSpeed.floorMs, planSpeed.overFloor]) {
            assert.ok(Number.isFinite(figure) && figure > 0, String(figure));
        }
        assert.equal(planSpeed.overFloor, planSpeed.evaluationMs / planSpeed.floorMs);
        assert.deepEqual(planSpeed.met, { wall: planSpeed.wallMs.median < 2000, overFloor: planSpeed.overFloor <= 2 });
        // Every figure comes with what else the machine ran.
        assert.equal(planSpeed.machine.cpus, os.availableParallelism());
        for (const load of [planSpeed.machine.loadBefore, planSpeed.machine.loadAfter]) {
            assert.ok(Number.isFinite(load) && load >= 0, String(load));
        }
    });

    it("tables and figures as plain text when stdout is not a terminal", () => {
        const result = spawnSync(process.execPath, [BENCH, "--sizes", "3", "--org-accounts", "", "--prod-runs", "1"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, FORCE_COLOR: undefined } });
        assert.equal(result.status, 0, result.stderr);
        assert.doesNotMatch(result.stdout, /\x1b\[/); // eslint-disable-line no-control-regex
        assert.match(result.stdout, /^Plan speed: npm run plan -- --stack prod .*median of 1/m);
        assert.match(result.stdout, /^ {2}wall time +\d+\.\d\d s .*target < 2\.00 s: (met|NOT met)$/m);
        assert.match(result.stdout, /^ {2}evaluation +\d+\.\d\d s vs SDK floor \d+\.\d\d s .* = \d+\.\d\d× +target ≤ 2×: (met|NOT met)$/m);
        assert.match(result.stdout, /^ {2}machine +\d+ CPUs, load average \(1 min\) \d+\.\d\d before, \d+\.\d\d after/m);
    });
});
