import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { existsSync, readdirSync } from "node:fs";
import { readStackConfig, stackConfigFile } from "../mock/stackConfig";
import { settle, startMockRuntime } from "../mock/runtime";
import type { ResourceRecorder } from "../mock/recorder";
import { SECRET_MASK, UNKNOWN_MARK } from "../mock/plainValues";
import { skipPromiseStackCapture } from "./deferredModules";

export interface EvaluateOptions {
    /** Folder holding Pulumi.yaml and the stack files. */
    readonly directory: string;
    readonly stack: string;
    /** The program's entry module (compiled `dist/index.js`, or `index.ts` under tsx). */
    readonly program: string;
    readonly preview?: boolean;
}

export interface Evaluation {
    readonly project: string;
    readonly stack: string;
    readonly recorder: ResourceRecorder;
    /** Stack outputs as plain JSON, secrets masked. */
    readonly outputs: Record<string, unknown>;
    readonly durationMs: number;
    /** Config paths whose encrypted values were taken as secrets (offline placeholders). */
    readonly secretPaths: readonly string[];
}

/** A usage problem (unknown stack, missing file): the caller prints it and exits 2. */
export class UsageError extends Error {}

export function availableStacks(directory: string): string[] {
    return readdirSync(directory)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * Runs the real program once under Pulumi's mock runtime with a stack's configuration file and
 * returns every registration. Errors the program raises asynchronously (inside `apply`) are
 * caught and rethrown here, as the Pulumi language host would fail the update on them.
 */
export async function evaluateProgram(options: EvaluateOptions): Promise<Evaluation> {
    if (!existsSync(stackConfigFile(options.directory, options.stack))) {
        throw new UsageError(`no stack "${options.stack}": ${stackConfigFile(options.directory, options.stack)} does not exist (stacks here: ${availableStacks(options.directory).join(", ")})`);
    }
    // The SDK's promise-leak debugging stacks, unused unless PULUMI_DEBUG_PROMISE_LEAKS is set (the floor does the same).
    skipPromiseStackCapture();
    const started = process.hrtime.bigint();
    const config = readStackConfig(options.directory, options.stack);
    const recorder = await startMockRuntime({
        project: config.project,
        stack: options.stack,
        config: config.values,
        secretKeys: config.secretKeys,
        preview: options.preview ?? false,
    });
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    let exported: Record<string, unknown>;
    try {
        // The program's own folder, not the stack folder: a synthetic stack elsewhere still runs the same program.
        forgetProgramModules(path.dirname(path.resolve(options.program)));
        // A synchronous require, like the Pulumi Node.js language host: the program registers its
        // resources while the module body runs.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        exported = require(path.resolve(options.program)) as Record<string, unknown>;
        await settle();
        const outputs = await plainOutputs(exported);
        await settle();
        // A resource whose inputs fail to serialize (an apply that throws) rejects after the RPCs
        // the SDK tracks have settled; give such rejections a few turns of the event loop to
        // surface, as the language host would see them before the update ends. Node reports an
        // unhandled rejection once the microtask queue has drained, so an immediate turn (not a
        // timer: 5 × 10 ms was a fixed 50 ms on every plan) is enough for each.
        for (let turn = 0; turn < 5 && failures.length === 0; turn++) {
            await new Promise((resolve) => setImmediate(resolve));
            await settle();
        }
        if (recorder.invokeFailures.length > 0) {
            throw new Error(recorder.invokeFailures[0]);
        }
        if (failures.length > 0) {
            throw failures[0];
        }
        return { project: config.project, stack: options.stack, recorder, outputs, durationMs: Number(process.hrtime.bigint() - started) / 1e6, secretPaths: config.secretPaths };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

/** A second evaluation in the same process must run the program's modules again. */
function forgetProgramModules(programDirectory: string): void {
    const root = path.resolve(programDirectory) + path.sep;
    const dependencies = `${path.sep}node_modules${path.sep}`;
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(root) && !file.includes(dependencies) && !file.includes(`${path.sep}tools${path.sep}`)) {
            delete require.cache[file];
        }
    }
}

async function plainOutputs(exported: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
        Object.entries(exported).map(async ([key, value]) => {
            const output = pulumi.output(value);
            const secret = await pulumi.isSecret(output);
            // `promise(true)` also settles on unknown values (preview), where `apply` would never run.
            const raw = secret ? SECRET_MASK : await (output as unknown as { promise(withUnknowns: boolean): Promise<unknown> }).promise(true);
            const plain = raw === pulumi.runtime.unknownValue || pulumi.Output.isInstance(raw) ? UNKNOWN_MARK : raw;
            return [key, plain] as const;
        }),
    );
    return Object.fromEntries(entries);
}
