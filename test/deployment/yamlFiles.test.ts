import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ciTeamName, GITHUB_PRODUCTION_ENVIRONMENT, githubIssuerPolicies } from "../../deployment/ciAccess";
import { DEPLOYMENT_DEFAULTS } from "../../deployment/configSchema";
import { AWS_LOGIN_PATH, AWS_VARIABLES, AZURE_LOGIN_PATH, AZURE_VARIABLES, renderEscEnvironment } from "../../deployment/escEnvironment";
import { ESC_SUBJECT_ATTRIBUTES } from "../../deployment/oidcClaims";
import { ESC_TEMPLATE_FILE, projectFilesAt } from "../../deployment/projectFiles";
import { orgStackConfig, readYaml, ROOT, type Raw } from "./fixtures";

const WORKFLOW_DIR = ".github/workflows";
const workflowFiles = readdirSync(path.join(ROOT, WORKFLOW_DIR)).filter((file) => /\.ya?ml$/.test(file));
const workflow = (file: string) => readYaml(`${WORKFLOW_DIR}/${file}`);
const at = (document: Raw, keys: readonly string[]): Raw => keys.reduce((node, key) => node?.[key], document);

interface Step {
    readonly job: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Raw;
}

function steps(document: Raw): Step[] {
    return Object.entries(document.jobs as Raw).flatMap(([job, spec]) => (spec.steps as Raw[]).map((step) => ({ job, ...step }) as Step));
}

/**
 * `uses: owner/repo[/path]@<40-hex commit>  # vX[.Y.Z]`: a tag can be moved to other code, a commit
 * cannot; the comment names the release the commit was taken from (checked against the action's
 * repository when pinned, see README "Running in CI").
 */
const PINNED_LINE = /^\s*(- )?uses: [\w.-]+\/[\w.-]+(\/[\w.-]+)*@[0-9a-f]{40}\s+# v\d+(\.\d+){0,2}\s*$/;
const TEAM_TOKEN = "urn:pulumi:token-type:access_token:team";
const ORG_REPO = "acme-platform/multicloud-patching";

/** The `sub` claim GitHub gives a job (default subject template): its environment, else the event. */
function subjectOf(document: Raw, job: string): string {
    const environment = document.jobs[job].environment;
    if (environment !== undefined) {
        return `repo:${ORG_REPO}:environment:${typeof environment === "string" ? environment : environment.name}`;
    }
    // pull_request runs present pull_request; push and workflow_dispatch the ref (main: the
    // workflows' push filter and `if: github.ref == 'refs/heads/main'`).
    return document.on.pull_request !== undefined ? `repo:${ORG_REPO}:pull_request` : `repo:${ORG_REPO}:ref:refs/heads/main`;
}

describe("GitHub Actions workflows (YAML level)", () => {
    it("exist and parse: pull-request, deploy-dev, deploy-prod", () => {
        assert.deepEqual(workflowFiles.sort(), ["deploy-dev.yml", "deploy-prod.yml", "pull-request.yml"]);
        for (const file of workflowFiles) {
            assert.ok(workflow(file).jobs, `${file} has jobs`);
        }
    });

    it("pin every third-party action to a full commit SHA, with its tag in a comment", () => {
        for (const file of workflowFiles) {
            const lines = readFileSync(path.join(ROOT, WORKFLOW_DIR, file), "utf8").split("\n");
            const usesLines = lines.filter((line) => /^\s*(- )?uses:/.test(line) && !/uses: (\.\/|docker:\/\/)/.test(line));
            assert.equal(usesLines.length, steps(workflow(file)).filter((s) => s.uses && !s.uses.startsWith("./")).length, `${file}: every uses: is on its own line`);
            for (const line of usesLines) {
                assert.match(line, PINNED_LINE, `${file}: ${line.trim()}`);
            }
        }
    });

    it("use no repository secrets: Pulumi and cloud access come through OIDC only", () => {
        for (const file of workflowFiles) {
            assert.ok(!JSON.stringify(workflow(file)).includes("secrets."), file);
        }
    });

    it("grant id-token: write only to jobs that authenticate, which do so before any Pulumi step", () => {
        for (const file of workflowFiles) {
            const document = workflow(file);
            assert.equal(document.permissions?.["id-token"], undefined, `${file}: not workflow-wide`);
            for (const [job, spec] of Object.entries(document.jobs as Raw)) {
                const jobSteps = steps(document).filter((s) => s.job === job);
                const auth = jobSteps.findIndex((s) => s.uses?.startsWith("pulumi/auth-actions@"));
                const pulumi = jobSteps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
                if (pulumi >= 0) {
                    assert.ok(auth >= 0 && auth < pulumi, `${file} ${job}: auth before pulumi/actions`);
                    assert.equal(spec.permissions?.["id-token"], "write", `${file} ${job}`);
                    assert.equal(jobSteps[auth].with?.["requested-token-type"], TEAM_TOKEN, `${file} ${job}: a team token, never an organization token`);
                } else {
                    assert.notEqual(spec.permissions?.["id-token"], "write", `${file} ${job} does not need a token`);
                }
            }
        }
    });

    it("request, per job, the one team the Pulumi OIDC issuer grants to that job's GitHub subject", () => {
        const policies = githubIssuerPolicies("acme-platform", ORG_REPO, "main", ["dev", "prod"]);
        for (const file of workflowFiles) {
            const document = workflow(file);
            for (const auth of steps(document).filter((s) => s.uses?.startsWith("pulumi/auth-actions@"))) {
                const sub = subjectOf(document, auth.job);
                const team = String(auth.with?.scope).replace(/^team:/, "");
                assert.deepEqual(policies.filter((p) => p.rules.sub === sub).map((p) => p.teamName), [team], `${file} ${auth.job}: ${sub} → team:${team}`);
            }
        }
    });

    it("never let a job outside the production environment request the prod team token or a prod stack", () => {
        for (const file of workflowFiles) {
            const document = workflow(file);
            for (const [job, spec] of Object.entries(document.jobs as Raw)) {
                const jobSteps = steps(document).filter((s) => s.job === job);
                const wantsProd =
                    jobSteps.some((s) => s.with?.scope === `team:${ciTeamName("prod")}`) || jobSteps.some((s) => String(s.with?.["stack-name"]).endsWith("/prod"));
                if (wantsProd) {
                    assert.equal(spec.environment, GITHUB_PRODUCTION_ENVIRONMENT, `${file} ${job} touches prod, so it waits for the production environment`);
                    assert.ok(jobSteps.every((s) => s.with?.scope === undefined || s.with.scope === `team:${ciTeamName("prod")}`), `${file} ${job}`);
                }
            }
        }
    });

    it("give pull-request code at most the dev team token, and only for same-repository pull requests", () => {
        const document = workflow("pull-request.yml");
        const scopes = steps(document).filter((s) => s.uses?.startsWith("pulumi/auth-actions@")).map((s) => [s.job, s.with?.scope]);
        assert.deepEqual(scopes, [["preview-dev", `team:${ciTeamName("dev")}`]]);
        assert.ok(!JSON.stringify(document).includes(GITHUB_PRODUCTION_ENVIRONMENT), "no job names the production environment");
        assert.match(document.jobs["preview-dev"].if, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.equal(document.on.pull_request_target, undefined, "pull_request_target would run with secrets and tokens for fork code");
    });

    it("on pull requests: npm ci, npm test and the offline plan of both stacks, on Node 22 and 24 with the npm cache", () => {
        const document = workflow("pull-request.yml");
        assert.ok(document.on.pull_request, "on.pull_request");
        const runs = steps(document).filter((s) => s.job === "test").map((s) => s.run ?? s.uses);
        for (const command of ["npm ci --no-audit --no-fund", "npm test", "npm run plan -- --stack dev", "npm run plan -- --stack prod"]) {
            assert.ok(runs.includes(command), `test job runs ${command}`);
        }
        const setupNode = steps(document).find((s) => s.job === "test" && s.uses?.startsWith("actions/setup-node@"));
        assert.deepEqual([setupNode?.with?.["node-version"], setupNode?.with?.cache], ["${{ matrix.node }}", "npm"]);
        assert.deepEqual(document.jobs.test.strategy.matrix.node, [22, 24]);
    });

    it("previews dev on pull requests with the policy pack and dev's policy config, after the tests", () => {
        const document = workflow("pull-request.yml");
        const preview = steps(document).find((s) => s.job === "preview-dev" && s.uses?.startsWith("pulumi/actions@"));
        assert.deepEqual([preview?.with?.command, preview?.with?.["stack-name"], preview?.with?.policyPacks, preview?.with?.policyPackConfigs], [
            "preview",
            "${{ vars.PULUMI_ORGANIZATION }}/dev",
            "policies",
            "policies/config.dev.json",
        ]);
        assert.equal(document.jobs["preview-dev"].needs, "test");
        assert.ok(!steps(document).some((s) => String(s.with?.["stack-name"]).endsWith("/prod")), "no prod credentials for pull-request code");
    });

    it("runs pulumi up for dev on push to main, on the GitHub Actions path only, over the program's paths", () => {
        const document = workflow("deploy-dev.yml");
        assert.deepEqual([document.on.push.branches, document.on.pull_request, document.on.workflow_dispatch], [["main"], undefined, undefined]);
        assert.deepEqual(document.on.push.paths, [...DEPLOYMENT_DEFAULTS.deployPaths], "same filter as Deployments' deploy-on-push");
        assert.match(document.jobs.up.if, /vars\.PULUMI_CI_PATH == 'github-actions'/);
        const up = steps(document).find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepEqual([up?.with?.command, up?.with?.["stack-name"], up?.with?.policyPackConfigs], ["up", "${{ vars.PULUMI_ORGANIZATION }}/dev", "policies/config.dev.json"]);
    });

    it("deploys prod only by manual dispatch from main, behind the production environment", () => {
        const document = workflow("deploy-prod.yml");
        assert.deepEqual(Object.keys(document.on), ["workflow_dispatch"]);
        assert.deepEqual([document.jobs.preview.environment, document.jobs.up.environment, document.jobs.up.needs], ["production", "production", "preview"]);
        for (const job of ["preview", "up"]) {
            assert.equal(document.jobs[job].if, "github.ref == 'refs/heads/main'");
        }
        const pulumiSteps = steps(document).filter((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepEqual(pulumiSteps.map((s) => [s.job, s.with?.command, s.with?.["stack-name"], s.with?.policyPacks, s.with?.policyPackConfigs]), [
            ["preview", "preview", "${{ vars.PULUMI_ORGANIZATION }}/prod", "policies", "policies/config.prod.json"],
            ["up", "up", "${{ vars.PULUMI_ORGANIZATION }}/prod", "policies", "policies/config.prod.json"],
        ]);
        assert.equal(document.concurrency["cancel-in-progress"], false);
    });

    it("give every workflow a concurrency group (no two runs of one stack at once)", () => {
        for (const file of workflowFiles) {
            assert.ok(workflow(file).concurrency?.group, file);
        }
    });
});

describe("ESC environment template (YAML level)", () => {
    const template = readYaml(ESC_TEMPLATE_FILE);
    const templateText = projectFilesAt(ROOT).escTemplate();
    const awsLogin = at(template, AWS_LOGIN_PATH);
    const azureLogin = at(template, AZURE_LOGIN_PATH);

    it("logs in to AWS with OIDC into a role, with a session name, a duration and a per-environment subject", () => {
        assert.match(awsLogin.roleArn, /^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/);
        assert.match(awsLogin.sessionName, /^[\w+=,.@-]{2,64}$/);
        assert.match(awsLogin.duration, /^\d+[hm]$/);
        assert.deepEqual(awsLogin.subjectAttributes, [...ESC_SUBJECT_ATTRIBUTES]);
    });

    it("logs in to Azure with OIDC (clientId, tenantId, subscriptionId, oidc: true) and the same subject form", () => {
        for (const key of ["clientId", "tenantId", "subscriptionId"]) {
            assert.match(azureLogin[key], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, key);
        }
        assert.equal(azureLogin.oidc, true);
        assert.deepEqual(azureLogin.subjectAttributes, [...ESC_SUBJECT_ATTRIBUTES]);
    });

    it("exports exactly the variables the AWS SDK and azure-native read, from the login outputs", () => {
        assert.deepEqual(template.values.environmentVariables, {
            AWS_ACCESS_KEY_ID: "${aws.login.accessKeyId}",
            AWS_SECRET_ACCESS_KEY: "${aws.login.secretAccessKey}",
            AWS_SESSION_TOKEN: "${aws.login.sessionToken}",
            ARM_USE_OIDC: "true",
            ARM_CLIENT_ID: "${azure.login.clientId}",
            ARM_TENANT_ID: "${azure.login.tenantId}",
            ARM_OIDC_TOKEN: "${azure.login.oidc.token}",
            ARM_SUBSCRIPTION_ID: "${azure.login.subscriptionId}",
        });
        assert.deepEqual(Object.keys(template.values.environmentVariables).sort(), [...AWS_VARIABLES, ...AZURE_VARIABLES].sort());
    });

    it("renders a stack's environment: its identities set, structure and interpolations kept", () => {
        const azure = { clientId: "00000000-0000-4000-8000-000000000001", tenantId: "00000000-0000-4000-8000-000000000002", subscriptionId: "00000000-0000-4000-8000-000000000003" };
        const text = renderEscEnvironment(templateText, { roleArn: "arn:aws:iam::444444444444:role/x", sessionName: "s", duration: "1h", azure });
        assert.ok(text.includes("pulumi/pulumi#14509"), "the template's comments survive");
        const rendered = parse(text) as Raw;
        assert.deepEqual([at(rendered, AWS_LOGIN_PATH).roleArn, at(rendered, AWS_LOGIN_PATH).sessionName, at(rendered, AWS_LOGIN_PATH).duration], ["arn:aws:iam::444444444444:role/x", "s", "1h"]);
        assert.deepEqual({ ...at(rendered, AZURE_LOGIN_PATH), oidc: undefined, subjectAttributes: undefined }, { ...azure, oidc: undefined, subjectAttributes: undefined });
        assert.deepEqual(rendered.values.environmentVariables, template.values.environmentVariables);
    });

    it("drops the Azure login and the ARM_* variables for a stack without Azure", () => {
        const rendered = parse(renderEscEnvironment(templateText, { roleArn: "arn:aws:iam::444444444444:role/x", sessionName: "s", duration: "1h" })) as Raw;
        assert.equal(rendered.values.azure, undefined);
        assert.deepEqual(Object.keys(rendered.values.environmentVariables), [...AWS_VARIABLES]);
    });
});

describe("main stack files import their ESC environment", () => {
    const stacks = orgStackConfig().stacks as Raw;
    for (const stack of ["dev", "prod"]) {
        it(`Pulumi.${stack}.yaml imports multicloud-patching/${stacks[stack].escEnvironment}`, () => {
            assert.deepEqual(readYaml(`Pulumi.${stack}.yaml`).environment, [`multicloud-patching/${stacks[stack].escEnvironment}`]);
        });
    }
});
