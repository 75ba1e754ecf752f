// The Pulumi SDK floor for the benchmark, in a fresh process: replays a plan's own registrations
// (its JSON: type, name, parent, provider, recorded inputs, assets at their recorded size) as the
// flat program with no logic a user would write by hand for the same resources — each custom
// resource and provider constructed from the provider SDK class of its type token
// (`new aws.s3.Bucket(name, inputs, { parent, provider })`, providerClasses.ts), which declares
// every output property as the program's instances do; components as plain ComponentResources;
// no config parsing, no builders, no policies — under the same mock runtime and stack
// configuration, timed over the same span as evaluateProgram (config read + mocks + loading the
// provider namespaces used + registrations + settle). A token no installed SDK has a class for
// falls back to a bare CustomResource with its recorded inputs, counted. Prints one JSON line.
import "../plan/prelude";
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { settle, startMockRuntime } from "../mock/runtime";
import { readStackConfig } from "../mock/stackConfig";
import { SECRET_MASK } from "../mock/plainValues";
import { decodeProviderInput } from "../mock/recorder";
import { ProviderClasses, type ResourceClass } from "./providerClasses";
import { skipPromiseStackCapture } from "../plan/deferredModules";

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
 * same kind and size, so it costs what the program's did: a text asset serializes its text, a
 * file asset (the enforcer's ~1.7 MB bundle) sends a path that the mock reads and hashes.
 */
export function replayedInputs(value: unknown): unknown {
    if (value === SECRET_MASK) {
        // The program passed a secret (the recorder masks it): so does the floor, at the same cost.
        return pulumi.secret(value);
    }
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
    if (record["$asset"] === "file" && typeof record["bytes"] === "number") {
        return new pulumi.asset.FileAsset(replayFile(record["bytes"]));
    }
    if (typeof record["$archive"] === "object" && record["$archive"] !== null) {
        return new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(record["$archive"]).map(([name, asset]) => [name, replayedInputs(asset)])) as pulumi.asset.AssetMap);
    }
    return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, replayedInputs(child)]));
}

const replayFiles = new Map<number, string>();

/** A file of `bytes` bytes (one per size, like the one bundle file every function names). */
function replayFile(bytes: number): string {
    let file = replayFiles.get(bytes);
    if (file === undefined) {
        file = path.join(mkdtempSync(path.join(os.tmpdir(), "patching-floor-")), `${bytes}.js`);
        writeFileSync(file, "x".repeat(bytes));
        replayFiles.set(bytes, file);
    }
    return file;
}

/** What a replay registered: how many resources, and which were not built from a provider SDK class. */
export interface ReplaySummary {
    readonly registrations: number;
    /** Custom resources and providers constructed from their provider SDK class. */
    readonly classBased: number;
    /** Components (plain ComponentResource). */
    readonly components: number;
    /** Per type token, custom resources replayed as a bare CustomResource: no class for the token. */
    readonly bare: Readonly<Record<string, number>>;
    /** The replayed resources, in plan order. */
    readonly resources: readonly pulumi.Resource[];
}

type Options = { parent?: pulumi.Resource; provider?: pulumi.ProviderResource };

/** Provider inputs were recorded JSON-encoded; the provider class encodes them itself. */
const providerArgs = (inputs: Record<string, unknown>) => Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, replayedInputs(decodeProviderInput(value))]));

/** The bare stand-in for a custom resource or provider whose token has no class. */
function bareResource(r: PlannedRegistration, opts: Options): pulumi.Resource {
    return r.type.startsWith(PROVIDER_PREFIX) ? new ReplayedProvider(r.type.slice(PROVIDER_PREFIX.length), r.name, r.inputs, opts) : new ReplayedResource(r.type, r.name, replayedInputs(r.inputs) as pulumi.Inputs, opts);
}

/**
 * A required input the program gave as an Output that resolved to nothing under the mocks (a
 * KMS key's `keyId`, which the mock state does not set) reached the engine as no value, so the
 * plan has no entry for it, and the class rejects the replay ("Missing required property 'x'").
 * The program's argument was an Output, not undefined: so is the floor's (`pulumi.output(undefined)`,
 * which serializes to the same nothing). Learned per type token from the class's own message.
 */
function constructed(resourceClass: ResourceClass, r: PlannedRegistration, args: Record<string, unknown>, opts: Options, required: Set<string>): pulumi.Resource {
    for (;;) {
        const filled = { ...args };
        required.forEach((key) => (filled[key] ??= pulumi.output(undefined)));
        try {
            return new resourceClass(r.name, filled, opts);
        } catch (error) {
            const missing = /^Missing required property '([^']+)'$/.exec(error instanceof Error ? error.message : "")?.[1];
            if (missing === undefined || required.has(missing)) {
                throw error;
            }
            required.add(missing);
        }
    }
}

/** Deletes the files replayed file assets were written to. */
export function removeReplayFiles(): void {
    replayFiles.forEach((file) => rmSync(path.dirname(file), { recursive: true, force: true }));
    replayFiles.clear();
}

/**
 * Registers every planned resource in plan order (which is registration order: parents and
 * providers first). `classes` resolves type tokens to provider SDK classes.
 */
export function replay(registrations: readonly PlannedRegistration[], classes = new ProviderClasses()): ReplaySummary {
    const byUrn = new Map<string, pulumi.Resource>();
    const bare: Record<string, number> = {};
    let classBased = 0;
    const required = new Map<string, Set<string>>();
    for (const r of registrations) {
        const parent = r.parent === null ? undefined : byUrn.get(r.parent);
        const provider = r.provider === null ? undefined : (byUrn.get(r.provider) as pulumi.ProviderResource | undefined);
        const opts: Options = { ...(parent === undefined ? {} : { parent }), ...(provider === undefined ? {} : { provider }) };
        const resourceClass = r.custom ? classes.classFor(r.type) : undefined;
        let resource: pulumi.Resource;
        if (!r.custom) {
            resource = new pulumi.ComponentResource(r.type, r.name, {}, opts);
        } else if (resourceClass === undefined) {
            resource = bareResource(r, opts);
            bare[r.type] = (bare[r.type] ?? 0) + 1;
        } else {
            const args = r.type.startsWith(PROVIDER_PREFIX) ? providerArgs(r.inputs) : (replayedInputs(r.inputs) as Record<string, unknown>);
            const requiredOfType = required.get(r.type) ?? new Set<string>();
            required.set(r.type, requiredOfType);
            resource = constructed(resourceClass, r, args, opts, requiredOfType);
            classBased++;
        }
        byUrn.set(r.urn, resource);
    }
    return { registrations: registrations.length, classBased, components: registrations.filter((r) => !r.custom).length, bare, resources: [...byUrn.values()] };
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { plan: { type: "string" }, directory: { type: "string" } } });
    if (values.plan === undefined || values.directory === undefined) {
        throw new Error("usage: floor.js --plan <plan.json> --directory <folder with Pulumi.yaml and the stack file>");
    }
    const document = JSON.parse(readFileSync(values.plan, "utf8")) as { stack: string; resources: PlannedRegistration[] };
    // As the plan's evaluation does (tools/plan/evaluate.ts): the same SDK under the same conditions.
    skipPromiseStackCapture();
    const started = process.hrtime.bigint();
    const config = readStackConfig(values.directory, document.stack);
    const recorder = await startMockRuntime({ project: config.project, stack: document.stack, config: config.values, secretKeys: config.secretKeys });
    const replayed = replay(document.resources);
    await settle();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    removeReplayFiles();
    console.log(JSON.stringify({ registrations: recorder.resources.length, ms, classBased: replayed.classBased, components: replayed.components, bare: replayed.bare }));
}

if (require.main === module) {
    main().catch((error: unknown) => {
        console.error(`bench floor: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
    });
}
