import * as path from "node:path";
import { OpenIdConnectProvider } from "@pulumi/aws/iam/openIdConnectProvider";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { OidcIssuer } from "@pulumi/pulumiservice/oidcIssuer";
import { Provider as PulumiServiceProvider } from "@pulumi/pulumiservice/provider";
import { ciTeamName, githubIssuerPolicies, MANUAL_ORG_SETTINGS, type CiEnvironment } from "./ciAccess";
import { CiTeam } from "./components/ciTeam";
import { DeployerRoles, ProgramBoundaries } from "./components/deployerRoles";
import { PolicyEnforcement } from "./components/policyEnforcement";
import { StackDeployment } from "./components/stackDeployment";
import type { DeploymentConfig, StackTarget } from "./config";
import { renderEscEnvironment } from "./escEnvironment";
import { programBoundaryScopes } from "./iamDocuments";
import { awsAudience, azureAudience, GITHUB_OIDC_ISSUER_URL, PULUMI_OIDC_ISSUER_URL } from "./oidcClaims";
import type { ProjectFiles } from "./projectFiles";

/**
 * Wiring: which resource goes to Pulumi Cloud and which into which AWS account. The only place
 * that creates providers (default providers are disabled in the stack file).
 */
export function buildDeployment(config: DeploymentConfig, files: ProjectFiles) {
    for (const warning of config.warnings) {
        void pulumi.log.warn(warning);
    }
    // Reads PULUMI_ACCESS_TOKEN (or the CLI login) of whoever runs this program: an org admin.
    const cloud = new PulumiServiceProvider("pulumi-cloud", {});
    const template = files.escTemplate();

    // One CI team per environment the stacks use (config validation allows only dev and prod).
    const environments = [...new Set(config.stacks.map((target) => target.environment as CiEnvironment))].sort();
    const teams = new Map(environments.map((environment) => [environment, new CiTeam(ciTeamName(environment), { organization: config.organization, teamName: ciTeamName(environment), environment }, { providers: [cloud] })]));
    const teamOf = (target: StackTarget) => teams.get(target.environment as CiEnvironment) as CiTeam;

    const deployments = config.stacks.map(
        (target) =>
            new StackDeployment(
                target.stack,
                {
                    organization: config.organization,
                    project: config.project,
                    stack: target.stack,
                    esc: {
                        project: config.escProject,
                        name: target.escEnvironment,
                        yaml: renderEscEnvironment(template, { roleArn: target.oidcRoleArn, sessionName: target.sessionName, duration: target.sessionDuration, ...(target.azure ? { azure: target.azure } : {}) }),
                    },
                    repository: config.repository,
                    triggers: { previewPullRequests: target.previewPullRequests, deployOnPush: target.deployOnPush, paths: target.deployPaths },
                    environmentVariables: config.environmentVariables,
                    ...(config.executorImage ? { executorImage: config.executorImage } : {}),
                    drift: { schedule: target.driftSchedule, autoRemediate: target.driftAutoRemediate },
                    refreshSchedule: target.refreshSchedule,
                    ...(config.driftWebhookUrl ? { webhook: { url: config.driftWebhookUrl, format: config.driftWebhookFormat } } : {}),
                    ciTeam: { name: teamOf(target).teamName, production: target.environment === "prod", deploymentsToken: teamOf(target).deploymentsToken },
                },
                { providers: [cloud] },
            ),
    );

    const policySource = path.join(files.rootDir, config.policyPack.directory);
    new PolicyEnforcement(
        "policies",
        {
            organization: config.organization,
            project: config.project,
            pack: {
                name: config.policyPack.name,
                versionTag: config.policyPack.versionTag,
                // Relative, so the state does not depend on where the repository is checked out.
                ...(config.policyPack.publish ? { sourcePath: path.relative(process.cwd(), policySource) || "." } : {}),
            },
            groups: config.policyGroups,
        },
        { providers: [cloud] },
    );

    if (config.githubActions.registerOidcIssuer) {
        // pulumi/auth-actions in this repository's workflows exchange GitHub's token for a
        // short-lived token of one CI team; no PULUMI_ACCESS_TOKEN secret in GitHub. Exact
        // subjects only (deployment/ciAccess.ts): prod's team only for the production environment.
        new OidcIssuer(
            "github-actions",
            {
                organization: config.organization,
                name: "github-actions",
                url: GITHUB_OIDC_ISSUER_URL,
                maxExpirationSeconds: 7200,
                policies: githubIssuerPolicies(config.organization, config.repository.gitHub, config.repository.branch, environments),
            },
            // A policy naming a team that does not exist yet is rejected.
            { provider: cloud, dependsOn: [...teams.values()] },
        );
    }

    const iam = config.bootstrap.enabled ? bootstrapIam(config) : new Map<string, DeployerRoles>();

    return {
        stacks: Object.fromEntries(
            config.stacks.map((target, index) => [
                target.stack,
                {
                    escEnvironment: deployments[index].escReference,
                    oidcRoleArn: iam.get(target.stack)?.oidcRoleArn ?? target.oidcRoleArn,
                    awsTrust: { issuer: PULUMI_OIDC_ISSUER_URL, audience: awsAudience(config.organization), subject: target.escSubject },
                    // What to enter once on the Azure app registration (Certificates & secrets →
                    // Federated credentials → Other issuer); Azure matches the subject exactly.
                    azureFederatedCredential: target.azure ? { issuer: PULUMI_OIDC_ISSUER_URL, audience: azureAudience(config.organization), subject: target.escSubject } : undefined,
                    deploymentRoleArns: target.deploymentRoles.map((role) => role.roleArn),
                    driftAutoRemediate: target.driftAutoRemediate,
                },
            ]),
        ),
        policyGroups: config.policyGroups.map((group) => ({ environment: group.environment, stacks: group.stacks, config: group.source })),
        ciTeams: Object.fromEntries(environments.map((environment) => [environment, ciTeamName(environment)])),
        // Organization settings no resource manages (deployment/ciAccess.ts): set once by an admin.
        manualSteps: MANUAL_ORG_SETTINGS.map((step) => `${step.where}: ${step.setting} = ${step.value} (${step.why})`),
    };
}

/**
 * The one-time IAM bootstrap, run by an administrator: per account a provider assuming the
 * bootstrap role (OrganizationAccountAccessRole unless overridden), the Pulumi OIDC provider in
 * each central account, and each stack's DeployerRoles.
 */
function bootstrapIam(config: DeploymentConfig): Map<string, DeployerRoles> {
    const centralIds = [...new Set(config.stacks.map((target) => target.centralAccountId))].sort();
    const accountIds = [...new Set([...centralIds, ...config.stacks.flatMap((target) => target.deploymentRoles.map((role) => role.accountId))])].sort();
    const providers = new Map(
        accountIds.map((accountId) => [
            accountId,
            new AwsProvider(`aws-${accountId}`, {
                region: config.bootstrap.region,
                assumeRoles: [{ roleArn: config.bootstrap.roleArns[accountId] ?? `arn:aws:iam::${accountId}:role/${config.bootstrap.roleName}`, sessionName: `${config.project}-bootstrap` }],
                allowedAccountIds: [accountId],
                defaultTags: { tags: { ManagedBy: "pulumi", Project: config.project, Purpose: "ci-access" } },
            }),
        ]),
    );
    // IAM allows one provider per issuer URL per account; both stacks share it when they share an
    // account. Its ARN is deterministic, so the roles name it directly.
    const oidcProviders = new Map(
        config.bootstrap.createOidcProvider
            ? centralIds.map((accountId) => [
                  accountId,
                  new OpenIdConnectProvider(`pulumi-oidc-${accountId}`, { url: PULUMI_OIDC_ISSUER_URL, clientIdLists: [awsAudience(config.organization)] }, { provider: providers.get(accountId) }),
              ])
            : [],
    );
    // The program permissions boundary: one per account under a fixed name, shared by every stack
    // that uses the account (issue 14, H1; components/identity/boundaryDocuments.ts).
    const boundaries = new ProgramBoundaries("program-boundary", { scopes: programBoundaryScopes(config.stacks, config.project), providers });
    return new Map(
        config.stacks.map((target: StackTarget) => [
            target.stack,
            new DeployerRoles(`${target.stack}-iam`, {
                organization: config.organization,
                project: config.project,
                boundaryPolicies: boundaries.policies,
                stack: target.stack,
                centralAccountId: target.centralAccountId,
                oidcRoleName: target.oidcRoleName,
                oidcSubject: target.escSubject,
                maxSessionDurationSeconds: target.maxSessionDurationSeconds,
                deploymentRoles: target.deploymentRoles.map((role) => ({ accountId: role.accountId, alias: role.alias, roleName: role.roleName, rolePath: role.rolePath })),
                automationRoleNames: target.automationRoleNames,
                organizationMode: target.organizationMode,
                ...(target.quickSightDashboardAccountId === undefined ? {} : { quickSightDashboardAccountId: target.quickSightDashboardAccountId }),
                providers,
                ...(oidcProviders.has(target.centralAccountId) ? { oidcProvider: oidcProviders.get(target.centralAccountId) } : {}),
            }),
        ]),
    );
}
