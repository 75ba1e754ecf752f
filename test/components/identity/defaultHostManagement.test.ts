import { strict as assert } from "node:assert";
import { permissionsBoundaryArn } from "../../../catalog/naming";
import { programResourceStatements } from "../../../components/identity/boundaryAllows";
import { programIamStatements } from "../../../components/identity/deployerIamStatements";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { ProgramBoundaryScope } from "../../../components/identity/boundaryScope";
import {
    DEFAULT_HOST_MANAGEMENT_DEFAULTS,
    defaultHostManagementSettingArn,
    defaultHostManagementTrust,
    validateDefaultHostManagementArgs,
    type DefaultHostManagementArgs,
} from "../../../components/identity/defaultHostManagement";
import { logBucketWritePolicy, MANAGED_POLICIES, type PolicyDocument } from "../../../components/identity/iamDocuments";
import { accountLogBuckets } from "../../../components/identity/managedNodeRoles";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { decideAll } from "../../support/iamSimulation";
import { managedPolicyDocument } from "./awsManagedPolicies";

const ACCOUNT = "333333333333";
const REGION = "eu-west-2";
const LOG_WRITER = `arn:aws:iam::${ACCOUNT}:policy/patching-log-writer`;
const ARGS: DefaultHostManagementArgs = { accountId: ACCOUNT, regions: ["eu-west-2", "us-west-2"], logWriterPolicyArn: LOG_WRITER };
const SCOPE: ProgramBoundaryScope = { accountId: ACCOUNT, project: "multicloud-patching", automationRoleNames: ["AWS-SystemsManager-AutomationExecutionRole"], deploymentRoles: [{ roleName: "multicloud-patching-deployer" }] };
const BOUNDARY = programBoundary(SCOPE) as unknown as PolicyDocument;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/${DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName}`;

describe("DefaultHostManagement argument validation", () => {
    const CASES: [Partial<DefaultHostManagementArgs>, RegExp][] = [
        [{ accountId: "12345" }, /DefaultHostManagement: accountId "12345" is not a 12-digit AWS account id$/],
        [{ regions: [] }, /DefaultHostManagement: regions is empty/],
        [{ regions: ["Europe"] }, /DefaultHostManagement: region "Europe" is not an AWS Region name/],
        [{ roleName: "AWSSystemsManagerDefaultEC2InstanceManagementRole" }, /DefaultHostManagement: roleName "AWSSystemsManagerDefaultEC2InstanceManagementRole" must start with "patching-"/],
    ];
    for (const [change, message] of CASES) {
        it(`rejects ${JSON.stringify(change)}`, () => assert.throws(() => validateDefaultHostManagementArgs({ ...ARGS, ...change }), message));
    }
    it("accepts the defaults", () => assert.doesNotThrow(() => validateDefaultHostManagementArgs(ARGS)));
});

describe("DefaultHostManagement: the role under the IAM simulator, with the program boundary", () => {
    const IDENTITY = [managedPolicyDocument(MANAGED_POLICIES.ssmManagedEc2InstanceDefault), logBucketWritePolicy(accountLogBuckets(ACCOUNT, [REGION]))];
    const bucket = `patching-patch-logs-${ACCOUNT}-${REGION}`;
    const call = (label: string, action: string, resource: string) => ({ label, principal: ROLE, action, resource, resourceAccount: ACCOUNT });

    it("can do what SSM Agent on a DHMC node does (register, messages, command output) and nothing more", async () => {
        const decisions = await decideAll({ identity: IDENTITY, boundary: BOUNDARY }, [
            call("agent registers", "ssm:UpdateInstanceInformation", "*"),
            call("agent gets Run Command messages", "ec2messages:GetMessages", "*"),
            call("agent reports patch compliance", "ssm:PutComplianceItems", "*"),
            call("agent reports inventory", "ssm:PutInventory", "*"),
            call("agent uploads command output", "s3:PutObject", `arn:aws:s3:::${bucket}/patch/cmd/i-0123/awsrunShellScript/stdout`),
            call("agent checks bucket encryption", "s3:GetEncryptionConfiguration", `arn:aws:s3:::${bucket}`),
            call("no reading other nodes' output", "s3:GetObject", `arn:aws:s3:::${bucket}/patch/cmd/i-0456/stdout`),
            call("no writing another bucket", "s3:PutObject", "arn:aws:s3:::payroll/x"),
            call("no Parameter Store (Core grants it, this policy does not)", "ssm:GetParameter", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db-password`),
            call("no commands to other nodes", "ssm:SendCommand", `arn:aws:ssm:${REGION}:${ACCOUNT}:document/AWS-RunShellScript`),
            call("no interactive sessions", "ssm:StartSession", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123`),
        ]);
        assert.deepEqual(decisions, {
            "agent registers": "Allowed",
            "agent gets Run Command messages": "Allowed",
            "agent reports patch compliance": "Allowed",
            "agent reports inventory": "Allowed",
            "agent uploads command output": "Allowed",
            "agent checks bucket encryption": "Allowed",
            "no reading other nodes' output": "ImplicitlyDenied",
            "no writing another bucket": "ImplicitlyDenied",
            "no Parameter Store (Core grants it, this policy does not)": "ImplicitlyDenied",
            "no commands to other nodes": "ExplicitlyDenied",
            "no interactive sessions": "ExplicitlyDenied",
        });
    });

    it("is assumed by Systems Manager only, as AWS documents", async () => {
        assert.deepEqual(defaultHostManagementTrust().Statement, [{ Sid: "SystemsManagerDefaultHostManagement", Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        const assume = (label: string, principal: string) => ({ label, principal, action: "sts:AssumeRole", resource: ROLE, resourceAccount: ACCOUNT });
        const decisions = await decideAll({ resourcePolicy: defaultHostManagementTrust() }, [assume("Systems Manager", "ssm.amazonaws.com"), assume("EC2", "ec2.amazonaws.com"), assume("a role of another account", "arn:aws:iam::999999999999:role/x")]);
        assert.deepEqual(decisions, { "Systems Manager": "Allowed", EC2: "ImplicitlyDenied", "a role of another account": "ImplicitlyDenied" });
    });

    it("the deployer can set this one service setting, pass the role to SSM and attach its two policies — nothing else", async () => {
        const deployer = `arn:aws:iam::${ACCOUNT}:role/multicloud-patching-deployer`;
        const identity = [{ Version: "2012-10-17" as const, Statement: [...programResourceStatements(SCOPE), ...programIamStatements(SCOPE, ["ssm.amazonaws.com", "ec2.amazonaws.com"])] }];
        const withBoundary = { "iam:PermissionsBoundary": permissionsBoundaryArn(ACCOUNT) };
        const request = (label: string, action: string, resource: string, context: Record<string, string> = {}) => ({ label, principal: deployer, action, resource, resourceAccount: ACCOUNT, context });
        const decisions = await decideAll({ identity, boundary: BOUNDARY }, [
            request("UpdateServiceSetting (DHMC)", "ssm:UpdateServiceSetting", defaultHostManagementSettingArn(ACCOUNT, REGION)),
            request("ResetServiceSetting (DHMC, destroy)", "ssm:ResetServiceSetting", defaultHostManagementSettingArn(ACCOUNT, REGION)),
            request("UpdateServiceSetting (another setting)", "ssm:UpdateServiceSetting", `arn:aws:ssm:${REGION}:${ACCOUNT}:servicesetting/ssm/parameter-store/high-throughput-enabled`),
            request("PassRole of the DHMC role to SSM", "iam:PassRole", ROLE, { "iam:PassedToService": "ssm.amazonaws.com" }),
            request("create the DHMC role with the boundary", "iam:CreateRole", ROLE, withBoundary),
            request("attach AmazonSSMManagedEC2InstanceDefaultPolicy", "iam:AttachRolePolicy", ROLE, { ...withBoundary, "iam:PolicyARN": MANAGED_POLICIES.ssmManagedEc2InstanceDefault }),
            request("attach the log writer", "iam:AttachRolePolicy", ROLE, { ...withBoundary, "iam:PolicyARN": LOG_WRITER }),
            request("attach AdministratorAccess", "iam:AttachRolePolicy", ROLE, { ...withBoundary, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }),
        ]);
        assert.deepEqual(decisions, {
            "UpdateServiceSetting (DHMC)": "Allowed",
            "ResetServiceSetting (DHMC, destroy)": "Allowed",
            "UpdateServiceSetting (another setting)": "ImplicitlyDenied",
            "PassRole of the DHMC role to SSM": "Allowed",
            "create the DHMC role with the boundary": "Allowed",
            "attach AmazonSSMManagedEC2InstanceDefaultPolicy": "Allowed",
            "attach the log writer": "Allowed",
            "attach AdministratorAccess": "ImplicitlyDenied",
        });
    });
});

async function runComponent(preview: boolean) {
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview });
    const { DefaultHostManagement } = await import("../../../components/identity/defaultHostManagement");
    const { Provider } = await import("@pulumi/aws/provider");
    const provider = new Provider("aws-member", { region: "us-west-2", allowedAccountIds: [ACCOUNT] });
    const component = new DefaultHostManagement("dhm", ARGS, { provider });
    await settle();
    return { recorder, component };
}

describe("DefaultHostManagement under the mock runtime", () => {
    let recorder: ResourceRecorder;
    before(async () => ({ recorder } = await runComponent(false)));

    it("creates one bounded role trusted by SSM with the DHMC policy and the log writer, and the setting naming it in each Region", () => {
        const role = recorder.get("aws:iam/role:Role", "dhm-role");
        assert.equal(recorder.providerOf(role)?.name, "aws-member");
        assert.deepEqual([role.inputs.name, role.inputs.permissionsBoundary, JSON.parse(role.inputs.assumeRolePolicy as string)], [DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName, permissionsBoundaryArn(ACCOUNT), defaultHostManagementTrust()]);
        const attached = recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => [a.name, a.inputs.role, a.inputs.policyArn]);
        assert.deepEqual(attached.sort(), [
            ["dhm-default-policy", DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName, "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy"],
            ["dhm-log-writer", DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName, LOG_WRITER],
        ]);
        for (const region of ARGS.regions) {
            const setting = recorder.get("aws:ssm/serviceSetting:ServiceSetting", `dhm-${region}-setting`);
            assert.deepEqual({ ...setting.inputs }, {
                region,
                settingId: `arn:aws:ssm:${region}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`,
                settingValue: DEFAULT_HOST_MANAGEMENT_DEFAULTS.roleName,
            });
            const waitsFor = recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.urn);
            assert.ok(waitsFor.every((urn) => setting.options.dependsOn.includes(urn)), "the setting waits for the role's policies");
        }
    });

    it("registers the same resources in preview", async () => {
        const before = recorder.resources.map((r) => `${r.type}::${r.name}`);
        const preview = await runComponent(true);
        assert.deepEqual(preview.recorder.resources.map((r) => `${r.type}::${r.name}`).sort(), [...before].sort());
    });
});
