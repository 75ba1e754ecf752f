import type { AutomationExecutionFilter, AutomationExecutionMetadata, StepExecution } from "@aws-sdk/client-ssm";
import { MultiBar, type SingleBar } from "cli-progress";
import Table from "cli-table3";
import { resourceGroupName } from "../../catalog/naming";
import type { Estate } from "../../stacks/config/estateModel";
import type { OpsDeps, SsmApi } from "./clients";
import { accountLabel, loadEstate, UsageError } from "./estate";
import { RUNBOOK_DOCUMENTS } from "./patchNow";
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

async function allSteps(ssm: SsmApi, executionId: string): Promise<StepExecution[]> {
    const steps: StepExecution[] = [];
    let token: string | undefined;
    do {
        const page = await ssm.describeAutomationStepExecutions({ AutomationExecutionId: executionId, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        steps.push(...(page.StepExecutions ?? []));
        token = page.NextToken;
    } while (token);
    return steps;
}

async function allExecutions(ssm: SsmApi, filters: AutomationExecutionFilter[]): Promise<AutomationExecutionMetadata[]> {
    const executions: AutomationExecutionMetadata[] = [];
    let token: string | undefined;
    do {
        const page = await ssm.describeAutomationExecutions({ Filters: filters, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
        executions.push(...(page.AutomationExecutionMetadataList ?? []));
        token = page.NextToken;
    } while (token);
    return executions;
}

/** One read of the run. Children that have ended keep their steps in `finished` (they cannot change). */
export async function readRun(ssm: SsmApi, executionId: string, finished: Map<string, ChildRun>): Promise<RunSnapshot> {
    const { AutomationExecution: parent } = await ssm.getAutomationExecution({ AutomationExecutionId: executionId });
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
        .sort((a, b) => (b.ExecutionStartTime?.getTime() ?? 0) - (a.ExecutionStartTime?.getTime() ?? 0));
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

export function renderSummary(summary: RunSummary, estate: Estate | undefined): string {
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
        throw new UsageError("status: give either --execution <id> or --latest --group <name>");
    }
    if (options.latest && options.group === undefined) {
        throw new UsageError("--latest needs --group <patch group>");
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
    const executionId = options.execution ?? (await latestRun(ssm, options.group ?? ""));
    const finished = new Map<string, ChildRun>();
    let summary = summariseRun(await readRun(ssm, executionId, finished));
    if (options.watch) {
        const display = progressDisplay(deps, estate);
        try {
            display.update(summary);
            while (!summary.done) {
                await deps.sleep(options.interval * 1000);
                summary = summariseRun(await readRun(ssm, executionId, finished));
                display.update(summary);
            }
        } finally {
            display.stop();
        }
    }
    deps.stdout.write(renderSummary(summary, estate));
    return summary.failed || summary.locations.some(locationFailed) ? 1 : 0;
}
