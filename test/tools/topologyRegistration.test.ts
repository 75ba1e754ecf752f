import { strict as assert } from "node:assert";
import { azureRegistrationPlan } from "../../tools/plan/azure";
import { ResourceRecorder, type RecordedResource } from "../../tools/mock/recorder";
import { resolveScopes } from "../../tools/plan/scopes";
import { topologyDot } from "../../tools/plan/topology";
import { nodeId, topologyModel, type Topology } from "../../tools/plan/topologyModel";
import { layoutBoxes, type LayoutBox } from "../../tools/plan/topologySvg";
import { awsProvider, resource } from "../policies/helpers";
import { AUTO_REGISTRATION, estateWithAutoRegistration } from "./azureRegistrationFixture";

/**
 * Issue 18, item 6: the registration path in the topology — tagged VMs per scope → Key Vault →
 * activation → hybrid home — over a small recorded estate: the central account, the hybrid home
 * (application, eu-west-2) with the explicit VMs' activation, and the Azure subscription holding
 * the vault and one explicitly listed VM.
 */
const VAULT_SUBSCRIPTION = AUTO_REGISTRATION.keyVault.subscriptionId;

function recordedEstate(): ResourceRecorder {
    const central = awsProvider("security", "111111111111");
    const hybrid = awsProvider("application", "333333333333");
    const azure = resource("pulumi:providers:azure-native", "azure-corp-azure", { subscriptionId: VAULT_SUBSCRIPTION });
    const resources: RecordedResource[] = [
        central,
        hybrid,
        azure,
        resource("aws:scheduler/scheduleGroup:ScheduleGroup", "patching", { region: "us-east-1" }, { provider: central }),
        resource("aws:ssm/document:Document", "runbook", { region: "eu-west-2" }, { provider: hybrid }),
        resource("aws:ssm/activation:Activation", "hybrid-Linux", { region: "eu-west-2" }, { provider: hybrid }),
        resource("azure-native:compute:VirtualMachineExtension", "vm-lin-01-ssm-agent", { vmName: "vm-lin-01" }, { provider: azure }),
        resource("azure-native:keyvault:Vault", "registration-vault", { vaultName: AUTO_REGISTRATION.keyVault.name }, { provider: azure }),
    ];
    const recorder = new ResourceRecorder();
    resources.forEach((r) => recorder.add(r));
    return recorder;
}

function registration() {
    const estate = estateWithAutoRegistration();
    const home = { ...estate.hybrid, account: { ...estate.hybrid.account, alias: "application", id: "333333333333" }, region: "eu-west-2" };
    return azureRegistrationPlan({ ...estate, hybrid: home })!;
}

const overlap = (a: LayoutBox, b: LayoutBox) => Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0) && Math.min(a.y1, b.y1) > Math.max(a.y0, b.y0);

describe("tools/plan/topologyModel: the Azure registration path (issue 18)", () => {
    const recorder = recordedEstate();
    const scopes = resolveScopes(recorder);
    let topology: Topology;
    before(() => (topology = topologyModel(recorder.resources, scopes, registration())));

    const vault = nodeId(`keyvault ${AUTO_REGISTRATION.keyVault.name}`);
    const home = nodeId("aws application (333333333333) eu-west-2");
    const edge = (from: string, to: string) => topology.edges.find((e) => e.from === from && e.to === to);

    it("tagged VMs per scope → Key Vault → the hybrid home, with each group's activation", () => {
        const vms = topology.groups.flatMap((g) => g.nodes).filter((n) => n.lines[0] === "tagged VMs (auto-registered)");
        assert.deepEqual(vms.map((n) => n.lines[1]), ["Patch Group: Linux, Mixed_fleet.prod", "Patch Group: Linux, Mixed_fleet.prod"]);
        for (const node of vms) {
            assert.deepEqual(edge(node.id, vault)?.flows, ["activation secret"]);
        }
        assert.deepEqual(edge(vault, home)?.flows, ["activation azure-Linux", "activation azure-Mixed_fleet.prod"]);
        assert.deepEqual(edge(home, nodeId(`azure corp-azure (${VAULT_SUBSCRIPTION})`))?.flows, ["hybrid activation"], "the explicit VMs' edge stays");
    });

    it("the vault sits in its subscription's box; a management group and an unknown subscription get boxes of their own; each node once", () => {
        const boxOf = (id: string) => topology.groups.filter((g) => g.nodes.some((n) => n.id === id));
        assert.deepEqual(boxOf(vault).map((g) => g.lines.join(" ")), [`Azure subscription corp-azure ${VAULT_SUBSCRIPTION}`]);
        assert.deepEqual(
            topology.groups.filter((g) => g.kind === "azure").map((g) => g.lines.join(" ")),
            [`Azure subscription corp-azure ${VAULT_SUBSCRIPTION}`, "Azure management group corp-prod", `Azure subscription ${AUTO_REGISTRATION.scopes[1].id}`],
        );
        const ids = topology.groups.flatMap((g) => g.nodes.map((n) => n.id));
        assert.equal(new Set(ids).size, ids.length);
    });

    it("without the registration plan the picture is as before (no vault, no scope boxes)", () => {
        const plain = topologyModel(recorder.resources, scopes);
        assert.equal(plain.groups.flatMap((g) => g.nodes).filter((n) => n.id === vault).length, 0);
        assert.equal(plain.groups.length, topology.groups.length - 2);
    });

    it("laid out by Graphviz: no boxes overlap, every node inside a box and drawn once", async function () {
        this.timeout(60_000);
        const { clusters, nodes } = await layoutBoxes(topologyDot(topology));
        assert.equal(clusters.length, topology.groups.length);
        for (const [i, a] of clusters.entries()) {
            for (const b of clusters.slice(i + 1)) {
                assert.ok(!overlap(a, b), `${a.label} overlaps ${b.label}`);
            }
        }
        const names = nodes.map((n) => n.name);
        assert.equal(new Set(names).size, names.length);
        assert.ok(names.includes(vault));
        for (const node of nodes) {
            assert.ok(clusters.some((c) => node.x0 >= c.x0 && node.x1 <= c.x1 && node.y0 >= c.y0 && node.y1 <= c.y1), `${node.name} outside every box`);
        }
        for (const [i, a] of nodes.entries()) {
            for (const b of nodes.slice(i + 1)) {
                assert.ok(!overlap(a, b), `${a.name} overlaps ${b.name}`);
            }
        }
    });
});
