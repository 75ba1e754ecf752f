import { strict as assert } from "node:assert";
import {
    administrationRolePolicy,
    administrationRoleTrust,
    executionRolePolicy,
    executionRoleTrust,
    ORGANIZATION_READ_ACTIONS,
    PATCH_COMMAND_DOCUMENTS,
} from "../../../components/identity/automationDocuments";
import { LOG_WRITER_POLICY_NAME, logBucketWritePolicy, logWriterPolicyArn, type PolicyDocument } from "../../../components/identity/iamDocuments";
import { ec2InstanceTrust, hybridNodeAgentPolicy, hybridServiceRoleTrust } from "../../../components/identity/nodeDocuments";
import { decide, decideAll } from "../../support/iamSimulation";

const CENTRAL = "111111111111";
const MEMBER = "222222222222";
const ADMIN_ARN = `arn:aws:iam::${CENTRAL}:role/AWS-SystemsManager-AutomationAdministrationRole`;
const KEY = `arn:aws:kms:us-west-2:${MEMBER}:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b`;
const EXECUTION = { accountId: MEMBER, roleName: "exec", patchGroupTagKey: "Patch Group", runbookNames: ["patching-RunPatchBaseline", "patching-PatchWithStoppedInstances"] };

/** The parts of the IAM policy grammar these documents use, checked strictly. */
function grammarProblems(document: PolicyDocument): string[] {
    const problems: string[] = [];
    if (document.Version !== "2012-10-17") problems.push("Version");
    for (const statement of document.Statement) {
        const actions = ([] as string[]).concat(statement.Action as string | string[]);
        for (const action of actions) {
            if (!/^[a-z0-9-]+:[A-Za-z*]+$/.test(action)) problems.push(`action ${action}`);
            if (action === "*:*" || action === "*") problems.push("wildcard action");
        }
        const resources = statement.Resource === undefined ? [] : ([] as string[]).concat(statement.Resource as string | string[]);
        for (const resource of resources) {
            if (resource !== "*" && !resource.startsWith("arn:aws:")) problems.push(`resource ${resource}`);
        }
        if (statement.Principal !== undefined && JSON.stringify(statement.Principal).includes('"*"')) problems.push("wildcard principal");
        if ((statement.Principal === undefined) === (statement.Resource === undefined)) problems.push("a statement needs exactly one of Principal (trust) or Resource (permissions)");
        if (statement.Sid !== undefined && !/^[A-Za-z0-9]+$/.test(statement.Sid)) problems.push(`Sid ${statement.Sid}`);
    }
    return problems;
}

describe("components/iamDocuments", () => {
    const all: [string, PolicyDocument][] = [
        ["administrationRoleTrust", administrationRoleTrust(CENTRAL)],
        ["administrationRolePolicy", administrationRolePolicy([`arn:aws:iam::${MEMBER}:role/x`], true)],
        ["administrationRolePolicy (organization)", administrationRolePolicy([`arn:aws:iam::${MEMBER}:role/x`], { organizationId: "o-abcdefghij", executionRoleName: "x" })],
        ["executionRoleTrust", executionRoleTrust(ADMIN_ARN, MEMBER)],
        ["executionRolePolicy", executionRolePolicy({ ...EXECUTION, ebsKmsKeyArns: [KEY] })],
        ["hybridNodeAgentPolicy", hybridNodeAgentPolicy(MEMBER, ["b1"])],
        ["ec2InstanceTrust", ec2InstanceTrust()],
        ["logBucketWritePolicy", logBucketWritePolicy(["b1"])],
        ["hybridServiceRoleTrust", hybridServiceRoleTrust(MEMBER)],
    ];
    for (const [name, document] of all) {
        it(`${name} follows the IAM policy grammar without wildcards`, () => assert.deepEqual(grammarProblems(document), []));
    }

    it("the grammar check itself catches a wildcard action", () => {
        assert.deepEqual(grammarProblems({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*:*", Resource: "*" }] }), ["action *:*", "wildcard action"]);
    });

    it("instance-role trust: EC2 and nothing else may assume it (issue 21 mutant)", async () => {
        const trust = ec2InstanceTrust();
        const assume = (principal: string) => decide({ resourcePolicy: trust }, { principal, action: "sts:AssumeRole", resource: `arn:aws:iam::${MEMBER}:role/patching-managed-node`, resourceAccount: MEMBER });
        assert.equal(await assume("ec2.amazonaws.com"), "Allowed");
        assert.equal(await assume("lambda.amazonaws.com"), "ImplicitlyDenied");
        assert.equal(await assume(`arn:aws:iam::${CENTRAL}:root`), "ImplicitlyDenied");
        assert.deepEqual(trust.Statement.map((s) => s.Principal), [{ Service: "ec2.amazonaws.com" }]);
    });

    it("administration trust: Systems Manager of the central account only", () => {
        assert.deepEqual(administrationRoleTrust(CENTRAL).Statement[0], {
            Sid: "SystemsManagerInCentralAccount",
            Effect: "Allow",
            Principal: { Service: "ssm.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": CENTRAL }, ArnLike: { "aws:SourceArn": `arn:aws:ssm:*:${CENTRAL}:automation-execution/*` } },
        });
    });

    it("administration policy: only sts:AssumeRole on the listed execution roles, OU listing only when asked", () => {
        const arns = [`arn:aws:iam::${MEMBER}:role/exec`, `arn:aws:iam::${CENTRAL}:role/exec`];
        assert.deepEqual(administrationRolePolicy(arns).Statement, [
            { Sid: "AssumeExecutionRoleInMemberAccounts", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...arns].sort() },
        ]);
        assert.equal(administrationRolePolicy(arns, true).Statement[1].Action, "organizations:ListAccountsForParent");
    });

    it("administration policy for OU targets (issue 16): the execution role by name in the organization only, and only the OU reads", async () => {
        const ORG = "o-abcdefghij";
        const EXEC = "AWS-SystemsManager-AutomationExecutionRole";
        const OU_ACCOUNT = "444444444444";
        const document = administrationRolePolicy([], { organizationId: ORG, executionRoleName: EXEC });
        const inOrg = { "aws:ResourceOrgID": ORG };
        const request = (label: string, action: string, resource: string, resourceAccount: string, context: Record<string, string> = {}) => ({ label, principal: ADMIN_ARN, action, resource, resourceAccount, context });
        // A cross-account AssumeRole needs the role's trust policy too: the member's execution trust.
        const assume = await decideAll({ identity: [document], resourcePolicy: executionRoleTrust(ADMIN_ARN, OU_ACCOUNT) }, [
            request("assume the execution role in an account of the organization", "sts:AssumeRole", `arn:aws:iam::${OU_ACCOUNT}:role/${EXEC}`, OU_ACCOUNT, inOrg),
            request("assume it in an account of another organization", "sts:AssumeRole", `arn:aws:iam::${OU_ACCOUNT}:role/${EXEC}`, OU_ACCOUNT, { "aws:ResourceOrgID": "o-otherorgxyz" }),
            request("assume it in an account outside any organization", "sts:AssumeRole", `arn:aws:iam::${OU_ACCOUNT}:role/${EXEC}`, OU_ACCOUNT),
            request("assume another role in the organization", "sts:AssumeRole", `arn:aws:iam::${OU_ACCOUNT}:role/OrganizationAccountAccessRole`, OU_ACCOUNT, inOrg),
            request("assume a role whose name only starts like it", "sts:AssumeRole", `arn:aws:iam::${OU_ACCOUNT}:role/${EXEC}Admin`, OU_ACCOUNT, inOrg),
        ]);
        const reads = await decideAll({ identity: [document] }, [
            ...ORGANIZATION_READ_ACTIONS.map((action) => request(`read ${action}`, action, "*", CENTRAL)),
            request("describe the organization's policies", "organizations:ListPolicies", "*", CENTRAL),
            request("move an account", "organizations:MoveAccount", `arn:aws:organizations::${CENTRAL}:account/${ORG}/${OU_ACCOUNT}`, CENTRAL),
        ]);
        assert.deepEqual({ ...assume, ...reads }, {
            "assume the execution role in an account of the organization": "Allowed",
            "assume it in an account of another organization": "ImplicitlyDenied",
            "assume it in an account outside any organization": "ImplicitlyDenied",
            "assume another role in the organization": "ImplicitlyDenied",
            "assume a role whose name only starts like it": "ImplicitlyDenied",
            "read organizations:ListAccountsForParent": "Allowed",
            "read organizations:ListChildren": "Allowed",
            "describe the organization's policies": "ImplicitlyDenied",
            "move an account": "ImplicitlyDenied",
        });
        // Configured accounts keep their explicit ARNs beside the organization statement.
        assert.deepEqual(administrationRolePolicy([`arn:aws:iam::${MEMBER}:role/${EXEC}`], { organizationId: ORG, executionRoleName: EXEC }).Statement.map((s) => s.Sid), [
            "AssumeExecutionRoleInMemberAccounts",
            "AssumeExecutionRoleInOrganization",
            "ResolveOrganizationalUnitTargets",
        ]);
    });

    it("execution trust: the administration role by ARN (never the account root) and this account's SSM only", () => {
        const trust = executionRoleTrust(ADMIN_ARN, MEMBER);
        assert.deepEqual(trust.Statement[0].Principal, { AWS: ADMIN_ARN });
        assert.doesNotMatch(JSON.stringify(trust), /:root/);
        assert.deepEqual(trust.Statement[1].Principal, { Service: "ssm.amazonaws.com" });
        assert.deepEqual(trust.Statement[1].Condition, {
            StringEquals: { "aws:SourceAccount": MEMBER },
            ArnLike: { "aws:SourceArn": `arn:aws:ssm:*:${MEMBER}:automation-execution/*` },
        });
    });

    it("execution policy: start/stop only tagged instances, pass only itself and only to SSM", () => {
        const statements = executionRolePolicy(EXECUTION).Statement;
        const startStop = statements.find((s) => s.Sid === "StartStopPatchGroupInstances");
        assert.deepEqual(startStop?.Condition, { Null: { "aws:ResourceTag/Patch Group": "false" } });
        assert.equal(startStop?.Resource, `arn:aws:ec2:*:${MEMBER}:instance/*`);
        const pass = statements.find((s) => s.Action === "iam:PassRole");
        assert.equal(pass?.Resource, `arn:aws:iam::${MEMBER}:role/exec`);
        assert.deepEqual(pass?.Condition, { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } });
    });

    it("execution policy: commands only with the patch documents, only on nodes carrying the patch-group tag", () => {
        const statements = executionRolePolicy(EXECUTION).Statement;
        assert.deepEqual(statements.find((s) => s.Sid === "SendPatchCommandDocuments")?.Resource, [
            "arn:aws:ssm:*:*:document/AWS-RunPatchBaseline",
            "arn:aws:ssm:*:*:document/AWS-RunPatchBaselineWithHooks",
            "arn:aws:ssm:*:*:document/AWS-UpdateSSMAgent",
            `arn:aws:s3:::patching-patch-logs-${MEMBER}-*`,
        ]);
        assert.deepEqual(statements.find((s) => s.Sid === "SendCommandsToPatchGroupNodesOnly"), {
            Sid: "SendCommandsToPatchGroupNodesOnly",
            Effect: "Allow",
            Action: "ssm:SendCommand",
            Resource: [`arn:aws:ec2:*:${MEMBER}:instance/*`, `arn:aws:ssm:*:${MEMBER}:managed-instance/*`],
            Condition: { Null: { "aws:ResourceTag/Patch Group": "false" } },
        });
        assert.deepEqual([...PATCH_COMMAND_DOCUMENTS], ["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks", "AWS-UpdateSSMAgent"]);
    });

    it("execution policy: kms:CreateGrant only with keys configured, only on them, only for AWS services", () => {
        assert.equal(executionRolePolicy(EXECUTION).Statement.some((s) => JSON.stringify(s.Action).includes("kms:")), false);
        const grant = executionRolePolicy({ ...EXECUTION, ebsKmsKeyArns: [KEY] }).Statement.find((s) => s.Action === "kms:CreateGrant");
        assert.deepEqual(grant?.Resource, [KEY]);
        assert.deepEqual(grant?.Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
    });

    it("execution policy: the only Deny keeps the patch-group tag out of reach, both spellings, any case", () => {
        const denies = executionRolePolicy({ ...EXECUTION, patchGroupTagKey: "PatchGroup" }).Statement.filter((s) => s.Effect === "Deny");
        assert.deepEqual(denies, [
            {
                Sid: "NeverChangePatchGroupTags",
                Effect: "Deny",
                Action: ["ec2:CreateTags", "ec2:DeleteTags", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
                Resource: "*",
                Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": ["PatchGroup", "Patch Group"] } },
            },
        ]);
    });

    it("execution policy: resource \"*\" only for actions without resource types, no wildcard service actions", () => {
        const star = executionRolePolicy(EXECUTION).Statement.filter((s) => s.Effect === "Allow" && s.Resource === "*").flatMap((s) => ([] as string[]).concat(s.Action as string | string[]));
        assert.deepEqual(star.sort(), [
            "ec2:DescribeInstanceStatus",
            "ec2:DescribeInstances",
            "ec2:DescribeSnapshots",
            "ssm:CancelCommand",
            "ssm:DescribeInstanceInformation",
            "ssm:GetCommandInvocation",
            "ssm:ListCommandInvocations",
            "ssm:ListCommands",
            "tag:GetResources",
        ]);
        const actions = executionRolePolicy({ ...EXECUTION, ebsKmsKeyArns: [KEY] }).Statement.flatMap((s) => ([] as string[]).concat(s.Action as string | string[]));
        assert.deepEqual(actions.filter((action) => action.includes("*")), []);
    });

    it("hybrid agent policy: no Parameter Store, documents of AWS and this account only, log objects never deleted", () => {
        const document = hybridNodeAgentPolicy(MEMBER, ["b2", "b1"]);
        assert.doesNotMatch(JSON.stringify(document), /GetParameter/);
        assert.deepEqual(document.Statement.find((s) => s.Sid === "ReadAwsAndOwnDocuments")?.Resource, ["arn:aws:ssm:*:*:document/AWS-*", `arn:aws:ssm:*:${MEMBER}:document/*`]);
        assert.deepEqual(document.Statement.find((s) => s.Sid === "NeverDeleteOrReAclLogObjects")?.Resource, ["arn:aws:s3:::b1/*", "arn:aws:s3:::b2/*"]);
    });

    it("hybrid service role trust carries aws:SourceAccount and aws:SourceArn of this account", () => {
        assert.deepEqual(hybridServiceRoleTrust(MEMBER).Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": MEMBER },
            ArnLike: { "aws:SourceArn": `arn:aws:ssm:*:${MEMBER}:*` },
        });
    });

    it("log write policy names the buckets' objects, not whole S3", () => {
        assert.deepEqual(logBucketWritePolicy(["b2", "b1"]).Statement[0].Resource, ["arn:aws:s3:::b1/*", "arn:aws:s3:::b2/*"]);
    });

    it("names the log-writer policy by the customer managed policy ARN IAM gives it in each account", () => {
        // IAM identifiers: arn:aws:iam::<account-id>:policy/<policy-name> (no path: created at "/").
        assert.equal(logWriterPolicyArn(MEMBER), `arn:aws:iam::${MEMBER}:policy/patching-log-writer`);
        assert.equal(logWriterPolicyArn(MEMBER).split("/").pop(), LOG_WRITER_POLICY_NAME);
    });
});
