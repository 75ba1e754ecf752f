import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";

/**
 * Renders the topology's DOT to SVG offline with @viz-js/viz (Graphviz compiled to WebAssembly:
 * no browser, no system Graphviz), and reads the layout back (Graphviz's `json` output) so tests
 * can check boxes by their coordinates.
 */

interface Viz {
    renderString(input: string, options?: { format?: string }): string;
    renderJSON(input: string): object;
}

let viz: Promise<Viz> | undefined;

function instance(): Promise<Viz> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    viz ??= (require("@viz-js/viz") as { instance(): Promise<Viz> }).instance();
    return viz;
}

/** The installed @viz-js/viz version: a different Graphviz may lay the same DOT out differently. */
function vizVersion(): string {
    const main = require.resolve("@viz-js/viz");
    return (JSON.parse(readFileSync(path.join(path.dirname(main), "..", "package.json"), "utf8")) as { version: string }).version;
}

export async function renderSvg(dot: string): Promise<string> {
    return (await instance()).renderString(dot, { format: "svg" });
}

/** A box in Graphviz coordinates (points, origin bottom left). */
export interface LayoutBox {
    readonly name: string;
    readonly label: string;
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
}

interface JsonObject {
    readonly name: string;
    readonly label?: string;
    readonly bb?: string;
    readonly pos?: string;
    readonly width?: string;
    readonly height?: string;
}

/** A label as drawn: the layout reports DOT's `\n` line breaks as written. */
const text = (label: string | undefined) => (label ?? "").replace(/\\n/g, "\n");

/** The clusters' bounding boxes and the nodes' boxes of the laid-out graph. */
export async function layoutBoxes(dot: string): Promise<{ clusters: LayoutBox[]; nodes: LayoutBox[] }> {
    const layout = (await instance()).renderJSON(dot) as { objects?: JsonObject[] };
    const objects = layout.objects ?? [];
    const clusters = objects
        .filter((o) => o.name.startsWith("cluster") && o.bb !== undefined)
        .map((o) => {
            const [x0, y0, x1, y1] = o.bb!.split(",").map(Number);
            return { name: o.name, label: text(o.label), x0, y0, x1, y1 };
        });
    const nodes = objects
        .filter((o) => o.pos !== undefined)
        .map((o) => {
            const [x, y] = o.pos!.split(",").map(Number);
            // width/height in inches, 72 points each.
            const w = (Number(o.width) * 72) / 2;
            const h = (Number(o.height) * 72) / 2;
            return { name: o.name, label: text(o.label), x0: x - w, y0: y - h, x1: x + w, y1: y + h };
        });
    return { clusters, nodes };
}

const stamp = (dot: string) => `<!-- topology DOT sha256 ${createHash("sha256").update(`${vizVersion()}\n${dot}`).digest("hex")} -->`;

/**
 * Writes the SVG, unless the file there was rendered from this very DOT by this Graphviz (its
 * closing comment says so): an unchanged estate is not laid out again (~0.15 s).
 */
export async function writeTopologySvg(file: string, dot: string): Promise<"written" | "unchanged"> {
    const mark = stamp(dot);
    if (existsSync(file) && readFileSync(file, "utf8").trimEnd().endsWith(mark)) {
        return "unchanged";
    }
    writeFileSync(file, `${(await renderSvg(dot)).trimEnd()}\n${mark}\n`);
    return "written";
}
