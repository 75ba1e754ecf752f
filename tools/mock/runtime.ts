import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";
import { PROGRAM_INVOKES, type InvokeHandler } from "./invokes";
import { mockResourceState, type ProviderFacts } from "./mockState";
import { decodeProviderInput, providerUrn, recordFromRequest, ResourceRecorder, type RecordedResource } from "./recorder";

export interface MockRuntimeOptions {
    readonly project: string;
    readonly stack: string;
    /** Fully qualified config (`project:key` → text), as `readStackConfig` returns it. */
    readonly config: Record<string, string>;
    readonly secretKeys?: string[];
    /** Run as `pulumi preview` would (outputs of new resources unknown to the engine). */
    readonly preview?: boolean;
    /** Invoke answers by token; anything not listed throws. Defaults to the program's own set. */
    readonly invokes?: Record<string, InvokeHandler>;
}

/**
 * Installs Pulumi's mock runtime and returns the recorder every registration goes into. Must run
 * before any program module is imported: resources created earlier bypass the mocks.
 */
export async function startMockRuntime(options: MockRuntimeOptions): Promise<ResourceRecorder> {
    const recorder = new ResourceRecorder();
    const invokes = options.invokes ?? PROGRAM_INVOKES;
    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(
        {
            newResource: (args: MockResourceArgs) => mockResourceState(args, providerFacts(recorder, args.provider)),
            call: (args: MockCallArgs) => {
                const handler = invokes[args.token];
                if (handler === undefined) {
                    // The SDK drops a mock's error message on the way back to the program, so the
                    // token is also kept on the recorder, where evaluateProgram reports it.
                    const message = `unmocked invoke ${args.token}: add an answer to tools/mock/invokes.ts`;
                    recorder.invokeFailures.push(message);
                    throw new Error(message);
                }
                return handler(args.inputs as Record<string, unknown>, providerFacts(recorder, args.provider));
            },
        },
        options.project,
        options.stack,
        options.preview ?? false,
    );
    interceptRegistrations(recorder);
    return recorder;
}

type Callback = (error: unknown, response: { getUrn(): string } | undefined) => void;

/**
 * The mock API hands `newResource` no parent, but uniqueness is per (type, name, parent) and the
 * plan shows the tree, so registrations are recorded where the full request is visible: at the
 * monitor.
 */
function interceptRegistrations(recorder: ResourceRecorder): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(request: never, callback: Callback): Promise<void> };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) =>
        original(request, (error, response) => {
            if (!error && response) {
                recorder.add(recordFromRequest(request as Parameters<typeof recordFromRequest>[0], response.getUrn()));
            }
            callback(error, response);
        });
}

export function providerFacts(recorder: ResourceRecorder, reference: string | undefined): ProviderFacts {
    const urn = reference === undefined ? undefined : providerUrn(reference);
    const provider = urn === undefined ? undefined : recorder.byUrn(urn);
    return provider === undefined ? {} : factsOf(provider);
}

/** Account and Region a provider targets (AWS: allowedAccountIds/region; Azure: subscriptionId). */
export function factsOf(provider: RecordedResource): ProviderFacts {
    const allowed = decodeProviderInput(provider.inputs["allowedAccountIds"]);
    const accountId = Array.isArray(allowed) && typeof allowed[0] === "string" ? allowed[0] : (decodeProviderInput(provider.inputs["subscriptionId"]) as string | undefined);
    const region = decodeProviderInput(provider.inputs["region"]) as string | undefined;
    return { ...(accountId ? { accountId } : {}), ...(region ? { region } : {}) };
}

/** Waits until every registration the program started has reached the mock engine. */
export async function settle(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}
