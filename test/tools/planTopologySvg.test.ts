import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { syntheticEstateConfig, writeSyntheticStack } from "../../tools/bench/syntheticEstate";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";
import { resolveScopes } from "../../tools/plan/scopes";
import { GROUPS_PER_ROW, topologyDot } from "../../tools/plan/topology";
import { topologyModel } from "../../tools/plan/topologyModel";
import { layoutBoxes, renderSvg, writeTopologySvg, type LayoutBox } from "../../tools/plan/topologySvg";
import { evaluatedStack } from "../fixtures/programEvaluations";

const ROOT = path.resolve(__dirname, "..", "..");

const overlap = (a: LayoutBox, b: LayoutBox) => Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0) && Math.min(a.y1, b.y1) > Math.max(a.y0, b.y0);

/** Laid out by Graphviz (WebAssembly): boxes from the layout's coordinates, text from the SVG. */
async function drawn(evaluation: Evaluation) {
    const dot = topologyDot(topologyModel(evaluation.recorder.resources, resolveScopes(evaluation.recorder)));
    return { dot, svg: await renderSvg(dot), ...(await layoutBoxes(dot)) };
}

/** The text the SVG shows, entities decoded (Graphviz writes "-" as &#45;). */
function svgTexts(svg: string): string[] {
    return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&"));
}

/** Account and subscription ids the program created providers for. */
function accountIds(evaluation: Evaluation): string[] {
    return [...new Set([...resolveScopes(evaluation.recorder).values()].map((scope) => scope.account).filter((id): id is string => id !== undefined))].sort();
}

function assertReadable(picture: Awaited<ReturnType<typeof drawn>>, accounts: readonly string[], central: string) {
    const accountBoxes = picture.clusters.filter((c) => !c.name.startsWith("cluster_org"));
    for (const account of accounts) {
        assert.equal(accountBoxes.filter((c) => c.label.split("\n").includes(account)).length, 1, `${account}: one box`);
        assert.equal(svgTexts(picture.svg).filter((text) => text === account).length, 1, `${account}: written once in the SVG`);
    }
    assert.equal(accountBoxes.length, accounts.length);
    for (const [i, a] of picture.clusters.entries()) {
        for (const b of picture.clusters.slice(i + 1)) {
            assert.ok(!overlap(a, b), `${a.label.replace(/\n/g, " ")} overlaps ${b.label.replace(/\n/g, " ")}`);
        }
    }
    // Graphviz's y axis points up: the central account's box lies above every other box.
    const top = picture.clusters.find((c) => c.label.split("\n").includes(central))!;
    for (const other of picture.clusters.filter((c) => c !== top)) {
        assert.ok(top.y0 >= other.y1, `${other.label.replace(/\n/g, " ")} reaches above the central account`);
    }
    // Every Region node sits inside its account's box.
    for (const node of picture.nodes) {
        assert.ok(picture.clusters.some((c) => node.x0 >= c.x0 && node.x1 <= c.x1 && node.y0 >= c.y0 && node.y1 <= c.y1), `${node.name} outside every box`);
    }
}

describe("tools/plan/topologySvg: the topology as SVG, laid out by Graphviz offline", function () {
    this.timeout(180_000);
    let scratch: string;

    before(() => (scratch = mkdtempSync(path.join(tmpdir(), "plan-topology-"))));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("prod: every account and the subscription once, no boxes overlapping, the central account on top", async () => {
        const evaluation = await evaluatedStack("prod");
        assertReadable(await drawn(evaluation), accountIds(evaluation), "111111111111");
    });

    it("organization mode: the central account on top of the organization targets, nothing overlapping", async () => {
        const evaluation = await evaluatedStack("org");
        const picture = await drawn(evaluation);
        assert.ok(picture.clusters.some((c) => c.name.startsWith("cluster_org")));
        assertReadable(picture, accountIds(evaluation), accountIds(evaluation)[0]);
    });

    it("a synthetic 6-account × 3-Region estate: six boxes of three Regions each, none overlapping", async () => {
        const directory = mkdtempSync(path.join(scratch, "estate-"));
        writeSyntheticStack(ROOT, directory, "six", syntheticEstateConfig(18, ["us-west-2", "eu-west-2", "us-east-1"]));
        const evaluation = await evaluateProgram({ directory, stack: "six", program: path.join(ROOT, "index.ts") });
        const accounts = accountIds(evaluation);
        assert.equal(accounts.filter((id) => /^\d{12}$/.test(id)).length, 6);
        const picture = await drawn(evaluation);
        assertReadable(picture, accounts, "100000000000");
        for (const box of picture.clusters.filter((c) => c.label.startsWith("AWS account"))) {
            assert.equal(picture.nodes.filter((n) => n.x0 >= box.x0 && n.x1 <= box.x1 && n.y0 >= box.y0 && n.y1 <= box.y1).length, 3, box.label);
        }
    });

    it("a synthetic 20-account estate (built as the benchmark builds it): 20 account boxes, none overlapping, in rows", async () => {
        const directory = mkdtempSync(path.join(scratch, "estate-"));
        writeSyntheticStack(ROOT, directory, "twenty", syntheticEstateConfig(40));
        const evaluation = await evaluateProgram({ directory, stack: "twenty", program: path.join(ROOT, "index.ts") });
        const accounts = accountIds(evaluation);
        assert.equal(accounts.filter((id) => /^\d{12}$/.test(id)).length, 20, "20 AWS accounts (and the Azure subscription)");
        const picture = await drawn(evaluation);
        assertReadable(picture, accounts, "100000000000");
        // Rows of at most GROUPS_PER_ROW boxes under the central account, not one line of twenty.
        const rows = new Map<number, number>();
        for (const box of picture.clusters.filter((c) => !c.label.includes("· central"))) {
            rows.set(box.y0, (rows.get(box.y0) ?? 0) + 1);
        }
        assert.ok(rows.size >= Math.ceil(20 / GROUPS_PER_ROW), `${rows.size} rows`);
        assert.ok([...rows.values()].every((count) => count <= GROUPS_PER_ROW), [...rows.values()].join(", "));
    });

    it("writes the SVG next to the plan, and leaves an SVG rendered from the same DOT alone", async () => {
        const evaluation = await evaluatedStack("prod");
        const dot = topologyDot(topologyModel(evaluation.recorder.resources, resolveScopes(evaluation.recorder)));
        const file = path.join(scratch, "prod.svg");
        assert.equal(await writeTopologySvg(file, dot), "written");
        assert.match(readFileSync(file, "utf8"), /^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\n<!-- topology DOT sha256 [0-9a-f]{64} -->\n$/);
        assert.equal(await writeTopologySvg(file, dot), "unchanged");
        assert.equal(await writeTopologySvg(file, dot.replace("us-east-1 · central", "us-east-1 · moved")), "written");
    });
});
