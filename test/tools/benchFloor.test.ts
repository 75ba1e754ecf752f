import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Function as LambdaFunction } from "@pulumi/aws/lambda";
import { Alias } from "@pulumi/aws/kms";
import { Bucket } from "@pulumi/aws/s3";
import { VirtualMachineExtension } from "@pulumi/azure-native/compute";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { removeReplayFiles, replay, replayedInputs, type PlannedRegistration } from "../../tools/bench/floor";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { candidateModules, ProviderClasses } from "../../tools/bench/providerClasses";
import { renderPlanSpeed, type PlanSpeed } from "../../tools/bench/planSpeed";
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
        const summary = replay(PLAN);
        assert.deepEqual([summary.registrations, summary.classBased, summary.components, summary.bare], [3, 2, 1, {}]);
        await settle();
        const key = (r: { type: string; name: string; custom: boolean }) => `${r.type} ${r.name} ${r.custom}`;
        assert.deepEqual(recorder.resources.map(key).sort(), PLAN.map(key).sort());
        const fn = recorder.get("aws:lambda/function:Function", "enforcer-function");
        assert.equal(recorder.providerOf(fn)?.name, "aws-member");
        assert.equal(fn.parent, recorder.get("patching:enforcer:SsmRoleEnforcer", "enforcer").urn);
        // The recorder summarises the replayed asset as it summarised the program's: same size.
        assert.equal((fn.inputs["code"] as { $archive: Record<string, { bytes: number }> }).$archive["index.js"].bytes, 4096);
    });

    it("constructs each custom resource and provider from its provider SDK class, as a hand-written program would", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const [provider, component, fn] = replay(PLAN).resources;
        await settle();
        assert.ok(AwsProvider.isInstance(provider));
        assert.ok(!pulumi.CustomResource.isInstance(component));
        assert.ok(LambdaFunction.isInstance(fn));
        // The class declares its output properties (what the program's instances pay for), e.g. the ARN.
        assert.ok(pulumi.Output.isInstance((fn as LambdaFunction).arn));
        // Provider inputs were recorded JSON-encoded: decoded for the class, which encodes them again (once).
        assert.equal(recorder.get("pulumi:providers:aws", "aws-member").inputs["allowedAccountIds"], '["222222222222"]');
    });
});

const custom = (type: string, name: string, inputs: Record<string, unknown>, provider: string | null = null): PlannedRegistration => ({ type, name, urn: urn(type, name), custom: true, parent: null, provider, inputs });

describe("tools/bench/floor: provider SDK classes by type token", () => {
    it("finds the @pulumi/aws and @pulumi/azure-native class whose registered type is the token", () => {
        const classes = new ProviderClasses();
        assert.equal(classes.classFor("aws:s3/bucket:Bucket"), Bucket);
        assert.equal(classes.classFor("aws:kms/alias:Alias"), Alias);
        assert.equal(classes.classFor("azure-native:compute:VirtualMachineExtension"), VirtualMachineExtension);
        assert.equal(classes.classFor("pulumi:providers:aws"), AwsProvider);
        assert.equal(classes.classFor("pulumi:providers:azure-native"), AzureProvider);
    });

    it("has no class for a token no installed SDK registers (unknown package, module or class)", () => {
        const classes = new ProviderClasses();
        for (const token of ["example:index:Thing", "aws:nosuch/thing:Thing", "aws:s3/bucket:NoSuchBucket", "patching:storage:SecureBucket", "pulumi:pulumi:Stack"]) {
            assert.equal(classes.classFor(token), undefined, token);
        }
    });

    it("tries the namespace module first, then deeper module paths (versioned Azure API modules)", () => {
        assert.deepEqual(candidateModules("azure-native:compute/v20230301:VirtualMachine"), { modules: ["@pulumi/azure-native/compute", "@pulumi/azure-native/compute/v20230301"], className: "VirtualMachine" });
        assert.deepEqual(candidateModules("aws:index/provider:Provider"), { modules: ["@pulumi/aws"], className: "Provider" });
    });

    it("replays an Azure resource and a required input the plan has no value for (an Output that resolved to nothing)", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const azure = custom("pulumi:providers:azure-native", "azure", { subscriptionId: "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a" });
        const extension = custom("azure-native:compute:VirtualMachineExtension", "ssm-agent", { resourceGroupName: "rg", vmName: "vm-1", vmExtensionName: "ssm", protectedSettings: "[secret]" }, azure.urn);
        const alias = custom("aws:kms/alias:Alias", "key-alias", { name: "alias/patching" });
        const summary = replay([azure, extension, alias]);
        await settle();
        assert.deepEqual([summary.classBased, summary.bare], [3, {}]);
        assert.ok(VirtualMachineExtension.isInstance(summary.resources[1]));
        assert.ok(Alias.isInstance(summary.resources[2]));
        assert.equal(recorder.providerOf(recorder.get("azure-native:compute:VirtualMachineExtension", "ssm-agent"))?.name, "azure");
        assert.deepEqual(recorder.get("aws:kms/alias:Alias", "key-alias").inputs, { name: "alias/patching" });
    });

    it("falls back to a bare CustomResource for a token without a class, counted by token", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const summary = replay([custom("example:index:Thing", "a", { size: 1 }), custom("example:index:Thing", "b", {}), custom("aws:s3/bucket:Bucket", "c", {})]);
        await settle();
        assert.deepEqual([summary.registrations, summary.classBased, summary.bare], [3, 1, { "example:index:Thing": 2 }]);
        assert.deepEqual(recorder.resources.map((r) => `${r.type} ${r.name}`).sort(), ["aws:s3/bucket:Bucket c", "example:index:Thing a", "example:index:Thing b"]);
        assert.deepEqual(recorder.get("example:index:Thing", "a").inputs, { size: 1 });
    });

    it("turns recorded asset digests back into assets and leaves other values alone", () => {
        const replayed = replayedInputs({ a: [1, "x", { $asset: "text", bytes: 3, sha256: "f" }], b: null }) as { a: [number, string, pulumi.asset.StringAsset]; b: null };
        assert.deepEqual(replayed.a.slice(0, 2), [1, "x"]);
        assert.ok(pulumi.asset.Asset.isInstance(replayed.a[2]));
        assert.equal(replayed.b, null);
    });

    it("replays a masked secret as a secret, as the program passed it", async () => {
        assert.equal(await pulumi.isSecret(replayedInputs("[secret]") as pulumi.Output<string>), true);
    });
});

class Packaged extends pulumi.CustomResource {}

describe("tools/bench/floor: a file asset replays as a file asset of the recorded size", () => {
    it("the mock reads the replayed file, as it read the program's bundle", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const inputs = { code: { $archive: { "index.js": { $asset: "file", bytes: 2048, sha256: "0".repeat(64) } } } };
        const replayed = replayedInputs(inputs) as { code: pulumi.asset.AssetArchive };
        new Packaged("test:index:Packaged", "replayed", replayed);
        await settle();
        const summary = (recorder.get("test:index:Packaged", "replayed").inputs["code"] as { $archive: Record<string, { $asset: string; bytes: number }> }).$archive["index.js"];
        assert.deepEqual([summary.$asset, summary.bytes], ["file", 2048]);
    });
});

describe("tools/bench/planSpeed: the printed ratio says what the floor is", () => {
    const speed = (bare: Record<string, number>): PlanSpeed => ({
        stack: "prod",
        runs: 5,
        node: "v22.0.0",
        compileCache: true,
        registrations: 660,
        wallMs: { median: 3000, min: 2900, max: 3100 },
        cpuMs: 2500,
        evaluationMs: 2000,
        floorMs: 1600,
        floor: { classBased: 549 - (bare["example:index:Thing"] ?? 0), components: 111, bare },
        overFloor: 1.25,
        met: { wall: false, overFloor: true },
        machine: { cpus: 2, loadBefore: 1, loadAfter: 1 },
    });

    it("names the class instances, plain components and bare fallbacks the floor registered", () => {
        const text = renderPlanSpeed(speed({}));
        assert.match(text, /vs SDK floor 1\.60 s \(the same 660 registrations as a flat program: 549 provider SDK class instances, 111 plain components, 0 bare \(no class\); same mocks\) = 1\.25×/);
        assert.doesNotMatch(text, /floor bare/);
    });

    it("lists the tokens replayed bare, with their counts", () => {
        const text = renderPlanSpeed(speed({ "example:index:Thing": 2 }));
        assert.match(text, /547 provider SDK class instances, 111 plain components, 2 bare/);
        assert.match(text, /^ {2}floor bare +example:index:Thing ×2 /m);
    });
});

/** Asset digests differ by construction (the floor's bytes are filler of the recorded size). */
const withoutDigests = (value: unknown) => JSON.stringify(value, (key, child: unknown) => (key === "sha256" ? undefined : child));

describe("tools/bench/floor: the prod plan replayed", function () {
    this.timeout(180_000);
    after(removeReplayFiles);

    it("reaches the engine exactly as the program did: same resources, parents, providers and inputs, every one from its class", async () => {
        const program = (await evaluatedStack("prod")).recorder.resources;
        // What the plan document records of each registration (tools/plan/main.ts planDocument).
        const plan: PlannedRegistration[] = program.map((r) => ({ type: r.type, name: r.name, urn: r.urn, custom: r.custom, parent: r.parent ?? null, provider: r.provider ?? null, inputs: r.inputs }));
        const recorder = await startMockRuntime({ project: "multicloud-patching", stack: "prod", config: {} });
        const summary = replay(plan);
        await settle();
        assert.deepEqual([summary.classBased, summary.components, summary.bare], [program.filter((r) => r.custom).length, program.filter((r) => !r.custom).length, {}]);
        const shape = (r: { urn: string; parent?: string; provider?: string; inputs: Record<string, unknown> }) => `${r.urn} ${r.parent ?? "-"} ${r.provider ?? "-"} ${withoutDigests(r.inputs)}`;
        assert.deepEqual(recorder.resources.map(shape).sort(), program.map(shape).sort());
    });
});
