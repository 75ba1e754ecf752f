import type { RecordedResource } from "../mock/recorder";
import { GLOBAL_REGION, type Scope } from "./scopes";

/**
 * The plan's topology picture, as a Mermaid flowchart (renders on GitHub and in most editors):
 * one box per account × Region and per Azure subscription, grouped by account, with the flows
 * between them derived from what the program really created — schedules starting Automation in
 * every runbook location, inventory syncing to the central bucket, patch-run events forwarded to
 * the central bus, hybrid activations registering Azure VMs.
 */
export function topologyMermaid(resources: readonly RecordedResource[], scopes: ReadonlyMap<string, Scope>): string {
    const located = new Map<string, { scope: Scope; count: number; types: Set<string> }>();
    for (const resource of resources) {
        const scope = scopes.get(resource.urn);
        if (!resource.custom || scope === undefined || scope.cloud === "estate" || scope.region === GLOBAL_REGION) {
            continue;
        }
        const entry = located.get(scope.key) ?? { scope, count: 0, types: new Set<string>() };
        entry.count += 1;
        entry.types.add(resource.type);
        located.set(scope.key, entry);
    }
    const id = (key: string) => `n_${key.replace(/[^A-Za-z0-9]/g, "_")}`;
    const with_ = (type: string) => [...located.values()].filter((entry) => entry.types.has(type)).map((entry) => entry.scope.key);
    const scopeOf = (predicate: (r: RecordedResource) => boolean) => {
        const found = resources.find((r) => predicate(r) && scopes.has(r.urn));
        return found === undefined ? undefined : scopes.get(found.urn)?.key;
    };
    const central = scopeOf((r) => r.type === "aws:scheduler/scheduleGroup:ScheduleGroup");

    const lines = ["flowchart LR"];
    const groups = new Map<string, Scope[]>();
    for (const { scope } of located.values()) {
        const group = `${scope.cloud} ${scope.accountName ?? ""} ${scope.account ?? ""}`;
        groups.set(group, [...(groups.get(group) ?? []), scope]);
    }
    for (const [group, members] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const [cloud, name, account] = group.split(" ");
        lines.push(`    subgraph ${id(group)}["${cloud === "aws" ? "AWS" : "Azure"} ${name} (${account})"]`);
        for (const scope of members.sort((a, b) => a.key.localeCompare(b.key))) {
            const entry = located.get(scope.key)!;
            const label = `${scope.region ?? "subscription"}${scope.key === central ? " · central" : ""}<br/>${entry.count} resources`;
            lines.push(`        ${id(scope.key)}["${label}"]`);
        }
        lines.push("    end");
    }
    const edges = new Set<string>();
    const edge = (from: string | undefined, to: string | undefined, label: string, arrow = "-->") => {
        if (from !== undefined && to !== undefined && from !== to) {
            edges.add(`    ${id(from)} ${arrow}|${label}| ${id(to)}`);
        }
    };
    for (const target of with_("aws:ssm/document:Document")) {
        edge(central, target, "Automation");
    }
    const dataBucket = scopeOf((r) => r.type === "aws:s3/bucket:Bucket" && String(r.inputs.bucket).startsWith("patching-inventory-sync-"));
    for (const source of with_("aws:ssm/resourceDataSync:ResourceDataSync")) {
        edge(source, dataBucket, "inventory", "-.->");
    }
    const centralBus = resources.filter((r) => r.type === "aws:cloudwatch/eventTarget:EventTarget" && /:event-bus\/patching-patch-runs$/.test(String(r.inputs.arn)));
    for (const target of centralBus) {
        edge(scopes.get(target.urn)?.key, central, "patch-run events", "-.->");
    }
    const activation = scopeOf((r) => r.type === "aws:ssm/activation:Activation");
    for (const subscription of with_("azure-native:compute:VirtualMachineExtension")) {
        edge(activation, subscription, "hybrid activation");
    }
    lines.push(...[...edges].sort());
    return `${lines.join("\n")}\n`;
}

/** The topology picture sits next to the JSON plan: `.plan/prod.json` → `.plan/prod.mmd`. */
export function topologyFile(out: string): string {
    return out.replace(/\.json$/i, "") + ".mmd";
}
