import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { replay, replayedInputs, type PlannedRegistration } from "../../tools/bench/floor";
import { settle, startMockRuntime } from "../../tools/mock/runtime";

const urn = (type: string, name: string, parents = "") => `urn:pulumi:s::p::${parents}${type}::${name}`;

/** A plan's registrations in plan order: a provider, a component, a function under both with a bundled asset. */
const PLAN: PlannedRegistration[] = [
    { type: "pulumi:providers:aws", name: "aws-member", urn: urn("pulumi:providers:aws", "aws-member"), custom: true, parent: null, provider: null, inputs: { region: "eu-west-2", allowedAccountIds: '["222222222222"]' } },
    { type: "patching:enforcer:SsmRoleEnforcer", name: "enforcer", urn: urn("patching:enforcer:SsmRoleEnforcer", "enforcer"), custom: false, parent: null, provider: null, inputs: {} },
    {
        type: "aws:lambda/function:Function",
        name: "enforcer-function",
        urn: urn("aws:lambda/function:Function", "enforcer-function", "patching:enforcer:SsmRoleEnforcer$"),
        custom: true,
        parent: urn("patching:enforcer:SsmRoleEnforcer", "enforcer"),
        provider: urn("pulumi:providers:aws", "aws-member"),
        inputs: { region: "eu-west-2", runtime: "nodejs24.x", code: { $archive: { "index.js": { $asset: "text", bytes: 4096, sha256: "0".repeat(64) } } } },
    },
];

describe("tools/bench/floor: the SDK floor replays a plan's registrations as a flat program", () => {
    it("registers the same resources, under the same parents and providers, with assets of the recorded size", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        assert.equal(replay(PLAN), 3);
        await settle();
        const key = (r: { type: string; name: string; custom: boolean }) => `${r.type} ${r.name} ${r.custom}`;
        assert.deepEqual(recorder.resources.map(key).sort(), PLAN.map(key).sort());
        const fn = recorder.get("aws:lambda/function:Function", "enforcer-function");
        assert.equal(recorder.providerOf(fn)?.name, "aws-member");
        assert.equal(fn.parent, recorder.get("patching:enforcer:SsmRoleEnforcer", "enforcer").urn);
        // The recorder summarises the replayed asset as it summarised the program's: same size.
        assert.equal((fn.inputs["code"] as { $archive: Record<string, { bytes: number }> }).$archive["index.js"].bytes, 4096);
    });

    it("turns recorded asset digests back into assets and leaves other values alone", () => {
        const replayed = replayedInputs({ a: [1, "x", { $asset: "text", bytes: 3, sha256: "f" }], b: null }) as { a: [number, string, pulumi.asset.StringAsset]; b: null };
        assert.deepEqual(replayed.a.slice(0, 2), [1, "x"]);
        assert.ok(pulumi.asset.Asset.isInstance(replayed.a[2]));
        assert.equal(replayed.b, null);
    });
});
