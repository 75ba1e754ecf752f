import { plainValue } from "./plainValues";

/** One resource registration as the engine would have received it. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** true for cloud resources (and providers), false for components. */
    readonly custom: boolean;
    readonly parent?: string;
    /** URN of the provider resource a custom resource was registered with. */
    readonly provider?: string;
    /** Inputs in plain JSON: secrets masked, references as `{ $ref: urn }`. */
    readonly inputs: Record<string, unknown>;
    /** Resource options the engine acts on at delete time (policies check them too). */
    readonly options: {
        readonly protect: boolean;
        readonly retainOnDelete: boolean;
        readonly dependsOn: readonly string[];
        readonly deleteBeforeReplace?: boolean;
        readonly replaceOnChanges?: readonly string[];
    };
    /** Per input, the resources its value was computed from (what the engine gives policies). */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export function isProvider(resource: RecordedResource): boolean {
    return resource.type.startsWith("pulumi:providers:");
}

/** Provider inputs reach the engine JSON-encoded (lists and objects become strings). */
export function decodeProviderInput(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** Collects registrations in order; the mock runtime feeds it. */
export class ResourceRecorder {
    private readonly list: RecordedResource[] = [];
    private readonly urns = new Map<string, RecordedResource>();
    /** Invokes the program made that the mock runtime has no answer for. */
    readonly invokeFailures: string[] = [];

    add(resource: RecordedResource): void {
        this.list.push(resource);
        this.urns.set(resource.urn, resource);
    }

    get resources(): readonly RecordedResource[] {
        return this.list;
    }

    byUrn(urn: string): RecordedResource | undefined {
        return this.urns.get(urn);
    }

    /** All resources of a type, optionally with a given logical name. */
    find(type: string, name?: string): RecordedResource[] {
        return this.list.filter((r) => r.type === type && (name === undefined || r.name === name));
    }

    /** Exactly one resource of a type and name, or an error naming what was there. */
    get(type: string, name: string): RecordedResource {
        const matches = this.find(type, name);
        if (matches.length !== 1) {
            const names = this.find(type).map((r) => r.name);
            throw new Error(`expected one ${type} named ${name}, found ${matches.length} (have: ${names.join(", ") || "none"})`);
        }
        return matches[0];
    }

    /** The provider resource a custom resource was registered with. */
    providerOf(resource: RecordedResource): RecordedResource | undefined {
        return resource.provider === undefined ? undefined : this.urns.get(resource.provider);
    }
}

/** `urn::id` provider reference → the provider's URN. */
export function providerUrn(reference: string): string | undefined {
    if (reference === "") {
        return undefined;
    }
    const cut = reference.lastIndexOf("::");
    return cut < 0 ? reference : reference.slice(0, cut);
}

/** Builds a record from a RegisterResourceRequest (the gRPC message the SDK sends). */
export function recordFromRequest(
    request: {
        getType(): string;
        getName(): string;
        getCustom(): boolean;
        getParent(): string;
        getProvider(): string;
        getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
        getProtect(): boolean | undefined;
        getRetainondelete(): boolean | undefined;
        getDependenciesList(): string[];
        getDeletebeforereplace(): boolean;
        getReplaceonchangesList(): string[];
        getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
    },
    urn: string,
): RecordedResource {
    const parent = request.getParent();
    const provider = providerUrn(request.getProvider());
    return {
        urn,
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        ...(parent ? { parent } : {}),
        ...(provider ? { provider } : {}),
        inputs: plainValue(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        options: {
            protect: request.getProtect() === true,
            retainOnDelete: request.getRetainondelete() === true,
            dependsOn: request.getDependenciesList(),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            replaceOnChanges: request.getReplaceonchangesList(),
        },
        propertyDependencies: propertyDependenciesOf(request.getPropertydependenciesMap()),
    };
}

function propertyDependenciesOf(map: { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void }): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    map.forEach((value, key) => {
        const urns = value.getUrnsList();
        if (urns.length > 0) {
            result[key] = urns;
        }
    });
    return result;
}
