import type { RecordedResource } from "../mock/recorder";
import type { PlannedAzureRegistration } from "./azure";
import { organizationPlan } from "./organization";
import { GLOBAL_REGION, type Scope } from "./scopes";

/**
 * The plan's topology, drawn by topology.ts: one group per account (AWS), subscription (Azure) or
 * organization target (the OUs a StackSet reaches), a node per Region inside, and the flows
 * between them derived from what the program really created — schedules starting Automation in
 * every runbook location, inventory syncing to the central bucket, patch-run events forwarded to
 * the central bus, hybrid activations registering Azure VMs, StackSets deploying to OUs. Flows
 * between the same two places share one edge, listing them.
 */
export interface TopologyNode {
    readonly id: string;
    /** Region (or "subscription"), then what it holds. */
    readonly lines: readonly string[];
    readonly central: boolean;
}

export interface TopologyGroup {
    readonly id: string;
    readonly kind: "aws" | "azure" | "organization";
    readonly lines: readonly string[];
    /** The central account: drawn first, on top. */
    readonly central: boolean;
    readonly nodes: readonly TopologyNode[];
}

export interface TopologyEdge {
    readonly from: string;
    readonly to: string;
    /** Sorted, distinct. */
    readonly flows: readonly string[];
    /** Only data coming back (inventory, events): drawn dashed. */
    readonly dataOnly: boolean;
    /** When the target is a whole group (an organization target), its id. */
    readonly toGroup?: string;
}

export interface Topology {
    readonly groups: readonly TopologyGroup[];
    readonly edges: readonly TopologyEdge[];
}

const DATA_FLOWS = new Set(["inventory", "patch-run events"]);

const safe = (key: string) => key.replace(/[^A-Za-z0-9]/g, "_");
/** A Graphviz / Mermaid node identifier from anything. */
export const nodeId = (key: string) => `n_${safe(key)}`;
/** Graphviz draws a subgraph as a box only when its name starts with "cluster". */
export const clusterId = (key: string) => `cluster_${safe(key)}`;

interface Located {
    readonly scope: Scope;
    count: number;
    readonly types: Set<string>;
}

function locatedScopes(resources: readonly RecordedResource[], scopes: ReadonlyMap<string, Scope>): Map<string, Located> {
    const located = new Map<string, Located>();
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
    return located;
}

/**
 * `registration` (the plan's Azure automatic registration, issue 18) adds its path: the tagged VMs
 * of each management group / subscription → the Key Vault holding the activations → the hybrid
 * home the activations register them in.
 */
export function topologyModel(resources: readonly RecordedResource[], scopes: ReadonlyMap<string, Scope>, registration?: PlannedAzureRegistration): Topology {
    const located = locatedScopes(resources, scopes);
    const scopeOf = (predicate: (r: RecordedResource) => boolean) => {
        const found = resources.find((r) => predicate(r) && scopes.has(r.urn));
        return found === undefined ? undefined : scopes.get(found.urn)?.key;
    };
    const central = scopeOf((r) => r.type === "aws:scheduler/scheduleGroup:ScheduleGroup");
    const centralAccount = central === undefined ? undefined : located.get(central)?.scope.account;
    const path = registrationPath(registration, accountGroups(located, central, centralAccount), located);
    const groups = path.groups;

    const flows = new Map<string, { from: string; to: string; flows: Set<string>; toGroup?: string }>();
    const flow = (from: string | undefined, to: string | undefined, name: string, toGroup?: string) => {
        if (from === undefined || to === undefined || from === to) {
            return;
        }
        const key = `${from}\u0000${to}`;
        const entry = flows.get(key) ?? { from, to, flows: new Set<string>(), ...(toGroup === undefined ? {} : { toGroup }) };
        entry.flows.add(name);
        flows.set(key, entry);
    };
    const withType = (type: string) => [...located.values()].filter((entry) => entry.types.has(type)).map((entry) => nodeId(entry.scope.key));
    const id = (key: string | undefined) => (key === undefined ? undefined : nodeId(key));
    for (const target of withType("aws:ssm/document:Document")) {
        flow(id(central), target, "Automation");
    }
    const dataBucket = scopeOf((r) => r.type === "aws:s3/bucket:Bucket" && String(r.inputs.bucket).startsWith("patching-inventory-sync-"));
    for (const source of withType("aws:ssm/resourceDataSync:ResourceDataSync")) {
        flow(source, id(dataBucket), "inventory");
    }
    for (const target of resources.filter((r) => r.type === "aws:cloudwatch/eventTarget:EventTarget" && /:event-bus\/patching-patch-runs$/.test(String(r.inputs.arn)))) {
        flow(id(scopes.get(target.urn)?.key), id(central), "patch-run events");
    }
    const activation = scopeOf((r) => r.type === "aws:ssm/activation:Activation");
    for (const subscription of withType("azure-native:compute:VirtualMachineExtension")) {
        flow(id(activation), subscription, "hybrid activation");
    }
    path.flows.forEach(({ from, to, name }) => flow(from, to, name));
    const organization = organizationGroups(resources, scopes);
    for (const { group, stackSets } of organization.targets) {
        for (const name of stackSets) {
            flow(organization.source, group.nodes[0].id, name, group.id);
        }
    }
    const edges = [...flows.values()]
        .map((e) => ({ ...e, flows: [...e.flows].sort(), dataOnly: [...e.flows].every((f) => DATA_FLOWS.has(f)) }))
        .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    return { groups: [...groups, ...organization.targets.map((t) => t.group)], edges };
}

function accountGroups(located: ReadonlyMap<string, Located>, central: string | undefined, centralAccount: string | undefined): TopologyGroup[] {
    const byAccount = new Map<string, Located[]>();
    for (const entry of located.values()) {
        const key = `${entry.scope.cloud} ${entry.scope.accountName ?? ""} ${entry.scope.account ?? ""}`;
        byAccount.set(key, [...(byAccount.get(key) ?? []), entry]);
    }
    return [...byAccount.entries()]
        .map(([key, members]): TopologyGroup => {
            const { cloud, accountName, account } = members[0].scope;
            const isCentral = cloud === "aws" && account !== undefined && account === centralAccount;
            return {
                id: clusterId(key),
                kind: cloud === "azure" ? "azure" : "aws",
                lines: [`${cloud === "azure" ? "Azure subscription" : "AWS account"} ${accountName ?? ""}${isCentral ? " · central" : ""}`, account ?? ""],
                central: isCentral,
                nodes: members
                    .sort((a, b) => a.scope.key.localeCompare(b.scope.key))
                    .map((entry) => ({
                        id: nodeId(entry.scope.key),
                        lines: [`${entry.scope.region ?? "subscription"}${entry.scope.key === central ? " · central" : ""}`, `${entry.count} resources`],
                        central: entry.scope.key === central,
                    })),
            };
        })
        .sort((a, b) => Number(b.central) - Number(a.central) || a.kind.localeCompare(b.kind) || a.lines[0].localeCompare(b.lines[0]));
}

/** Organization mode: one group per set of target OUs, a node per Region its StackSet instances deploy to. */
function organizationGroups(resources: readonly RecordedResource[], scopes: ReadonlyMap<string, Scope>) {
    const plan = organizationPlan(resources);
    const stackSet = resources.find((r) => r.type === "aws:cloudformation/stackSet:StackSet" && scopes.has(r.urn));
    const source = stackSet === undefined ? undefined : nodeId(scopes.get(stackSet.urn)!.key);
    const targets = new Map<string, { ous: readonly string[]; regions: Set<string>; stackSets: Set<string> }>();
    for (const instance of plan?.instances ?? []) {
        const key = [...instance.organizationalUnits].sort().join(",");
        const target = targets.get(key) ?? { ous: [...instance.organizationalUnits].sort(), regions: new Set<string>(), stackSets: new Set<string>() };
        target.regions.add(instance.region ?? "unknown Region");
        target.stackSets.add(`StackSet ${instance.stackSet}`);
        targets.set(key, target);
    }
    return {
        source,
        targets: [...targets.entries()].map(([key, target]) => ({
            stackSets: [...target.stackSets],
            group: {
                id: clusterId(`org ${key}`),
                kind: "organization",
                lines: ["Organization target (accounts in)", ...target.ous],
                central: false,
                nodes: [...target.regions].sort().map((region) => ({ id: nodeId(`org ${key} ${region}`), lines: [region], central: false })),
            } satisfies TopologyGroup,
        })),
    };
}

/** Adds `node` to the group `matches` finds, or to a new group made by `create`. */
function placed(groups: TopologyGroup[], node: TopologyNode, matches: (g: TopologyGroup) => boolean, create: () => Omit<TopologyGroup, "nodes">): TopologyGroup[] {
    const at = groups.findIndex(matches);
    if (at < 0) {
        return [...groups, { ...create(), nodes: [node] }];
    }
    return groups.map((g, i) => (i === at && !g.nodes.some((n) => n.id === node.id) ? { ...g, nodes: [...g.nodes, node] } : g));
}

/**
 * The registration path's nodes and flows: a "tagged VMs" node per scope (inside the
 * subscription's box when the program already has one, else in a box of its own), the vault in
 * its subscription's box, and flows VMs → vault (the secret) → hybrid home (the activations).
 */
function registrationPath(registration: PlannedAzureRegistration | undefined, accounts: TopologyGroup[], located: ReadonlyMap<string, Located>) {
    const flows: { from: string; to: string; name: string }[] = [];
    if (registration === undefined || registration.assignments.length === 0) {
        return { groups: accounts, flows };
    }
    const { vault } = registration;
    const inSubscription = (id: string) => (g: TopologyGroup) => g.kind === "azure" && g.lines[1]?.toLowerCase() === id.toLowerCase();
    const vaultNode = { id: nodeId(`keyvault ${vault.name}`), lines: [`Key Vault ${vault.name}`, `${new Set(registration.assignments.map((a) => a.secret.name)).size} activation secrets`], central: false };
    let groups = placed(accounts, vaultNode, inSubscription(vault.subscriptionId), () => ({ id: clusterId(`azure ${vault.subscriptionId}`), kind: "azure", lines: ["Azure subscription", vault.subscriptionId], central: false }));
    const first = registration.assignments[0].activation;
    const home = [...located.values()].find((l) => l.scope.cloud === "aws" && l.scope.account === first.accountId && l.scope.region === first.region);
    for (const scope of new Map(registration.assignments.map((a) => [a.scope.key, a.scope])).values()) {
        const mine = registration.assignments.filter((a) => a.scope.key === scope.key);
        const node = { id: nodeId(`azure vms ${scope.key}`), lines: ["tagged VMs (auto-registered)", `${registration.tagKey}: ${mine.map((a) => a.patchGroup).join(", ")}`], central: false };
        const title = scope.kind === "managementGroup" ? "Azure management group" : "Azure subscription";
        groups = placed(groups, node, scope.kind === "subscription" ? inSubscription(scope.id) : () => false, () => ({ id: clusterId(`azure scope ${scope.key}`), kind: "azure", lines: [title, scope.id], central: false }));
        flows.push({ from: node.id, to: vaultNode.id, name: "activation secret" });
        if (home !== undefined) {
            mine.forEach((a) => flows.push({ from: vaultNode.id, to: nodeId(home.scope.key), name: `activation ${a.activation.name}` }));
        }
    }
    return { groups, flows };
}
