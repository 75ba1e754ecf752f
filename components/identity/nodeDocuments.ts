/**
 * Managed-node documents: the EC2 instance role's trust, the hybrid activation (`mi-`) role's trust
 * and what a hybrid node's credentials may do instead of AmazonSSMManagedInstanceCore.
 */
import { policy, ssmServiceTrust, trustStatement, type PolicyDocument } from "./iamDocuments";

/**
 * EC2 instance role trust. EC2 does not send aws:SourceAccount when it assumes an instance
 * profile role, so a condition here would break every instance; the role is protected by who
 * may pass it (iam:PassRole) instead.
 */
export function ec2InstanceTrust(): PolicyDocument {
    return policy(trustStatement("EC2Instances", { Service: "ec2.amazonaws.com" }));
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
