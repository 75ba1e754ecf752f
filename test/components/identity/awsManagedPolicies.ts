/**
 * Documents of the AWS managed policies program roles attach (or attached), as moto 5.2.1 ships them
 * (`moto.iam.aws_managed_policies`), so the simulator can evaluate a role with its attachments.
 * A role that attaches a policy missing here fails the tests until its document is added.
 */
import type { PolicyDocument } from "../../../components/identity/iamDocuments";

export const AWS_MANAGED_POLICY_DOCUMENTS: Readonly<Record<string, PolicyDocument>> = {
    // AmazonSSMManagedInstanceCore v2
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore": {"Version": "2012-10-17", "Statement": [{"Action": ["ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation"], "Effect": "Allow", "Resource": "*"}, {"Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], "Effect": "Allow", "Resource": "*"}, {"Action": ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"], "Effect": "Allow", "Resource": "*"}]},
    // AmazonSSMAutomationRole v9
    "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole": {"Version": "2012-10-17", "Statement": [{"Action": ["lambda:InvokeFunction"], "Effect": "Allow", "Resource": ["arn:aws:lambda:*:*:function:Automation*"]}, {"Action": ["ec2:CreateImage", "ec2:CopyImage", "ec2:DeregisterImage", "ec2:DescribeImages", "ec2:DeleteSnapshot", "ec2:StartInstances", "ec2:RunInstances", "ec2:StopInstances", "ec2:TerminateInstances", "ec2:DescribeInstanceStatus", "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeTags", "cloudformation:CreateStack", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks", "cloudformation:UpdateStack", "cloudformation:DeleteStack", "cloudformation:TagResource", "cloudformation:UntagResource"], "Effect": "Allow", "Resource": ["*"]}, {"Action": ["ssm:*"], "Effect": "Allow", "Resource": ["*"]}, {"Action": ["sns:Publish"], "Effect": "Allow", "Resource": ["arn:aws:sns:*:*:Automation*"]}, {"Action": ["ssmmessages:OpenDataChannel"], "Effect": "Allow", "Resource": ["arn:*:ssm:*:*:session/*"]}]},
    // AmazonSSMManagedEC2InstanceDefaultPolicy v2 (the Default Host Management role, issue 15)
    "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy": {"Version": "2012-10-17", "Statement": [{"Action": ["ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation"], "Effect": "Allow", "Resource": "*"}, {"Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], "Effect": "Allow", "Resource": "*"}, {"Action": ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"], "Effect": "Allow", "Resource": "*"}]},
};

export function managedPolicyDocument(arn: string): PolicyDocument {
    const document = AWS_MANAGED_POLICY_DOCUMENTS[arn];
    if (document === undefined) {
        throw new Error(`no document for the managed policy ${arn}; add it to awsManagedPolicies.ts (from moto.iam.aws_managed_policies) so the role can be simulated`);
    }
    return document;
}
