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
    instanceRoleTagKey: "INSTANCE_ROLE_TAG_KEY",
    instanceRolePath: "INSTANCE_ROLE_PATH",
    logWriterPolicyArn: "LOG_WRITER_POLICY_ARN",
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
    /** Same default as the stack config (`enforcer.instanceRoleTagKey`). */
    instanceRoleTagKey: "patching:ssm-instance-role",
} as const;

/**
 * The value the instance-role tag must carry, exactly (IAM's StringEquals on
 * `aws:ResourceTag/<key>` is case-sensitive, so the Lambda compares the same way).
 */
export const INSTANCE_ROLE_TAG_VALUE = "true";

/** The only principal an instance role's trust policy may name (EC2 assumes it for the instance). */
export const EC2_SERVICE_PRINCIPAL = "ec2.amazonaws.com";

/**
 * Roles the enforcer never touches, whatever their trust, path or tags: the roles AWS
 * Organizations, Control Tower and CloudFormation StackSets create for administrators to enter an
 * account. They trust an account, not EC2, so the trust check already refuses them; they are named
 * here (and denied by name in the function's IAM policy) so that neither layer depends on the other.
 */
export const PROTECTED_ROLE_NAMES = ["OrganizationAccountAccessRole", "AWSControlTowerExecution", "AWSCloudFormationStackSetExecutionRole"] as const;
/** Paths of AWS-owned roles (service-linked roles, IAM Identity Center permission sets). */
export const PROTECTED_ROLE_PATHS = ["/aws-service-role/", "/aws-reserved/"] as const;

export interface EnforcerSettings {
    /** The managed-node instance profile given to instances that have none. */
    readonly instanceProfileName: string;
    /** Instances carrying this tag are left alone (unless its value is "false"). */
    readonly optOutTagKey: string;
    /** The policy attached to instance roles that lack SSM permissions. */
    readonly ssmPolicyArn: string;
    /**
     * A role carrying this tag with the value "true" is in scope for the attach.
     * @default ENFORCER_DEFAULTS.instanceRoleTagKey
     */
    readonly instanceRoleTagKey?: string;
    /**
     * A role whose path starts with this (e.g. `/instances/`) is in scope too.
     * @default - none: only the tag puts a role in scope
     */
    readonly instanceRolePath?: string;
    /**
     * The program's log-writer policy (`patching-log-writer`), attached besides the SSM policy to
     * the same in-scope instance roles so their instances can upload command output (issue 15).
     * @default - none: only the SSM policy is attached
     */
    readonly logWriterPolicyArn?: string;
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
        instanceRoleTagKey: env[ENFORCER_ENV.instanceRoleTagKey]?.trim() || ENFORCER_DEFAULTS.instanceRoleTagKey,
        ...(env[ENFORCER_ENV.instanceRolePath]?.trim() ? { instanceRolePath: env[ENFORCER_ENV.instanceRolePath]?.trim() } : {}),
        ...(env[ENFORCER_ENV.logWriterPolicyArn]?.trim() ? { logWriterPolicyArn: env[ENFORCER_ENV.logWriterPolicyArn]?.trim() } : {}),
    };
}

/** What GetRole returns that the eligibility rules read. */
export interface RoleFacts {
    readonly RoleName?: string;
    readonly Path?: string;
    /** The trust policy as GetRole returns it: URL-encoded JSON (RFC 3986). */
    readonly AssumeRolePolicyDocument?: string;
    readonly Tags?: readonly { Key?: string; Value?: string }[];
}

export type Eligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: string };

/**
 * Whether the enforcer may attach the SSM policy to this role (issue 14, M5): only to an
 * instance role — its trust policy allows EC2 and nothing else — that is in scope (carries the
 * instance-role tag with the value "true", or lives under the configured path), and never to a
 * protected administrator role. The function's IAM policy enforces the scope and the protected
 * names too (enforcerRolePolicy); the trust check exists only here, because IAM policies cannot
 * read another role's trust policy.
 */
export function roleEligibility(role: RoleFacts, settings: Pick<EnforcerSettings, "instanceRoleTagKey" | "instanceRolePath">): Eligibility {
    const name = role.RoleName ?? "";
    const path = role.Path ?? "/";
    if ((PROTECTED_ROLE_NAMES as readonly string[]).includes(name) || PROTECTED_ROLE_PATHS.some((prefix) => path.startsWith(prefix))) {
        return { eligible: false, reason: "protected administrator or AWS-owned role" };
    }
    const trust = trustProblem(role.AssumeRolePolicyDocument);
    if (trust !== undefined) {
        return { eligible: false, reason: trust };
    }
    const tagKey = settings.instanceRoleTagKey ?? ENFORCER_DEFAULTS.instanceRoleTagKey;
    const tagged = role.Tags?.some((tag) => tag.Key === tagKey && tag.Value === INSTANCE_ROLE_TAG_VALUE) ?? false;
    const underPath = settings.instanceRolePath !== undefined && path.startsWith(settings.instanceRolePath);
    if (!tagged && !underPath) {
        const pathPart = settings.instanceRolePath === undefined ? "" : ` and its path ${path} is not under ${settings.instanceRolePath}`;
        return { eligible: false, reason: `not in scope: no tag ${tagKey}=${INSTANCE_ROLE_TAG_VALUE}${pathPart}` };
    }
    return { eligible: true };
}

type Principal = string | Readonly<Record<string, string | readonly string[]>>;
interface TrustStatement {
    readonly Effect?: string;
    readonly Principal?: Principal;
    readonly NotPrincipal?: Principal;
}

/**
 * Undefined when every Allow statement names exactly the EC2 service principal and nothing else
 * (Deny statements only narrow who may assume the role, so they are ignored); otherwise why not.
 */
function trustProblem(encoded: string | undefined): string | undefined {
    let document: { Statement?: TrustStatement | readonly TrustStatement[] };
    try {
        document = JSON.parse(decodeURIComponent(encoded ?? ""));
    } catch {
        return "trust policy unreadable";
    }
    const statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement as TrustStatement];
    const allows = statements.filter((statement) => statement.Effect === "Allow");
    if (allows.length === 0) {
        return `not an instance role: its trust policy allows no one`;
    }
    for (const statement of allows) {
        const principals = [...new Set(principalList(statement))];
        const onlyEc2 = principals.length === 1 && principals[0] === `Service:${EC2_SERVICE_PRINCIPAL}`;
        if (!onlyEc2) {
            return `not an instance role: its trust policy allows ${principals.length === 0 ? "no principal" : principals.join(", ")}, not only ${EC2_SERVICE_PRINCIPAL}`;
        }
    }
    return undefined;
}

/** `Type:value` for every principal of an Allow statement; NotPrincipal or `*` count as everyone. */
function principalList(statement: TrustStatement): string[] {
    if (statement.NotPrincipal !== undefined || statement.Principal === "*") {
        return ["*"];
    }
    if (statement.Principal === undefined || typeof statement.Principal === "string") {
        return statement.Principal === undefined ? [] : [statement.Principal];
    }
    return Object.entries(statement.Principal).flatMap(([type, values]) => (typeof values === "string" ? [values] : [...values]).map((value) => `${type}:${value}`));
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
