import { strict as assert } from "node:assert";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { QUICKSIGHT_TEMPLATE_STACK_RESOURCE } from "../../components/identity/boundaryQuickSight";
import type { ResourceRecorder } from "../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../tools/mock/runtime";

const CENTRAL = "111111111111";
const MEMBER = "222222222222";

/**
 * Issue 19 item 3: DeployerRoles hands the dashboard's account on to the boundary and the services
 * policy it renders (the program passes StackTarget.quickSightDashboardAccountId): the template's
 * stack appears in that account's two documents and nowhere else.
 */
describe("deployment/components/deployerRoles: the QuickSight dashboard's account (component under mocks)", () => {
    let recorder: ResourceRecorder;

    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching-deployment", stack: "test", config: {} });
        const { DeployerRoles } = await import("../../deployment/components/deployerRoles");
        const { Provider } = await import("@pulumi/aws/provider");
        const providers = new Map<string, AwsProvider>([CENTRAL, MEMBER].map((account) => [account, new Provider(`qs-aws-${account}`, { region: "us-east-1", allowedAccountIds: [account] })]));
        const base = {
            organization: "acme",
            centralAccountId: CENTRAL,
            oidcSubject: "s",
            maxSessionDurationSeconds: 3600,
            deploymentRoles: [
                { accountId: CENTRAL, alias: "security", roleName: "multicloud-patching-deployer" },
                { accountId: MEMBER, alias: "apps", roleName: "multicloud-patching-deployer" },
            ],
            automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
            providers,
        };
        new DeployerRoles("qs", { ...base, stack: "qs", oidcRoleName: "oidc-qs", quickSightDashboardAccountId: CENTRAL });
        new DeployerRoles("plain", { ...base, stack: "plain", oidcRoleName: "oidc-plain" });
        await settle();
    });

    const document = (name: string) => recorder.get("aws:iam/policy:Policy", name).inputs["policy"] as string;

    it("grants the template's stack in the dashboard's account only, and only when the stack enables it", () => {
        const holds = (name: string) => document(name).includes(QUICKSIGHT_TEMPLATE_STACK_RESOURCE);
        assert.deepEqual(
            ["qs-boundary-111111111111", "qs-security-services", "qs-boundary-222222222222", "qs-apps-services", "plain-boundary-111111111111", "plain-security-services"].map((name) => [name, holds(name)]),
            [
                ["qs-boundary-111111111111", true],
                ["qs-security-services", true],
                ["qs-boundary-222222222222", false],
                ["qs-apps-services", false],
                ["plain-boundary-111111111111", false],
                ["plain-security-services", false],
            ],
        );
    });
});
