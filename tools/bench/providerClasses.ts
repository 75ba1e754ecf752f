import type * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";

/**
 * The provider SDK class a flat, hand-written program would construct for a resource type token
 * (`aws:s3/bucket:Bucket` → `aws.s3.Bucket`, `azure-native:compute:VirtualMachineExtension` →
 * `azureNative.compute.VirtualMachineExtension`, `pulumi:providers:aws` → `aws.Provider`), for
 * the bench's SDK floor (floor.ts).
 *
 * Why not the SDK's own token registry (pulumi.runtime.registerResourceModule /
 * getResourceModule)? Its `construct(name, type, urn)` rehydrates an existing resource from a URN
 * (`new X(name, undefined, { urn })`), which reads rather than registers; it cannot declare a new
 * resource with inputs. So the class is found from the token's module path instead, loaded as the
 * program loads it (the namespace module `@pulumi/aws/s3`, `@pulumi/azure-native/compute`, not
 * the whole package), and accepted only if its static `__pulumiType` is exactly the token — the
 * value the class registers with, so a match cannot construct a different type.
 */
export type ResourceClass = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const PROVIDER_PREFIX = "pulumi:providers:";
const load = createRequire(__filename);

/** Module paths to try, shortest first (the namespace index the program imports, then deeper). */
export function candidateModules(token: string): { readonly modules: string[]; readonly className: string } | undefined {
    if (token.startsWith(PROVIDER_PREFIX)) {
        const pkg = token.slice(PROVIDER_PREFIX.length);
        return { modules: [`@pulumi/${pkg}/provider`, `@pulumi/${pkg}`], className: "Provider" };
    }
    const [pkg, module, className] = token.split(":");
    if (pkg === undefined || module === undefined || className === undefined || pkg === "pulumi" || !/^[A-Za-z0-9-]+$/.test(pkg)) {
        return undefined;
    }
    if (module === "index" || module.startsWith("index/")) {
        return { modules: [`@pulumi/${pkg}`], className };
    }
    const segments = module.split("/");
    return { modules: segments.map((_, i) => `@pulumi/${pkg}/${segments.slice(0, i + 1).join("/")}`), className };
}

/** The value a class's `__pulumiType` holds for a token (providers hold the bare package name). */
const registeredType = (token: string) => (token.startsWith(PROVIDER_PREFIX) ? token.slice(PROVIDER_PREFIX.length) : token);

function classIn(moduleName: string, className: string, token: string): ResourceClass | undefined {
    let exported: Record<string, unknown>;
    try {
        exported = load(moduleName) as Record<string, unknown>;
    } catch {
        return undefined; // no such module (an unknown package, or a file module path)
    }
    const candidate = exported[className] as ({ __pulumiType?: unknown } & ResourceClass) | undefined;
    return typeof candidate === "function" && candidate.__pulumiType === registeredType(token) ? candidate : undefined;
}

/** Finds and caches each token's class; `undefined` when no installed provider SDK has it. */
export class ProviderClasses {
    private readonly found = new Map<string, ResourceClass | undefined>();

    classFor(token: string): ResourceClass | undefined {
        if (!this.found.has(token)) {
            const candidates = candidateModules(token);
            let resolved: ResourceClass | undefined;
            for (const moduleName of candidates?.modules ?? []) {
                resolved = classIn(moduleName, candidates?.className ?? "", token);
                if (resolved !== undefined) {
                    break;
                }
            }
            this.found.set(token, resolved);
        }
        return this.found.get(token);
    }
}
