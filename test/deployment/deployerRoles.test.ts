import { strict as assert } from "node:assert";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type * as pulumi from "@pulumi/pulumi";
import { PERMISSIONS_BOUNDARY_NAME, permissionsBoundaryArn } from "../../catalog/naming";
import { programBoundary } from "../../components/identity/boundaryDocuments";
import { DEPLOYMENT_ACCESS_TAG } from "../../components/identity/boundaryScope";
import type { DeployerRolesArgs } from "../../deployment/components/deployerRoles";
import { programBoundaryScopes } from "../../deployment/iamDocuments";
import type { ResourceRecorder } from "../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../tools/mock/runtime";

const CENTRAL = "111111111111";
const MEMBER = "222222222222";
const AUTOMATION = ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"];

describe("deployment/components/deployerRoles (component under mocks)", () => {
    let recorder: ResourceRecorder;
    let modules: typeof import("../../deployment/components/deployerRoles");
    let providers: Map<string, AwsProvider>;
    let base: DeployerRolesArgs;

    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching-deployment", stack: "test", config: {} });
        modules = await import("../../deployment/components/deployerRoles");
        const { Provider } = await import("@pulumi/aws/provider");
        providers = new Map([CENTRAL, MEMBER].map((account) => [account, new Provider(`aws-${account}`, { region: "us-east-1", allowedAccountIds: [account] })]));
        base = {
            organization: "acme",
            stack: "staging",
            centralAccountId: CENTRAL,
            oidcRoleName: "multicloud-patching-oidc-staging",
            oidcSubject: "s",
            maxSessionDurationSeconds: 3600,
            deploymentRoles: [
                { accountId: CENTRAL, alias: "security", roleName: "multicloud-patching-deployer" },
                { accountId: MEMBER, alias: "apps", roleName: "multicloud-patching-deployer" },
            ],
            automationRoleNames: AUTOMATION,
            providers,
        };
        new modules.DeployerRoles("own", base);
        const shared = new modules.ProgramBoundaries("shared", { scopes: programBoundaryScopes([base]), providers });
        new modules.DeployerRoles("given", { ...base, stack: "given", oidcRoleName: "multicloud-patching-oidc-given", boundaryPolicies: shared.policies });
        await settle();
    });

    it("creates the program boundary (fixed name, the document of programBoundary) in each of its accounts", () => {
        for (const account of [CENTRAL, MEMBER]) {
            const policy = recorder.get("aws:iam/policy:Policy", `own-boundary-${account}`);
            assert.equal(policy.inputs["name"], PERMISSIONS_BOUNDARY_NAME);
            const scope = programBoundaryScopes([base]).find((candidate) => candidate.accountId === account);
            assert.ok(scope);
            assert.deepEqual(JSON.parse(policy.inputs["policy"] as string), programBoundary(scope));
        }
    });

    it("puts the boundary and the deployment-access tag on the OIDC role and every deployment role", () => {
        for (const [name, account] of [
            ["own-oidc-role", CENTRAL],
            ["own-security-role", CENTRAL],
            ["own-apps-role", MEMBER],
        ]) {
            const role = recorder.get("aws:iam/role:Role", name);
            assert.equal(role.inputs["permissionsBoundary"], permissionsBoundaryArn(account), name);
            assert.deepEqual(role.inputs["tags"], { [DEPLOYMENT_ACCESS_TAG.key]: DEPLOYMENT_ACCESS_TAG.value }, name);
        }
    });

    it("replaces PowerUserAccess by the services policy, attached, and keeps the IAM inline policy", () => {
        const attachments = recorder.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((attachment) => attachment.name.startsWith("own-"));
        assert.deepEqual(attachments.map((attachment) => attachment.name).sort(), ["own-apps-services-attachment", "own-security-services-attachment"]);
        assert.deepEqual(recorder.find("aws:iam/policy:Policy", "own-apps-services").map((policy) => policy.inputs["name"]), ["multicloud-patching-deployer-services"]);
        assert.equal(recorder.get("aws:iam/rolePolicy:RolePolicy", "own-apps-iam").inputs["name"], "manage-program-iam");
    });

    it("uses boundaries created by the caller (shared by stacks) instead of its own", () => {
        assert.deepEqual(
            recorder.find("aws:iam/policy:Policy").filter((policy) => policy.name.startsWith("given-boundary")),
            [],
        );
        assert.equal(recorder.get("aws:iam/role:Role", "given-apps-role").inputs["permissionsBoundary"], permissionsBoundaryArn(MEMBER));
    });

    it("refuses role names the boundary lets bounded roles write, naming the argument", () => {
        assert.throws(
            () => new modules.DeployerRoles("self-edit", { ...base, deploymentRoles: [{ accountId: MEMBER, alias: "apps", roleName: "patching-deployer" }] }),
            /^Error: DeployerRoles: deploymentRoles\[apps\]\.roleName "patching-deployer" is a name the program's roles may write/,
        );
        assert.throws(() => new modules.DeployerRoles("self-edit-2", { ...base, oidcRoleName: AUTOMATION[1] }), /^Error: DeployerRoles: oidcRoleName "AWS-SystemsManager-AutomationExecutionRole" is a name/);
    });

    it("refuses given boundaries that miss one of its accounts", () => {
        const onlyCentral = new Map<string, pulumi.Resource>([[CENTRAL, providers.get(CENTRAL) as AwsProvider]]);
        assert.throws(() => new modules.DeployerRoles("partial", { ...base, boundaryPolicies: onlyCentral }), /^Error: DeployerRoles: boundaryPolicies has no program boundary for account 222222222222/);
    });

    it("refuses a boundary IAM would reject (over 6,144 characters), saying why", () => {
        const many = Array.from({ length: 6 }, (_, i) => `Automation-Role-Name-Number-${i}`);
        assert.throws(
            () => new modules.ProgramBoundaries("big", { scopes: programBoundaryScopes([{ ...base, automationRoleNames: many }]), providers }),
            /^Error: ProgramBoundaries: the boundary of account 111111111111 has \d+ characters, over IAM's 6144 for a managed policy; it lists 6 Automation role names/,
        );
    });

    it("refuses two scopes for one account (one boundary per account)", () => {
        const [scope] = programBoundaryScopes([base]);
        assert.throws(() => new modules.ProgramBoundaries("twice", { scopes: [scope, scope], providers }), /^Error: ProgramBoundaries: account 111111111111 has two scopes/);
    });
});
