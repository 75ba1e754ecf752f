/**
 * The Automation roles' documents: the central administration role (trust, what it assumes) and
 * the member execution role (trust, what the patch runbooks do with it).
 */
import { logBucketName } from "../../catalog/naming";
import { SNAPSHOT_MARKER_VALUE, SNAPSHOT_TAGS } from "../runbooks/installSafety";
import { policy, roleArn, ssmServiceTrust, trustStatement, type PolicyDocument, type PolicyStatement } from "./iamDocuments";

/**
 * Central administration role: assumed by Systems Manager for Automation executions started in
 * the central account only (confused-deputy protection with aws:SourceAccount/aws:SourceArn).
 */
export function administrationRoleTrust(centralAccountId: string): PolicyDocument {
    return ssmServiceTrust("SystemsManagerInCentralAccount", centralAccountId, `arn:aws:ssm:*:${centralAccountId}:automation-execution/*`);
}

/**
 * What the administration role needs to run in organizational units (issue 16, organization
 * mode): the organization (its accounts are not known in advance) and the execution role's name.
 */
export interface OrganizationalUnitAccess {
    readonly organizationId: string;
    readonly executionRoleName: string;
}

/**
 * Organizations reads Automation makes with the administration role to expand OU targets:
 * ListAccountsForParent lists an OU's accounts (the only Organizations action in AWS's
 * AWS-SystemsManager-AutomationAdministrationRole template, SSM user guide "Running automations in
 * multiple AWS Regions and accounts"); ListChildren walks child OUs for
 * IncludeChildOrganizationUnits and a root target (AWS's own OU-targeting Automation policy,
 * AWS-SSM-DiagnosisAutomation-OperationalAccountAdministrationRolePolicy, grants ListChildren).
 * Both are List actions without resource-level permissions (Service Authorization Reference,
 * AWS Organizations), hence Resource "*"; nothing that writes or describes policies.
 */
export const ORGANIZATION_READ_ACTIONS = ["organizations:ListAccountsForParent", "organizations:ListChildren"] as const;

/**
 * The administration role may do one thing: assume the execution role in the listed accounts
 * (explicit ARNs, never `*`). For OU targets, account ids are unknown when the stack is deployed:
 * it may then assume the execution role (by name) in any account of the organization
 * (`aws:ResourceOrgID`, the organization of the account that owns the role) and read the OU tree.
 * `true` (the earlier form) adds only ListAccountsForParent.
 */
export function administrationRolePolicy(executionRoleArns: readonly string[], targetsOrganizationalUnits: boolean | OrganizationalUnitAccess = false): PolicyDocument {
    const statements: PolicyStatement[] = [];
    if (executionRoleArns.length > 0) {
        statements.push({ Sid: "AssumeExecutionRoleInMemberAccounts", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...executionRoleArns].sort() });
    }
    if (targetsOrganizationalUnits === true) {
        // organizations:ListAccountsForParent supports no resource-level restriction.
        statements.push({ Sid: "ResolveOrganizationalUnitTargets", Effect: "Allow", Action: "organizations:ListAccountsForParent", Resource: "*" });
    } else if (targetsOrganizationalUnits !== false) {
        statements.push(
            {
                Sid: "AssumeExecutionRoleInOrganization",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: roleArn("*", targetsOrganizationalUnits.executionRoleName),
                Condition: { StringEquals: { "aws:ResourceOrgID": targetsOrganizationalUnits.organizationId } },
            },
            { Sid: "ResolveOrganizationalUnitTargets", Effect: "Allow", Action: [...ORGANIZATION_READ_ACTIONS], Resource: "*" },
        );
    }
    return policy(...statements);
}

/**
 * Member execution role: trusted by the central administration role (by ARN, not the central
 * account root — as in AWS's AWS-SystemsManager-AutomationExecutionRole template) and by this
 * account's Systems Manager for the child executions it runs.
 */
export function executionRoleTrust(administrationRoleArn: string, memberAccountId: string): PolicyDocument {
    const ssm = ssmServiceTrust("SystemsManagerInThisAccount", memberAccountId, `arn:aws:ssm:*:${memberAccountId}:automation-execution/*`);
    return policy(trustStatement("CentralAdministrationRole", { AWS: administrationRoleArn }), ...ssm.Statement);
}

/**
 * Command documents the patch runbooks send (their aws:runCommand DocumentName): the only
 * documents the execution role may run on a node. AWS-RunPatchBaselineWithHooks (issue 17 item
 * 7): its Pre/Post/OnExit hook parameters name further Command documents the AGENT fetches and
 * runs on the node (no further SendCommand by the caller, so nothing to grant on the hooks). What
 * a hook may name is limited where it can be: the per-node runbook accepts document names only
 * (no ARN, so no document shared from another account), the hybrid node role reads only AWS's and
 * its own account's documents, and the config checks the names. A direct SendCommand by this role
 * could still name any document of the member account as a hook — the same trust as the
 * account's own document authors, which the README states.
 */
export const PATCH_COMMAND_DOCUMENTS = ["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks", "AWS-UpdateSSMAgent"] as const;

export interface ExecutionRolePolicyArgs {
    /** The member account the role lives in. */
    readonly accountId: string;
    /** The role's own name (it passes itself to Systems Manager for child executions). */
    readonly roleName: string;
    /** Tag key whose presence puts a node into a patch group. */
    readonly patchGroupTagKey: string;
    /** Automation runbooks the role starts as child executions (multi-account fan-out, remediation). */
    readonly runbookNames: readonly string[];
    /**
     * Command documents the role may send.
     * @default PATCH_COMMAND_DOCUMENTS
     */
    readonly commandDocuments?: readonly string[];
    /**
     * KMS keys of EBS volumes on instances the stopped-instances runbook starts.
     * @default - none: no kms:CreateGrant at all
     */
    readonly ebsKmsKeyArns?: readonly string[];
}

/** Both keys Patch Manager reads a patch group from; neither may be added or removed by the role. */
const PATCH_GROUP_TAG_KEY_SPELLINGS = ["Patch Group", "PatchGroup"] as const;

/**
 * The Automation execution role's only permissions (no AWS managed policy: AmazonSSMAutomationRole
 * grants ssm:* and ec2/cloudformation writes on every resource). Each statement is one thing the
 * two patch runbooks or the remediation wrapper do; resource "*" only where the Service
 * Authorization Reference lists no resource type for the action.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
 */
export function executionRolePolicy(args: ExecutionRolePolicyArgs): PolicyDocument {
    const account = args.accountId;
    const tagPresent = { Null: { [`aws:ResourceTag/${args.patchGroupTagKey}`]: "false" } };
    const runbooks = [...args.runbookNames].sort();
    const statements: PolicyStatement[] = [
        {
            // SendCommand is authorized on the document and on every node. AWS-owned documents
            // have no account in their ARN (arn:aws:ssm:<region>::document/AWS-…); IAM's `*` also
            // matches that empty segment, and no account can own an AWS-prefixed document
            // (CreateDocument reserves the prefix), so `*:*` names exactly AWS's documents. The
            // output bucket is an optional SendCommand resource: only this account's patch logs.
            Sid: "SendPatchCommandDocuments",
            Effect: "Allow",
            Action: "ssm:SendCommand",
            Resource: [
                ...[...(args.commandDocuments ?? PATCH_COMMAND_DOCUMENTS)].sort().map((name) => `arn:aws:ssm:*:*:document/${name}`),
                `arn:aws:s3:::${logBucketName("patch", account, "*")}`,
            ],
        },
        {
            Sid: "SendCommandsToPatchGroupNodesOnly",
            Effect: "Allow",
            Action: "ssm:SendCommand",
            Resource: [`arn:aws:ec2:*:${account}:instance/*`, `arn:aws:ssm:*:${account}:managed-instance/*`],
            Condition: tagPresent,
        },
        {
            // No resource types for these in the Service Authorization Reference: aws:runCommand
            // polls its command, cancels it on timeout/cancel; the scripts wait for SSM Online.
            Sid: "FollowCommandsAndNodes",
            Effect: "Allow",
            Action: ["ssm:CancelCommand", "ssm:DescribeInstanceInformation", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands"],
            Resource: "*",
        },
        {
            // StartAutomationExecution is authorized on the definition (version), the document and
            // the execution it creates; only the program's runbooks, in this account.
            Sid: "StartPatchRunbooks",
            Effect: "Allow",
            Action: "ssm:StartAutomationExecution",
            Resource: [
                ...runbooks.map((name) => `arn:aws:ssm:*:${account}:automation-definition/${name}:*`),
                ...runbooks.map((name) => `arn:aws:ssm:*:${account}:document/${name}`),
                `arn:aws:ssm:*:${account}:automation-execution/*`,
            ],
        },
        {
            Sid: "FollowPatchRunbookExecutions",
            Effect: "Allow",
            Action: ["ssm:GetAutomationExecution", "ssm:StopAutomationExecution"],
            Resource: `arn:aws:ssm:*:${account}:automation-execution/*`,
        },
        // No resource types for these: target resolution and state checks (aws:changeInstanceState).
        { Sid: "ResolveTargets", Effect: "Allow", Action: ["ec2:DescribeInstanceStatus", "ec2:DescribeInstances", "tag:GetResources"], Resource: "*" },
        { Sid: "ReadPatchResourceGroups", Effect: "Allow", Action: "resource-groups:ListGroupResources", Resource: `arn:aws:resource-groups:*:${account}:group/*` },
        {
            Sid: "StartStopPatchGroupInstances",
            Effect: "Allow",
            Action: ["ec2:StartInstances", "ec2:StopInstances"],
            Resource: `arn:aws:ec2:*:${account}:instance/*`,
            Condition: tagPresent,
        },
    ];
    const keys = [...(args.ebsKmsKeyArns ?? [])].sort();
    if (keys.length > 0) {
        // StartInstances on an instance with customer-managed-key volumes: EC2 creates a grant
        // for itself as the caller, so the caller needs kms:CreateGrant on the key — and only that
        // (Decrypt happens under the grant; GenerateDataKeyWithoutPlaintext/ReEncrypt are for
        // creating volumes): https://repost.aws/knowledge-center/kms-iam-ec2-permission. Only
        // grants an AWS service creates (kms:GrantIsForAWSResource), as the EBS guide advises
        // (ebs-encryption-requirements.html). Key ARNs: CreateGrant authorizes on the key.
        statements.push({
            Sid: "LetEc2UseEbsKeysWhenStarting",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: keys,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        });
    }
    statements.push(...preInstallSnapshotStatements(account, tagPresent));
    statements.push(
        {
            Sid: "PassThisRoleToSystemsManager",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roleArn(account, args.roleName),
            Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
        },
        {
            // Tag-based scoping holds only while the role cannot move a node into a patch group
            // (EC2 CreateTags/DeleteTags and SSM AddTagsToResource/RemoveTagsFromResource support
            // aws:TagKeys). Nothing above grants tagging; this Deny keeps it so whatever is added.
            Sid: "NeverChangePatchGroupTags",
            Effect: "Deny",
            Action: ["ec2:CreateTags", "ec2:DeleteTags", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
            Resource: "*",
            Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": [...new Set([args.patchGroupTagKey, ...PATCH_GROUP_TAG_KEY_SPELLINGS])] } },
        },
    );
    return policy(...statements);
}

/**
 * Snapshots before install (issue 17 item 6), per the Service Authorization Reference (EC2):
 * CreateSnapshots is authorized on the instance, each of its volumes and each new snapshot (whose
 * ARN has no account: arn:aws:ec2:<region>::snapshot/<id>). Only patch-group instances; only
 * snapshots created carrying the program's marker tag (aws:RequestTag); tags only inside that call
 * (ec2:CreateAction), so the marker never lands on an existing snapshot; deleting (the runbook's
 * prune of expired snapshots) only marked snapshots. DescribeSnapshots has no resource type.
 */
export function preInstallSnapshotStatements(account: string, instanceInPatchGroup: NonNullable<PolicyStatement["Condition"]>): PolicyStatement[] {
    const snapshots = "arn:aws:ec2:*::snapshot/*";
    const marker = `${SNAPSHOT_TAGS.marker}`;
    return [
        { Sid: "SnapshotPatchGroupInstances", Effect: "Allow", Action: "ec2:CreateSnapshots", Resource: `arn:aws:ec2:*:${account}:instance/*`, Condition: instanceInPatchGroup },
        // The volumes are those of the instance above (InstanceSpecification): this account's only.
        { Sid: "SnapshotTheirVolumes", Effect: "Allow", Action: "ec2:CreateSnapshots", Resource: `arn:aws:ec2:*:${account}:volume/*` },
        { Sid: "CreateMarkedSnapshotsOnly", Effect: "Allow", Action: "ec2:CreateSnapshots", Resource: snapshots, Condition: { StringEquals: { [`aws:RequestTag/${marker}`]: SNAPSHOT_MARKER_VALUE } } },
        { Sid: "TagSnapshotsWhenCreating", Effect: "Allow", Action: "ec2:CreateTags", Resource: snapshots, Condition: { StringEquals: { "ec2:CreateAction": "CreateSnapshots" } } },
        { Sid: "FollowSnapshots", Effect: "Allow", Action: "ec2:DescribeSnapshots", Resource: "*" },
        { Sid: "DeleteMarkedSnapshotsOnly", Effect: "Allow", Action: "ec2:DeleteSnapshot", Resource: snapshots, Condition: { StringEquals: { [`aws:ResourceTag/${marker}`]: SNAPSHOT_MARKER_VALUE } } },
    ];
}
