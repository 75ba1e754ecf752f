/**
 * Runs the CrossGuard pack offline over what the program registered under the mock runtime,
 * shaping each recorded resource as the analyzer SDK would: props = inputs behind the SDK's
 * unknown-checking proxy (unknowns as the engine's sentinel, secrets masked — the real engine
 * would pass them decrypted), options, provider, parent, dependencies and property dependencies.
 * Offline extra: `opts.retainOnDelete`, which the recorder knows and the engine does not send.
 */
import * as policySdk from "@pulumi/policy";
import type { Policy, PolicyProviderResource, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import * as domains from "../../policies/domains";
import type { OptionsWithRetain } from "../../policies/lib/graph";
import { mockResourceState } from "../mock/mockState";
import { UNKNOWN_MARK } from "../mock/plainValues";
import type { RecordedResource, ResourceRecorder } from "../mock/recorder";
import { factsOf } from "../mock/runtime";
import type { ResolvedPolicyConfig } from "./policyConfig";
import { ESTATE_SCOPE, type Scope } from "./scopes";

// Exported by @pulumi/policy at runtime, but marked internal in its typings.
const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy<T>(value: T): T }).unknownCheckingProxy;
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

/** What the engine sends for a value it does not know yet (the SDK's "unknown string" sentinel). */
const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface PolicyViolation {
    readonly policy: string;
    readonly level: "mandatory" | "advisory";
    readonly message: string;
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    /** The plan scope key of the resource, or "estate" for stack-wide violations. */
    readonly scope: string;
}

export function isPolicy(value: unknown): value is Policy {
    const candidate = value as Record<string, unknown> | null;
    return (
        candidate !== null &&
        typeof candidate === "object" &&
        typeof candidate["name"] === "string" &&
        typeof candidate["description"] === "string" &&
        (candidate["validateResource"] !== undefined || typeof candidate["validateStack"] === "function")
    );
}

/** Every policy the domain modules export, in module order. */
export const PACK_POLICIES: readonly Policy[] = Object.values(domains).flatMap((module) => Object.values(module).filter(isPolicy));

class NotApplicable extends Error {}

function engineValue(value: unknown): unknown {
    if (value === UNKNOWN_MARK) {
        return ENGINE_UNKNOWN;
    }
    if (Array.isArray(value)) {
        return value.map(engineValue);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, engineValue(child)]));
    }
    return value;
}

function props(resource: RecordedResource): Record<string, unknown> {
    return unknownCheckingProxy(engineValue(resource.inputs) as Record<string, unknown>);
}

function options(resource: RecordedResource): OptionsWithRetain {
    return {
        protect: resource.options.protect,
        retainOnDelete: resource.options.retainOnDelete,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(resource.parent === undefined ? {} : { parent: resource.parent }),
    };
}

function typeChecks(type: string) {
    const matches = (resourceClass: unknown) => {
        const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
        const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
        return typeof token === "string" ? token === type : typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
    };
    return { isType: matches, asType: (resourceClass: unknown, value: unknown) => (matches(resourceClass) ? value : undefined) };
}

/** Strings a dependency is known by in another resource's inputs: URN, mock id and ARN. */
function handles(recorder: ResourceRecorder, dependency: RecordedResource): string[] {
    const provider = recorder.providerOf(dependency);
    const state = mockResourceState({ type: dependency.type, name: dependency.name, inputs: dependency.inputs, custom: dependency.custom } as MockResourceArgs, provider ? factsOf(provider) : {});
    return [dependency.urn, state.id, state.state["arn"]].filter((h): h is string => typeof h === "string" && h !== "");
}

function leaves(value: unknown): string[] {
    return typeof value === "string" ? [value] : Array.isArray(value) ? value.flatMap(leaves) : value !== null && typeof value === "object" ? Object.values(value).flatMap(leaves) : [];
}

/**
 * Which dependencies each input was computed from: what the engine recorded for the program's
 * own resources; for hand-built fixtures without it, the dependencies whose URN, id or ARN
 * appears in the input.
 */
function propertyDependencies(recorder: ResourceRecorder, resource: RecordedResource): Record<string, string[]> {
    if (Object.keys(resource.propertyDependencies).length > 0) {
        return Object.fromEntries(Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, [...urns]]));
    }
    const dependencies = resource.options.dependsOn.map((urn) => recorder.byUrn(urn)).filter((d): d is RecordedResource => d !== undefined);
    const known = dependencies.map((dependency) => ({ urn: dependency.urn, handles: handles(recorder, dependency) }));
    const result: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(resource.inputs)) {
        const strings = leaves(value);
        const urns = known.filter((d) => strings.some((s) => d.handles.some((h) => s === h || (h.startsWith("arn:") && s.includes(h))))).map((d) => d.urn);
        if (urns.length > 0) {
            result[key] = urns;
        }
    }
    // A value unknown in a preview shows no handle: it gets the dependencies no other input claims.
    const claimed = new Set(Object.values(result).flat());
    const unclaimed = dependencies.map((d) => d.urn).filter((urn) => !claimed.has(urn));
    for (const [key, value] of Object.entries(resource.inputs)) {
        if (result[key] === undefined && unclaimed.length > 0 && leaves(value).includes(UNKNOWN_MARK)) {
            result[key] = unclaimed;
        }
    }
    return result;
}

function providerResource(recorder: ResourceRecorder, resource: RecordedResource): PolicyProviderResource | undefined {
    const provider = recorder.providerOf(resource);
    return provider === undefined ? undefined : { type: provider.type, name: provider.name, urn: provider.urn, props: props(provider) };
}

/** The stack as `validateStack` sees it: every resource, linked to parent and dependencies. */
export function stackResources(recorder: ResourceRecorder): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    for (const resource of recorder.resources) {
        byUrn.set(resource.urn, commonFields(recorder, resource, { dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource);
    }
    for (const resource of recorder.resources) {
        const target = byUrn.get(resource.urn) as PolicyResource;
        const link = (urns: readonly string[]) => urns.map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
        if (resource.parent !== undefined && byUrn.has(resource.parent)) {
            target.parent = byUrn.get(resource.parent);
        }
        target.dependencies = link(resource.options.dependsOn);
        target.propertyDependencies = Object.fromEntries(Object.entries(propertyDependencies(recorder, resource)).map(([key, urns]) => [key, link(urns)]));
    }
    return [...byUrn.values()];
}

/**
 * What a resource looks like to a policy, both per resource and inside a stack policy. `props`
 * and `provider` are built on first read (then kept for this object): most (policy, resource)
 * pairs end at the policy's type check, and copying every resource's inputs for all 29 policies
 * was most of the policy run's time. Each args object still gets its own copy, as the SDK's
 * analyzer deserializes the properties afresh for every policy.
 */
function commonFields<Extra extends object>(recorder: ResourceRecorder, resource: RecordedResource, extra: Extra) {
    const checks = typeChecks(resource.type);
    let resourceProps: Record<string, unknown> | undefined;
    let provider: PolicyProviderResource | null | undefined;
    const fields = {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        get props(): Record<string, unknown> {
            return (resourceProps ??= props(resource));
        },
        opts: options(resource),
        get provider(): PolicyProviderResource | undefined {
            provider ??= providerResource(recorder, resource) ?? null;
            return provider ?? undefined;
        },
        isType: checks.isType,
        asType: (resourceClass: unknown) => checks.asType(resourceClass, fields.props),
        ...extra,
    };
    return fields;
}

function resourceArgs(recorder: ResourceRecorder, resource: RecordedResource, config: ResolvedPolicyConfig): ResourceValidationArgs {
    return commonFields(recorder, resource, {
        stackTags: new Map(),
        getConfig: <T extends object>() => structuredClone(config.properties) as T,
        notApplicable: () => {
            throw new NotApplicable();
        },
    }) as unknown as ResourceValidationArgs;
}

export interface RunOptions {
    readonly config: ReadonlyMap<string, ResolvedPolicyConfig>;
    readonly scopes?: ReadonlyMap<string, Scope>;
    readonly policies?: readonly Policy[];
}

/** Runs every enabled policy; violations in policy order, then resource order. */
export async function runPolicies(recorder: ResourceRecorder, options: RunOptions): Promise<PolicyViolation[]> {
    const violations: PolicyViolation[] = [];
    const stack = stackResources(recorder);
    for (const policy of (options.policies ?? PACK_POLICIES) as readonly (ResourceValidationPolicy | StackValidationPolicy)[]) {
        const config = options.config.get(policy.name) ?? { enforcementLevel: policy.enforcementLevel ?? "advisory", properties: {} };
        if (config.enforcementLevel === "disabled") {
            continue;
        }
        // As the SDK does: a remediation level still reports leftover violations as mandatory.
        const level: PolicyViolation["level"] = config.enforcementLevel === "advisory" ? "advisory" : "mandatory";
        const report = (urn: string | undefined, message: string, as: PolicyViolation["level"] = level) => {
            const resource = urn === undefined ? undefined : recorder.byUrn(urn);
            const scope = (urn === undefined ? undefined : options.scopes?.get(urn)) ?? ESTATE_SCOPE;
            violations.push({ policy: policy.name, level: as, message, ...(resource ? { urn, name: resource.name, type: resource.type } : {}), scope: scope.key });
        };
        const guard = async (urn: string | undefined, run: () => unknown) => {
            try {
                await run();
            } catch (error) {
                if (error instanceof UnknownValueError) {
                    report(urn, `can't run policy during preview: ${error.message}`, "advisory");
                } else if (!(error instanceof NotApplicable)) {
                    throw new Error(`policy ${policy.name} failed${urn ? ` on ${urn}` : ""}: ${(error as Error).message}`, { cause: error });
                }
            }
        };
        if ("validateStack" in policy && typeof policy.validateStack === "function") {
            const validate = policy.validateStack;
            const args = { resources: stack, stackTags: new Map(), getConfig: <T extends object>() => structuredClone(config.properties) as T, notApplicable: () => { throw new NotApplicable(); } };
            await guard(undefined, () => validate(args, (message: string, urn?: string) => report(urn, message)));
            continue;
        }
        const validations = "validateResource" in policy && policy.validateResource !== undefined ? [policy.validateResource].flat() : [];
        // Cloud resources and providers, as the engine analyzes them; components carry no inputs to check.
        for (const resource of recorder.resources.filter((r) => r.custom)) {
            for (const validate of validations) {
                await guard(resource.urn, () => validate(resourceArgs(recorder, resource, config), (message: string) => report(resource.urn, message)));
            }
        }
    }
    return violations;
}
