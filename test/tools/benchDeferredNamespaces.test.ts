import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { providerNamespaceModules, skipPromiseStackCapture } from "../../tools/plan/deferredModules";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Issue 20, item 8 (plan speed): the offline plan defers @pulumi/aws's ~240 service namespaces
 * (tools/plan/deferredModules.ts). These tests run what dist/ runs: the module compiled as
 * tools/build.mjs compiles it, in a fresh process.
 */
describe("tools/plan/deferredModules: @pulumi/aws namespaces load on first use", function () {
    this.timeout(90_000);
    let directory: string;
    let compiled: string;
    before(() => {
        directory = mkdtempSync(path.join(tmpdir(), "deferred-namespaces-"));
        compiled = path.join(ROOT, "node_modules", ".cache", "multicloud-patching", `deferred-namespaces-${process.pid}.js`);
        // Like tools/build.mjs: bundled CommonJS with packages external, which leaves it sloppy-mode code.
        buildSync({ entryPoints: [path.join(ROOT, "tools/plan/deferredModules.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", packages: "external", outfile: compiled, logLevel: "silent" });
    });
    after(() => {
        rmSync(directory, { recursive: true, force: true });
        rmSync(compiled, { force: true });
    });

    /** Runs `body` in a fresh Node process beside the compiled module (`deferred` is its exports); returns its stdout as JSON. */
    const run = (body: string): unknown => {
        const script = path.join(path.dirname(compiled), `probe-${process.pid}.js`);
        writeFileSync(script, `const deferred = require(${JSON.stringify(compiled)});\n${body}`);
        try {
            const result = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: "utf8" });
            assert.equal(result.status, 0, result.stderr);
            return JSON.parse(result.stdout);
        } finally {
            rmSync(script, { force: true });
        }
    };

    it("lists every service namespace of the installed @pulumi/aws", () => {
        const files = providerNamespaceModules();
        const names = files.map((file) => path.basename(path.dirname(file)));
        assert.ok(files.length > 200, String(files.length));
        for (const name of ["lambda", "iam", "ssm", "s3", "cloudwatch", "cfg"]) {
            assert.ok(names.includes(name), name);
        }
        assert.ok(files.every((file) => file.endsWith(`${path.sep}index.js`)));
    });

    it("requiring @pulumi/aws loads no namespace; the first use loads it and registers its resource modules", () => {
        const result = run(`
            deferred.deferModules();
            const loaded = (ns) => Object.keys(require.cache).some((f) => f.includes("/@pulumi/aws/" + ns + "/") && !f.endsWith("/index.js"));
            const aws = require("@pulumi/aws");
            const before = { lambda: loaded("lambda"), iam: loaded("iam") };
            const isClass = typeof aws.lambda.Function === "function";
            const registered = require("@pulumi/pulumi/runtime/state").getResourceModules().has("aws:lambda/function");
            console.log(JSON.stringify({ before, isClass, registered, after: { lambda: loaded("lambda"), iam: loaded("iam") } }));
        `);
        assert.deepEqual(result, { before: { lambda: false, iam: false }, isClass: true, registered: true, after: { lambda: true, iam: false } });
    });

    it("a deferred module can be enumerated (esbuild's __toESM on import * as): its keys, no proxy invariant error", () => {
        const file = path.join(directory, "namespace.js");
        writeFileSync(file, "exports.Role = class Role {}; exports.Policy = class Policy {};\n");
        const result = run(`
            deferred.deferModules([${JSON.stringify(file)}], (name) => name);
            const names = Object.getOwnPropertyNames(require(${JSON.stringify(file)}));
            console.log(JSON.stringify(names.filter((n) => n === "Role" || n === "Policy").sort()));
        `);
        assert.deepEqual(result, ["Policy", "Role"]);
    });
});

describe("tools/plan/deferredModules: the SDK's promise-leak stacks are not captured unless asked for", () => {
    /** A stand-in for runtime/debuggable.js: records the stack the SDK would store. */
    const fake = (debugPromiseLeaks: boolean) => {
        const stacks: string[] = [];
        const module = {
            debugPromiseLeaks,
            debuggablePromise: (promise: Promise<unknown>, context: unknown) => {
                assert.equal(typeof context, "string");
                stacks.push(new Error().stack ?? "");
                return promise;
            },
        };
        return { module, stacks };
    };

    it("captures no frames for the promise, restores the limit, and applies once", async () => {
        const { module, stacks } = fake(false);
        const limit = Error.stackTraceLimit;
        assert.equal(skipPromiseStackCapture(module), true);
        assert.equal(skipPromiseStackCapture(module), false, "already applied");
        assert.equal(await module.debuggablePromise(Promise.resolve(7), "ctx"), 7);
        assert.deepEqual(stacks, ["Error"], "no frames");
        assert.equal(Error.stackTraceLimit, limit);
        assert.match(new Error("program error").stack ?? "", /\n\s+at /, "other errors keep their frames");
    });

    it("keeps the stacks when PULUMI_DEBUG_PROMISE_LEAKS asked for them", async () => {
        const { module, stacks } = fake(true);
        assert.equal(skipPromiseStackCapture(module), false);
        await module.debuggablePromise(Promise.resolve(1), "ctx");
        assert.match(stacks[0], /\n\s+at /);
    });

    it("reaches the SDK's own debuggablePromise", () => {
        skipPromiseStackCapture();
        const debuggable = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise(p: Promise<unknown>, ctx: string): Promise<unknown> };
        // The SDK stores the stack on the promise it is given (and returns a chained one).
        const tracked = Promise.resolve() as Promise<unknown> & { _debugStackTrace?: string };
        void debuggable.debuggablePromise(tracked, "probe");
        assert.equal(tracked._debugStackTrace, "Error");
    });
});
