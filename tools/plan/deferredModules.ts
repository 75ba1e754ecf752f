import { existsSync, readdirSync } from "node:fs";
import Module, { createRequire } from "node:module";
import * as path from "node:path";

/**
 * Modules @pulumi/pulumi requires at import time only for features the offline tools never reach:
 * `typescript` (parsing functions for closure serialization, pulumi.runtime.serializeFunction),
 * `@npmcli/arborist` and `normalize-package-data` (finding the packages a serialized closure
 * needs), the Automation API (`@pulumi/pulumi/automation`, with `execa`, `js-yaml`) and
 * `@opentelemetry/api` (tracing to an engine). Together ~0.45 s of the plan's start-up on these
 * machines. They are replaced by proxies that load the real module on first use, so behaviour is
 * unchanged if anything ever does use them — only later. (`@grpc/grpc-js` cannot be deferred: the
 * SDK's generated protocol files use it while loading.)
 */
export const DEFERRED_MODULES: readonly string[] = ["typescript", "@npmcli/arborist", "normalize-package-data", "@pulumi/pulumi/automation", "execa", "js-yaml", "@opentelemetry/api"];

/** Resolved as the SDK resolves them (its own node_modules first). */
const fromSdk = (name: string) => createRequire(require.resolve("@pulumi/pulumi/package.json")).resolve(name);

/**
 * `@pulumi/aws`'s index requires every one of its ~240 service namespaces (`<service>/index.js`,
 * each registering its resource modules and lazy class getters) when the program imports it;
 * the prod plan uses about 15. Deferred, a namespace loads — and registers its resource modules —
 * on the program's first use of it (`aws.lambda.Function`), before any resource of it exists.
 * Resolved from this file, as the program resolves `@pulumi/aws`.
 */
export function providerNamespaceModules(packageJson: string = require.resolve("@pulumi/aws/package.json")): string[] {
    const root = path.dirname(packageJson);
    return readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, "index.js")))
        .map((entry) => path.join(root, entry.name, "index.js"));
}

/**
 * Must run before @pulumi/pulumi is first loaded; modules already loaded stay as they are. Returns
 * the files deferred. Without arguments: the SDK modules above and the provider namespaces.
 */
export function deferModules(names?: readonly string[], resolve: (name: string) => string = fromSdk): string[] {
    if (names === undefined) {
        return [...deferModules(DEFERRED_MODULES, fromSdk), ...deferModules(providerNamespaceModules(), (file) => file)];
    }
    const deferred: string[] = [];
    for (const name of names) {
        const file = resolve(name);
        if (require.cache[file] === undefined) {
            require.cache[file] = deferredModule(file);
            deferred.push(file);
        }
    }
    return deferred;
}

function deferredModule(file: string): NodeJS.Module {
    let real: unknown;
    const load = (): object => {
        if (real === undefined) {
            delete require.cache[file];
            real = createRequire(file)(file);
        }
        return real as object;
    };
    // A function target, so a package whose export is a class can still be called or constructed.
    const target = function deferred() {};
    // The target's own non-configurable properties ("prototype"; "arguments" and "caller" where it
    // compiles to sloppy-mode code, as in dist/) must be reported as they are, or enumerating the
    // exports (esbuild's __toESM on `import * as iam from "@pulumi/aws/iam"`) throws.
    const pinned = Reflect.ownKeys(target).filter((key) => Reflect.getOwnPropertyDescriptor(target, key)?.configurable === false);
    const exports = new Proxy(target, {
        // TypeScript's __importStar returns an __esModule namespace as is instead of copying its
        // keys, which would load the package at import time.
        get: (_, key) => (key === "__esModule" ? true : Reflect.get(load(), key)),
        has: (_, key) => Reflect.has(load(), key),
        apply: (_, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
        construct: (_, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
        ownKeys: () => [...new Set([...Reflect.ownKeys(load()), ...pinned])],
        getOwnPropertyDescriptor: (_, key) => {
            if (pinned.includes(key)) {
                return Reflect.getOwnPropertyDescriptor(target, key);
            }
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
        },
    });
    const module = new Module(file);
    module.filename = file;
    module.loaded = true;
    module.exports = exports;
    return module;
}

interface DebuggableModule {
    debuggablePromise: (promise: Promise<unknown>, context: unknown) => Promise<unknown>;
    debugPromiseLeaks: boolean;
}

const WITHOUT_STACK = Symbol.for("multicloud-patching.debuggablePromiseWithoutStack");

/**
 * The SDK's `debuggablePromise` (runtime/debuggable.js) formats `new Error().stack` for every
 * promise it tracks — four per output property of every resource — and reads it only to print
 * promise leaks when PULUMI_DEBUG_PROMISE_LEAKS is set. Without that variable the offline tools
 * capture no frames there (Error.stackTraceLimit 0 for that one call): ~0.2 s of the prod plan's
 * CPU. Resource source positions are unaffected (Resource.callsites sets its own limit), and so is
 * every error the program throws. The SDK looks the function up on its module at each call, so
 * replacing the export reaches every caller. Used by the plan's evaluation and by the bench's SDK
 * floor alike. Returns whether it applied.
 */
export function skipPromiseStackCapture(debuggable: DebuggableModule = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as DebuggableModule): boolean {
    const current = debuggable.debuggablePromise as DebuggableModule["debuggablePromise"] & { [WITHOUT_STACK]?: true };
    if (debuggable.debugPromiseLeaks || current[WITHOUT_STACK] === true) {
        return false;
    }
    const withoutStack = (promise: Promise<unknown>, context: unknown): Promise<unknown> => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return current(promise, context);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    debuggable.debuggablePromise = Object.assign(withoutStack, { [WITHOUT_STACK]: true as const });
    return true;
}
