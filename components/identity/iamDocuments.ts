/**
 * IAM policy and trust documents, as pure functions returning plain objects with a fixed key
 * order (so diffs stay quiet). Grammar per the IAM JSON policy reference:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export const MANAGED_POLICIES = {
    /** The current managed-node policy; replaces the deprecated AmazonEC2RoleforSSM. */
    ssmManagedInstanceCore: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ssmAutomationRole: "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole",
} as const;

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
 * The administration role may do one thing: assume the execution role in the listed accounts
 * (explicit ARNs, never `*`). Listing an OU's accounts is added only when OUs are targeted.
 */
export function administrationRolePolicy(executionRoleArns: readonly string[], targetsOrganizationalUnits = false): PolicyDocument {
    const statements: PolicyStatement[] = [
        { Sid: "AssumeExecutionRoleInMemberAccounts", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...executionRoleArns].sort() },
    ];
    if (targetsOrganizationalUnits) {
        // organizations:ListAccountsForParent supports no resource-level restriction.
        statements.push({ Sid: "ResolveOrganizationalUnitTargets", Effect: "Allow", Action: "organizations:ListAccountsForParent", Resource: "*" });
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
 * What the patch runbooks need beyond AmazonSSMAutomationRole: resolve resource-group and tag
 * targets, start/stop only instances carrying the patch-group tag, and pass this role to SSM
 * for child executions.
 */
export function executionRolePolicy(memberAccountId: string, executionRoleName: string, patchGroupTagKey: string): PolicyDocument {
    return policy(
        // tag:GetResources and ec2:DescribeInstances support no resource-level permissions.
        { Sid: "ResolveTargets", Effect: "Allow", Action: ["ec2:DescribeInstances", "tag:GetResources"], Resource: "*" },
        { Sid: "ReadPatchResourceGroups", Effect: "Allow", Action: "resource-groups:ListGroupResources", Resource: `arn:aws:resource-groups:*:${memberAccountId}:group/*` },
        {
            Sid: "StartStopPatchGroupInstances",
            Effect: "Allow",
            Action: ["ec2:StartInstances", "ec2:StopInstances"],
            Resource: `arn:aws:ec2:*:${memberAccountId}:instance/*`,
            Condition: { Null: { [`aws:ResourceTag/${patchGroupTagKey}`]: "false" } },
        },
        // AmazonSSMAutomationRole allows ec2:Start/Stop/TerminateInstances on every instance; an
        // explicit Deny is the only way to narrow a managed policy to the patch-group instances.
        {
            Sid: "DenyStartStopOutsidePatchGroups",
            Effect: "Deny",
            Action: ["ec2:StartInstances", "ec2:StopInstances"],
            Resource: "*",
            Condition: { Null: { [`aws:ResourceTag/${patchGroupTagKey}`]: "true" } },
        },
        { Sid: "DenyTerminate", Effect: "Deny", Action: "ec2:TerminateInstances", Resource: "*" },
        {
            Sid: "PassThisRoleToSystemsManager",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roleArn(memberAccountId, executionRoleName),
            Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
        },
    );
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
