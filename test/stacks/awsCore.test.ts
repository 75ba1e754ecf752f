import { strict as assert } from "node:assert";
import { validateAutomationAdministrationRoleArgs } from "../../components/identity/automationAdministrationRole";
import { validatePatchBaselinesArgs } from "../../components/baselines/patchBaselines";
import { validatePatchResourceGroupsArgs } from "../../components/baselines/patchResourceGroups";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const ACCOUNTS = { security: "111111111111", "shared-services": "222222222222", application: "333333333333" } as const;
const REGIONS = ["us-west-2", "eu-west-2"];

describe("AWS core wired into the prod estate (roles, baselines, resource groups)", () => {
    let evaluation: Evaluation;
    const providerName = (r: RecordedResource) => evaluation.recorder.providerOf(r)?.name;
    const json = (value: unknown) => JSON.parse(value as string);

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("creates the administration role only in the central account, allowed to assume each member's execution role", () => {
        const roles = evaluation.recorder.find("aws:iam/role:Role").filter((r) => r.inputs.name === "AWS-SystemsManager-AutomationAdministrationRole");
        assert.equal(roles.length, 1);
        assert.equal(providerName(roles[0]), "aws-security");
        const policy = json(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", "security-automation-administration-assume-execution-roles").inputs.policy);
        assert.deepEqual(policy.Statement[0].Resource, Object.values(ACCOUNTS).map((id) => `arn:aws:iam::${id}:role/AWS-SystemsManager-AutomationExecutionRole`).sort());
    });

    for (const [alias, id] of Object.entries(ACCOUNTS)) {
        it(`${alias}: execution role in its own account, trusting the central administration role by ARN`, () => {
            const role = evaluation.recorder.get("aws:iam/role:Role", `${alias}-automation-execution-role`);
            assert.equal(providerName(role), `aws-${alias}`);
            assert.equal(role.inputs.name, "AWS-SystemsManager-AutomationExecutionRole");
            const trust = json(role.inputs.assumeRolePolicy);
            assert.deepEqual(trust.Statement[0].Principal, { AWS: "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole" });
            // No managed policy on the execution role (issue 14, H2): the inline policy is all it has.
            const attachments = evaluation.recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => providerName(a) === `aws-${alias}` && a.inputs.role === "AWS-SystemsManager-AutomationExecutionRole");
            assert.deepEqual(attachments.map((a) => a.inputs.policyArn), []);
            const permissions = json(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-automation-execution-runbook-permissions`).inputs.policy);
            assert.ok(permissions.Statement.some((s: { Resource: string }) => s.Resource === `arn:aws:iam::${id}:role/AWS-SystemsManager-AutomationExecutionRole`));
            const runbooks = permissions.Statement.find((s: { Sid: string }) => s.Sid === "StartPatchRunbooks");
            assert.ok(runbooks.Resource.includes(`arn:aws:ssm:*:${id}:automation-definition/patching-RunPatchBaseline:*`), "only the program's runbooks, in this account");
            const grant = permissions.Statement.find((s: { Action: string }) => s.Action === "kms:CreateGrant");
            assert.deepEqual(grant?.Resource, [
                "arn:aws:kms:eu-west-2:333333333333:key/mrk-0123456789abcdef0123456789abcdef",
                "arn:aws:kms:us-west-2:333333333333:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
            ], "the EBS keys of Pulumi.prod.yaml's ebsKmsKeyArns");
        });

        it(`${alias}: instance profile with AmazonSSMManagedInstanceCore; a hybrid role without it, scoped to the agent's calls`, () => {
            const core = evaluation.recorder.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${alias}-managed-node-roles-instance-core`);
            assert.equal(core.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
            assert.equal(providerName(core), `aws-${alias}`);
            const hybrid = json(evaluation.recorder.get("aws:iam/role:Role", `${alias}-managed-node-roles-hybrid-role`).inputs.assumeRolePolicy);
            assert.equal(hybrid.Statement[0].Condition.StringEquals["aws:SourceAccount"], id);
            const logs = json(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-managed-node-roles-instance-log-buckets`).inputs.policy);
            assert.ok(logs.Statement[0].Resource.every((arn: string) => arn.includes(`-${id}-`)), "only this account's buckets");
            const hybridLogs = evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-managed-node-roles-hybrid-log-buckets`);
            assert.deepEqual(json(hybridLogs.inputs.policy), logs, "hybrid nodes write to the same buckets");
            // Nodes registered with an activation code get no managed policy (issue 14, M1).
            const hybridAttachments = evaluation.recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => providerName(a) === `aws-${alias}` && a.inputs.role === "patching-hybrid-node");
            assert.deepEqual(hybridAttachments.map((a) => a.inputs.policyArn), []);
            const agent = json(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-managed-node-roles-hybrid-agent`).inputs.policy);
            assert.doesNotMatch(JSON.stringify(agent), /GetParameter/);
            const protectedObjects = agent.Statement.find((s: { Sid: string }) => s.Sid === "NeverDeleteOrReAclLogObjects");
            assert.deepEqual(protectedObjects.Resource, logs.Statement[0].Resource, "the same log buckets' objects are never deleted");
        });

        it(`${alias}: the log-writer policy (issue 15) with the instance role's log-bucket access, attached by its enforcers in every Region`, () => {
            const writer = evaluation.recorder.get("aws:iam/policy:Policy", `${alias}-managed-node-roles-log-writer`);
            assert.equal(providerName(writer), `aws-${alias}`);
            assert.equal(writer.inputs.name, "patching-log-writer");
            assert.deepEqual(json(writer.inputs.policy), json(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-managed-node-roles-instance-log-buckets`).inputs.policy));
            for (const region of REGIONS) {
                const fn = evaluation.recorder.get("aws:lambda/function:Function", `${alias}-${region}-ssm-role-enforcer-function`);
                const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
                assert.equal(env.LOG_WRITER_POLICY_ARN, `arn:aws:iam::${id}:policy/patching-log-writer`, region);
                const policy = json(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", `${alias}-${region}-ssm-role-enforcer-role-policy`).inputs.policy);
                const allow = policy.Statement.find((s: { Sid: string }) => s.Sid === "AttachSsmPolicyToTaggedRoles");
                assert.deepEqual(allow.Condition.ArnEquals["iam:PolicyARN"], ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", `arn:aws:iam::${id}:policy/patching-log-writer`]);
            }
        });

        it(`${alias}: Default Host Management exactly where logAccess.defaultHostManagement lists it (prod: application in eu-west-2)`, () => {
            const settings = evaluation.recorder.find("aws:ssm/serviceSetting:ServiceSetting").filter((s) => providerName(s) === `aws-${alias}`);
            const expected = alias === "application" ? [["eu-west-2", `arn:aws:ssm:eu-west-2:${id}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`]] : [];
            assert.deepEqual(settings.map((s) => [s.inputs.region, s.inputs.settingId]), expected);
            if (alias === "application") {
                const role = evaluation.recorder.get("aws:iam/role:Role", "application-default-host-management-role");
                assert.equal(role.inputs.permissionsBoundary, `arn:aws:iam::${id}:policy/multicloud-patching-boundary`);
            }
        });

        for (const region of REGIONS) {
            it(`${alias} ${region}: a baseline per (patch group, OS), registered, and a resource group per patch group`, () => {
                const groups = alias === "application" ? ["Linux", "Windows", "AppA"] : ["Linux", "Windows"];
                const resourceGroups = evaluation.recorder.find("aws:resourcegroups/group:Group").filter((g) => providerName(g) === `aws-${alias}` && g.inputs.region === region);
                assert.deepEqual(resourceGroups.map((g) => g.inputs.name).sort(), [...groups].sort());
                const baselines = evaluation.recorder.find("aws:ssm/patchBaseline:PatchBaseline").filter((b) => providerName(b) === `aws-${alias}` && b.inputs.region === region);
                const registrations = evaluation.recorder.find("aws:ssm/patchGroup:PatchGroup").filter((p) => providerName(p) === `aws-${alias}` && p.inputs.region === region);
                assert.equal(registrations.length, baselines.length);
                assert.deepEqual([...new Set(registrations.map((r) => r.inputs.patchGroup))].sort(), [...groups].sort());
                const linux2023 = baselines.find((b) => b.inputs.name === "patching-Linux-AMAZON_LINUX_2023");
                assert.ok(linux2023, "Linux group has an Amazon Linux 2023 baseline");
                assert.ok((linux2023.inputs.approvalRules as { approveAfterDays: number }[]).every((rule) => rule.approveAfterDays === 7), "prod delay of the Linux group");
            });
        }
    }

    it("never references the deprecated AmazonEC2RoleforSSM", () => {
        assert.doesNotMatch(JSON.stringify(evaluation.recorder.resources.map((r) => r.inputs)), /AmazonEC2RoleforSSM/);
    });
});

describe("AWS core component argument validation", () => {
    it("rejects an administration role without execution roles", () => {
        assert.throws(() => validateAutomationAdministrationRoleArgs({ roleName: "r", centralAccountId: "111111111111", executionRoleArns: [] }), /executionRoleArns is empty/);
        assert.throws(() => validateAutomationAdministrationRoleArgs({ roleName: "r", centralAccountId: "111111111111", executionRoleArns: ["*"] }), /"\*", which is not an IAM role ARN/);
    });

    it("rejects a baseline delay outside 0-360 and an OS-less group", () => {
        assert.throws(() => validatePatchBaselinesArgs({ region: "us-west-2", patchGroups: [{ name: "G", operatingSystems: ["WINDOWS"], approveAfterDays: 400 }] }), /approveAfterDays 400 is not an integer from 0 to 360/);
        assert.throws(() => validatePatchBaselinesArgs({ region: "us-west-2", patchGroups: [{ name: "G", operatingSystems: [], approveAfterDays: 1 }] }), /has no operatingSystems/);
    });

    it("rejects resource group names AWS reserves", () => {
        assert.throws(() => validatePatchResourceGroupsArgs({ region: "us-west-2", patchGroupNames: ["AWSLinux"], tagKey: "Patch Group" }), /not a valid resource group name/);
    });
});
