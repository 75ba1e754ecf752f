import { strict as assert } from "node:assert";
import type { StackDeploymentArgs } from "../../deployment/components/stackDeployment";
import type { DeployerRolesArgs } from "../../deployment/components/deployerRoles";
import type { ResourceRecorder } from "../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../tools/mock/runtime";

const BASE: StackDeploymentArgs = {
    organization: "acme",
    project: "multicloud-patching",
    stack: "staging",
    esc: { project: "multicloud-patching", name: "aws-azure-oidc-staging", yaml: "values: {}\n" },
    repository: { url: "https://github.com/acme/multicloud-patching.git", branch: "release", gitHub: "acme/multicloud-patching" },
    environmentVariables: { CI: "true" },
    drift: { schedule: "0 7 * * *", autoRemediate: false },
    refreshSchedule: "0 5 * * 0",
    ciTeam: { name: "ci-staging", production: false, deploymentsToken: "pul-staging-token" },
};
const PROD_TEAM = { name: "ci-prod", production: true, deploymentsToken: "pul-prod-token" };

describe("deployment/components/stackDeployment (component under mocks)", () => {
    let recorder: ResourceRecorder;
    let modules: { StackDeployment: typeof import("../../deployment/components/stackDeployment").StackDeployment; DeployerRoles: typeof import("../../deployment/components/deployerRoles").DeployerRoles };

    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching-deployment", stack: "test", config: {} });
        modules = {
            StackDeployment: (await import("../../deployment/components/stackDeployment")).StackDeployment,
            DeployerRoles: (await import("../../deployment/components/deployerRoles")).DeployerRoles,
        };
        new modules.StackDeployment("quiet", BASE);
        new modules.StackDeployment("loud", { ...BASE, stack: "loud", webhook: { url: "https://hooks.slack.com/services/T0/B0/xyz", format: "slack" }, executorImage: "pulumi/pulumi-nodejs:3.270.0" });
        await settle();
    });

    it("has no triggers unless asked: both VCS triggers explicitly false (the provider defaults them to true)", () => {
        const vcs = recorder.get("pulumiservice:index:DeploymentSettings", "quiet-settings").inputs.vcs as Record<string, unknown>;
        assert.deepEqual([vcs.previewPullRequests, vcs.deployCommits, vcs.paths], [false, false, undefined]);
    });

    it("deploys the configured branch and executor image", () => {
        const inputs = recorder.get("pulumiservice:index:DeploymentSettings", "loud-settings").inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.equal(inputs.sourceContext.git.branch, "refs/heads/release");
        assert.deepEqual(inputs.executorContext, { executorImage: "pulumi/pulumi-nodejs:3.270.0" });
        assert.equal(recorder.get("pulumiservice:index:DeploymentSettings", "quiet-settings").inputs.executorContext, undefined);
    });

    it("posts drift and failed deployments to the webhook, whose URL stays secret", () => {
        assert.deepEqual(recorder.find("pulumiservice:index:Webhook").map((w) => w.name), ["loud-drift-webhook"]);
        const webhook = recorder.get("pulumiservice:index:Webhook", "loud-drift-webhook").inputs;
        assert.deepEqual([webhook.payloadUrl, webhook.format, webhook.stackName, webhook.active], ["[secret]", "slack", "loud", true]);
        assert.deepEqual(webhook.filters, ["drift_detected", "drift_detection_failed", "drift_remediation_failed", "deployment_failed"]);
    });

    it("grants the stack's CI team open on its ESC environment and write on the stack, and nobody else", () => {
        const grants = recorder.find("pulumiservice:index:TeamEnvironmentPermission").filter((r) => r.name.startsWith("quiet-"));
        assert.deepEqual(grants.map((g) => [g.name, g.inputs.project, g.inputs.environment, g.inputs.team, g.inputs.permission]), [["quiet-esc-access", "multicloud-patching", "aws-azure-oidc-staging", "ci-staging", "open"]]);
        const stackGrant = recorder.get("pulumiservice:index:TeamStackPermission", "quiet-stack-access").inputs;
        assert.deepEqual([stackGrant.stack, stackGrant.team, stackGrant.permission], ["staging", "ci-staging", 102]);
        assert.equal((recorder.get("pulumiservice:index:DeploymentSettings", "quiet-settings").inputs as Record<string, any>).operationContext.environmentVariables.PULUMI_ACCESS_TOKEN, "[secret]"); // eslint-disable-line @typescript-eslint/no-explicit-any
    });

    it("refuses pull-request previews for a stack that runs with the production team's token", () => {
        const args = { ...BASE, stack: "prod", ciTeam: PROD_TEAM, triggers: { previewPullRequests: true, deployOnPush: false, paths: ["stacks/**"] } };
        assert.throws(() => new modules.StackDeployment("prod-preview", args), /^Error: StackDeployment: stack prod runs with the production team token, so previewPullRequests must be false; a pull-request preview runs the pull request's code/);
        assert.doesNotThrow(() => new modules.StackDeployment("prod-ok", { ...args, triggers: { ...args.triggers, previewPullRequests: false } }));
    });

    it("refuses a PULUMI_ACCESS_TOKEN among the plain variables (it would bypass the team split)", () => {
        assert.throws(() => new modules.StackDeployment("override", { ...BASE, environmentVariables: { PULUMI_ACCESS_TOKEN: "pul-org-admin" } }), /environmentVariables.PULUMI_ACCESS_TOKEN is set by the component/);
    });

    it("refuses DeployerRoles without a provider for an account, naming it", () => {
        const args: DeployerRolesArgs = {
            organization: "acme",
            stack: "staging",
            centralAccountId: "111111111111",
            oidcRoleName: "oidc",
            oidcSubject: "s",
            maxSessionDurationSeconds: 3600,
            deploymentRoles: [{ accountId: "222222222222", alias: "apps", roleName: "deployer" }],
            automationRoleNames: [],
            providers: new Map(),
        };
        assert.throws(() => new modules.DeployerRoles("orphan", args), /DeployerRoles: no AWS provider for account 111111111111; providers: none/);
    });
});
