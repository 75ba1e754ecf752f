import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as nodeModule from "node:module";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The prod plan's speed (issue 20, item 8), measured as `npm run plan -- --stack prod` costs
 * without npm's own start-up: the commands of package.json's "plan" script run as child
 * processes, warm (one discarded run first fills the build record, the Lambda bundle cache and
 * the compile cache). Against the Pulumi SDK floor: the same plan's registrations replayed as a
 * flat program (tools/bench/floor.ts) under the same mocks. Runs alternate, so machine load
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
    readonly overFloor: number;
    readonly met: { readonly wall: boolean; readonly overFloor: boolean };
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
        for (let run = 0; run < runs; run++) {
            const { wall, cpu, evaluated } = plan();
            walls.push(wall);
            cpus.push(cpu);
            evaluations.push(evaluated);
            const replayed = JSON.parse(timed(floor, root).stdout.trim().split("\n").pop() as string) as { registrations: number; ms: number };
            floors.push(replayed.ms);
            registrations = replayed.registrations;
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
            overFloor,
            met: { wall: wallMs.median < PLAN_SPEED_TARGET.maxWallMs, overFloor: overFloor <= PLAN_SPEED_TARGET.maxOverFloor },
        };
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (met: boolean) => (met ? "met" : "NOT met");

export function renderPlanSpeed(speed: PlanSpeed): string {
    return [
        `Plan speed: npm run plan -- --stack ${speed.stack} without npm's start-up (build check + plan, warm), median of ${speed.runs}; Node ${speed.node}, compile cache ${speed.compileCache ? "on" : "unavailable"}`,
        `  wall time   ${seconds(speed.wallMs.median)} (min ${seconds(speed.wallMs.min)}, max ${seconds(speed.wallMs.max)}${speed.cpuMs === null ? "" : `; CPU ${seconds(speed.cpuMs)}`})   target < ${seconds(PLAN_SPEED_TARGET.maxWallMs)}: ${verdict(speed.met.wall)}`,
        `  evaluation  ${seconds(speed.evaluationMs)} vs SDK floor ${seconds(speed.floorMs)} (its ${speed.registrations} registrations replayed flat, same mocks) = ${speed.overFloor.toFixed(2)}×   target ≤ ${PLAN_SPEED_TARGET.maxOverFloor}×: ${verdict(speed.met.overFloor)}`,
    ].join("\n");
}
