/**
 * Loads the pack the way the Pulumi CLI does — the `pulumi-analyzer-policy` shim runs
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .` in the pack folder, with the stack config
 * in PULUMI_CONFIG — and talks to its analyzer over gRPC as the engine would. Proves the entry
 * file type-checks under the CLI's ts-node, the dependencies resolve from policies/, and the
 * policies behave on the SDK's own deserialisation (unknowns, property dependencies).
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { PACK_POLICIES } from "../../tools/plan/policyRun";
import { flatConfig, validRawConfig } from "../fixtures/estateConfig";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- generated gRPC stubs without typings */
const grpc = require("@grpc/grpc-js");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const ROOT = path.resolve(__dirname, "..", "..");
const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const urn = (type: string, name: string) => `urn:pulumi:prod::multicloud-patching::${type}::${name}`;

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
}

function resource(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}) {
    const message = new pb.AnalyzerResource();
    message.setUrn(urn(type, name));
    message.setType(type);
    message.setName(name);
    message.setProperties(Struct.fromJavaScript(props));
    message.setOptions(new pb.AnalyzerResourceOptions());
    message.setDependenciesList([...new Set(Object.values(propertyDependencies).flat())]);
    for (const [key, urns] of Object.entries(propertyDependencies)) {
        message.getPropertydependenciesMap().set(key, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
    }
    return message;
}

/** The SDK sends "<description>\n<message>" per violation. */
function diagnostics(response: any): { policy: string; message: string; urn: string; level: number }[] {
    return response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), message: d.getMessage(), urn: d.getUrn(), level: d.getEnforcementlevel() }));
}

describe("policies/ under the CLI's loader (run-policy-pack + gRPC)", function () {
    this.timeout(180_000);
    let pack: ChildProcess;
    let client: any;

    before(async () => {
        const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [path.join(ROOT, "policies")] });
        pack = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", "."], {
            cwd: path.join(ROOT, "policies"),
            env: { ...process.env, PULUMI_CONFIG: JSON.stringify(flatConfig(validRawConfig())), NODE_OPTIONS: "" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        pack.stderr?.on("data", (chunk) => (stderr += String(chunk)));
        const port = await new Promise<string>((resolve, reject) => {
            pack.stdout?.once("data", (chunk) => resolve(String(chunk).trim()));
            pack.once("exit", (code) => reject(new Error(`the pack exited (${code}) before serving:\n${stderr}`)));
        });
        assert.match(port, /^\d+$/);
        client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    it("serves every policy with its schema", async () => {
        const info = await call<any>(client, "getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), "multicloud-patching");
        assert.deepEqual(info.getPoliciesList().map((p: any) => p.getName()).sort(), PACK_POLICIES.map((p) => p.name).sort());
        assert.equal(info.getSupportsconfig(), true);
    });

    it("reports a resource violation (a provider without assumeRoles, inputs JSON-encoded)", async () => {
        const provider = resource("pulumi:providers:aws", "aws-stray", { allowedAccountIds: JSON.stringify(["111111111111"]), region: "us-east-1" });
        const request = new pb.AnalyzeRequest();
        for (const field of ["Urn", "Type", "Name", "Properties", "Options"]) {
            request[`set${field}`](provider[`get${field}`]());
        }
        const found = diagnostics(await call(client, "analyze", request));
        assert.deepEqual(found.map((d) => d.policy), ["aws-provider-assume-role"]);
        assert.match(found[0].message, /assumes no role \(assumeRoles\)/);
    });

    it("joins a bucket protection by property dependency while the bucket id is unknown, and applies the configuration", async () => {
        const configure = new pb.ConfigureAnalyzerRequest();
        configure.getPolicyconfigMap().set("s3-bucket-versioned", new pb.PolicyConfig().setEnforcementlevel(pb.EnforcementLevel.ADVISORY).setProperties(Struct.fromJavaScript({})));
        await call(client, "configure", configure);
        const bucketUrn = urn("aws:s3/bucket:Bucket", "logs-bucket");
        const request = new pb.AnalyzeStackRequest();
        request.setResourcesList([
            resource("aws:s3/bucket:Bucket", "logs-bucket", { bucket: "patching-logs" }),
            resource("aws:s3/bucketVersioning:BucketVersioning", "logs-versioning", { bucket: ENGINE_UNKNOWN, versioningConfiguration: { status: "Suspended" } }, { bucket: [bucketUrn] }),
        ]);
        const found = diagnostics(await call(client, "analyzeStack", request)).filter((d) => d.policy === "s3-bucket-versioned");
        assert.equal(found.length, 1);
        assert.ok(found[0].message.includes('bucket patching-logs has versioning "Suspended"'), found[0].message);
        assert.equal(found[0].urn, urn("aws:s3/bucketVersioning:BucketVersioning", "logs-versioning"));
        assert.equal(found[0].level, pb.EnforcementLevel.ADVISORY);
    });

    it("reads the stack config from PULUMI_CONFIG (execution role trust against the configured central account)", async () => {
        const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }] };
        const role = resource("aws:iam/role:Role", "execution-role", { name: "AWS-SystemsManager-AutomationExecutionRole", assumeRolePolicy: JSON.stringify(trust) });
        const request = new pb.AnalyzeRequest();
        for (const field of ["Urn", "Type", "Name", "Properties", "Options"]) {
            request[`set${field}`](role[`get${field}`]());
        }
        const found = diagnostics(await call(client, "analyze", request)).filter((d) => d.policy === "iam-execution-role-trust");
        assert.equal(found.length, 1);
        assert.match(found[0].message, /trusts "AWS arn:aws:iam::111111111111:root"/);
    });
});
