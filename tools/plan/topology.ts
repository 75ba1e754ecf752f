import type { Topology, TopologyGroup } from "./topologyModel";

/**
 * The topology picture in two notations from one model (topologyModel.ts): Graphviz DOT, rendered
 * to SVG offline (topologySvg.ts), and Mermaid (renders on GitHub and in most editors).
 */

/** Member groups per row: a 20-account estate becomes a grid, not one very long line. */
export const GROUPS_PER_ROW = 4;

const quote = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const dotLabel = (lines: readonly string[]) => quote(lines.filter((line) => line !== "").join("\n")).replace(/\n/g, "\\n");

const GROUP_STYLE: Record<TopologyGroup["kind"], string> = {
    aws: 'style="rounded"; color="#d98c00"; fontcolor="#7a4f00"',
    azure: 'style="rounded"; color="#0a64b4"; fontcolor="#0a3d6e"',
    organization: 'style="rounded,dashed"; color="#6b6b6b"; fontcolor="#3c3c3c"',
};

/**
 * DOT: accounts (and subscriptions, organization targets) as boxes with their Regions inside, the
 * central account first and on top — edges run downward from its central Region; flows back to
 * that Region (inventory, events) are drawn from it with the arrow reversed, so they do not pull
 * it down.
 */
export function topologyDot(topology: Topology): string {
    const centralNode = topology.groups.flatMap((g) => g.nodes).find((n) => n.central)?.id;
    const lines = [
        "digraph topology {",
        '    graph [rankdir=TB, compound=true, newrank=true, nodesep=0.25, ranksep=0.9, fontname="Helvetica", fontsize=11, labeljust=l];',
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ];
    for (const group of topology.groups) {
        lines.push(`    subgraph ${group.id} {`, `        label=${dotLabel(group.lines)}; ${GROUP_STYLE[group.kind]}; penwidth=${group.central ? 2 : 1};`);
        for (const node of group.nodes) {
            lines.push(`        ${node.id} [label=${dotLabel(node.lines)}${node.central ? ', penwidth=2, fillcolor="#fff4dc"' : ""}];`);
        }
        // A group's Regions side by side: one row per box, so a box never straddles another's rows.
        lines.push(`        { rank=same; ${group.nodes.map((node) => node.id).join("; ")}; }`, "    }");
    }
    for (const edge of drawnEdges(topology, centralNode)) {
        lines.push(`    ${dotEdge(edge)}`);
    }
    lines.push(...gridEdges(topology.groups), "}");
    return `${lines.join("\n")}\n`;
}

/** An edge as drawn: flows both ways between two places share one line, arrows at both ends. */
interface DrawnEdge {
    readonly from: string;
    readonly to: string;
    /** Flows away from `from` (↓) and towards it (↑), each with the Regions it reaches in the target box. */
    readonly down: ReadonlyMap<string, readonly string[]>;
    readonly up: ReadonlyMap<string, readonly string[]>;
    readonly dashed: boolean;
    readonly toGroup?: string;
    /** Every Region in the target box: a flow reaching all of them needs no list. */
    readonly boxRegions: readonly string[];
}

/**
 * Edges into the central Region are turned around (drawn from it, arrow reversed) so they do not
 * pull it down. Between a Region and another box, one line to the box (not one per Region in it:
 * 40 lines fanning out of one node make a 20-account picture unreadably wide), its label listing
 * each flow ↓ (from the upper end) or ↑ (towards it) with the Regions it concerns.
 */
function drawnEdges(topology: Topology, centralNode: string | undefined): DrawnEdge[] {
    const groupOf = new Map(topology.groups.flatMap((g) => g.nodes.map((n) => [n.id, g] as const)));
    const regionOf = new Map(topology.groups.flatMap((g) => g.nodes.map((n) => [n.id, n.lines[0].replace(" · central", "")] as const)));
    const drawn = new Map<string, { from: string; to: string; down: Map<string, string[]>; up: Map<string, string[]>; dashed: boolean; toGroup?: string; boxRegions: string[] }>();
    for (const edge of topology.edges) {
        const back = edge.to === centralNode;
        const [from, far] = back ? [edge.to, edge.from] : [edge.from, edge.to];
        const group = groupOf.get(far);
        const acrossBoxes = group !== undefined && group !== groupOf.get(from);
        const toGroup = edge.toGroup ?? (acrossBoxes ? group.id : undefined);
        const to = toGroup === undefined ? far : group!.nodes[0].id;
        const boxRegions = acrossBoxes ? group.nodes.map((n) => regionOf.get(n.id) ?? n.id) : [];
        const entry = drawn.get(`${from} ${to}`) ?? { from, to, down: new Map<string, string[]>(), up: new Map<string, string[]>(), dashed: true, boxRegions, ...(toGroup === undefined ? {} : { toGroup }) };
        for (const flow of edge.flows) {
            const flows = back ? entry.up : entry.down;
            flows.set(flow, [...(flows.get(flow) ?? []), ...(acrossBoxes && edge.toGroup === undefined ? [regionOf.get(far) ?? far] : [])]);
        }
        entry.dashed &&= edge.dataOnly;
        drawn.set(`${from} ${to}`, entry);
    }
    return [...drawn.values()];
}

function dotEdge(edge: DrawnEdge): string {
    const within = (regions: readonly string[]) => {
        const distinct = [...new Set(regions)].sort();
        return distinct.length === 0 || distinct.length === edge.boxRegions.length ? "" : ` (${distinct.join(", ")})`;
    };
    // Flows concerning the same Regions share a line: "↑ inventory, patch-run events".
    const describe = (flows: ReadonlyMap<string, readonly string[]>, mark: string) => {
        const byRegions = new Map<string, string[]>();
        for (const [flow, regions] of flows) {
            byRegions.set(within(regions), [...(byRegions.get(within(regions)) ?? []), flow]);
        }
        return [...byRegions.entries()].map(([regions, names]) => `${mark}${names.sort().join(", ")}${regions}`);
    };
    const both = edge.down.size > 0 && edge.up.size > 0;
    const label = [...describe(edge.down, both ? "↓ " : ""), ...describe(edge.up, both ? "↑ " : "")];
    const attributes = [`label=${dotLabel(label)}`];
    if (edge.dashed) {
        attributes.push("style=dashed");
    }
    if (edge.toGroup !== undefined) {
        attributes.push(`lhead=${edge.toGroup}`);
    }
    if (edge.up.size > 0) {
        attributes.push(both ? "dir=both" : "dir=back");
    }
    return `${edge.from} -> ${edge.to} [${attributes.join(", ")}];`;
}

/** Invisible edges stacking the non-central groups GROUPS_PER_ROW to a row. */
function gridEdges(groups: readonly TopologyGroup[]): string[] {
    const members = groups.filter((g) => !g.central && g.nodes.length > 0);
    return members.slice(GROUPS_PER_ROW).map((group, i) => `    ${members[i].nodes[0].id} -> ${group.nodes[0].id} [style=invis];`);
}

const mermaidLabel = (lines: readonly string[]) => `"${lines.filter((line) => line !== "").join("<br/>").replace(/"/g, "#quot;")}"`;

/** Mermaid flowchart of the same model. */
export function topologyMermaid(topology: Topology): string {
    const lines = ["flowchart TB"];
    for (const group of topology.groups) {
        lines.push(`    subgraph ${group.id}[${mermaidLabel(group.lines)}]`);
        lines.push(...group.nodes.map((node) => `        ${node.id}[${mermaidLabel(node.lines)}]`), "    end");
    }
    for (const edge of topology.edges) {
        lines.push(`    ${edge.from} ${edge.dataOnly ? "-.->" : "-->"}|${mermaidLabel(edge.flows)}| ${edge.toGroup ?? edge.to}`);
    }
    return `${lines.join("\n")}\n`;
}

/** The pictures sit next to the JSON plan: `.plan/prod.json` → `.plan/prod.svg`, `.plan/prod.mmd`. */
export function topologyFile(out: string, extension: "svg" | "mmd" = "mmd"): string {
    return `${out.replace(/\.json$/i, "")}.${extension}`;
}
