import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { FALLBACK_POLICY_CONFIG } from "../../deployment/config";
import { PRE_RUN_COMMANDS } from "../../deployment/components/stackDeployment";
import { renderEscEnvironment } from "../../deployment/escEnvironment";
import { githubIssuerPolicies, MANUAL_ORG_SETTINGS } from "../../deployment/ciAccess";
import { escSubject } from "../../deployment/oidcClaims";
import { projectFilesAt } from "../../deployment/projectFiles";
import type { RecordedResource } from "../../tools/mock/recorder";
import { decodeProviderInput, isProvider } from "../../tools/mock/recorder";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";
import { DEPLOYMENT_DIR, orgStackConfig, readYaml, type Raw } from "./fixtures";

const T = {
    settings: "pulumiservice:index:DeploymentSettings",
    drift: "pulumiservice:index:DriftSchedule",
    schedule: "pulumiservice:index:DeploymentSchedule",
    environment: "pulumiservice:index:Environment",
    policyGroup: "pulumiservice:index:PolicyGroup",
    policyPack: "pulumiservice:index:PolicyPack",
    issuer: "pulumiservice:index:OidcIssuer",
    team: "pulumiservice:index:Team",
    teamToken: "pulumiservice:index:TeamAccessToken",
    envPermission: "pulumiservice:index:TeamEnvironmentPermission",
    stackPermission: "pulumiservice:index:TeamStackPermission",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
};
const ORG = "acme-platform";
const config = orgStackConfig();
const accountsOf = (stack: string) => (readYaml(`Pulumi.${stack}.yaml`).config["multicloud-patching:accounts"] as Raw[]).map((a) => ({ alias: a.alias as string, id: a.id as string }));

for (const preview of [false, true]) {
    describe(`the deployment program, stack org${preview ? " (preview)" : ""}`, () => {
        let evaluation: Evaluation;
        const get = (type: string, name: string) => evaluation.recorder.get(type, name);
        const accountOf = (resource: RecordedResource) => (decodeProviderInput(evaluation.recorder.providerOf(resource)?.inputs["allowedAccountIds"]) as string[] | undefined)?.[0];
        const json = (resource: RecordedResource, key: string) => JSON.parse(resource.inputs[key] as string) as Raw;

        before(async () => {
            evaluation = await evaluateProgram({ directory: DEPLOYMENT_DIR, stack: "org", program: path.join(DEPLOYMENT_DIR, "index.ts"), preview });
        });

        it("registers every (type, name, parent) once and gives every cloud resource an explicit provider", () => {
            const ids = evaluation.recorder.resources.map((r) => `${r.type}::${r.name}::${r.parent ?? ""}`);
            assert.equal(new Set(ids).size, ids.length);
            assert.deepEqual(evaluation.recorder.resources.filter((r) => r.custom && !isProvider(r) && r.provider === undefined).map((r) => r.urn), []);
        });

        it("configures Deployments for each configured stack: git source, npm ci, no default install, variables", () => {
            assert.deepEqual(evaluation.recorder.find(T.settings).map((r) => r.inputs.stack).sort(), Object.keys(config.stacks).sort());
            for (const stack of ["dev", "prod"]) {
                const inputs = get(T.settings, `${stack}-settings`).inputs as Raw;
                assert.deepEqual([inputs.organization, inputs.project, inputs.stack], [ORG, "multicloud-patching", stack]);
                assert.deepEqual(inputs.sourceContext, { git: { repoUrl: config.repository.url, branch: "refs/heads/main" } });
                assert.deepEqual(inputs.operationContext.preRunCommands, [...PRE_RUN_COMMANDS]);
                assert.deepEqual(inputs.operationContext.options, { skipInstallDependencies: true, skipIntermediateDeployments: true });
                assert.equal(inputs.operationContext.environmentVariables.CI, "true");
                assert.equal(inputs.operationContext.oidc, undefined, "credentials come from the ESC environment, not Deployments OIDC");
                // The one credential: the CI team's token, as a secret (next tests); no other.
                const variables = inputs.operationContext.environmentVariables as Raw;
                assert.deepEqual(Object.keys(variables).filter((key) => /SECRET|TOKEN|PASSWORD|KEY/.test(key)), ["PULUMI_ACCESS_TOKEN"]);
                assert.equal(variables.PULUMI_ACCESS_TOKEN, "[secret]");
            }
        });

        it("previews pull requests and deploys pushes for dev only; prod has neither", () => {
            const dev = get(T.settings, "dev-settings").inputs.vcs as Raw;
            const prod = get(T.settings, "prod-settings").inputs.vcs as Raw;
            assert.deepEqual([dev.provider, dev.repository, dev.previewPullRequests, dev.deployCommits], ["github", "acme-platform/multicloud-patching", true, true]);
            assert.ok(dev.paths.includes("stacks/**") && !dev.paths.includes("README.md"));
            assert.deepEqual([prod.previewPullRequests, prod.deployCommits, prod.paths], [false, false, undefined]);
        });

        it("makes the schedules depend on the settings, and the settings on the stack's ESC environment", () => {
            for (const stack of ["dev", "prod"]) {
                const settings = get(T.settings, `${stack}-settings`);
                assert.ok(settings.options.dependsOn.includes(get(T.environment, `${stack}-esc`).urn));
                for (const schedule of [get(T.drift, `${stack}-drift`), get(T.schedule, `${stack}-refresh`)]) {
                    assert.ok(schedule.options.dependsOn.includes(settings.urn), `${schedule.name} depends on ${settings.name}`);
                    assert.deepEqual([schedule.inputs.organization, schedule.inputs.project, schedule.inputs.stack], [ORG, "multicloud-patching", stack]);
                }
            }
        });

        it("detects drift daily (auto-remediating dev only) and refreshes weekly", () => {
            assert.deepEqual(["dev", "prod"].map((s) => [get(T.drift, `${s}-drift`).inputs.scheduleCron, get(T.drift, `${s}-drift`).inputs.autoRemediate]), [["0 6 * * *", true], ["0 6 * * *", false]]);
            for (const stack of ["dev", "prod"]) {
                const refresh = get(T.schedule, `${stack}-refresh`).inputs;
                assert.deepEqual([refresh.pulumiOperation, refresh.scheduleCron], ["refresh", "0 5 * * 1"]);
            }
        });

        it("creates each stack's ESC environment from the repository template with the stack's identities", () => {
            const template = projectFilesAt().escTemplate();
            for (const stack of ["dev", "prod"]) {
                const settings = config.stacks[stack];
                const env = get(T.environment, `${stack}-esc`).inputs as Raw;
                assert.deepEqual([env.organization, env.project, env.name], [ORG, "multicloud-patching", `aws-azure-oidc-${stack}`]);
                const expected = renderEscEnvironment(template, {
                    roleArn: `arn:aws:iam::${settings.centralAccountId}:role/multicloud-patching-oidc-${stack}`,
                    sessionName: `multicloud-patching-${stack}`,
                    duration: "2h",
                    azure: settings.azure,
                });
                assert.equal(env.yaml.sha256, createHash("sha256").update(expected).digest("hex"));
            }
        });

        it("enforces the policy pack in preventative mode, one group per environment with its config", () => {
            const pack = get(T.policyPack, "policies-pack");
            assert.deepEqual([pack.inputs.name, pack.inputs.versionTag, path.basename(pack.inputs.sourcePath as string)], ["multicloud-patching", "0.1.0", "policies"]);
            for (const environment of ["dev", "prod"]) {
                const group = get(T.policyGroup, `policies-${environment}`);
                const file = projectFilesAt().policyConfig("policies", environment);
                assert.deepEqual([group.inputs.name, group.inputs.mode, group.inputs.entityType], [`multicloud-patching-${environment}`, "preventative", "stacks"]);
                assert.deepEqual(group.inputs.stacks, [{ name: environment, routingProject: "multicloud-patching" }]);
                assert.deepEqual(group.inputs.policyPacks, [{ name: "multicloud-patching", versionTag: "0.1.0", config: file.values ?? FALLBACK_POLICY_CONFIG[environment] }]);
                assert.ok(group.options.dependsOn.includes(pack.urn), "a group naming an unpublished version is rejected");
            }
        });

        it("lets GitHub Actions exchange only exact subjects for team tokens: production → ci-prod, pull_request and main → ci-dev", () => {
            const issuer = get(T.issuer, "github-actions");
            assert.equal(issuer.inputs.url, "https://token.actions.githubusercontent.com");
            const policies = issuer.inputs.policies as Raw[];
            assert.deepEqual(policies, githubIssuerPolicies(ORG, "acme-platform/multicloud-patching", "main", ["dev", "prod"]));
            assert.deepEqual(policies.map((p) => [p.tokenType, p.teamName, p.rules.sub]), [
                ["team", "ci-dev", "repo:acme-platform/multicloud-patching:pull_request"],
                ["team", "ci-dev", "repo:acme-platform/multicloud-patching:ref:refs/heads/main"],
                ["team", "ci-prod", "repo:acme-platform/multicloud-patching:environment:production"],
            ]);
            assert.ok(!JSON.stringify(policies).includes("*"), "no wildcard subject");
            for (const team of ["ci-dev", "ci-prod"]) {
                assert.ok(issuer.options.dependsOn.includes(get(T.team, `${team}-team`).urn), `the issuer waits for team ${team}`);
            }
        });

        it("creates one CI team per environment, with no human members", () => {
            assert.deepEqual(evaluation.recorder.find(T.team).map((team) => [team.inputs.name, team.inputs.teamType, team.inputs.organizationName, team.inputs.members]).sort(), [
                ["ci-dev", "pulumi", ORG, []],
                ["ci-prod", "pulumi", ORG, []],
            ]);
        });

        it("lets ci-prod alone open prod's ESC environment and ci-dev alone dev's, and nothing more than open", () => {
            const grants = evaluation.recorder.find(T.envPermission).map((grant) => [grant.inputs.project, grant.inputs.environment, grant.inputs.team, grant.inputs.permission]);
            assert.deepEqual(grants.sort(), [
                ["multicloud-patching", "aws-azure-oidc-dev", "ci-dev", "open"],
                ["multicloud-patching", "aws-azure-oidc-prod", "ci-prod", "open"],
            ]);
            for (const stack of ["dev", "prod"]) {
                assert.ok(get(T.envPermission, `${stack}-esc-access`).options.dependsOn.includes(get(T.environment, `${stack}-esc`).urn));
            }
        });

        it("gives each CI team write (not admin) on its own stack only", () => {
            const grants = evaluation.recorder.find(T.stackPermission).map((grant) => [grant.inputs.project, grant.inputs.stack, grant.inputs.team, grant.inputs.permission]);
            assert.deepEqual(grants.sort(), [
                ["multicloud-patching", "dev", "ci-dev", 102],
                ["multicloud-patching", "prod", "ci-prod", 102],
            ]);
        });

        it("runs each stack's Deployments with its own team's token, kept secret (so dev's pull-request previews never hold ci-prod's)", () => {
            for (const [stack, team, other] of [["dev", "ci-dev", "ci-prod"], ["prod", "ci-prod", "ci-dev"]]) {
                const settings = get(T.settings, `${stack}-settings`);
                assert.equal((settings.inputs as Raw).operationContext.environmentVariables.PULUMI_ACCESS_TOKEN, "[secret]");
                const sources = settings.propertyDependencies["operationContext"] ?? [];
                assert.ok(sources.includes(get(T.teamToken, `${team}-deployments-token`).urn), `${stack} uses ${team}'s token`);
                assert.ok(!sources.includes(get(T.teamToken, `${other}-deployments-token`).urn), `${stack} never gets ${other}'s token`);
            }
            assert.deepEqual(evaluation.recorder.find(T.teamToken).map((token) => [token.inputs.name, token.inputs.teamName]).sort(), [
                ["ci-dev-deployments", "ci-dev"],
                ["ci-prod-deployments", "ci-prod"],
            ]);
        });

        it("exports the organization settings to set by hand, the default environment permission none among them", () => {
            const steps = evaluation.outputs.manualSteps as string[];
            assert.equal(steps.length, MANUAL_ORG_SETTINGS.length);
            assert.ok(steps.some((step) => step.includes("Default environment permission = none")), steps.join("\n"));
        });

        it("bootstraps every account through its own provider assuming OrganizationAccountAccessRole", () => {
            const expected = [...new Set([...accountsOf("dev"), ...accountsOf("prod")].map((a) => a.id))].sort();
            const providers = evaluation.recorder.find("pulumi:providers:aws");
            assert.deepEqual(providers.map((p) => (decodeProviderInput(p.inputs.allowedAccountIds) as string[])[0]).sort(), expected);
            for (const provider of providers) {
                const id = (decodeProviderInput(provider.inputs.allowedAccountIds) as string[])[0];
                assert.equal((decodeProviderInput(provider.inputs.assumeRoles) as Raw[])[0].roleArn, `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`);
            }
        });

        it("registers Pulumi's OIDC issuer once per central account with the aws:<org> audience", () => {
            const providers = evaluation.recorder.find(T.oidcProvider);
            assert.deepEqual(providers.map(accountOf).sort(), ["111111111111", "444444444444"]);
            for (const provider of providers) {
                assert.deepEqual([provider.inputs.url, provider.inputs.clientIdLists], ["https://api.pulumi.com/oidc", [`aws:${ORG}`]]);
            }
        });

        for (const stack of ["dev", "prod"]) {
            it(`scopes ${stack}'s OIDC role to its ESC environment and to assuming only ${stack}'s deployment roles`, () => {
                const central = config.stacks[stack].centralAccountId as string;
                const role = get(T.role, `${stack}-iam-oidc-role`);
                assert.equal(accountOf(role), central);
                assert.equal(role.inputs.maxSessionDuration, 7200);
                const trust = json(role, "assumeRolePolicy").Statement as Raw[];
                assert.equal(trust.length, 1);
                assert.deepEqual(trust[0].Principal, { Federated: `arn:aws:iam::${central}:oidc-provider/api.pulumi.com/oidc` });
                assert.deepEqual(trust[0].Condition.StringEquals, { "api.pulumi.com/oidc:aud": `aws:${ORG}`, "api.pulumi.com/oidc:sub": escSubject(ORG, "multicloud-patching", `aws-azure-oidc-${stack}`) });
                const assume = json(get(T.rolePolicy, `${stack}-iam-oidc-role-assume`), "policy").Statement as Raw[];
                const expected = accountsOf(stack).map((a) => `arn:aws:iam::${a.id}:role/multicloud-patching-deployer`).sort();
                assert.deepEqual(assume, [{ Sid: "AssumeThisStacksDeploymentRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: expected }]);
            });

            it(`creates ${stack}'s deployment role in every account of Pulumi.${stack}.yaml, trusting only ${stack}'s OIDC role`, () => {
                const central = config.stacks[stack].centralAccountId as string;
                for (const account of accountsOf(stack)) {
                    const role = get(T.role, `${stack}-iam-${account.alias}-role`);
                    assert.deepEqual([accountOf(role), role.inputs.name, role.inputs.path], [account.id, "multicloud-patching-deployer", "/"]);
                    if (!preview) {
                        // Under preview the OIDC role's ARN is unknown, so the trust document is too.
                        assert.deepEqual(json(role, "assumeRolePolicy").Statement, [
                            { Sid: "ThisStacksOidcRole", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${central}:role/multicloud-patching-oidc-${stack}` }, Action: "sts:AssumeRole" },
                        ]);
                        assert.equal(role.inputs.permissionsBoundary, `arn:aws:iam::${account.id}:policy/multicloud-patching-boundary`);
                    }
                    // Issue 14 (H1): the program boundary, one per account, instead of a per-role one;
                    // the services policy instead of PowerUserAccess.
                    const boundary = get(T.policy, `program-boundary-${account.id}`);
                    assert.deepEqual([accountOf(boundary), boundary.inputs.name], [account.id, "multicloud-patching-boundary"]);
                    const services = get(T.policy, `${stack}-iam-${account.alias}-services`);
                    assert.deepEqual([accountOf(services), services.inputs.name], [account.id, "multicloud-patching-deployer-services"]);
                    const attachment = get(T.attachment, `${stack}-iam-${account.alias}-services-attachment`);
                    assert.equal(accountOf(attachment), account.id);
                    assert.equal(evaluation.recorder.find(T.attachment).filter((a: RecordedResource) => a.inputs.policyArn === "arn:aws:iam::aws:policy/PowerUserAccess").length, 0);
                    assert.equal(accountOf(get(T.rolePolicy, `${stack}-iam-${account.alias}-iam`)), account.id);
                }
                assert.equal(evaluation.recorder.find(T.role).filter((r) => r.name.startsWith(`${stack}-iam-`) && r.name !== `${stack}-iam-oidc-role`).length, accountsOf(stack).length);
            });
        }

        it("exports, per stack, what to configure once outside this program (Azure federated credential)", () => {
            const prod = (evaluation.outputs.stacks as Raw).prod;
            assert.equal(prod.escEnvironment, "multicloud-patching/aws-azure-oidc-prod");
            assert.deepEqual(prod.azureFederatedCredential, { issuer: "https://api.pulumi.com/oidc", audience: `azure:${ORG}`, subject: escSubject(ORG, "multicloud-patching", "aws-azure-oidc-prod") });
        });
    });
}
