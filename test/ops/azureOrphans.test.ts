import { strict as assert } from "node:assert";
import { sdkHybridNodes, type AzureOrphansDeps } from "../../tools/ops/azureOrphans";
import type { ClientOptions } from "../../tools/ops/clients";
import { AwsErrorReply, awsStub, runCli, type RecordedCall } from "./helpers";

/**
 * `azure-orphans` against a replayed SSM transport: the real SDK client serialises every request
 * (recorded as sent), the answers are the API reference's wire shapes. moto (5.2) implements none
 * of DescribeInstanceInformation, GetInventory or DeregisterManagedInstance, hence no emulator.
 */

const vm = (node: string, vmId: string, name: string, tag: string) => ({
    Id: node,
    Data: {
        "Custom:AzureVm": {
            TypeName: "Custom:AzureVm",
            SchemaVersion: "1.0",
            CaptureTime: "2026-12-06T02:00:00Z",
            Content: [{ SubscriptionId: "8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71", ResourceGroup: "rg-web-prod", VmName: name, VmId: vmId, PatchGroupTag: tag }],
        },
    },
});
/** RegistrationDate as the JSON protocol sends timestamps: epoch seconds. */
const node = (id: string, registered: string) => ({ InstanceId: id, ResourceType: "ManagedInstance", PingStatus: "Online", RegistrationDate: Date.parse(registered) / 1000 });

const NODES = [
    node("mi-0aaaaaaaaaaaaaaa1", "2026-11-01T10:00:00Z"), // web-01, still in its group
    node("mi-0aaaaaaaaaaaaaaa2", "2026-11-01T10:00:00Z"), // web-02: Azure tag removed
    node("mi-0aaaaaaaaaaaaaaa3", "2026-11-01T10:00:00Z"), // api-01: Azure tag changed, node not re-registered yet
    node("mi-0bbbbbbbbbbbbbbb4", "2026-10-01T10:00:00Z"), // db-01's registration before its move
    node("mi-0bbbbbbbbbbbbbbb5", "2026-12-01T10:00:00Z"), // db-01 after the move
    node("mi-0ccccccccccccccc6", "2026-11-01T10:00:00Z"), // an on-premises node: no Custom:AzureVm
];
const INVENTORY = [
    vm("mi-0aaaaaaaaaaaaaaa1", "vm-1", "web-01", "Linux"),
    vm("mi-0aaaaaaaaaaaaaaa2", "vm-2", "web-02", ""),
    vm("mi-0aaaaaaaaaaaaaaa3", "vm-3", "api-01", "AppA"),
    vm("mi-0bbbbbbbbbbbbbbb4", "vm-4", "db-01", "AppA"),
    vm("mi-0bbbbbbbbbbbbbbb5", "vm-4", "db-01", "AppA"),
];
const TAGS: Record<string, string> = { "mi-0aaaaaaaaaaaaaaa1": "Linux", "mi-0aaaaaaaaaaaaaaa2": "Linux", "mi-0aaaaaaaaaaaaaaa3": "Linux", "mi-0bbbbbbbbbbbbbbb4": "Linux", "mi-0bbbbbbbbbbbbbbb5": "AppA" };

function fleet(deregister: (call: RecordedCall) => unknown = () => ({})) {
    const stub = awsStub((call) => {
        switch (call.operation) {
            case "DescribeInstanceInformation":
                // Two pages: the command must follow NextToken.
                return call.body.NextToken === undefined ? { InstanceInformationList: NODES.slice(0, 3), NextToken: "p2" } : { InstanceInformationList: NODES.slice(3) };
            case "GetInventory":
                return call.body.NextToken === undefined ? { Entities: INVENTORY.slice(0, 2), NextToken: "i2" } : { Entities: INVENTORY.slice(2) };
            case "ListTagsForResource":
                return { TagList: [{ Key: "Patch Group", Value: TAGS[String(call.body.ResourceId)] }, { Key: "Project", Value: "multicloud-patching" }] };
            case "DeregisterManagedInstance":
                return deregister(call);
            default:
                throw new Error(`unexpected ${call.operation}`);
        }
    });
    const deps: Partial<AzureOrphansDeps> = { hybridNodes: (options: ClientOptions) => sdkHybridNodes(stub.clientOptions(options)) };
    return { stub, deps };
}

describe("tools/ops azure-orphans", () => {
    it("lists removed and differing patch-group tags and superseded registrations, in the hybrid home, as a dry run", async () => {
        const { stub, deps } = fleet();
        const result = await runCli(["azure-orphans", "--stack", "prod", "--format", "json"], deps);
        assert.equal(result.code, 0, result.stderr);
        const [report, ...lines] = result.stdout.split("\n}\n");
        const printed = JSON.parse(`${report}\n}`);
        assert.deepEqual([printed.region, printed.nodes], ["eu-west-2", 5]);
        assert.deepEqual(
            printed.findings.map((f: { kind: string; nodeId: string }) => [f.kind, f.nodeId]),
            [
                ["superseded", "mi-0bbbbbbbbbbbbbbb4"],
                ["tag-removed", "mi-0aaaaaaaaaaaaaaa2"],
                ["tag-differs", "mi-0aaaaaaaaaaaaaaa3"],
            ],
        );
        assert.equal(lines.join(""), "dry run: would deregister mi-0bbbbbbbbbbbbbbb4 (add --deregister-superseded)\n");
        assert.ok(stub.calls.every((c) => c.host === "ssm.eu-west-2.amazonaws.com"), "the hybrid home Region");
        assert.deepEqual(stub.calls.filter((c) => c.operation === "DescribeInstanceInformation")[0].body, { Filters: [{ Key: "ResourceType", Values: ["ManagedInstance"] }], MaxResults: 50 });
        assert.deepEqual(stub.calls.filter((c) => c.operation === "GetInventory").map((c) => c.body), [
            { ResultAttributes: [{ TypeName: "Custom:AzureVm" }], MaxResults: 100 },
            { ResultAttributes: [{ TypeName: "Custom:AzureVm" }], MaxResults: 100, NextToken: "i2" },
        ]);
        assert.equal(stub.calls.filter((c) => c.operation === "DeregisterManagedInstance").length, 0, "dry run by default");
    });

    it("--deregister-superseded deregisters only the superseded registrations", async () => {
        const { stub, deps } = fleet();
        const result = await runCli(["azure-orphans", "--stack", "prod", "--deregister-superseded"], deps);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(stub.calls.filter((c) => c.operation === "DeregisterManagedInstance").map((c) => c.body), [{ InstanceId: "mi-0bbbbbbbbbbbbbbb4" }]);
        assert.match(result.stdout, /^Azure hybrid nodes in eu-west-2: 5 with Custom:AzureVm inventory, 3 findings\n/);
        assert.match(result.stdout, /deregistered mi-0bbbbbbbbbbbbbbb4\n$/);
    });

    it("has --help naming its options, and the program's help lists it", async () => {
        const help = await runCli(["azure-orphans", "--help"]);
        assert.equal(help.code, 0);
        for (const text of ["--stack <name>", "--deregister-superseded", "--format <format>", "--profile <name>", "superseded registrations"]) {
            assert.ok(help.stdout.includes(text), text);
        }
        assert.match((await runCli(["--help"])).stdout, /azure-orphans/);
        assert.match((await runCli(["compliance", "--help"])).stdout, /--azure/);
    });

    it("exits 1 when a deregistration fails, 2 on bad arguments", async () => {
        const { deps } = fleet(() => new AwsErrorReply(400, "InvalidInstanceId", "Instance mi-0bbbbbbbbbbbbbbb4 is not registered"));
        const failed = await runCli(["azure-orphans", "--stack", "prod", "--deregister-superseded"], deps);
        assert.deepEqual([failed.code, failed.stderr], [1, "ops: could not deregister mi-0bbbbbbbbbbbbbbb4: InvalidInstanceId: Instance mi-0bbbbbbbbbbbbbbb4 is not registered\n"]);
        assert.equal((await runCli(["azure-orphans"])).code, 2, "--stack is required");
        assert.equal((await runCli(["azure-orphans", "--stack", "prod", "--format", "yaml"])).code, 2);
        const unknown = await runCli(["azure-orphans", "--stack", "nope"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /^ops: --stack: no stack "nope"/);
    });
});
