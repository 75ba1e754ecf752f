import { strict as assert } from "node:assert";
import { accountLogBuckets } from "../../../components/identity/managedNodeRoles";
import { AGENT_MESSAGING_ACTIONS, SSM_AGENT_ACTIONS } from "../../../components/identity/nodeDocuments";
import { AUTOMATION_DOCUMENT_NAMES } from "../../../components/runbooks/patchAutomationDocuments";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { Evaluation } from "../../../tools/plan/evaluate";
import { evaluatedStack } from "../../fixtures/programEvaluations";
import type { Decision } from "../../support/iamSimulation";
import { ACCOUNT, decisions, document, documentedCalls, EBS_KEYS, HYBRID_NODE, INSTANCE, orchestrationCalls, OTHER_KEY, REGION, requestsFor, TAGGED, type Row } from "./executionRoleCalls";
import { renderedRole, type RenderedRole } from "./renderedRoles";

/**
 * The execution and hybrid node roles as the prod stack renders them (every inline policy and
 * every managed policy attached to them, resolved to its document), evaluated by iam-simulate:
 * the runbooks' and the agent's calls are allowed, the abuse chains of issue 14 (H2, M1) denied.
 */

const allAllowed = (rows: readonly Row[]): Record<string, Decision> => Object.fromEntries(rows.map((r) => [r.label, "Allowed"]));

describe("identity: the rendered execution and hybrid roles, simulated (issue 14 H2, M1)", () => {
    let evaluation: Evaluation;
    let execution: RenderedRole;
    let hybrid: RenderedRole;

    before(async () => {
        evaluation = await evaluatedStack("prod");
        execution = renderedRole(evaluation, "application-automation-execution-role", ACCOUNT);
        hybrid = renderedRole(evaluation, "application-managed-node-roles-hybrid-role", ACCOUNT);
    });

    describe("the Automation execution role", () => {
        it("carries no AWS managed policy (AmazonSSMAutomationRole grants ssm:* and EC2/CloudFormation writes everywhere)", () => {
            assert.deepEqual(execution.managedPolicyArns, []);
        });

        it("allows every call the two runbooks, the remediation wrapper and the multi-account fan-out make", async () => {
            const calls = documentedCalls();
            // The extraction is not vacuous: it finds the calls a reader sees in the runbooks.
            const found = new Set(calls.map((c) => c.action));
            for (const expected of ["ssm:SendCommand", "ec2:DescribeInstances", "ec2:StartInstances", "ec2:StopInstances", "ssm:DescribeInstanceInformation", "ssm:StartAutomationExecution", "iam:PassRole"]) {
                assert.ok(found.has(expected), `runbookCalls found no ${expected}`);
            }
            assert.deepEqual([...new Set(calls.filter((c) => c.action === "ssm:SendCommand").map((c) => c.documentName))].sort(), ["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks", "AWS-UpdateSSMAgent"]);
            const rows = [...calls, ...orchestrationCalls()].flatMap((call) => requestsFor(call, execution.arn));
            const unique = [...new Map(rows.map((r) => [r.label, r])).values()];
            assert.deepEqual(await decisions(execution.identity, unique), allAllowed(unique));
        });

        it("keeps every runbook call allowed through the program permissions boundary the role carries", async () => {
            const boundary = programBoundary({ accountId: ACCOUNT, project: "multicloud-patching", automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"], deploymentRoles: [] });
            const rows = [...documentedCalls(), ...orchestrationCalls()].flatMap((call) => requestsFor(call, execution.arn));
            const unique = [...new Map(rows.map((r) => [r.label, r])).values()];
            assert.deepEqual(await decisions(execution.identity, unique, boundary), allAllowed(unique));
        });

        it("denies the abuse chains: tag tampering, other documents/nodes, sessions, parameters, documents, stacks, instances, keys", async () => {
            const base = { principal: execution.arn, resourceAccount: ACCOUNT };
            const untaggedInstance = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0fedcba9876543210`;
            const rows: (Row & { readonly expected: Decision })[] = [
                // Adding (or removing) the patch-group tag would bring any instance into scope.
                { ...base, label: "ec2:CreateTags Patch Group on an untagged instance", action: "ec2:CreateTags", resource: untaggedInstance, context: { "aws:TagKeys": ["Patch Group"], "aws:RequestTag/Patch Group": "AppA" }, expected: "ExplicitlyDenied" },
                { ...base, label: "ec2:CreateTags PatchGroup (the other spelling)", action: "ec2:CreateTags", resource: untaggedInstance, context: { "aws:TagKeys": ["PatchGroup"] }, expected: "ExplicitlyDenied" },
                { ...base, label: "ec2:DeleteTags Patch Group", action: "ec2:DeleteTags", resource: INSTANCE, context: { "aws:TagKeys": ["Patch Group"] }, expected: "ExplicitlyDenied" },
                { ...base, label: "ssm:AddTagsToResource Patch Group on a hybrid node", action: "ssm:AddTagsToResource", resource: HYBRID_NODE, context: { "aws:TagKeys": ["Patch Group"] }, expected: "ExplicitlyDenied" },
                { ...base, label: "ec2:CreateTags of another key", action: "ec2:CreateTags", resource: untaggedInstance, context: { "aws:TagKeys": ["Owner"] }, expected: "ImplicitlyDenied" },
                { ...base, label: "ec2:StopInstances on an untagged instance", action: "ec2:StopInstances", resource: untaggedInstance, expected: "ImplicitlyDenied" },
                { ...base, label: "ec2:StartInstances on an untagged instance", action: "ec2:StartInstances", resource: untaggedInstance, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:SendCommand AWS-RunShellScript", action: "ssm:SendCommand", resource: document("AWS-RunShellScript"), expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:SendCommand a document of this account", action: "ssm:SendCommand", resource: document("patching-anything"), expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:SendCommand on an untagged instance", action: "ssm:SendCommand", resource: untaggedInstance, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:SendCommand on an untagged hybrid node", action: "ssm:SendCommand", resource: HYBRID_NODE, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:StartSession on a tagged instance", action: "ssm:StartSession", resource: INSTANCE, context: TAGGED, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:GetParameter", action: "ssm:GetParameter", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db/password`, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:UpdateDocument on the patch runbook", action: "ssm:UpdateDocument", resource: document(AUTOMATION_DOCUMENT_NAMES.runPatchBaseline), expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:StartAutomationExecution of another runbook", action: "ssm:StartAutomationExecution", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/AWS-StopEC2Instance:$DEFAULT`, expected: "ImplicitlyDenied" },
                { ...base, label: "cloudformation:UpdateStack", action: "cloudformation:UpdateStack", resource: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/any/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`, expected: "ImplicitlyDenied" },
                { ...base, label: "ec2:RunInstances", action: "ec2:RunInstances", resource: INSTANCE, context: TAGGED, expected: "ImplicitlyDenied" },
                { ...base, label: "ec2:CreateImage of a tagged instance", action: "ec2:CreateImage", resource: INSTANCE, context: TAGGED, expected: "ImplicitlyDenied" },
                { ...base, label: "ec2:DeleteSnapshot", action: "ec2:DeleteSnapshot", resource: `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`, expected: "ImplicitlyDenied" },
                { ...base, label: "ec2:TerminateInstances of a tagged instance", action: "ec2:TerminateInstances", resource: INSTANCE, context: TAGGED, expected: "ImplicitlyDenied" },
                { ...base, label: "lambda:InvokeFunction Automation*", action: "lambda:InvokeFunction", resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:AutomationAnything`, expected: "ImplicitlyDenied" },
                { ...base, label: "kms:CreateGrant on a key not listed", action: "kms:CreateGrant", resource: OTHER_KEY, context: { "kms:GrantIsForAWSResource": "true" }, expected: "ImplicitlyDenied" },
                { ...base, label: "kms:CreateGrant on a listed key, for a principal (not an AWS service)", action: "kms:CreateGrant", resource: EBS_KEYS[0], context: { "kms:GrantIsForAWSResource": "false" }, expected: "ImplicitlyDenied" },
                { ...base, label: "iam:PassRole of itself to Lambda", action: "iam:PassRole", resource: execution.arn, context: { "iam:PassedToService": "lambda.amazonaws.com" }, expected: "ImplicitlyDenied" },
                { ...base, label: "iam:PassRole of another role", action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`, context: { "iam:PassedToService": "ssm.amazonaws.com" }, expected: "ImplicitlyDenied" },
            ];
            const expected = Object.fromEntries(rows.map((r) => [r.label, r.expected]));
            assert.deepEqual(await decisions(execution.identity, rows), expected);
        });
    });

    describe("the hybrid (mi-) node role: what a node registered with a leaked activation code holds", () => {
        it("allows the SSM Agent's calls and log writes, denies parameters, other accounts' documents, commands and log tampering", async () => {
            const base = { principal: hybrid.arn, resourceAccount: ACCOUNT };
            const logBucket = accountLogBuckets(ACCOUNT, [REGION])[0];
            const logObject = `arn:aws:s3:::${logBucket}/run-patch-baseline/0f1e2d3c/00000000-0000-0000-0000-000000000000/mi-0fedcba9876543210/stdout`;
            const noResourceTypes = new Set(["ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetManifest", "ssm:ListAssociations", "ssm:PutConfigurePackageResult", "ssm:PutInventory"]);
            const agentResource: Record<string, string> = {
                "ssm:DescribeAssociation": HYBRID_NODE,
                "ssm:ListInstanceAssociations": HYBRID_NODE,
                "ssm:PutComplianceItems": HYBRID_NODE,
                "ssm:UpdateInstanceInformation": HYBRID_NODE,
                "ssm:UpdateInstanceAssociationStatus": `arn:aws:ssm:${REGION}:${ACCOUNT}:association/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
                "ssm:UpdateAssociationStatus": document("AWS-GatherSoftwareInventory"),
            };
            const rows: (Row & { readonly expected: Decision })[] = [
                ...SSM_AGENT_ACTIONS.map((action) => ({ ...base, label: action, action, resource: noResourceTypes.has(action) ? "*" : agentResource[action], expected: "Allowed" as const })),
                ...AGENT_MESSAGING_ACTIONS.map((action) => ({ ...base, label: action, action, resource: "*", expected: "Allowed" as const })),
                { ...base, label: "ssm:GetDocument AWS-RunPatchBaseline", action: "ssm:GetDocument", resource: document("AWS-RunPatchBaseline"), expected: "Allowed" },
                { ...base, label: "ssm:GetDocument of this account", action: "ssm:GetDocument", resource: document("patching-RunPatchBaseline"), expected: "Allowed" },
                { ...base, label: "s3:PutObject command output", action: "s3:PutObject", resource: logObject, expected: "Allowed" },
                { ...base, label: "ssm:GetParameter", action: "ssm:GetParameter", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db/password`, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:GetParameters", action: "ssm:GetParameters", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db/password`, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:GetDocument shared from another account", action: "ssm:GetDocument", resource: `arn:aws:ssm:${REGION}:999999999999:document/hook`, expected: "ImplicitlyDenied" },
                { ...base, label: "ssm:SendCommand to another node", action: "ssm:SendCommand", resource: INSTANCE, context: TAGGED, expected: "ImplicitlyDenied" },
                { ...base, label: "s3:DeleteObject of another node's output", action: "s3:DeleteObject", resource: logObject, expected: "ExplicitlyDenied" },
                { ...base, label: "s3:DeleteObjectVersion", action: "s3:DeleteObjectVersion", resource: logObject, expected: "ExplicitlyDenied" },
                { ...base, label: "s3:PutObjectAcl", action: "s3:PutObjectAcl", resource: logObject, expected: "ExplicitlyDenied" },
                { ...base, label: "s3:PutBucketVersioning (suspend)", action: "s3:PutBucketVersioning", resource: `arn:aws:s3:::${logBucket}`, expected: "ExplicitlyDenied" },
                { ...base, label: "s3:GetObject of other nodes' output", action: "s3:GetObject", resource: logObject, expected: "ImplicitlyDenied" },
            ];
            const expected = Object.fromEntries(rows.map((r) => [r.label, r.expected]));
            assert.deepEqual(await decisions(hybrid.identity, rows), expected);
        });

        it("carries no AWS managed policy (AmazonSSMManagedInstanceCore grants ssm:GetParameter(s) on every parameter)", () => {
            assert.deepEqual(hybrid.managedPolicyArns, []);
        });
    });
});
