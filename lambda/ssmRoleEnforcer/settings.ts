/**
 * The contract between the SsmRoleEnforcer component and its handler: environment variable
 * names, defaults and the rules that decide "compliant". Pure and dependency-free, because both
 * the Lambda bundle and the Pulumi program import it.
 */

/** Environment variables the component sets and the handler reads. */
export const ENFORCER_ENV = {
    instanceProfileName: "INSTANCE_PROFILE_NAME",
    optOutTagKey: "OPT_OUT_TAG_KEY",
    ssmPolicyArn: "SSM_POLICY_ARN",
} as const;

/** Managed policies that give an instance role what the SSM Agent needs. */
export const SSM_POLICIES = {
    managedInstanceCore: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    /**
     * The policy Default Host Management Configuration attaches to its role; it grants the same
     * agent permissions (ssm, ssmmessages, ec2messages), so a role carrying it needs nothing more.
     * https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html
     */
    defaultEc2InstancePolicy: "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy",
} as const;

export const ENFORCER_DEFAULTS = {
    /** Same default as the stack config (`enforcer.optOutTagKey`). */
    optOutTagKey: "patching:ssm-enforcer-opt-out",
    ssmPolicyArn: SSM_POLICIES.managedInstanceCore,
    /** DescribeInstances / associations / ListAttachedRolePolicies page size. */
    pageSize: 100,
    /** Instances processed in parallel: well under the EC2/IAM API rate limits. */
    concurrency: 4,
    /** Tag values that mean "not opted out" (compared trimmed and case-insensitively). */
    optInValues: ["false"],
} as const;

export interface EnforcerSettings {
    /** The managed-node instance profile given to instances that have none. */
    readonly instanceProfileName: string;
    /** Instances carrying this tag are left alone (unless its value is "false"). */
    readonly optOutTagKey: string;
    /** The policy attached to instance roles that lack SSM permissions. */
    readonly ssmPolicyArn: string;
    /** @default ENFORCER_DEFAULTS.pageSize */
    readonly pageSize?: number;
    /** @default ENFORCER_DEFAULTS.concurrency */
    readonly concurrency?: number;
}

/** Settings from the Lambda environment; a missing profile name is a deployment error. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): EnforcerSettings {
    const instanceProfileName = env[ENFORCER_ENV.instanceProfileName]?.trim();
    if (!instanceProfileName) {
        throw new Error(`${ENFORCER_ENV.instanceProfileName} is not set: the enforcer needs the managed-node instance profile name`);
    }
    return {
        instanceProfileName,
        optOutTagKey: env[ENFORCER_ENV.optOutTagKey]?.trim() || ENFORCER_DEFAULTS.optOutTagKey,
        ssmPolicyArn: env[ENFORCER_ENV.ssmPolicyArn]?.trim() || ENFORCER_DEFAULTS.ssmPolicyArn,
    };
}

/**
 * Opt-out is the presence of the tag, whatever its value (an empty value included), except the
 * value "false": someone who writes `opt-out = false` clearly means "do enforce", and treating it
 * as an opt-out would silently leave the instance unmanaged.
 */
export function optOutValue(tags: readonly { Key?: string; Value?: string }[] | undefined, tagKey: string): string | undefined {
    const tag = tags?.find((candidate) => candidate.Key === tagKey);
    if (tag === undefined) {
        return undefined;
    }
    const value = tag.Value ?? "";
    return (ENFORCER_DEFAULTS.optInValues as readonly string[]).includes(value.trim().toLowerCase()) ? undefined : value;
}

/** True when one of the attached managed policies already grants the agent's permissions. */
export function grantsSsm(attachedPolicyArns: Iterable<string>, ssmPolicyArn: string): boolean {
    const sufficient = new Set<string>([SSM_POLICIES.managedInstanceCore, SSM_POLICIES.defaultEc2InstancePolicy, ssmPolicyArn]);
    for (const arn of attachedPolicyArns) {
        if (sufficient.has(arn)) {
            return true;
        }
    }
    return false;
}

/** `arn:aws:iam::123456789012:instance-profile/some/path/name` → `name` (GetInstanceProfile takes the name). */
export function instanceProfileNameFromArn(arn: string): string {
    const match = /^arn:[^:]+:iam::\d{12}:instance-profile\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (match === null) {
        throw new Error(`"${arn}" is not an instance profile ARN`);
    }
    return match[1];
}
