import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";

/**
 * A real AWS API emulator (Python moto's `moto_server`) on a free loopback port, for tests that
 * exercise code against actual EC2/IAM semantics. Loopback only: nothing here listens on another
 * interface. AWS-managed policies exist only with MOTO_IAM_LOAD_MANAGED_POLICIES=true.
 */
export interface MotoServer {
    /** `http://127.0.0.1:<port>`, for an SDK client's `endpoint` or AWS_ENDPOINT_URL. */
    readonly endpoint: string;
    /** Stops the server (by PID) and waits for it to exit. */
    stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** Dummy credentials moto accepts; nothing here can reach real AWS. */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** The executable's path, or a clear error: a test that needs moto must fail, never skip. */
export function findMotoServer(searchPath: string = process.env.PATH ?? ""): string {
    for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(directory, "moto_server");
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    throw new Error('moto_server not found on PATH: install Python moto[server] (pip install "moto[server]==5.2.1") so these tests can run against the AWS API emulator');
}

/** A port the OS reports free on loopback (bound and released; the tiny race is acceptable in tests). */
export function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once("error", reject);
        probe.listen(0, HOST, () => {
            const address = probe.address();
            const port = typeof address === "object" && address !== null ? address.port : 0;
            probe.close(() => (port > 0 ? resolve(port) : reject(new Error("could not determine a free port"))));
        });
    });
}

export async function startMoto(): Promise<MotoServer> {
    const executable = findMotoServer();
    const port = await freeLoopbackPort();
    const endpoint = `http://${HOST}:${port}`;
    const child = spawn(executable, ["-H", HOST, "-p", String(port)], {
        env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
        stdio: ["ignore", "ignore", "pipe"],
    });
    // moto logs every request to stderr: keep reading (a full pipe would stall the server) and
    // keep the tail for error messages.
    let stderrTail = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        stderrTail = (stderrTail + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    let spawnError: Error | undefined;
    child.once("error", (error) => (spawnError = error));

    const stop = async () => {
        if (exitCode !== undefined || child.pid === undefined) {
            return;
        }
        process.kill(child.pid, "SIGTERM");
        const timer = setTimeout(() => child.pid !== undefined && exitCode === undefined && process.kill(child.pid, "SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
    };

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (spawnError !== undefined) {
            throw new Error(`moto_server could not be started (${executable}): ${spawnError.message}`);
        }
        if (exitCode !== undefined) {
            throw new Error(`moto_server exited with code ${exitCode} before answering on ${endpoint}:\n${stderrTail}`);
        }
        try {
            // Any HTTP answer means the server is up.
            await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
            return { endpoint, stop };
        } catch {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
    await stop();
    throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s:\n${stderrTail}`);
}
