import { ENFORCER_ENV } from "../../lambda/ssmRoleEnforcer/settings";
import { enforcerRolePolicy, enforcerTrust, functionLogGroupName, instanceRunningEventPattern } from "./enforcerDocuments";
import { enforcerRoleName, SSM_ROLE_ENFORCER_DEFAULTS } from "./ssmRoleEnforcer";
import { logWriterPolicyArn, MANAGED_POLICIES } from "../identity/iamDocuments";
import { MANAGED_NODE_ROLE_DEFAULTS } from "../identity/managedNodeRoles";
import { artifactBucketName, permissionsBoundaryArn } from "../../catalog/naming";
import { ACCOUNT_ID_MARKER, getAtt, logicalId, ref, REGION_MARKER, sub, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): SsmRoleEnforcer of one member (account, Region) as CloudFormation,
 * from the same builders (enforcerDocuments.ts) and defaults (SSM_ROLE_ENFORCER_DEFAULTS): the
 * execution role (named per Region, IAM being global), its log group with retention, the function,
 * the instance-running and schedule rules, and a permission per rule.
 *
 * The code cannot be inlined (ZipFile takes at most 4 MB of source for Node.js, and the bundled
 * handler with the AWS SDK is a zip): it comes from the central account's artifacts bucket in the
 * stack's own Region (a function's code must be in its Region: CreateFunction `Code.S3Bucket`),
 * `patching-artifacts-<central account>-<region>`, which the central stack creates and fills and
 * whose policy admits the organization's principals. The key carries a content hash, so a new
 * bundle is a new key and so a template change CloudFormation deploys.
 */
export interface EnforcerTemplateArgs {
    readonly centralAccountId: string;
    /** Key of the bundle (`index.js` at the root, handler `index.handler`) in every Region's artifacts bucket. */
    readonly codeS3Key: string;
    /** @default SSM_ROLE_ENFORCER_DEFAULTS.optOutTagKey */
    readonly optOutTagKey?: string;
    /** @default SSM_ROLE_ENFORCER_DEFAULTS.instanceRoleTagKey */
    readonly instanceRoleTagKey?: string;
    /** @default - only tagged roles are in scope */
    readonly instanceRolePath?: string;
    /** @default SSM_ROLE_ENFORCER_DEFAULTS.schedule */
    readonly schedule?: string;
    /** Attach the account's `patching-log-writer` besides Core (logAccess.enforcerAttach, issue 15). */
    readonly attachLogWriter: boolean;
}

export const ENFORCER_IDS = {
    role: "SsmRoleEnforcerRole",
    logGroup: "SsmRoleEnforcerLogGroup",
    function: "SsmRoleEnforcerFunction",
    rule: (key: string) => logicalId("SsmRoleEnforcer", key, "Rule"),
    permission: (key: string) => logicalId("SsmRoleEnforcer", key, "Permission"),
} as const;

export function enforcerResources(args: EnforcerTemplateArgs): CfnResources {
    const account = ACCOUNT_ID_MARKER;
    const region = REGION_MARKER;
    const defaults = SSM_ROLE_ENFORCER_DEFAULTS;
    const functionName = defaults.functionName;
    const ssmPolicyArn = MANAGED_POLICIES.ssmManagedInstanceCore;
    const instanceRoleTagKey = args.instanceRoleTagKey ?? defaults.instanceRoleTagKey;
    // The account-wide template's log-writer policy, by its fixed name (ManagedNodeRoles' in configured mode).
    const logWriter = args.attachLogWriter ? logWriterPolicyArn(account) : undefined;
    const policy = enforcerRolePolicy({
        accountId: account,
        region,
        instanceRoleName: MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName,
        functionName,
        ssmPolicyArn,
        instanceRoleTagKey,
        ...(args.instanceRolePath === undefined ? {} : { instanceRolePath: args.instanceRolePath }),
        ...(logWriter === undefined ? {} : { logWriterPolicyArn: logWriter }),
    });
    const rules = {
        running: { Description: "EC2 instance entered running: enforce its SSM role", EventPattern: instanceRunningEventPattern() },
        sweep: { Description: "Scheduled sweep: enforce SSM roles on every instance", ScheduleExpression: args.schedule ?? defaults.schedule },
    };
    const resources: Record<string, CfnResources[string]> = {
        [ENFORCER_IDS.role]: {
            Type: "AWS::IAM::Role",
            Properties: {
                RoleName: sub(enforcerRoleName(region)),
                PermissionsBoundary: sub(permissionsBoundaryArn(account)),
                Description: sub(`SSM-role enforcer Lambda in ${region} (multicloud-patching)`),
                AssumeRolePolicyDocument: sub(enforcerTrust(account)),
                Policies: [{ PolicyName: "enforce-ssm-instance-roles", PolicyDocument: sub(policy) }],
            },
        },
        // Created by the stack, not by Lambda on first write, so it has a retention.
        [ENFORCER_IDS.logGroup]: {
            Type: "AWS::Logs::LogGroup",
            Properties: { LogGroupName: functionLogGroupName(functionName), RetentionInDays: defaults.logRetentionDays },
        },
        [ENFORCER_IDS.function]: {
            Type: "AWS::Lambda::Function",
            Properties: {
                FunctionName: functionName,
                Description: "Gives EC2 instances the managed-node instance profile / SSM policy (multicloud-patching)",
                // GetAtt: created after the role with its inline policy, so never invoked without it.
                Role: getAtt(ENFORCER_IDS.role, "Arn"),
                Runtime: defaults.runtime,
                Handler: "index.handler",
                Code: { S3Bucket: sub(artifactBucketName(args.centralAccountId, region)), S3Key: args.codeS3Key },
                Timeout: defaults.timeoutSeconds,
                MemorySize: defaults.memorySizeMb,
                Environment: {
                    Variables: sub({
                        // The account-wide template's profile carries the instance role's name.
                        [ENFORCER_ENV.instanceProfileName]: MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName,
                        [ENFORCER_ENV.optOutTagKey]: args.optOutTagKey ?? defaults.optOutTagKey,
                        [ENFORCER_ENV.ssmPolicyArn]: ssmPolicyArn,
                        [ENFORCER_ENV.instanceRoleTagKey]: instanceRoleTagKey,
                        ...(args.instanceRolePath === undefined ? {} : { [ENFORCER_ENV.instanceRolePath]: args.instanceRolePath }),
                        ...(logWriter === undefined ? {} : { [ENFORCER_ENV.logWriterPolicyArn]: logWriter }),
                    }),
                },
                // Text: the handler writes one JSON object per line itself (see jsonLineLogger).
                LoggingConfig: { LogFormat: "Text", LogGroup: ref(ENFORCER_IDS.logGroup) },
            },
        },
    };
    for (const [key, rule] of Object.entries(rules)) {
        resources[ENFORCER_IDS.rule(key)] = {
            Type: "AWS::Events::Rule",
            Properties: { Name: `${functionName}-${key}`, ...rule, State: "ENABLED", Targets: [{ Id: "ssm-role-enforcer", Arn: getAtt(ENFORCER_IDS.function, "Arn") }] },
        };
        // Only this rule may invoke the function through EventBridge.
        resources[ENFORCER_IDS.permission(key)] = {
            Type: "AWS::Lambda::Permission",
            Properties: { Action: "lambda:InvokeFunction", FunctionName: ref(ENFORCER_IDS.function), Principal: "events.amazonaws.com", SourceArn: getAtt(ENFORCER_IDS.rule(key), "Arn") },
        };
    }
    return resources;
}
