/**
 * The IAM policy grammar every component's documents use (statement and document types, `policy`,
 * `roleArn`), the managed policies several components attach, and the program's log-writer policy.
 * Documents are pure functions returning plain objects with a fixed key order (so diffs stay
 * quiet). Grammar per the IAM JSON policy reference:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 *
 * The roles' own documents: automationDocuments.ts (Automation administration/execution roles),
 * nodeDocuments.ts (EC2 instance, hybrid-activation roles), boundaryDocuments.ts (the boundary).
 */

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

/** A trust statement: `principal` may assume the role (sts:AssumeRole unless `action` says otherwise). */
export function trustStatement(sid: string, principal: NonNullable<PolicyStatement["Principal"]>, condition?: PolicyStatement["Condition"], action = "sts:AssumeRole"): PolicyStatement {
    return { Sid: sid, Effect: "Allow", Principal: principal, Action: action, ...(condition === undefined ? {} : { Condition: condition }) };
}

export function roleArn(accountId: string, roleName: string): string {
    return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** Trust for ssm.amazonaws.com acting for one account's resources (confused-deputy conditions). */
export function ssmServiceTrust(sid: string, accountId: string, sourceArnPattern: string): PolicyDocument {
    return policy(trustStatement(sid, { Service: "ssm.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArnPattern } }));
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
