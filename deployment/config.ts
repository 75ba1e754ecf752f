import * as pulumi from "@pulumi/pulumi";
import { ConfigError, problemsFromIssues, type ConfigProblem } from "../stacks/config/errors";
import { DEPLOYMENT_DEFAULTS, deploymentConfigSchema, STRUCTURED_KEYS, type RawDeploymentConfig } from "./configSchema";
import { escSubject, githubRepository } from "./oidcClaims";
import { projectFilesAt, type EstateFile, type ProjectFiles } from "./projectFiles";
import { programBoundary } from "../components/identity/boundaryDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../components/identity/policySize";
import { programBoundaryScopes } from "./iamDocuments";

export { ConfigError } from "../stacks/config/errors";

/** A deployment role the main program's provider assumes in one account. */
export interface DeploymentRoleTarget {
    readonly accountId: string;
    readonly alias: string;
    readonly roleArn: string;
    readonly roleName: string;
    /** IAM path of the role (`/` unless the account's deploymentRoleArn has one). */
    readonly rolePath: string;
}

/** Everything the program needs for one main stack, resolved and cross-checked. */
export interface StackTarget {
    readonly stack: string;
    /** The main stack's `environment` (dev | prod): picks the policy group. */
    readonly environment: string;
    readonly escEnvironment: string;
    /** `<escProject>/<escEnvironment>`, as the main stack file imports it. */
    readonly escReference: string;
    readonly escSubject: string;
    readonly centralAccountId: string;
    readonly oidcRoleName: string;
    readonly oidcRoleArn: string;
    readonly sessionName: string;
    readonly sessionDuration: string;
    /** The OIDC role's MaxSessionDuration: the session rounded up to IAM's 1-hour minimum. */
    readonly maxSessionDurationSeconds: number;
    readonly azure?: { readonly clientId: string; readonly tenantId: string; readonly subscriptionId: string };
    readonly previewPullRequests: boolean;
    readonly deployOnPush: boolean;
    readonly deployPaths: readonly string[];
    readonly driftSchedule: string;
    readonly driftAutoRemediate: boolean;
    readonly refreshSchedule: string;
    readonly deploymentRoles: readonly DeploymentRoleTarget[];
    /** Role names beyond `patching-*` the deployment roles may manage (the Automation roles). */
    readonly automationRoleNames: readonly string[];
    /**
     * The stack file has an `organization` block (issue 16): the central account's deployment role
     * manages the member StackSets (components/identity/boundaryStackSets.ts).
     */
    readonly organizationMode: boolean;
    /**
     * The stack file enables the QuickSight dashboard (`reporting.quickSight.enabled`, issue 19 item
     * 3): the main stack's central account, whose boundary and deployment role get its grants
     * (components/identity/boundaryQuickSight.ts). Absent otherwise.
     */
    readonly quickSightDashboardAccountId?: string;
}

export interface PolicyGroupTarget {
    readonly environment: string;
    readonly stacks: readonly string[];
    readonly config: Record<string, unknown>;
    /** The config file read, or the fallback used and why. */
    readonly source: string;
}

export interface DeploymentConfig {
    readonly organization: string;
    readonly project: string;
    readonly escProject: string;
    readonly repository: { readonly url: string; readonly branch: string; readonly gitHub: string };
    readonly executorImage?: string;
    readonly environmentVariables: Readonly<Record<string, string>>;
    readonly policyPack: { readonly name: string; readonly versionTag: string; readonly publish: boolean; readonly directory: string };
    readonly policyGroups: readonly PolicyGroupTarget[];
    readonly githubActions: { readonly registerOidcIssuer: boolean };
    readonly bootstrap: { readonly enabled: boolean; readonly roleName: string; readonly roleArns: Readonly<Record<string, string>>; readonly region: string; readonly createOidcProvider: boolean };
    readonly driftWebhookFormat: "slack" | "ms_teams" | "raw";
    /** `driftWebhookUrl` (a secret): where drift events are posted; none when unset. */
    readonly driftWebhookUrl?: pulumi.Output<string>;
    readonly stacks: readonly StackTarget[];
    /** Things worth saying at `pulumi up` time (e.g. a policy config fell back to a default). */
    readonly warnings: readonly string[];
}

/** Policy enforcement when policies/config.<env>.json is missing: block in prod, report in dev. */
export const FALLBACK_POLICY_CONFIG: Readonly<Record<string, Record<string, unknown>>> = { prod: { all: "mandatory" }, dev: { all: "advisory" } };

/** Reads this stack's configuration once (the only place that touches pulumi.Config). */
export function loadDeploymentConfig(files: ProjectFiles = projectFilesAt()): DeploymentConfig {
    const prefix = `${pulumi.getProject()}:`;
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (fullKey.startsWith(prefix) && fullKey !== `${prefix}driftWebhookUrl`) {
            const key = fullKey.slice(prefix.length);
            raw[key] = (STRUCTURED_KEYS as readonly string[]).includes(key) ? decode(key, value) : value === "" ? undefined : value;
        }
    }
    const driftWebhookUrl = new pulumi.Config().getSecret("driftWebhookUrl");
    return { ...parseDeploymentConfig(raw, files), ...(driftWebhookUrl === undefined ? {} : { driftWebhookUrl }) };
}

function decode(key: string, value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        throw new ConfigError([{ path: key, value, message: "is not a structured value (write it as a YAML mapping in the stack file)" }]);
    }
}

/** Validates raw config against the schema and the repository's files; one line per problem. */
export function parseDeploymentConfig(raw: unknown, files: ProjectFiles): DeploymentConfig {
    const parsed = deploymentConfigSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
        throw new ConfigError(problemsFromIssues(parsed.error.issues));
    }
    const config = parsed.data;
    const mainProject = files.mainProjectName();
    if (config.project !== mainProject) {
        // Every other check reads the main stack files by this name: stop here.
        throw new ConfigError([{ path: "project", value: config.project, message: `is not the main project's name (${mainProject} in Pulumi.yaml)` }]);
    }
    const problems: ConfigProblem[] = [];
    if (config.environmentVariables !== undefined && "PULUMI_ACCESS_TOKEN" in config.environmentVariables) {
        problems.push({ path: "environmentVariables.PULUMI_ACCESS_TOKEN", message: "is set by the program to each stack's CI team token (ci-dev, ci-prod); remove it" });
    }
    const escProject = config.escProject ?? config.project;
    const stacks = Object.entries(config.stacks).flatMap(([stack, settings]) => {
        const estate = files.estate(config.project, stack);
        if (estate === undefined) {
            problems.push({ path: `stacks.${stack}`, message: `has no stack file Pulumi.${stack}.yaml in the repository root` });
            return [];
        }
        return [resolveStack(config, escProject, stack, settings, estate, problems)];
    });
    crossCheckAccounts(stacks, problems);
    checkDashboardBoundaries(stacks, config.project, problems);
    const policyPack = { ...DEPLOYMENT_DEFAULTS.policyPack, ...config.policyPack };
    const warnings: string[] = [];
    const policyGroups = [...new Set(stacks.map((stack) => stack.environment))].sort().map((environment) => policyGroup(files, policyPack.directory, environment, stacks, problems, warnings));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return {
        organization: config.organization,
        project: config.project,
        escProject,
        repository: { ...config.repository, gitHub: githubRepository(config.repository.url) },
        ...(config.executorImage ? { executorImage: config.executorImage } : {}),
        environmentVariables: { ...DEPLOYMENT_DEFAULTS.environmentVariables, ...config.environmentVariables },
        policyPack,
        policyGroups,
        githubActions: { ...DEPLOYMENT_DEFAULTS.githubActions, ...config.githubActions },
        bootstrap: { ...DEPLOYMENT_DEFAULTS.bootstrap, roleArns: {}, ...config.bootstrap },
        driftWebhookFormat: config.driftWebhookFormat ?? "slack",
        stacks,
        warnings,
    };
}

function resolveStack(config: RawDeploymentConfig, escProject: string, stack: string, settings: RawDeploymentConfig["stacks"][string], estate: EstateFile, problems: ConfigProblem[]): StackTarget {
    const at = `stacks.${stack}`;
    const escEnvironment = settings.escEnvironment ?? DEPLOYMENT_DEFAULTS.escEnvironment(stack);
    const escReference = `${escProject}/${escEnvironment}`;
    if (!estate.imports.includes(escReference)) {
        problems.push({ path: `${at}.escEnvironment`, value: escEnvironment, message: `is not imported by ${estate.file}; add \`environment: [${escReference}]\` there, or the stack runs without cloud credentials` });
    }
    if (estate.environment !== "dev" && estate.environment !== "prod") {
        problems.push({ path: at, message: `${estate.file} sets ${config.project}:environment to ${JSON.stringify(estate.environment ?? null)}, not dev or prod; it picks the stack's policy group` });
    }
    if (estate.environment === "prod" && settings.previewPullRequests === true) {
        // A preview runs the pull request's code with the stack's credentials (issue 14, C1).
        problems.push({ path: `${at}.previewPullRequests`, value: true, message: `is not allowed for a prod stack (${estate.file}): a pull-request preview would run the pull request's code with prod credentials; prod is previewed by deploy-prod.yml under the production environment` });
    }
    if (estate.azureTenantIds.length > 0 && settings.azure === undefined) {
        problems.push({ path: `${at}.azure`, message: `missing; ${estate.file} configures Azure subscriptions, so the stack needs an app registration {clientId, tenantId, subscriptionId}` });
    }
    for (const tenant of estate.azureTenantIds) {
        if (settings.azure !== undefined && tenant !== settings.azure.tenantId) {
            problems.push({ path: `${at}.azure.tenantId`, value: settings.azure.tenantId, message: `differs from tenant ${tenant} of an Azure subscription in ${estate.file}; one app registration signs in to its own tenant only` });
        }
    }
    const sessionDuration = settings.sessionDuration ?? DEPLOYMENT_DEFAULTS.sessionDuration;
    if (durationSeconds(sessionDuration) > 43200) {
        problems.push({ path: `${at}.sessionDuration`, value: sessionDuration, message: "is longer than 12h, the most an IAM role session can last" });
    }
    const oidcRoleName = settings.oidcRoleName ?? DEPLOYMENT_DEFAULTS.oidcRoleName(stack);
    const deploymentRoles = estate.accounts.map((account) => deploymentRole(account, estate.deploymentRoleName));
    if (deploymentRoles.some((role) => role.accountId === settings.centralAccountId && role.roleName === oidcRoleName)) {
        problems.push({ path: `${at}.oidcRoleName`, value: oidcRoleName, message: "is also the deployment role name in the central account; the OIDC role and the deployment role must differ" });
    }
    return {
        stack,
        environment: estate.environment ?? "",
        escEnvironment,
        escReference,
        escSubject: escSubject(config.organization, escProject, escEnvironment),
        centralAccountId: settings.centralAccountId,
        oidcRoleName,
        oidcRoleArn: `arn:aws:iam::${settings.centralAccountId}:role/${oidcRoleName}`,
        sessionName: `${config.project}-${stack}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64),
        sessionDuration,
        maxSessionDurationSeconds: Math.min(43200, Math.max(3600, durationSeconds(sessionDuration))),
        ...(settings.azure ? { azure: settings.azure } : {}),
        previewPullRequests: settings.previewPullRequests ?? false,
        deployOnPush: settings.deployOnPush ?? false,
        deployPaths: settings.deployPaths ?? DEPLOYMENT_DEFAULTS.deployPaths,
        driftSchedule: settings.driftSchedule ?? DEPLOYMENT_DEFAULTS.driftSchedule,
        driftAutoRemediate: settings.driftAutoRemediate,
        refreshSchedule: settings.refreshSchedule ?? DEPLOYMENT_DEFAULTS.refreshSchedule,
        deploymentRoles,
        automationRoleNames: estate.automationRoleNames,
        organizationMode: estate.organizationMode === true,
        ...(estate.quickSightDashboardAccountId === undefined ? {} : { quickSightDashboardAccountId: estate.quickSightDashboardAccountId }),
    };
}

/**
 * The QuickSight dashboard's grants (reporting.quickSight.enabled, components/identity/
 * boundaryQuickSight.ts) must fit the boundary of the account it is built in: IAM refuses a managed
 * policy over 6,144 characters, and an organization-mode central account has no room for them. One
 * line per stack here, before any resource is planned (ProgramBoundaries would only throw mid-run).
 */
function checkDashboardBoundaries(stacks: readonly StackTarget[], project: string, problems: ConfigProblem[]): void {
    const scopes = programBoundaryScopes(stacks, project);
    for (const stack of stacks) {
        const scope = scopes.find((candidate) => candidate.accountId === stack.quickSightDashboardAccountId);
        const size = scope === undefined ? 0 : policyCharacters(programBoundary(scope));
        if (size > MANAGED_POLICY_MAX_CHARACTERS) {
            problems.push({
                path: `stacks.${stack.stack}`,
                message:
                    `Pulumi.${stack.stack}.yaml sets reporting.quickSight.enabled: true, whose grants would bring the program boundary of account ${stack.quickSightDashboardAccountId} to ${size} characters, ` +
                    `over IAM's ${MANAGED_POLICY_MAX_CHARACTERS} for a managed policy${stack.organizationMode ? " (an organization-mode central account has no room for them)" : ""}; set it to false there`,
            });
        }
    }
}

/** `2h` → 7200, `90m` → 5400, `1h30m` → 5400 (the schema allows only these forms). */
export function durationSeconds(duration: string): number {
    const [, hours = "0", minutes = "0"] = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(duration) ?? [];
    return Number(hours) * 3600 + Number(minutes) * 60;
}

function deploymentRole(account: { alias: string; id: string; deploymentRoleArn?: string }, defaultName: string): DeploymentRoleTarget {
    const roleArn = account.deploymentRoleArn ?? `arn:aws:iam::${account.id}:role/${defaultName}`;
    const pathAndName = roleArn.slice(roleArn.indexOf(":role/") + ":role".length);
    const cut = pathAndName.lastIndexOf("/");
    return { accountId: account.id, alias: account.alias, roleArn, roleName: pathAndName.slice(cut + 1), rolePath: pathAndName.slice(0, cut + 1) };
}

/**
 * One account serving two stacks under the same role name would need one role trusting both
 * stacks' OIDC roles — dev's pipeline could then act in prod. Refuse it.
 */
function crossCheckAccounts(stacks: readonly StackTarget[], problems: ConfigProblem[]): void {
    const seen = new Map<string, string>();
    for (const stack of stacks) {
        for (const role of stack.deploymentRoles) {
            const other = seen.get(role.roleArn);
            if (other !== undefined && other !== stack.stack) {
                problems.push({ path: `stacks.${stack.stack}`, message: `shares deployment role ${role.roleArn} with stack ${other}; give one stack another deploymentRoleName (or deploymentRoleArn) in its stack file` });
            }
            seen.set(role.roleArn, stack.stack);
        }
    }
}

function policyGroup(files: ProjectFiles, directory: string, environment: string, stacks: readonly StackTarget[], problems: ConfigProblem[], warnings: string[]): PolicyGroupTarget {
    const members = stacks.filter((stack) => stack.environment === environment).map((stack) => stack.stack);
    let file;
    try {
        file = files.policyConfig(directory, environment);
    } catch (error) {
        problems.push({ path: "policyPack.directory", value: directory, message: `config.${environment}.json is not valid JSON: ${(error as Error).message}` });
        return { environment, stacks: members, config: {}, source: "invalid" };
    }
    if (file.values !== undefined) {
        return { environment, stacks: members, config: file.values, source: file.file };
    }
    const fallback = FALLBACK_POLICY_CONFIG[environment] ?? FALLBACK_POLICY_CONFIG["prod"];
    warnings.push(`${file.file} not found: the ${environment} policy group enforces ${JSON.stringify(fallback)} until it exists`);
    return { environment, stacks: members, config: fallback, source: `fallback (${file.file} not found)` };
}
