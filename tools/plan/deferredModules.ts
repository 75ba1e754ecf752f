import Module, { createRequire } from "node:module";

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

/** Must run before @pulumi/pulumi is first loaded; modules already loaded stay as they are. Returns the files deferred. */
export function deferModules(names: readonly string[] = DEFERRED_MODULES, resolve: (name: string) => string = fromSdk): string[] {
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
    const exports = new Proxy(target, {
        // TypeScript's __importStar returns an __esModule namespace as is instead of copying its
        // keys, which would load the package at import time.
        get: (_, key) => (key === "__esModule" ? true : Reflect.get(load(), key)),
        has: (_, key) => Reflect.has(load(), key),
        apply: (_, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
        construct: (_, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
        ownKeys: () => [...new Set([...Reflect.ownKeys(load()), "prototype"])],
        getOwnPropertyDescriptor: (_, key) => {
            if (key === "prototype") {
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
