import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, durationSeconds, FALLBACK_POLICY_CONFIG, parseDeploymentConfig } from "../../deployment/config";
import { DEPLOYMENT_DEFAULTS } from "../../deployment/configSchema";
import { projectFilesAt, type ProjectFiles } from "../../deployment/projectFiles";
import { filesWith, orgStackConfig, ROOT, type Raw } from "./fixtures";

const NO_POLICY_FILES: ProjectFiles["policyConfig"] = (directory, environment) => ({ file: `${directory}/config.${environment}.json` });

function errorOf(raw: unknown, files: ProjectFiles = filesWith({ policyConfig: NO_POLICY_FILES })): string {
    try {
        parseDeploymentConfig(raw, files);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.message;
    }
    assert.fail("configuration was accepted");
}

function mutated(change: (raw: Raw) => void): Raw {
    const raw = orgStackConfig();
    change(raw);
    return raw;
}

/** [description, mutation of deployment/Pulumi.org.yaml, the exact one-line message]. */
const BAD_CONFIGS: [string, (c: Raw) => void, string][] = [
    ["no organization", (c) => delete c.organization, "organization: missing; expected a Pulumi organization name (letters, digits, ., _ and -)"],
    ["SSH clone URL", (c) => (c.repository.url = "git@github.com:acme/multicloud-patching.git"), 'repository.url: "git@github.com:acme/multicloud-patching.git" is not a GitHub HTTPS clone URL (https://github.com/<owner>/<repo>.git)'],
    ["branch given as a ref", (c) => (c.repository.branch = "refs/heads/main"), 'repository.branch: "refs/heads/main" is not a branch name without refs/heads/ (e.g. main)'],
    ["misspelt repository key", (c) => (c.repository.brnach = "main"), "repository.brnach: is not a known key; allowed keys: url, branch"],
    ["four-field drift cron", (c) => (c.stacks.prod.driftSchedule = "0 6 * *"), 'stacks.prod.driftSchedule: "0 6 * *" is not a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. 0 6 * * *'],
    ["AWS-style refresh cron", (c) => (c.stacks.dev.refreshSchedule = "cron(0 5 ? * MON *)"), 'stacks.dev.refreshSchedule: "cron(0 5 ? * MON *)" is not a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. 0 6 * * *'],
    ["short central account id", (c) => (c.stacks.prod.centralAccountId = "1234"), 'stacks.prod.centralAccountId: "1234" is not a 12-digit AWS account id'],
    ["unquoted central account id", (c) => (c.stacks.prod.centralAccountId = 111111111111), "stacks.prod.centralAccountId: 111111111111 is not a 12-digit AWS account id: YAML read a number; quote it (unquoted, a leading 0 is dropped or the number read as octal)"],
    ["auto-remediation left implicit", (c) => delete c.stacks.prod.driftAutoRemediate, "stacks.prod.driftAutoRemediate: missing; expected a boolean (true to run pulumi up when drift is found)"],
    ["deploy on push as text", (c) => (c.stacks.dev.deployOnPush = "yes"), 'stacks.dev.deployOnPush: "yes" is not a boolean (true to run pulumi up on every push to the branch)'],
    ["unknown stack key", (c) => (c.stacks.prod.autoDeploy = true), "stacks.prod.autoDeploy: is not a known key; allowed keys: centralAccountId, escEnvironment, oidcRoleName, sessionDuration, azure, previewPullRequests, deployOnPush, deployPaths, driftSchedule, driftAutoRemediate, refreshSchedule"],
    ["Azure client id not a UUID", (c) => (c.stacks.dev.azure.clientId = "my-app"), 'stacks.dev.azure.clientId: "my-app" is not a lowercase UUID'],
    ["session of 13 hours", (c) => (c.stacks.prod.sessionDuration = "13h"), 'stacks.prod.sessionDuration: "13h" is longer than 12h, the most an IAM role session can last'],
    ["session in seconds", (c) => (c.stacks.prod.sessionDuration = "7200s"), 'stacks.prod.sessionDuration: "7200s" is not a session duration such as 1h, 2h or 90m'],
    ["empty deploy paths", (c) => (c.stacks.dev.deployPaths = []), "stacks.dev.deployPaths: [] is not a non-empty list of repository path globs"],
    ["no stacks", (c) => (c.stacks = {}), "stacks: {} is empty; configure at least one stack"],
    ["stacks missing", (c) => delete c.stacks, "stacks: missing; expected a map of stack name to settings (dev, prod)"],
    ["two-part version tag", (c) => (c.policyPack.versionTag = "1.0"), 'policyPack.versionTag: "1.0" is not a semantic version (e.g. 0.1.0) of the published pack'],
    ["policy pack without version", (c) => delete c.policyPack.versionTag, "policyPack.versionTag: missing; expected a semantic version (e.g. 0.1.0) of the published pack"],
    ["bad variable name", (c) => (c.environmentVariables = { "1X": "a" }), 'environmentVariables.1X: "1X" is not an environment variable name'],
    ["a Pulumi token among the variables", (c) => (c.environmentVariables = { PULUMI_ACCESS_TOKEN: "pul-123" }), "environmentVariables.PULUMI_ACCESS_TOKEN: is set by the program to each stack's CI team token (ci-dev, ci-prod); remove it"],
    ["numeric variable value", (c) => (c.environmentVariables = { X: 1 }), "environmentVariables.X: 1 is not a string (quote numbers and booleans)"],
    ["bootstrap role not an ARN", (c) => (c.bootstrap.roleArns = { "111111111111": "admin" }), 'bootstrap.roleArns.111111111111: "admin" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
    ["webhook format misspelt", (c) => (c.driftWebhookFormat = "teams"), 'driftWebhookFormat: "teams" is not one of slack, ms_teams, raw'],
    ["unknown top-level key", (c) => (c.stack = {}), "stack: is not a known key; allowed keys: organization, project, escProject, executorImage, driftWebhookFormat, repository, environmentVariables, policyPack, bootstrap, githubActions, stacks"],
    // Against the repository's files:
    ["another project", (c) => (c.project = "patching"), 'project: "patching" is not the main project\'s name (multicloud-patching in Pulumi.yaml)'],
    ["a stack without a stack file", (c) => (c.stacks.staging = { centralAccountId: "111111111111", driftAutoRemediate: false }), "stacks.staging: has no stack file Pulumi.staging.yaml in the repository root"],
    ["environment the stack does not import", (c) => (c.stacks.prod.escEnvironment = "prod-creds"), 'stacks.prod.escEnvironment: "prod-creds" is not imported by Pulumi.prod.yaml; add `environment: [multicloud-patching/prod-creds]` there, or the stack runs without cloud credentials'],
    ["Azure app in another tenant", (c) => (c.stacks.prod.azure.tenantId = "00000000-0000-4000-8000-000000000000"), 'stacks.prod.azure.tenantId: "00000000-0000-4000-8000-000000000000" differs from tenant 9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f of an Azure subscription in Pulumi.prod.yaml; one app registration signs in to its own tenant only'],
    ["pull-request previews of prod", (c) => (c.stacks.prod.previewPullRequests = true), "stacks.prod.previewPullRequests: true is not allowed for a prod stack (Pulumi.prod.yaml): a pull-request preview would run the pull request's code with prod credentials; prod is previewed by deploy-prod.yml under the production environment"],
    ["no Azure app for a stack with subscriptions", (c) => delete c.stacks.prod.azure, "stacks.prod.azure: missing; Pulumi.prod.yaml configures Azure subscriptions, so the stack needs an app registration {clientId, tenantId, subscriptionId}"],
    ["OIDC role named like the deployment role", (c) => (c.stacks.prod.oidcRoleName = "multicloud-patching-deployer"), 'stacks.prod.oidcRoleName: "multicloud-patching-deployer" is also the deployment role name in the central account; the OIDC role and the deployment role must differ'],
];

describe("deployment/config: validation (table of bad values → one line each)", () => {
    it("accepts deployment/Pulumi.org.yaml as committed", () => {
        assert.doesNotThrow(() => parseDeploymentConfig(orgStackConfig(), projectFilesAt(ROOT)));
    });

    for (const [description, change, message] of BAD_CONFIGS) {
        it(`rejects ${description}`, () => {
            assert.equal(errorOf(mutated(change)), message);
        });
    }

    it("reports every bad value at once, one line each", () => {
        const message = errorOf(mutated((c) => ((c.stacks.prod.centralAccountId = "1"), (c.stacks.dev.driftSchedule = "daily"))));
        assert.equal(message.split("\n").length, 2, message);
    });

    it("refuses an account whose deployment role would serve both stacks", () => {
        const files = filesWith({
            policyConfig: NO_POLICY_FILES,
            estate: (stack, real) => (stack === "dev" && real ? { ...real, accounts: [...real.accounts, { alias: "security", id: "111111111111" }] } : real),
        });
        assert.equal(
            errorOf(orgStackConfig(), files),
            "stacks.prod: shares deployment role arn:aws:iam::111111111111:role/multicloud-patching-deployer with stack dev; give one stack another deploymentRoleName (or deploymentRoleArn) in its stack file",
        );
    });

    it("refuses a main stack without a dev/prod environment", () => {
        const files = filesWith({ policyConfig: NO_POLICY_FILES, estate: (stack, real) => (stack === "dev" && real ? { ...real, environment: "staging" } : real) });
        assert.equal(errorOf(orgStackConfig(), files), 'stacks.dev: Pulumi.dev.yaml sets multicloud-patching:environment to "staging", not dev or prod; it picks the stack\'s policy group');
    });

    it("names a policy config file that is not JSON", () => {
        const files = filesWith({ policyConfig: () => JSON.parse("{all: mandatory}") });
        assert.match(errorOf(orgStackConfig(), files), /^policyPack.directory: "policies" config.dev.json is not valid JSON: /);
    });
});

describe("deployment/config: resolved stacks", () => {
    const parsed = parseDeploymentConfig(orgStackConfig(), filesWith({ policyConfig: NO_POLICY_FILES }));
    const stack = (name: string) => parsed.stacks.find((target) => target.stack === name)!;

    it("takes the deployment roles from the main stack files (default name from the main Pulumi.yaml)", () => {
        assert.deepEqual(stack("dev").deploymentRoles.map((role) => role.roleArn), ["arn:aws:iam::444444444444:role/multicloud-patching-deployer", "arn:aws:iam::555555555555:role/multicloud-patching-deployer"]);
        assert.deepEqual(stack("prod").deploymentRoles.map((role) => role.alias), ["security", "shared-services", "application"]);
        assert.deepEqual(stack("prod").automationRoleNames, ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"]);
    });

    it("keeps an account's explicit deploymentRoleArn, path included", () => {
        const files = filesWith({
            policyConfig: NO_POLICY_FILES,
            estate: (name, real) => (name === "dev" && real ? { ...real, accounts: [{ alias: "sandbox", id: "444444444444", deploymentRoleArn: "arn:aws:iam::444444444444:role/ci/patching-deployer" }] } : real),
        });
        const role = parseDeploymentConfig(orgStackConfig(), files).stacks[0].deploymentRoles[0];
        assert.deepEqual({ name: role.roleName, path: role.rolePath, arn: role.roleArn }, { name: "patching-deployer", path: "/ci/", arn: "arn:aws:iam::444444444444:role/ci/patching-deployer" });
    });

    it("marks a stack whose stack file configures organization mode, so its central deployment role gets the StackSet grants (issue 16)", () => {
        assert.deepEqual([stack("dev").organizationMode, stack("prod").organizationMode], [false, false]);
        const files = filesWith({
            policyConfig: NO_POLICY_FILES,
            // What projectFiles reports for a stack file with an `organization` block.
            estate: (name, real) => (name === "prod" && real ? ({ ...real, organizationMode: true } as typeof real) : real),
        });
        const targets = parseDeploymentConfig(orgStackConfig(), files).stacks;
        assert.deepEqual(
            targets.map((target) => [target.stack, target.organizationMode]),
            [
                ["dev", false],
                ["prod", true],
            ],
        );
    });

    it("scopes each stack's OIDC subject to the organization, the ESC project and the stack's environment", () => {
        assert.equal(stack("prod").escSubject, "pulumi:environments:pulumi.organization.login:acme-platform:currentEnvironment.name:multicloud-patching/aws-azure-oidc-prod");
        assert.equal(stack("dev").escReference, "multicloud-patching/aws-azure-oidc-dev");
        assert.equal(stack("dev").oidcRoleArn, `arn:aws:iam::444444444444:role/${DEPLOYMENT_DEFAULTS.oidcRoleName("dev")}`);
    });

    it("turns the ESC session into the OIDC role's MaxSessionDuration (at least IAM's 1 h)", () => {
        assert.deepEqual([durationSeconds("2h"), durationSeconds("90m"), durationSeconds("1h30m"), durationSeconds("30m")], [7200, 5400, 5400, 1800]);
        assert.equal(stack("prod").maxSessionDurationSeconds, 7200);
        const short = parseDeploymentConfig(mutated((c) => (c.stacks.prod.sessionDuration = "30m")), filesWith({ policyConfig: NO_POLICY_FILES }));
        assert.equal(short.stacks.find((target) => target.stack === "prod")?.maxSessionDurationSeconds, 3600);
    });

    it("falls back to mandatory (prod) / advisory (dev) without policy config files, and says so", () => {
        assert.deepEqual(parsed.policyGroups.map((group) => [group.environment, group.config]), [["dev", FALLBACK_POLICY_CONFIG.dev], ["prod", FALLBACK_POLICY_CONFIG.prod]]);
        assert.deepEqual(parsed.warnings, [
            'policies/config.dev.json not found: the dev policy group enforces {"all":"advisory"} until it exists',
            'policies/config.prod.json not found: the prod policy group enforces {"all":"mandatory"} until it exists',
        ]);
    });

    it("uses policies/config.<env>.json when it exists", () => {
        const config = { all: "mandatory", "no-wildcard-principals": { enforcementLevel: "advisory" } };
        const files = filesWith({ policyConfig: (directory, environment) => ({ file: `${directory}/config.${environment}.json`, values: { ...config, environment } }) });
        const group = parseDeploymentConfig(orgStackConfig(), files).policyGroups.find((g) => g.environment === "prod");
        assert.deepEqual(group, { environment: "prod", stacks: ["prod"], config: { ...config, environment: "prod" }, source: "policies/config.prod.json" });
    });

    it("fills the documented defaults", () => {
        const minimal = mutated((c) => {
            delete c.stacks.prod.driftSchedule;
            delete c.stacks.prod.refreshSchedule;
            delete c.stacks.prod.previewPullRequests;
            delete c.stacks.prod.deployOnPush;
            delete c.bootstrap;
        });
        const prod = parseDeploymentConfig(minimal, filesWith({ policyConfig: NO_POLICY_FILES }));
        const target = prod.stacks.find((t) => t.stack === "prod")!;
        assert.deepEqual(
            [target.driftSchedule, target.refreshSchedule, target.previewPullRequests, target.deployOnPush, prod.bootstrap.roleName],
            [DEPLOYMENT_DEFAULTS.driftSchedule, DEPLOYMENT_DEFAULTS.refreshSchedule, false, false, "OrganizationAccountAccessRole"],
        );
    });
});

describe("deployment/config: the committed files agree", () => {
    it("enforces the policy pack version that policies/package.json declares", () => {
        const pack = JSON.parse(readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")) as { version: string };
        assert.equal(orgStackConfig().policyPack.versionTag, pack.version);
    });
});
