import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { createHash } from "node:crypto";

/**
 * What the mock engine answers for a new resource: its inputs echoed back plus the computed
 * outputs the program reads (`id`, `arn`, `name`), shaped like the real ones so that ARNs built
 * from them land in the right account and Region.
 */
export interface ProviderFacts {
    readonly accountId?: string;
    readonly region?: string;
}

export function mockResourceState(args: MockResourceArgs, provider: ProviderFacts): { id: string; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const physicalName = typeof inputs["name"] === "string" ? (inputs["name"] as string) : args.name;
    const id = `${physicalName}-id`;
    if (args.type === "awsx:ec2:Vpc") {
        return { id, state: { ...inputs, ...mockAwsxVpcOutputs(args.name, inputs) } };
    }
    if (args.type.startsWith("pulumi:providers:") || args.custom === false) {
        return { id, state: { ...inputs } };
    }
    const region = typeof inputs["region"] === "string" ? (inputs["region"] as string) : (provider.region ?? "us-east-1");
    const account = provider.accountId ?? "000000000000";
    const state: Record<string, unknown> = { ...inputs, name: physicalName, arn: mockArn(args.type, physicalName, account, region) };
    const computed = COMPUTED_OUTPUTS[args.type]?.(args.name, inputs);
    return { id: computed?.id ?? id, state: { ...state, ...computed?.state } };
}

/** A stable UUID-shaped value derived from a name (activation ids, managed identities). */
export function mockUuid(seed: string): string {
    const hex = createHash("sha256").update(seed).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Outputs the real provider computes and the program reads, shaped like the real ones (an SSM
 * activation id is a UUID and its code 20 base64-like characters; a system-assigned identity
 * gets a principal id).
 */
const COMPUTED_OUTPUTS: Record<string, (name: string, inputs: Record<string, unknown>) => { id?: string; state: Record<string, unknown> }> = {
    "aws:ssm/activation:Activation": (name) => ({
        id: mockUuid(`activation ${name}`),
        state: { activationCode: createHash("sha256").update(`code ${name}`).digest("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 20) },
    }),
    "azure-native:authorization:PolicyAssignment": (name, inputs) => {
        const identity = inputs["identity"] as { type?: string } | undefined;
        return identity?.type === "SystemAssigned" ? { state: { identity: { ...identity, principalId: mockUuid(`principal ${name}`), tenantId: mockUuid("tenant") } } } : { state: {} };
    },
};

/** `aws:iam/role:Role` → `arn:aws:iam::<account>:role/<name>`, regional services keep their Region. */
export function mockArn(type: string, name: string, account: string, region: string): string {
    const [pkg, module = "index", kind = "resource"] = type.split(":");
    const service = module.split("/")[0];
    const resourceKind = kind.charAt(0).toLowerCase() + kind.slice(1);
    if (pkg !== "aws") {
        return `mock:${type}:${name}`;
    }
    if (service === "iam") {
        return `arn:aws:iam::${account}:${resourceKind}/${name}`;
    }
    if (service === "s3") {
        return `arn:aws:s3:::${name}`;
    }
    return `arn:aws:${service}:${region}:${account}:${resourceKind}/${name}`;
}

/** An AWS-shaped id (`vpc-`, `subnet-`, `rtb-` + 17 hex digits), the same for the same seed. */
export function mockAwsId(prefix: string, seed: string): string {
    return `${prefix}-${createHash("sha256").update(seed).digest("hex").slice(0, 17)}`;
}

/**
 * awsx.ec2.Vpc is a remote component: the mock engine sees one registration (custom: false) and
 * no children, and the program reads whatever this returns. Subnets per spec type × AZ count, as
 * awsx creates them (default: a private and a public subnet in each of 3 AZs).
 */
export function mockAwsxVpcOutputs(name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const zones = Array.isArray(inputs["availabilityZoneNames"]) ? inputs["availabilityZoneNames"].length : ((inputs["numberOfAvailabilityZones"] as number | undefined) ?? 3);
    const specs = Array.isArray(inputs["subnetSpecs"]) ? (inputs["subnetSpecs"] as { type: string }[]).map((spec) => spec.type) : ["Private", "Public"];
    const subnets = (type: string) =>
        specs.flatMap((spec, index) => (spec === type ? Array.from({ length: zones }, (_, zone) => mockAwsId("subnet", `${name}/${type}/${index}/${zone}`)) : []));
    return { vpcId: mockAwsId("vpc", name), privateSubnetIds: subnets("Private"), publicSubnetIds: subnets("Public"), isolatedSubnetIds: subnets("Isolated") };
}
