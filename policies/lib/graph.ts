/**
 * Reading resources the way the engine hands them to a policy pack: props behind the SDK's
 * unknown-checking proxy (any read of a value unknown during preview throws UnknownValueError),
 * provider inputs JSON-encoded, references between resources as `propertyDependencies`.
 */
import * as policySdk from "@pulumi/policy";
import type { PolicyResource, PolicyResourceOptions } from "@pulumi/policy";

/** Thrown by the SDK's proxy on a read of an unknown value (exported at runtime, internal in the typings). */
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

export const TYPES = {
    awsProvider: "pulumi:providers:aws",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketAcl: "aws:s3/bucketAcl:BucketAcl",
    bucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
    bucketObject: "aws:s3/bucketObject:BucketObject",
    bucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    role: "aws:iam/role:Role",
    patchBaseline: "aws:ssm/patchBaseline:PatchBaseline",
    patchGroup: "aws:ssm/patchGroup:PatchGroup",
    association: "aws:ssm/association:Association",
    resourceDataSync: "aws:ssm/resourceDataSync:ResourceDataSync",
    activation: "aws:ssm/activation:Activation",
    resourceGroup: "aws:resourcegroups/group:Group",
    schedule: "aws:scheduler/schedule:Schedule",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    vmExtension: "azure-native:compute:VirtualMachineExtension",
    tagAtScope: "azure-native:resources:TagAtScope",
    virtualMachine: "azure-native:compute:VirtualMachine",
    eventBusPolicy: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    eventPermission: "aws:cloudwatch/eventPermission:EventPermission",
} as const;

/** The Patch Group tag keys Patch Manager recognises ("PatchGroup" when instance-metadata tags are on). */
export const PATCH_GROUP_TAG_KEYS = ["Patch Group", "PatchGroup"];

/**
 * Resource options as the offline plan passes them: the engine's analyzer protocol carries
 * `protect` but not `retainOnDelete`, which only the offline recorder knows.
 */
export type OptionsWithRetain = PolicyResourceOptions & { readonly retainOnDelete?: boolean };

/** Reads a value, or `undefined` if the engine does not know it yet (preview). */
export function known<T>(read: () => T): T | undefined {
    const value = peek(read);
    return value === UNKNOWN ? undefined : value;
}

/** Marks a value the engine does not know yet, where absent (`undefined`) means something else. */
export const UNKNOWN: unique symbol = Symbol("unknown");

export function peek<T>(read: () => T): T | typeof UNKNOWN {
    try {
        return read();
    } catch (error) {
        if (error instanceof UnknownValueError) {
            return UNKNOWN;
        }
        throw error;
    }
}

/**
 * Provider inputs reach the engine JSON-encoded (lists and objects become strings). Same as
 * tools/mock/recorder.ts decodeProviderInput, kept here because a published pack may import
 * nothing from outside policies/.
 */
export function decode(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

export function asList(value: unknown): unknown[] {
    return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((resource) => resource.type === type);
}

/**
 * The resources among `candidates` that `resource.props[property]` refers to. The engine records
 * which resources each input was computed from (exact, and known even when the value is not);
 * without that, a literal value is matched against each candidate's `matchProperty`.
 */
export function referenced(resource: PolicyResource, property: string, candidates: readonly PolicyResource[], matchProperty?: string): PolicyResource[] {
    const pool = new Set(candidates);
    const viaDependencies = (resource.propertyDependencies[property] ?? []).filter((dependency) => pool.has(dependency));
    if (viaDependencies.length > 0 || matchProperty === undefined) {
        return viaDependencies;
    }
    const values = asList(known(() => resource.props[property]));
    return candidates.filter((candidate) => {
        const value = known(() => candidate.props[matchProperty]);
        return value !== undefined && values.includes(value);
    });
}

/** The AWS account a resource is deployed into: the first of its provider's allowedAccountIds. */
export function accountOf(resource: Pick<PolicyResource, "type" | "props" | "provider">): string | undefined {
    const provider = resource.type === TYPES.awsProvider ? { props: resource.props } : resource.provider;
    if (provider === undefined) {
        return undefined;
    }
    const allowed = asList(decode(known(() => provider.props["allowedAccountIds"])));
    return typeof allowed[0] === "string" ? allowed[0] : undefined;
}

/** A regional resource's Region: its `region` input (AWS provider v7), else the provider's. */
export function regionOf(resource: PolicyResource): string | undefined {
    const own = known(() => resource.props["region"]);
    if (typeof own === "string") {
        return own;
    }
    const inherited = decode(known(() => resource.provider?.props["region"]));
    return typeof inherited === "string" ? inherited : undefined;
}

/** The value of the first tag among `keys` that is set to a non-empty value. */
export function tagValue(tags: unknown, keys: readonly string[]): string | undefined {
    if (tags === null || typeof tags !== "object") {
        return undefined;
    }
    for (const key of keys) {
        const value = known(() => (tags as Record<string, unknown>)[key]);
        if (typeof value === "string" && value.trim() !== "") {
            return value;
        }
    }
    return undefined;
}

export function quoted(values: readonly string[]): string {
    return values.map((value) => `"${value}"`).join(", ");
}
