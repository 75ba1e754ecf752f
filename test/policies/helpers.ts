/**
 * Fixtures for policy tests: recorded resources shaped as the mock runtime records them (provider
 * inputs JSON-encoded, references as the mock's ids plus `dependsOn`), run through the same
 * offline runner `npm run plan` uses.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Policy } from "@pulumi/policy";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { mockResourceState } from "../../tools/mock/mockState";
import { ResourceRecorder, type RecordedResource } from "../../tools/mock/recorder";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { PACK_POLICIES, runPolicies, type PolicyViolation } from "../../tools/plan/policyRun";
import { flatConfig } from "../fixtures/estateConfig";

export interface FixtureOptions {
    readonly provider?: RecordedResource;
    readonly parent?: RecordedResource;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    readonly dependsOn?: readonly RecordedResource[];
}

export function resource(type: string, name: string, inputs: Record<string, unknown>, options: FixtureOptions = {}): RecordedResource {
    const qualified = options.parent === undefined ? type : `${options.parent.type}$${type}`;
    return {
        urn: `urn:pulumi:test::multicloud-patching::${qualified}::${name}`,
        type,
        name,
        custom: true,
        ...(options.parent ? { parent: options.parent.urn } : {}),
        ...(options.provider ? { provider: options.provider.urn } : {}),
        inputs,
        options: { protect: options.protect ?? false, retainOnDelete: options.retainOnDelete ?? false, dependsOn: (options.dependsOn ?? []).map((d) => d.urn) },
        // Fixtures name only dependsOn; the runner attributes them to inputs by id/ARN.
        propertyDependencies: {},
    };
}

/** The id the mock runtime gives a resource (what `resource.id` resolves to in the program). */
export function idOf(recorded: RecordedResource): string {
    return mockResourceState({ type: recorded.type, name: recorded.name, inputs: recorded.inputs, custom: true } as MockResourceArgs, {}).id;
}

/** An AWS provider as the program registers it: inputs JSON-encoded on the wire. */
export function awsProvider(alias: string, accountId: string, overrides: Record<string, unknown> = {}): RecordedResource {
    return resource("pulumi:providers:aws", `aws-${alias}`, {
        allowedAccountIds: JSON.stringify([accountId]),
        assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${accountId}:role/multicloud-patching-deployer`, sessionName: "multicloud-patching-test" }]),
        region: "us-east-1",
        ...overrides,
    });
}

/** Runs one policy at `mandatory` with the given knobs over the fixtures. */
export async function check(policy: Policy, resources: readonly RecordedResource[], knobs: Record<string, unknown> = {}): Promise<PolicyViolation[]> {
    const recorder = new ResourceRecorder();
    resources.forEach((r) => recorder.add(r));
    const config = resolvePolicyConfig([policy], { [policy.name]: { enforcementLevel: "mandatory", ...knobs } }, "test");
    return runPolicies(recorder, { config, policies: [policy] });
}

/**
 * Runs the whole pack with an environment's shipped config (policies/config.<env>.json) over the
 * fixtures: the mandatory violations' messages — "does the pack as configured catch this?".
 */
export async function packMessages(resources: readonly RecordedResource[], environment: "dev" | "prod"): Promise<string[]> {
    const recorder = new ResourceRecorder();
    resources.forEach((r) => recorder.add(r));
    const file = path.resolve(__dirname, "..", "..", "policies", `config.${environment}.json`);
    const config = resolvePolicyConfig(PACK_POLICIES, readPolicyConfigFile(file), file);
    return (await runPolicies(recorder, { config, policies: PACK_POLICIES })).filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`);
}

export async function messages(policy: Policy, resources: readonly RecordedResource[], knobs: Record<string, unknown> = {}): Promise<string[]> {
    return (await check(policy, resources, knobs)).map((violation) => violation.message);
}

/** The stack config policies read (PULUMI_CONFIG under the CLI), keys without the project prefix. */
export function useStackConfig(raw: Record<string, unknown>): void {
    pulumi.runtime.setAllConfig(flatConfig(raw), []);
}

export const CENTRAL = "111111111111";
export const MEMBER = "222222222222";
