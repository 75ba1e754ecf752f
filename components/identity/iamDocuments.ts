/**
 * IAM policy and trust documents, as pure functions returning plain objects with a fixed key
 * order (so diffs stay quiet). Grammar per the IAM JSON policy reference:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { logBucketName } from "../../catalog/naming";

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    /** Every resource but these (a Deny's usual companion); never together with Resource. */
    readonly NotResource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export const MANAGED_POLICIES = {
    /** The current managed-node policy; replaces the deprecated AmazonEC2RoleforSSM. EC2 instance role only. */
    ssmManagedInstanceCore: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    /**
     * What Default Host Management Configuration's role carries (SSM user guide,
     * managed-instances-default-host-management.html); only on a role trusted by ssm.amazonaws.com alone.
     */
    ssmManagedEc2InstanceDefault: "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy",
    /**
     * No program role attaches it any more (issue 14, H2: ssm:* on every resource); kept until the
     * deployment program stops listing it among the policies its roles may attach.
     * @deprecated
     */
    ssmAutomationRole: "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole",
} as const;

/**
 * The customer managed policy the program creates in every account holding logBucketWritePolicy:
 * attached by the enforcer to in-scope instance roles and to the Default Host Management role, so
 * nodes that do not use the program's instance profile can still upload command output (issue 15).
 */
export const LOG_WRITER_POLICY_NAME = "patching-log-writer";

export function logWriterPolicyArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:policy/${LOG_WRITER_POLICY_NAME}`;
}

export function policy(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

export function roleArn(accountId: string, roleName: string): string {
    return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * Central administration role: assumed by Systems Manager for Automation executions started in
 * the central account only (confused-deputy protection with aws:SourceAccount/aws:SourceArn).
 */
export function administrationRoleTrust(centralAccountId: string): PolicyDocument {
    return ssmServiceTrust("SystemsManagerInCentralAccount", centralAccountId, `arn:aws:ssm:*:${centralAccountId}:automation-execution/*`);
}

/** Trust for ssm.amazonaws.com acting for one account's resources (confused-deputy conditions). */
function ssmServiceTrust(sid: string, accountId: string, sourceArnPattern: string): PolicyDocument {
    return policy({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "ssm.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": sourceArnPattern },
        },
    });
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
                Resource: `arn:aws:iam::*:role/${targetsOrganizationalUnits.executionRoleName}`,
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
    return policy({ Sid: "CentralAdministrationRole", Effect: "Allow", Principal: { AWS: administrationRoleArn }, Action: "sts:AssumeRole" }, ...ssm.Statement);
}

/**
 * Command documents the patch runbooks send (their aws:runCommand DocumentName): the only
 * documents the execution role may run on a node. AWS-RunPatchBaselineWithHooks is left out on
 * purpose: its Pre/Post/OnExit hook parameters name further Command documents (by name or ARN,
 * shared ones included) that the agent runs on the node, so allowing it would let the caller run
 * documents this list never names. A runbook that needs it must add it here together with a limit
 * on what the hooks may name (the node roles' ssm:GetDocument scope below is one).
 */
export const PATCH_COMMAND_DOCUMENTS = ["AWS-RunPatchBaseline", "AWS-UpdateSSMAgent"] as const;

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
 * EC2 instance role trust. EC2 does not send aws:SourceAccount when it assumes an instance
 * profile role, so a condition here would break every instance; the role is protected by who
 * may pass it (iam:PassRole) instead.
 */
export function ec2InstanceTrust(): PolicyDocument {
    return policy({ Sid: "EC2Instances", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
}

/**
 * Write access to the account's patch and inventory log buckets only (Run Command output). With
 * SSE-KMS buckets, also the data-key calls S3 makes for the writer — on keys carrying the log
 * buckets' alias only (kms:ResourceAliases), via S3 only; multipart uploads need kms:Decrypt too.
 */
export function logBucketWritePolicy(bucketNames: readonly string[], kms?: { readonly accountId: string; readonly keyAlias: string }): PolicyDocument {
    const sorted = [...bucketNames].sort();
    const statements: PolicyStatement[] = [
        { Sid: "WriteCommandOutput", Effect: "Allow", Action: "s3:PutObject", Resource: sorted.map((bucket) => `arn:aws:s3:::${bucket}/*`) },
        // The agent checks bucket encryption before uploading output.
        { Sid: "ReadBucketEncryption", Effect: "Allow", Action: "s3:GetEncryptionConfiguration", Resource: sorted.map((bucket) => `arn:aws:s3:::${bucket}`) },
    ];
    if (kms !== undefined) {
        statements.push({
            Sid: "EncryptWithLogBucketKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: `arn:aws:kms:*:${kms.accountId}:key/*`,
            Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": kms.keyAlias }, StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
        });
    }
    return policy(...statements);
}

/**
 * Hybrid activation service role (the role `mi-` nodes assume), per the SSM docs: trusted by
 * ssm.amazonaws.com for this account's resources only.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/hybrid-multicloud-service-role.html
 */
export function hybridServiceRoleTrust(accountId: string): PolicyDocument {
    return ssmServiceTrust("SystemsManagerHybridActivations", accountId, `arn:aws:ssm:*:${accountId}:*`);
}

/**
 * SSM Agent calls of AmazonSSMManagedInstanceCore (the managed policy's document, v2), without
 * ssm:GetParameter/GetParameters and without GetDocument/DescribeDocument (scoped below). The
 * documents the program runs on nodes (AWS-RunPatchBaseline, AWS-UpdateSSMAgent,
 * AWS-GatherSoftwareInventory) read nothing from Parameter Store on the node; a document that does
 * (e.g. AmazonCloudWatch-ManageAgent reading its configuration) needs a grant on exactly its
 * parameters, never `parameter/*`.
 */
export const SSM_AGENT_ACTIONS = [
    "ssm:DescribeAssociation",
    "ssm:GetDeployablePatchSnapshotForInstance",
    "ssm:GetManifest",
    "ssm:ListAssociations",
    "ssm:ListInstanceAssociations",
    "ssm:PutComplianceItems",
    "ssm:PutConfigurePackageResult",
    "ssm:PutInventory",
    "ssm:UpdateAssociationStatus",
    "ssm:UpdateInstanceAssociationStatus",
    "ssm:UpdateInstanceInformation",
] as const;

/** The agent's message channels (Run Command delivery, Session Manager); no resource types exist for them. */
export const AGENT_MESSAGING_ACTIONS = [
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
] as const;

/**
 * What a hybrid (`mi-`) node's role may do instead of AmazonSSMManagedInstanceCore: anyone holding
 * a leaked activation code can register a node and receive these credentials, so they carry the
 * agent's own calls and nothing that reads the account's data. No ssm:GetParameter(s) (Core
 * grants them on every parameter); documents only AWS's own and this account's (a document shared
 * from another account cannot be pulled onto the node, e.g. as an AWS-RunPatchBaselineWithHooks
 * hook). Log objects: S3 cannot limit a node to its own Run Command output — the node id sits in
 * the middle of the key (<prefix>/<command id>/<node id>/…) and no policy variable carries it
 * alone (aws:userid is `<role id>:<session>`, ssm:SourceInstanceARN is the whole ARN) — so a node
 * may write any log object but never delete one, a version of one, or change ACLs, versioning or
 * lifecycle: an overwrite leaves the previous version in the versioned bucket.
 */
export function hybridNodeAgentPolicy(accountId: string, logBucketNames: readonly string[]): PolicyDocument {
    const buckets = [...logBucketNames].sort().map((bucket) => `arn:aws:s3:::${bucket}`);
    return policy(
        // Core grants these on "*"; most have no resource type at all (Service Authorization Reference).
        { Sid: "AgentRegistrationAndReporting", Effect: "Allow", Action: [...SSM_AGENT_ACTIONS], Resource: "*" },
        {
            // AWS-owned documents have an empty account segment, matched by `*`; no account can
            // own an AWS-prefixed document (CreateDocument reserves the prefix). AWS's
            // Amazon*-named documents (e.g. AmazonCloudWatch-ManageAgent) are not covered: the
            // program runs none on nodes.
            Sid: "ReadAwsAndOwnDocuments",
            Effect: "Allow",
            Action: ["ssm:DescribeDocument", "ssm:GetDocument"],
            Resource: ["arn:aws:ssm:*:*:document/AWS-*", `arn:aws:ssm:*:${accountId}:document/*`],
        },
        { Sid: "AgentMessaging", Effect: "Allow", Action: [...AGENT_MESSAGING_ACTIONS], Resource: "*" },
        {
            Sid: "NeverDeleteOrReAclLogObjects",
            Effect: "Deny",
            Action: ["s3:BypassGovernanceRetention", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
            Resource: buckets.map((bucket) => `${bucket}/*`),
        },
        {
            Sid: "NeverChangeLogBucketRetention",
            Effect: "Deny",
            Action: ["s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"],
            Resource: buckets,
        },
    );
}
