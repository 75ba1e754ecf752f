import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { runOps } from "../../tools/ops/cli";
import { sdkAthena, sdkSsm, type ClientOptions, type OpsDeps } from "../../tools/ops/clients";

export const ROOT = path.resolve(__dirname, "..", "..");

/** One HTTP request the real SDK client serialised: the operation and the JSON body. */
export interface RecordedCall {
    readonly host: string;
    readonly operation: string;
    readonly body: Record<string, unknown>;
}

/** An error response as AWS JSON protocols send it. */
export class AwsErrorReply {
    constructor(
        readonly status: number,
        readonly type: string,
        readonly message: string,
    ) {}
}

/**
 * A transport for the real SDK clients: records every request (as sent on the wire, after the
 * SDK's own serialisation) and replays JSON responses in the API reference's wire shape
 * (timestamps as epoch seconds). Nothing leaves the process.
 */
export function awsStub(answer: (call: RecordedCall) => unknown) {
    const calls: RecordedCall[] = [];
    const requestHandler = {
        handle: async (request: { hostname: string; headers: Record<string, string>; body?: string | Uint8Array }) => {
            const target = request.headers["x-amz-target"] ?? "";
            const text = request.body === undefined ? "{}" : typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
            const call = { host: request.hostname, operation: target.slice(target.indexOf(".") + 1), body: JSON.parse(text) as Record<string, unknown> };
            calls.push(call);
            const reply = answer(call);
            const [status, payload] = reply instanceof AwsErrorReply ? [reply.status, { __type: reply.type, message: reply.message }] : [200, reply];
            return { response: { statusCode: status, headers: { "content-type": "application/x-amz-json-1.1" }, body: Readable.from([Buffer.from(JSON.stringify(payload))]) } };
        },
    };
    const options = (given: ClientOptions): ClientOptions => ({ ...given, credentials: { accessKeyId: "stub", secretAccessKey: "stub" }, requestHandler: requestHandler as never });
    return { calls, ssm: (given: ClientOptions) => sdkSsm(options(given)), athena: (given: ClientOptions) => sdkAthena(options(given)), clientOptions: options };
}

export interface CliRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    /** Options each client factory was called with (which Region/profile the CLI chose). */
    readonly clients: ClientOptions[];
    readonly sleeps: number[];
}

/** Runs the CLI in-process; by default any AWS client use fails the test. */
export async function runCli(argv: string[], overrides: Partial<OpsDeps> = {}): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const clients: ClientOptions[] = [];
    const sleeps: number[] = [];
    const forbidden = (): never => {
        throw new Error("test: no AWS client expected here");
    };
    const deps: OpsDeps = {
        directory: ROOT,
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        sleep: async (ms) => void sleeps.push(ms),
        now: () => new Date("2026-01-01T00:00:00Z"),
        ...overrides,
        ssm: (options) => (clients.push(options), (overrides.ssm ?? forbidden)(options)),
        athena: (options) => (clients.push(options), (overrides.athena ?? forbidden)(options)),
    };
    const code = await runOps(argv, deps);
    return { code, stdout, stderr, clients, sleeps };
}

/**
 * Runs `action` with an AWS config file (AWS_CONFIG_FILE) that defines `profiles`: `--profile` is
 * checked against the profiles the SDK would find before any client is made.
 */
export async function withAwsProfiles<T>(profiles: readonly string[], action: () => Promise<T>): Promise<T> {
    const directory = mkdtempSync(path.join(tmpdir(), "ops-profiles-"));
    const saved = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = path.join(directory, "config");
    writeFileSync(process.env.AWS_CONFIG_FILE, profiles.map((name) => `[profile ${name}]\nregion = us-east-1\n`).join("\n"));
    try {
        return await action();
    } finally {
        if (saved === undefined) {
            delete process.env.AWS_CONFIG_FILE;
        } else {
            process.env.AWS_CONFIG_FILE = saved;
        }
        rmSync(directory, { recursive: true, force: true });
    }
}
