/**
 * The SSM-role enforcer's IAM documents and EventBridge pattern, as pure functions returning plain
 * objects with a fixed key order. Actions and resource types per the Service Authorization
 * Reference (EC2: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html,
 * IAM: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
 */
import { ENFORCER_EVENTS } from "../../lambda/ssmRoleEnforcer/events";
import { INSTANCE_ROLE_TAG_VALUE, PROTECTED_ROLE_NAMES, PROTECTED_ROLE_PATHS } from "../../lambda/ssmRoleEnforcer/settings";
import { policy, roleArn, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";

export interface EnforcerPolicyInputs {
    readonly accountId: string;
    readonly region: string;
    /** The managed-node role inside the instance profile the enforcer associates (the only role it may pass). */
    readonly instanceRoleName: string;
    /** The function's name; its log group is `/aws/lambda/<name>`. */
    readonly functionName: string;
    /** The SSM managed policy the enforcer may attach to instance roles. */
    readonly ssmPolicyArn: string;
    /**
     * The program's log-writer policy (`arn:aws:iam::<account>:policy/patching-log-writer`), the
     * only other policy it may attach, to the same roles (issue 15).
     * @default - none: only the SSM policy
     */
    readonly logWriterPolicyArn?: string;
    /** Roles tagged `<key>=true` are in scope for the attach (`aws:ResourceTag/<key>`). */
    readonly instanceRoleTagKey: string;
    /** Roles under this IAM path (e.g. `/instances/`) are in scope too; never "/". */
    readonly instanceRolePath?: string;
}

/** A statement that may use NotResource (the shared PolicyStatement type has only Resource). */
export type EnforcerStatement = PolicyStatement | (Omit<PolicyStatement, "Resource"> & { readonly NotResource: string | readonly string[] });

export interface EnforcerPolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly EnforcerStatement[];
}

/** `arn:aws:iam::<account>:role<path>*`: every role under an IAM path (the ARN carries the path). */
export function rolePathArn(accountId: string, path: string): string {
    return `arn:aws:iam::${accountId}:role${path}*`;
}

/** The log group Lambda writes a function's logs to by default (and the one the component creates). */
export function functionLogGroupName(functionName: string): string {
    return `/aws/lambda/${functionName}`;
}

/** Lambda assumes the execution role only for functions of this account (confused-deputy protection). */
export function enforcerTrust(accountId: string): PolicyDocument {
    return policy({
        Sid: "LambdaInThisAccount",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/**
 * Least privilege for the enforcer in one (account, Region). No CreateLogGroup: the component
 * creates the group (with retention) before the function exists.
 *
 * The attach is limited twice over (issue 14, M5). Allows: only AmazonSSMManagedInstanceCore
 * and, when given, the program's log-writer policy (`iam:PolicyARN`; issue 15), only on roles tagged `<instanceRoleTagKey>=true` (`aws:ResourceTag/<key>`,
 * a condition key of IAM's role resource) or under `instanceRolePath`. Explicit denies, which no
 * later policy, boundary mistake or broadened allow can undo: any other policy; any role outside
 * that scope; the administrator roles AWS Organizations / Control Tower / StackSets create and
 * AWS-owned role paths; passing any role but the managed-node role. What IAM cannot express —
 * "this role is trusted by EC2 only" — the handler checks (roleEligibility).
 * Condition keys: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
export function enforcerRolePolicy(inputs: EnforcerPolicyInputs): EnforcerPolicyDocument {
    const { accountId, region } = inputs;
    const allRoles = `arn:aws:iam::${accountId}:role/*`;
    const tagged = { StringEquals: { [`aws:ResourceTag/${inputs.instanceRoleTagKey}`]: INSTANCE_ROLE_TAG_VALUE } };
    const attachable = [inputs.ssmPolicyArn, ...(inputs.logWriterPolicyArn === undefined ? [] : [inputs.logWriterPolicyArn])];
    const onlySsmPolicy = { ArnEquals: { "iam:PolicyARN": attachable.length === 1 ? attachable[0] : attachable } };
    const path = inputs.instanceRolePath;
    const protectedRoles = [
        ...PROTECTED_ROLE_NAMES.flatMap((name) => [roleArn(accountId, name), `arn:aws:iam::${accountId}:role/*/${name}`]),
        ...PROTECTED_ROLE_PATHS.map((prefix) => rolePathArn(accountId, prefix)),
    ];
    const statements: EnforcerStatement[] = [
        // Neither Describe action supports resource-level permissions.
        { Sid: "FindInstancesAndProfiles", Effect: "Allow", Action: ["ec2:DescribeIamInstanceProfileAssociations", "ec2:DescribeInstances"], Resource: "*" },
        { Sid: "AssociateManagedNodeProfile", Effect: "Allow", Action: "ec2:AssociateIamInstanceProfile", Resource: `arn:aws:ec2:${region}:${accountId}:instance/*` },
        // Associating a profile passes its role to EC2; only the managed-node role, only to EC2.
        {
            Sid: "PassManagedNodeRoleToEc2",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roleArn(accountId, inputs.instanceRoleName),
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        },
        { Sid: "ReadInstanceProfiles", Effect: "Allow", Action: "iam:GetInstanceProfile", Resource: `arn:aws:iam::${accountId}:instance-profile/*` },
        // GetRole: the trust policy, path and tags the handler's eligibility check reads.
        { Sid: "ReadInstanceRoles", Effect: "Allow", Action: ["iam:GetRole", "iam:ListAttachedRolePolicies"], Resource: allRoles },
        { Sid: "AttachSsmPolicyToTaggedRoles", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: allRoles, Condition: { ...onlySsmPolicy, ...tagged } },
        ...(path === undefined ? [] : [{ Sid: "AttachSsmPolicyUnderPath", Effect: "Allow" as const, Action: "iam:AttachRolePolicy", Resource: rolePathArn(accountId, path), Condition: onlySsmPolicy }]),
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:${region}:${accountId}:log-group:${functionLogGroupName(inputs.functionName)}:*`,
        },
        { Sid: "DenyAnyOtherPolicy", Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: "*", Condition: { ArnNotEquals: onlySsmPolicy.ArnEquals } },
        // StringNotEquals is true when the tag is absent, so untagged roles are denied too.
        path === undefined
            ? { Sid: "DenyRolesOutOfScope", Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: allRoles, Condition: { StringNotEquals: tagged.StringEquals } }
            : { Sid: "DenyRolesOutOfScope", Effect: "Deny", Action: "iam:AttachRolePolicy", NotResource: rolePathArn(accountId, path), Condition: { StringNotEquals: tagged.StringEquals } },
        { Sid: "DenyProtectedRoles", Effect: "Deny", Action: ["iam:AttachRolePolicy", "iam:PassRole"], Resource: protectedRoles },
        { Sid: "DenyPassingOtherRoles", Effect: "Deny", Action: "iam:PassRole", NotResource: roleArn(accountId, inputs.instanceRoleName) },
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/** The subset of the EventBridge pattern grammar used here: exact-match value lists, nested by field. */
export interface EventPattern {
    readonly [field: string]: readonly string[] | EventPattern;
}

/**
 * EC2 instances entering `running` (launch, start, and every start of a stopped instance).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html
 */
export function instanceRunningEventPattern(): EventPattern {
    const { source, detailType, state } = ENFORCER_EVENTS.stateChange;
    return { source: [source], "detail-type": [detailType], detail: { state: [state] } };
}
