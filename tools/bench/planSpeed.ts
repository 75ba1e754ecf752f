import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as nodeModule from "node:module";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The prod plan's speed (issue 20, item 8), measured as `npm run plan -- --stack prod` costs
 * without npm's own start-up: the commands of package.json's "plan" script run as child
 * processes, warm (one discarded run first fills the build record, the Lambda bundle cache and
 * the compile cache). Against the Pulumi SDK floor: the same plan's registrations replayed as the
 * flat program a user would write by hand — each resource a `@pulumi/aws` / `@pulumi/azure-native`
 * class instance with its recorded inputs, components plain — under the same mocks
 * (tools/bench/floor.ts). Runs alternate, so machine load
 * shared by other processes falls on both alike; medians are reported.
 */
export const PLAN_SPEED_TARGET = { maxWallMs: 2000, maxOverFloor: 2 } as const;

export interface PlanSpeed {
    readonly stack: string;
    readonly runs: number;
    readonly node: string;
    /** Node's module compile cache (Node >= 22.1) is available to the plan. */
    readonly compileCache: boolean;
    readonly registrations: number;
    /** Build check + plan, per run, in ms. */
    readonly wallMs: { readonly median: number; readonly min: number; readonly max: number };
    /**
     * CPU time (user + system) of the same child processes, median, in ms; null where the OS does
     * not report it (Linux only). Other load on the machine stretches wall time, much less this.
     */
    readonly cpuMs: number | null;
    /** The plan's own "evaluated in" figure (medians, ms). */
    readonly evaluationMs: number;
    readonly floorMs: number;
    /** What the floor registered (last run): provider SDK class instances, plain components, bare fallbacks by token. */
    readonly floor: FloorMakeup;
    readonly overFloor: number;
    readonly met: { readonly wall: boolean; readonly overFloor: boolean };
    /**
     * What else the machine ran: its CPUs and the 1-minute load average before and after the runs
     * (0 where the OS has none, e.g. Windows). A load above the CPU count stretches every wall-time
     * figure; the ratio to the floor, measured in alternation, much less.
     */
    readonly machine: { readonly cpus: number; readonly loadBefore: number; readonly loadAfter: number };
}

/** The floor's JSON line (floor.ts main). */
export interface FloorMakeup {
    readonly classBased: number;
    readonly components: number;
    readonly bare: Readonly<Record<string, number>>;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The "plan" script's commands (`a && b`), each as [program, ...args] with `node` as this Node. */
export function planCommands(root: string): string[][] {
    const script = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["plan"];
    return script.split("&&").map((command) => {
        const [program, ...args] = command.trim().split(/\s+/);
        return [program === "node" ? process.execPath : program, ...args];
    });
}

/**
 * CPU seconds of this process's waited-for children (cutime + cstime in /proc/self/stat, clock
 * ticks of 1/100 s; proc(5)), or null off Linux.
 */
function childCpuMs(): number | null {
    if (!existsSync("/proc/self/stat")) {
        return null;
    }
    // Fields after the command name (which may hold spaces) start at "state" (field 3).
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timed(command: string[], root: string): { ms: number; cpuMs: number | null; stdout: string } {
    const cpuBefore = childCpuMs();
    const started = process.hrtime.bigint();
    const run = spawnSync(command[0], command.slice(1), { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) {
        throw new Error(`${command.slice(1).join(" ")}: ${run.stderr.trim() || `exit ${run.status}`}`);
    }
    const cpuAfter = childCpuMs();
    return { ms, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, stdout: run.stdout };
}

/** `floorScript`: the compiled floor.ts (beside this file in dist/). */
export function measurePlanSpeed(root: string, runs: number, stack = "prod", floorScript = path.join(__dirname, "floor.js")): PlanSpeed {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "patching-plan-speed-"));
    try {
        const out = path.join(scratch, `${stack}.json`);
        const commands = planCommands(root);
        const planCommand = commands[commands.length - 1];
        planCommand.push("--stack", stack, "--out", out);
        // The floor runs under the plan's Node options (--stack-trace-limit: what each captured stack costs).
        const nodeOptions = planCommand.slice(1, planCommand.findIndex((arg, i) => i > 0 && !arg.startsWith("-")));
        const floor = [process.execPath, ...nodeOptions, floorScript, "--plan", out, "--directory", root];
        const loadBefore = os.loadavg()[0];
        const plan = () => {
            const results = commands.map((command) => timed(command, root));
            const evaluated = Number(/evaluated in (\d+) ms/.exec(results[results.length - 1].stdout)?.[1]);
            const cpu = results.every((r) => r.cpuMs !== null) ? results.reduce((sum, r) => sum + (r.cpuMs ?? 0), 0) : null;
            return { wall: results.reduce((sum, r) => sum + r.ms, 0), cpu, evaluated };
        };
        plan(); // warm-up, discarded
        const walls: number[] = [];
        const cpus: (number | null)[] = [];
        const evaluations: number[] = [];
        const floors: number[] = [];
        let registrations = 0;
        let makeup: FloorMakeup = { classBased: 0, components: 0, bare: {} };
        for (let run = 0; run < runs; run++) {
            const { wall, cpu, evaluated } = plan();
            walls.push(wall);
            cpus.push(cpu);
            evaluations.push(evaluated);
            const replayed = JSON.parse(timed(floor, root).stdout.trim().split("\n").pop() as string) as { registrations: number; ms: number } & FloorMakeup;
            floors.push(replayed.ms);
            registrations = replayed.registrations;
            makeup = { classBased: replayed.classBased, components: replayed.components, bare: replayed.bare };
        }
        const wallMs = { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) };
        const evaluationMs = median(evaluations);
        const floorMs = median(floors);
        const overFloor = evaluationMs / floorMs;
        return {
            stack,
            runs,
            node: process.version,
            compileCache: typeof (nodeModule as unknown as Record<string, unknown>)["enableCompileCache"] === "function",
            registrations,
            wallMs,
            cpuMs: cpus.every((cpu): cpu is number => cpu !== null) ? median(cpus) : null,
            evaluationMs,
            floorMs,
            floor: makeup,
            overFloor,
            met: { wall: wallMs.median < PLAN_SPEED_TARGET.maxWallMs, overFloor: overFloor <= PLAN_SPEED_TARGET.maxOverFloor },
            machine: { cpus: os.availableParallelism(), loadBefore, loadAfter: os.loadavg()[0] },
        };
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (met: boolean) => (met ? "met" : "NOT met");

/** Load above the CPU count: other processes competed for the CPUs during the runs. */
function busy(machine: PlanSpeed["machine"]): boolean {
    return Math.max(machine.loadBefore, machine.loadAfter) > machine.cpus;
}

/** What the floor is, in words: its registrations and how many fell back to a bare CustomResource. */
export function floorLabel(speed: Pick<PlanSpeed, "registrations" | "floor">): string {
    const bare = Object.values(speed.floor.bare).reduce((sum, count) => sum + count, 0);
    return `the same ${speed.registrations} registrations as a flat program: ${speed.floor.classBased} provider SDK class instances, ${speed.floor.components} plain components, ${bare} bare (no class); same mocks`;
}

/** The tokens the floor had no provider SDK class for, if any. */
function bareLine(floor: FloorMakeup): string[] {
    const tokens = Object.entries(floor.bare).map(([token, count]) => `${token} ×${count}`);
    return tokens.length === 0 ? [] : [`  floor bare  ${tokens.join(", ")} (no provider SDK class installed: replayed as bare CustomResources, cheaper than a class instance)`];
}

export function renderPlanSpeed(speed: PlanSpeed): string {
    return [
        `Plan speed: npm run plan -- --stack ${speed.stack} without npm's start-up (build check + plan, warm), median of ${speed.runs}; Node ${speed.node}, compile cache ${speed.compileCache ? "on" : "unavailable"}`,
        `  wall time   ${seconds(speed.wallMs.median)} (min ${seconds(speed.wallMs.min)}, max ${seconds(speed.wallMs.max)}${speed.cpuMs === null ? "" : `; CPU ${seconds(speed.cpuMs)}`})   target < ${seconds(PLAN_SPEED_TARGET.maxWallMs)}: ${verdict(speed.met.wall)}`,
        `  evaluation  ${seconds(speed.evaluationMs)} vs SDK floor ${seconds(speed.floorMs)} (${floorLabel(speed)}) = ${speed.overFloor.toFixed(2)}×   target ≤ ${PLAN_SPEED_TARGET.maxOverFloor}×: ${verdict(speed.met.overFloor)}`,
        ...bareLine(speed.floor),
        `  machine     ${speed.machine.cpus} CPUs, load average (1 min) ${speed.machine.loadBefore.toFixed(2)} before, ${speed.machine.loadAfter.toFixed(2)} after${busy(speed.machine) ? "   (busier than its CPUs: wall time is stretched)" : ""}`,
    ].join("\n");
}
