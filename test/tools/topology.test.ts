import { strict as assert } from "node:assert";
import { resolveScopes } from "../../tools/plan/scopes";
import { topologyDot, topologyFile, topologyMermaid } from "../../tools/plan/topology";
import { topologyModel, type Topology } from "../../tools/plan/topologyModel";
import { evaluatedStack } from "../fixtures/programEvaluations";

describe("tools/plan/topology: the plan's topology model and its Mermaid / DOT text", () => {
    let prod: Topology;
    let org: Topology;

    before(async () => {
        const evaluation = await evaluatedStack("prod");
        prod = topologyModel(evaluation.recorder.resources, resolveScopes(evaluation.recorder));
        const organization = await evaluatedStack("org");
        org = topologyModel(organization.recorder.resources, resolveScopes(organization.recorder));
    });

    it("one group per account and subscription, the central account first, its Regions inside, the central Region marked", () => {
        assert.deepEqual(
            prod.groups.map((g) => g.lines.join(" ")),
            ["AWS account security · central 111111111111", "AWS account application 333333333333", "AWS account shared-services 222222222222", "Azure subscription corp-azure 5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a"],
        );
        assert.deepEqual(prod.groups[0].nodes.map((n) => n.lines[0]), ["eu-west-2", "us-east-1 · central", "us-west-2"]);
        assert.equal(prod.groups.flatMap((g) => g.nodes).filter((n) => n.central).length, 1);
    });

    it("one edge per (source, target) pair, listing every flow between them", () => {
        const pairs = prod.edges.map((e) => `${e.from} ${e.to}`);
        assert.equal(new Set(pairs).size, pairs.length);
        const central = prod.groups[0].nodes.find((n) => n.central)!.id;
        const from = (flows: string) => prod.edges.filter((e) => e.flows.join(", ") === flows);
        assert.equal(from("Automation").length, 6, "three accounts × two Regions outside the central Region");
        assert.ok(from("Automation").every((e) => e.from === central));
        // Inventory and events travel the same way: one dashed edge carries both.
        assert.equal(from("inventory, patch-run events").length, 6);
        assert.ok(from("inventory, patch-run events").every((e) => e.to === central && e.dataOnly));
        assert.deepEqual(from("hybrid activation").map((e) => e.from), ["n_aws_application__333333333333__eu_west_2"]);
    });

    it("organization mode: the StackSets' targets as groups of Regions, one edge from the central account per target", () => {
        const targets = org.groups.filter((g) => g.kind === "organization");
        assert.ok(targets.length >= 1);
        for (const target of targets) {
            assert.equal(target.lines[0], "Organization target (accounts in)");
            assert.ok(target.lines.slice(1).every((ou) => /^ou-/.test(ou)));
            const edges = org.edges.filter((e) => e.toGroup === target.id);
            assert.equal(edges.length, 1);
            assert.ok(edges[0].flows.every((flow) => flow.startsWith("StackSet patching-member-")), edges[0].flows.join());
        }
        assert.equal(org.groups[0].central, true);
    });

    it("Mermaid carries every edge; DOT draws one line per pair of places, into other boxes once per box, the central Region on top", () => {
        const mermaid = topologyMermaid(prod);
        assert.match(mermaid, /^flowchart TB\n/);
        assert.equal((mermaid.match(/subgraph /g) ?? []).length, prod.groups.length);
        assert.equal((mermaid.match(/-->|-\.->/g) ?? []).length, prod.edges.length);
        const dot = topologyDot(prod);
        assert.equal((dot.match(/subgraph cluster_/g) ?? []).length, prod.groups.length);
        const visible = dot.split("\n").filter((line) => line.includes(" -> ") && !line.includes("style=invis"));
        const central = "n_aws_security__111111111111__us_east_1";
        // The central Region to its account's two other Regions and to the two member accounts (both ways), application to Azure.
        assert.equal(visible.length, 5, visible.join("\n"));
        const both = visible.filter((line) => line.includes('label="↓ Automation\\n↑ inventory, patch-run events"') && line.includes("dir=both"));
        assert.equal(both.length, 4);
        assert.ok(both.every((line) => line.trim().startsWith(`${central} -> `)));
        assert.deepEqual(both.filter((line) => line.includes("lhead=")).map((line) => /lhead=(\w+)/.exec(line)?.[1]), ["cluster_aws_application_333333333333", "cluster_aws_shared_services_222222222222"]);
        assert.match(dot, /n_aws_application__333333333333__eu_west_2 -> n_azure_corp_azure__\w+ \[label="hybrid activation", lhead=cluster_azure_corp_azure_\w+\]/);
    });

    it("sits next to the JSON plan", () => {
        assert.equal(topologyFile(".plan/prod.json"), ".plan/prod.mmd");
        assert.equal(topologyFile(".plan/prod.json", "svg"), ".plan/prod.svg");
        assert.equal(topologyFile("out/plan", "svg"), "out/plan.svg");
    });
});
