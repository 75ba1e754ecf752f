// The Pulumi SDK floor for the benchmark, in a fresh process: replays a plan's own registrations
// (its JSON: type, name, parent, provider, recorded inputs, assets at their recorded size) as a
// flat program with no logic —
// generic CustomResource / ComponentResource / ProviderResource, no provider SDK, no config
// parsing — under the same mock runtime and stack configuration, timed over the same span as
// evaluateProgram (config read + mocks + registrations + settle). Prints one JSON line.
import "../plan/prelude";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { settle, startMockRuntime } from "../mock/runtime";
import { readStackConfig } from "../mock/stackConfig";

/** The part of a plan document the floor replays (tools/plan/main.ts planDocument). */
export interface PlannedRegistration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly custom: boolean;
    readonly parent: string | null;
    readonly provider: string | null;
    readonly inputs: Record<string, unknown>;
}

const PROVIDER_PREFIX = "pulumi:providers:";

// Concrete stand-ins for the SDK's abstract generic resources (what every provider SDK class extends).
class ReplayedProvider extends pulumi.ProviderResource {}
class ReplayedResource extends pulumi.CustomResource {}

/**
 * The plan keeps an asset as its digest (tools/mock/plainValues.ts); the floor sends one of the
 * same size, so it serializes as much data as the program did (the enforcer's ~1.7 MB bundle).
 */
export function replayedInputs(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(replayedInputs);
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const record = value as Record<string, unknown>;
    if (record["$asset"] === "text" && typeof record["bytes"] === "number") {
        return new pulumi.asset.StringAsset("x".repeat(record["bytes"]));
    }
    if (typeof record["$archive"] === "object" && record["$archive"] !== null) {
        return new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(record["$archive"]).map(([name, asset]) => [name, replayedInputs(asset)])) as pulumi.asset.AssetMap);
    }
    return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, replayedInputs(child)]));
}

/** Registers every planned resource in plan order (which is registration order: parents and providers first). */
export function replay(registrations: readonly PlannedRegistration[]): number {
    const byUrn = new Map<string, pulumi.Resource>();
    for (const r of registrations) {
        const parent = r.parent === null ? undefined : byUrn.get(r.parent);
        const provider = r.provider === null ? undefined : (byUrn.get(r.provider) as pulumi.ProviderResource | undefined);
        const opts = { ...(parent === undefined ? {} : { parent }), ...(provider === undefined ? {} : { provider }) };
        const resource = r.type.startsWith(PROVIDER_PREFIX)
            ? new ReplayedProvider(r.type.slice(PROVIDER_PREFIX.length), r.name, r.inputs, opts)
            : r.custom
              ? new ReplayedResource(r.type, r.name, replayedInputs(r.inputs) as pulumi.Inputs, opts)
              : new pulumi.ComponentResource(r.type, r.name, {}, opts);
        byUrn.set(r.urn, resource);
    }
    return registrations.length;
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { plan: { type: "string" }, directory: { type: "string" } } });
    if (values.plan === undefined || values.directory === undefined) {
        throw new Error("usage: floor.js --plan <plan.json> --directory <folder with Pulumi.yaml and the stack file>");
    }
    const document = JSON.parse(readFileSync(values.plan, "utf8")) as { stack: string; resources: PlannedRegistration[] };
    const started = process.hrtime.bigint();
    const config = readStackConfig(values.directory, document.stack);
    const recorder = await startMockRuntime({ project: config.project, stack: document.stack, config: config.values, secretKeys: config.secretKeys });
    replay(document.resources);
    await settle();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(JSON.stringify({ registrations: recorder.resources.length, ms }));
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(`bench floor: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
    });
}
