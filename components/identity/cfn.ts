import { executionRolePolicy, executionRoleTrust } from "./automationDocuments";
import { LOG_WRITER_POLICY_NAME, logBucketWritePolicy, MANAGED_POLICIES } from "./iamDocuments";
import { ec2InstanceTrust, hybridNodeAgentPolicy, hybridServiceRoleTrust } from "./nodeDocuments";
import { programBoundary, type DeploymentRoleRef } from "./boundaryDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "./policySize";
import { accountLogBuckets, MANAGED_NODE_ROLE_DEFAULTS } from "./managedNodeRoles";
import { PERMISSIONS_BOUNDARY_NAME, permissionsBoundaryArn } from "../../catalog/naming";
import { ACCOUNT_ID_MARKER, ref, sub, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): the account-wide identity of a member account as CloudFormation
 * resources, rendered from the same builders as AutomationExecutionRole and ManagedNodeRoles
 * (automationDocuments.ts, nodeDocuments.ts, boundaryDocuments.ts) with the account id left to the stack instance
 * (ACCOUNT_ID_MARKER → Fn::Sub). Physical names are the configured-accounts mode's.
 */
export interface IdentityTemplateArgs {
    /** `Project` tag value the boundary's network statements key on (ProgramBoundaryScope.project). */
    readonly project: string;
    /** The execution role's name (TargetLocations ExecutionRoleName). */
    readonly executionRoleName: string;
    /** The administration role's name: the boundary names both Automation roles. */
    readonly administrationRoleName: string;
    /** The central administration role's ARN, the only AWS principal the execution role trusts. */
    readonly administrationRoleArn: string;
    readonly patchGroupTagKey: string;
    /** Runbooks the execution role may start (AUTOMATION_DOCUMENT_NAMES). */
    readonly runbookNames: readonly string[];
    /** @default - none: no kms:CreateGrant */
    readonly ebsKmsKeyArns?: readonly string[];
    /** Every Region the Regional template goes to: the node roles write to each one's log buckets. */
    readonly regions: readonly string[];
    /** @default - SSE-S3 log buckets, no KMS permissions for writers */
    readonly logBucketKeyAlias?: string;
    /** Deployment roles the boundary lets manage program resources (ProgramBoundaryScope.deploymentRoles). */
    readonly deploymentRoles: readonly DeploymentRoleRef[];
}

/** Logical ids, exported for the tests and for the assembly's DependsOn. */
export const IDENTITY_IDS = {
    boundary: "ProgramBoundary",
    executionRole: "AutomationExecutionRole",
    instanceRole: "ManagedNodeInstanceRole",
    instanceProfile: "ManagedNodeInstanceProfile",
    logWriter: "LogWriterPolicy",
    hybridRole: "HybridNodeRole",
} as const;

export function identityResources(args: IdentityTemplateArgs): CfnResources {
    const account = ACCOUNT_ID_MARKER;
    const boundary = programBoundary({ accountId: account, project: args.project, automationRoleNames: [args.administrationRoleName, args.executionRoleName], deploymentRoles: args.deploymentRoles });
    // IAM refuses a managed policy over 6,144 characters at deploy time; the marker is longer than
    // any 12-digit account id, so measuring the unresolved document is an upper bound.
    const characters = policyCharacters(boundary);
    if (characters > MANAGED_POLICY_MAX_CHARACTERS) {
        throw new Error(`the permissions boundary for the member accounts would have ${characters} characters, over IAM's ${MANAGED_POLICY_MAX_CHARACTERS}-character managed-policy limit; use shorter Automation role names or fewer deployment roles`);
    }
    const boundaryArn = sub(permissionsBoundaryArn(account));
    // Roles name the boundary by its fixed ARN, so each waits for the policy explicitly.
    const bounded = [IDENTITY_IDS.boundary];
    const logBuckets = logBucketWritePolicy(accountLogBuckets(account, args.regions), args.logBucketKeyAlias === undefined ? undefined : { accountId: account, keyAlias: args.logBucketKeyAlias });
    return {
        [IDENTITY_IDS.boundary]: {
            Type: "AWS::IAM::ManagedPolicy",
            Properties: {
                ManagedPolicyName: PERMISSIONS_BOUNDARY_NAME,
                Description: "multicloud-patching permissions boundary: every role the program and its CI bootstrap create carries it",
                PolicyDocument: sub(boundary),
            },
        },
        [IDENTITY_IDS.executionRole]: {
            Type: "AWS::IAM::Role",
            DependsOn: bounded,
            Properties: {
                RoleName: args.executionRoleName,
                PermissionsBoundary: boundaryArn,
                Description: "Runs the multicloud-patching runbooks in this account for the central administration role",
                AssumeRolePolicyDocument: sub(executionRoleTrust(args.administrationRoleArn, account)),
                Policies: [
                    {
                        PolicyName: "patch-runbook-permissions",
                        PolicyDocument: sub(
                            executionRolePolicy({
                                accountId: account,
                                roleName: args.executionRoleName,
                                patchGroupTagKey: args.patchGroupTagKey,
                                runbookNames: args.runbookNames,
                                ...(args.ebsKmsKeyArns === undefined ? {} : { ebsKmsKeyArns: args.ebsKmsKeyArns }),
                            }),
                        ),
                    },
                ],
            },
        },
        [IDENTITY_IDS.instanceRole]: {
            Type: "AWS::IAM::Role",
            DependsOn: bounded,
            Properties: {
                RoleName: MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName,
                PermissionsBoundary: boundaryArn,
                Description: "EC2 instances managed by Systems Manager (multicloud-patching)",
                AssumeRolePolicyDocument: sub(ec2InstanceTrust()),
                ManagedPolicyArns: [MANAGED_POLICIES.ssmManagedInstanceCore],
                Policies: [{ PolicyName: "write-patch-and-inventory-logs", PolicyDocument: sub(logBuckets) }],
            },
        },
        [IDENTITY_IDS.logWriter]: {
            Type: "AWS::IAM::ManagedPolicy",
            Properties: {
                ManagedPolicyName: LOG_WRITER_POLICY_NAME,
                Description: "Write Run Command output to this account's patch and inventory log buckets (multicloud-patching)",
                PolicyDocument: sub(logBuckets),
            },
        },
        [IDENTITY_IDS.instanceProfile]: {
            Type: "AWS::IAM::InstanceProfile",
            Properties: { InstanceProfileName: MANAGED_NODE_ROLE_DEFAULTS.instanceRoleName, Roles: [ref(IDENTITY_IDS.instanceRole)] },
        },
        [IDENTITY_IDS.hybridRole]: {
            Type: "AWS::IAM::Role",
            DependsOn: bounded,
            Properties: {
                RoleName: MANAGED_NODE_ROLE_DEFAULTS.hybridRoleName,
                PermissionsBoundary: boundaryArn,
                Description: "Hybrid (Azure) nodes registered through SSM activations (multicloud-patching)",
                AssumeRolePolicyDocument: sub(hybridServiceRoleTrust(account)),
                Policies: [
                    { PolicyName: "ssm-agent-without-data-access", PolicyDocument: sub(hybridNodeAgentPolicy(account, accountLogBuckets(account, args.regions))) },
                    { PolicyName: "write-patch-and-inventory-logs", PolicyDocument: sub(logBuckets) },
                ],
            },
        },
    };
}
