import type { AutomationExecution } from "@aws-sdk/client-ssm";
import { MultiBar, type SingleBar } from "cli-progress";
import Table from "cli-table3";
import { resourceGroupName } from "../../catalog/naming";
import type { Estate } from "../../stacks/config/estateModel";
import type { OpsDeps, SsmApi } from "./clients";
import { accountLabel, loadEstate, UsageError } from "./estate";
import { isGateExecution, latestGate, readGate, renderGate, stopNotes } from "./gateStatus";
import { RUNBOOK_DOCUMENTS } from "./patchNow";
import { allExecutions, allSteps, newestFirst } from "./ssmPages";
import { bucketOf, summariseRun, type ChildRun, type LocationProgress, type RunSnapshot, type RunSummary } from "./statusModel";

export interface StatusOptions {
    readonly execution?: string;
    readonly latest: boolean;
    readonly group?: string;
    readonly stack?: string;
    readonly region?: string;
    readonly profile?: string;
    readonly watch: boolean;
    /** Seconds between refreshes with --watch. */
    readonly interval: number;
}

/**
 * One read of the run. Children that have ended keep their steps in `finished` (they cannot
 * change). `known`: the parent as just read (the first round reads it to tell a gate from a run).
 */
export async function readRun(ssm: SsmApi, executionId: string, finished: Map<string, ChildRun>, known?: AutomationExecution): Promise<RunSnapshot> {
    const parent = known ?? (await ssm.getAutomationExecution({ AutomationExecutionId: executionId })).AutomationExecution;
    if (parent === undefined) {
        throw new Error(`GetAutomationExecution returned nothing for ${executionId}`);
    }
    const parentSteps = await allSteps(ssm, executionId);
    const children: ChildRun[] = [];
    for (const execution of await allExecutions(ssm, [{ Key: "ParentExecutionId", Values: [executionId] }])) {
        const id = execution.AutomationExecutionId ?? "";
        const known = finished.get(id);
        const child = known ?? { execution, steps: await allSteps(ssm, id) };
        const bucket = bucketOf(execution.AutomationExecutionStatus);
        if (bucket === "success" || bucket === "failed") {
            finished.set(id, child);
        }
        children.push(child);
    }
    return { parent, parentSteps, children };
}

/**
 * The newest multi-account run of a patch group: a parent (no ParentAutomationExecutionId) of one
 * of our runbooks whose Targets name the group's resource group, or — for the stopped-instances
 * workflow, which has no Targets — whose PatchGroup parameter is the group.
 */
export async function latestRun(ssm: SsmApi, group: string): Promise<string> {
    const candidates = (
        await allExecutions(ssm, [
            { Key: "DocumentNamePrefix", Values: Object.values(RUNBOOK_DOCUMENTS) },
            { Key: "AutomationType", Values: ["CrossAccount"] },
        ])
    )
        .filter((execution) => execution.ParentAutomationExecutionId === undefined)
        .sort(newestFirst);
    for (const candidate of candidates) {
        if (candidate.Targets?.some((target) => target.Key === "ResourceGroup" && target.Values?.includes(resourceGroupName(group)))) {
            return candidate.AutomationExecutionId ?? "";
        }
        if (candidate.DocumentName === RUNBOOK_DOCUMENTS.PatchWithStoppedInstances) {
            const { AutomationExecution } = await ssm.getAutomationExecution({ AutomationExecutionId: candidate.AutomationExecutionId });
            if (AutomationExecution?.Parameters?.PatchGroup?.[0] === group) {
                return candidate.AutomationExecutionId ?? "";
            }
        }
    }
    throw new Error(`no multi-account patch run of group ${group} found`);
}

const LABELS = { pending: "Pending", inProgress: "In progress", success: "Success", failed: "Failed" } as const;

export function renderSummary(summary: RunSummary, estate: Estate | undefined, notes: readonly string[] = []): string {
    // Skipped: nodes the per-node runbook found not running / not Online (Success, no command sent).
    const table = new Table({ head: ["Account", "Region", "State", "Pending", "In progress", "Success", "Skipped", "Failed"], style: { head: [], border: [] } });
    for (const l of summary.locations) {
        table.push([accountLabel(estate, l.account), l.region, LABELS[l.state], l.nodes.pending, l.nodes.inProgress, l.nodes.success, l.skipped.length, l.nodes.failed]);
    }
    const started = summary.startTime === undefined ? "" : `, started ${summary.startTime.toISOString()}`;
    const lines = [`Execution ${summary.executionId} (${summary.documentName}): ${summary.status}${started}`, table.toString()];
    const failures = summary.locations.flatMap((l) => l.failures.map((f) => `  ${accountLabel(estate, l.account)} ${l.region} ${f.node} [${f.step}]: ${f.message}${f.output === undefined ? "" : ` Output: ${f.output}`}`));
    const skips = summary.locations.flatMap((l) => l.skipped.map((k) => `  ${accountLabel(estate, l.account)} ${l.region} ${k.node}: ${k.reason}`));
    if (skips.length > 0) {
        lines.push(`Skipped (${skips.length}):`, ...skips);
    }
    if (failures.length > 0) {
        lines.push("Failed:", ...failures);
    }
    // Why the run stopped: its halt alarm, the window cutoff (gateStatus.ts stopNotes).
    lines.push(...notes);
    return `${lines.join("\n")}\n`;
}

/** A bar per location on a terminal; elsewhere one line per refresh. */
function progressDisplay(deps: OpsDeps, estate: Estate | undefined) {
    if (deps.stderr.isTTY !== true) {
        return {
            update: (s: RunSummary) => {
                const ended = s.locations.filter((l) => l.state === "success" || l.state === "failed").length;
                const skipped = s.locations.reduce((sum, l) => sum + l.skipped.length, 0);
                deps.stderr.write(`${deps.now().toISOString()} ${s.status}: ${ended}/${s.locations.length} locations ended, ${s.locations.filter((l) => l.state === "failed" || l.nodes.failed > 0).length} with failures${skipped > 0 ? `, ${skipped} node(s) skipped` : ""}\n`);
            },
            stop: () => undefined,
        };
    }
    const multi = new MultiBar({ stream: deps.stderr as NodeJS.WritableStream, format: "{location} [{bar}] {value}/{total} nodes | {state} | failed {failed}", hideCursor: true, clearOnComplete: false });
    const bars = new Map<string, SingleBar>();
    return {
        update: (s: RunSummary) => {
            for (const l of s.locations) {
                const done = l.nodes.success + l.skipped.length + l.nodes.failed;
                const total = Math.max(1, done + l.nodes.pending + l.nodes.inProgress);
                const payload = { location: `${accountLabel(estate, l.account)} ${l.region}`.padEnd(42), state: LABELS[l.state], failed: l.nodes.failed };
                const bar = bars.get(payload.location) ?? multi.create(total, 0, payload);
                bars.set(payload.location, bar);
                bar.setTotal(total);
                bar.update(done, payload);
            }
        },
        stop: () => multi.stop(),
    };
}

const locationFailed = (l: LocationProgress) => l.state === "failed" || l.nodes.failed > 0;

export async function status(options: StatusOptions, deps: OpsDeps): Promise<number> {
    if ((options.execution === undefined) === (options.latest !== true)) {
        throw new UsageError("status: give either --execution <id> or --latest --group <name> --stack <name>");
    }
    if (options.latest && options.group === undefined) {
        throw new UsageError("--latest needs --group <patch group>");
    }
    if (options.latest && options.stack === undefined) {
        // Without the stack the group name goes unchecked and the Region is whatever the SDK finds.
        throw new UsageError(`--latest needs --stack <name> (the stack whose central Region runs group ${options.group})`);
    }
    if (options.execution !== undefined && !/^[0-9a-fA-F-]{36}$/.test(options.execution)) {
        throw new UsageError(`--execution: "${options.execution}" is not an Automation execution id (36 characters, e.g. 4105a4fc-f944-11e6-9d32-0123456789ab)`);
    }
    const estate = options.stack === undefined ? undefined : loadEstate(deps.directory, options.stack);
    if (estate !== undefined && options.group !== undefined && !estate.patchGroups.some((g) => g.name === options.group)) {
        throw new UsageError(`--group: patch group "${options.group}" is not in Pulumi.${options.stack}.yaml (patch groups: ${estate.patchGroups.map((g) => g.name).join(", ")})`);
    }
    const region = options.region ?? estate?.central.region;
    const ssm = deps.ssm({ ...(region === undefined ? {} : { region }), ...(options.profile === undefined ? {} : { profile: options.profile }) });
    const executionId = options.execution ?? (await latestExecution(ssm, options.group ?? "", estate));
    const { AutomationExecution: first } = await ssm.getAutomationExecution({ AutomationExecutionId: executionId });
    if (first === undefined) {
        throw new Error(`GetAutomationExecution returned nothing for ${executionId}`);
    }
    return isGateExecution(first) ? gateStatus(ssm, executionId, first, options, deps, estate) : runStatus(ssm, executionId, first, options, deps, estate);
}

/**
 * `--latest` for a gated group: its newest gate execution (held and skipped runs included), else
 * (no gate run yet) its newest patch run.
 */
async function latestExecution(ssm: SsmApi, group: string, estate: Estate | undefined): Promise<string> {
    const gated = estate?.patchGroups.find((g) => g.name === group)?.rollout !== undefined;
    return (gated ? await latestGate(ssm, group) : undefined) ?? (await latestRun(ssm, group));
}

/** A gate execution: wait for its decision (with --watch), then follow the patch run it started. */
async function gateStatus(ssm: SsmApi, executionId: string, first: AutomationExecution, options: StatusOptions, deps: OpsDeps, estate: Estate | undefined): Promise<number> {
    let gate = await readGate(ssm, executionId, first);
    while (options.watch && !gate.done) {
        await deps.sleep(options.interval * 1000);
        gate = await readGate(ssm, executionId);
    }
    deps.stdout.write(renderGate(gate));
    if (gate.childExecutionId === undefined) {
        // Held (the gate failed with the reason) or skipped (not the offset day: the gate succeeded).
        return bucketOf(gate.status) === "failed" ? 1 : 0;
    }
    const { AutomationExecution: child } = await ssm.getAutomationExecution({ AutomationExecutionId: gate.childExecutionId });
    if (child === undefined) {
        throw new Error(`GetAutomationExecution returned nothing for ${gate.childExecutionId}`);
    }
    return runStatus(ssm, gate.childExecutionId, child, options, deps, estate);
}

async function runStatus(ssm: SsmApi, executionId: string, first: AutomationExecution, options: StatusOptions, deps: OpsDeps, estate: Estate | undefined): Promise<number> {
    const finished = new Map<string, ChildRun>();
    let snapshot = await readRun(ssm, executionId, finished, first);
    let summary = summariseRun(snapshot);
    if (options.watch) {
        const display = progressDisplay(deps, estate);
        try {
            display.update(summary);
            while (!summary.done) {
                await deps.sleep(options.interval * 1000);
                snapshot = await readRun(ssm, executionId, finished);
                summary = summariseRun(snapshot);
                display.update(summary);
            }
        } finally {
            display.stop();
        }
    }
    deps.stdout.write(renderSummary(summary, estate, await stopNotes(ssm, snapshot.parent)));
    return summary.failed || summary.locations.some(locationFailed) ? 1 : 0;
}
