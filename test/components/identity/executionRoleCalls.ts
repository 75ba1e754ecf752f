import { logBucketName } from "../../../catalog/naming";
import { patchComplianceRemediationDocument } from "../../../components/compliance/complianceDocuments";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { AUTOMATION_DOCUMENT_NAMES, automationDocuments } from "../../../components/runbooks/patchAutomationDocuments";
import { decide, type Decision, type IamPolicies, type IamRequest } from "../../support/iamSimulation";
import { runbookCalls, type RunbookCall } from "./runbookCalls";
import { SNAPSHOT_TAGS } from "../../../components/runbooks/installSafety";

/**
 * The execution role's legitimate calls as simulator requests, in the prod fixture's application
 * account: every call the two patch runbooks and the Config remediation wrapper make (read from
 * the documents by runbookCalls.ts) plus what multi-account Automation does as the role. Shared by
 * the role tests and anything else that must let these calls through (the permissions boundary).
 */

// Pulumi.prod.yaml: the application account runs the stopped-instances runbook (AppA) and lists
// its EBS keys in ebsKmsKeyArns; hybrid nodes register there.
export const ACCOUNT = "333333333333";
export const REGION = "us-west-2";
export const TAG_KEY = "Patch Group";
export const EBS_KEYS = ["arn:aws:kms:us-west-2:333333333333:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", "arn:aws:kms:eu-west-2:333333333333:key/mrk-0123456789abcdef0123456789abcdef"];
export const OTHER_KEY = "arn:aws:kms:us-west-2:333333333333:key/0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d";

export const TAGGED = { "aws:ResourceTag/Patch Group": "AppA" };
export const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
export const HYBRID_NODE = `arn:aws:ssm:${REGION}:${ACCOUNT}:managed-instance/mi-0123456789abcdef0`;
export const EXECUTION = `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-execution/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
/**
 * AWS-owned documents have no account in their ARN (arn:aws:ssm:<region>::document/AWS-…); the
 * simulator's ARN patterns need one, so the tests name the documents in the member account. The
 * policy's `*:*` matches both (no account can own an AWS-prefixed document).
 */
export const document = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`;

/**
 * A KMS key is usable only as far as its key policy allows: the default key policy delegates to
 * the account's IAM policies (KMS developer guide, "Default key policy"), which is what the
 * README asks of the EBS keys listed in ebsKmsKeyArns.
 */
export const DEFAULT_KEY_POLICY: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnableIAMUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

export type Row = IamRequest & { readonly label: string };

/** Each row's decision, the key policy applied to KMS keys; `boundary`: the role's permissions boundary, when given. */
export async function decisions(identity: readonly PolicyDocument[], rows: readonly Row[], boundary?: PolicyDocument): Promise<Record<string, Decision>> {
    const out: Record<string, Decision> = {};
    for (const row of rows) {
        const policies: IamPolicies = { identity, ...(row.resource.startsWith("arn:aws:kms:") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}), ...(boundary === undefined ? {} : { boundary }) };
        out[row.label] = await decide(policies, row);
    }
    return out;
}

/** Every call the two patch runbooks and the remediation wrapper make, read from the documents the program deploys. */
export function documentedCalls(): RunbookCall[] {
    const runbooks = automationDocuments(TAG_KEY);
    return [
        ...runbookCalls(AUTOMATION_DOCUMENT_NAMES.runPatchBaseline, runbooks.runPatchBaseline),
        ...runbookCalls(AUTOMATION_DOCUMENT_NAMES.patchWithStoppedInstances, runbooks.patchWithStoppedInstances),
        ...runbookCalls("remediation wrapper", patchComplianceRemediationDocument(AUTOMATION_DOCUMENT_NAMES.runPatchBaseline)),
    ];
}

/**
 * What multi-account Automation does as the execution role in each target location: start the
 * runbook there (and, with Targets, one child execution per node of the resource group), resolve
 * the resource group, follow the executions, pass the role to the children.
 */
export function orchestrationCalls(): RunbookCall[] {
    return Object.values(AUTOMATION_DOCUMENT_NAMES).flatMap((runbook) => [
        { runbook, step: "(target location)", action: "ssm:StartAutomationExecution", documentName: runbook },
        { runbook, step: "(target location)", action: "ssm:GetAutomationExecution" },
        { runbook, step: "(target location)", action: "resource-groups:ListGroupResources" },
        { runbook, step: "(target location)", action: "tag:GetResources" },
        { runbook, step: "(target location)", action: "iam:PassRole" },
    ]);
}

/** The requests one call makes, with the resources it is authorized on. A call without an entry here fails the test. */
export function requestsFor(call: RunbookCall, roleArn: string): Row[] {
    const base = { principal: roleArn, resourceAccount: ACCOUNT };
    const label = `${call.runbook} ${call.step}: ${call.action}`;
    const row = (suffix: string, resource: string, context?: IamRequest["context"]): Row => ({ ...base, label: `${label} ${suffix}`, action: call.action, resource, ...(context ? { context } : {}) });
    const anywhere = [row("*", "*")];
    const templates: Record<string, () => Row[]> = {
        "ssm:SendCommand": () => [
            row(`document ${call.documentName}`, document(call.documentName as string)),
            row("on a tagged EC2 instance", INSTANCE, TAGGED),
            row("on a tagged hybrid node", HYBRID_NODE, TAGGED),
            row("with output to the patch-log bucket", `arn:aws:s3:::${logBucketName("patch", ACCOUNT, REGION)}`),
        ],
        "ssm:ListCommands": () => anywhere,
        "ssm:ListCommandInvocations": () => anywhere,
        "ssm:GetCommandInvocation": () => anywhere,
        "ssm:CancelCommand": () => anywhere,
        "ssm:DescribeInstanceInformation": () => anywhere,
        "ec2:DescribeInstances": () => anywhere,
        "ec2:DescribeSnapshots": () => anywhere,
        // CreateSnapshots is authorized on the instance, its volumes and each new snapshot (no account in a snapshot ARN);
        // the tags of TagSpecifications need ec2:CreateTags inside the call.
        "ec2:CreateSnapshots": () => {
            const snapshot = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
            const marked = { [`aws:RequestTag/${SNAPSHOT_TAGS.marker}`]: "true", "aws:TagKeys": Object.values(SNAPSHOT_TAGS) };
            return [
                row("a tagged instance", INSTANCE, TAGGED),
                row("its volumes", `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`),
                row("new snapshots carrying the program marker", snapshot, marked),
                { ...row("→ ec2:CreateTags on the new snapshots", snapshot, { ...marked, "ec2:CreateAction": "CreateSnapshots" }), action: "ec2:CreateTags" },
            ];
        },
        "ec2:DeleteSnapshot": () => [row("a program snapshot (prune)", `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`, { [`aws:ResourceTag/${SNAPSHOT_TAGS.marker}`]: "true" })],
        "ec2:DescribeInstanceStatus": () => anywhere,
        "tag:GetResources": () => anywhere,
        // Starting an instance whose volumes use a customer managed key: EC2 creates a grant as the caller.
        "ec2:StartInstances": () => [
            row("a tagged instance", INSTANCE, TAGGED),
            ...EBS_KEYS.map((key) => ({ ...base, label: `${label} → kms:CreateGrant on ${key}`, action: "kms:CreateGrant", resource: key, context: { "kms:GrantIsForAWSResource": "true" } })),
        ],
        "ec2:StopInstances": () => [row("a tagged instance", INSTANCE, TAGGED)],
        "ssm:StartAutomationExecution": () => [
            row("definition", `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/${call.documentName}:$DEFAULT`),
            row("document", document(call.documentName as string)),
            row("execution", EXECUTION),
        ],
        "ssm:GetAutomationExecution": () => [row("execution", EXECUTION)],
        "ssm:StopAutomationExecution": () => [row("execution", EXECUTION)],
        "iam:PassRole": () => [row("itself to ssm", roleArn, { "iam:PassedToService": "ssm.amazonaws.com" })],
        "resource-groups:ListGroupResources": () => [row("the patch group's group", `arn:aws:resource-groups:${REGION}:${ACCOUNT}:group/AppA`)],
    };
    const template = templates[call.action];
    if (template === undefined) {
        throw new Error(`${label}: no request template in roleSimulation.test.ts; add one (and grant the call)`);
    }
    return template();
}
