/**
 * The SSM-role enforcer's IAM documents and EventBridge pattern, as pure functions returning plain
 * objects with a fixed key order. Actions and resource types per the Service Authorization
 * Reference (EC2: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html,
 * IAM: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
 */
import { ENFORCER_EVENTS } from "../../lambda/ssmRoleEnforcer/events";
import { policy, roleArn, type PolicyDocument } from "../identity/iamDocuments";

export interface EnforcerPolicyInputs {
    readonly accountId: string;
    readonly region: string;
    /** The managed-node role inside the instance profile the enforcer associates (the only role it may pass). */
    readonly instanceRoleName: string;
    /** The function's name; its log group is `/aws/lambda/<name>`. */
    readonly functionName: string;
    /** The one managed policy the enforcer may attach to instance roles. */
    readonly ssmPolicyArn: string;
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
 */
export function enforcerRolePolicy(inputs: EnforcerPolicyInputs): PolicyDocument {
    const { accountId, region } = inputs;
    return policy(
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
        { Sid: "ReadInstanceRolePolicies", Effect: "Allow", Action: "iam:ListAttachedRolePolicies", Resource: `arn:aws:iam::${accountId}:role/*` },
        // Instance roles have arbitrary names, so any role, but only ever this one policy.
        {
            Sid: "AttachSsmPolicyOnly",
            Effect: "Allow",
            Action: "iam:AttachRolePolicy",
            Resource: `arn:aws:iam::${accountId}:role/*`,
            Condition: { ArnEquals: { "iam:PolicyARN": inputs.ssmPolicyArn } },
        },
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:${region}:${accountId}:log-group:${functionLogGroupName(inputs.functionName)}:*`,
        },
    );
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
