import cronValidate from "cron-validate";
import { z } from "zod";
import { record, text, type Phrase } from "../stacks/config/vocabulary";

/**
 * The shape of the deployment program's stack configuration (deployment/Pulumi.<stack>.yaml),
 * field by field. Every field names what is allowed, so a bad value reads
 * `stacks.prod.driftSchedule: "0 6 * *" is not a 5-field cron expression …` (the format of
 * stacks/config/errors.ts). Rules relating this file to the main project's files live in config.ts.
 */

/** Defaults shared by the schema, the program, the docs and the tests. */
export const DEPLOYMENT_DEFAULTS = {
    project: "multicloud-patching",
    escEnvironment: (stack: string) => `aws-azure-oidc-${stack}`,
    oidcRoleName: (stack: string) => `multicloud-patching-oidc-${stack}`,
    /** ESC aws-login session; the OIDC role's maxSessionDuration is raised to match (AWS default 1h). */
    sessionDuration: "2h",
    sessionDurationSeconds: 7200,
    /** Daily drift detection at 06:00 UTC, after the night's patch windows. */
    driftSchedule: "0 6 * * *",
    /** Weekly `pulumi refresh` on Monday 05:00 UTC. */
    refreshSchedule: "0 5 * * 1",
    /**
     * What a push must touch to deploy (Deployments `paths` filter): the program, not docs or CI —
     * everything it imports or reads at run time (scripts/ssm-agent/**: the Azure agent scripts and
     * the agent's signing key; tsconfig.json: tsx and esbuild compile with it). test/tools/ciTruths
     * derives the folders from the import graph and the files the program opens.
     */
    deployPaths: ["index.ts", "Pulumi.yaml", "Pulumi.*.yaml", "package.json", "package-lock.json", "tsconfig.json", "catalog/**", "components/**", "stacks/**", "lambda/**", "scripts/**", "policies/**"],
    environmentVariables: { CI: "true", NPM_CONFIG_AUDIT: "false", NPM_CONFIG_FUND: "false", PULUMI_SKIP_UPDATE_CHECK: "true" },
    policyPack: { name: "multicloud-patching", directory: "policies", publish: true },
    bootstrap: { enabled: true, roleName: "OrganizationAccountAccessRole", region: "us-east-1", createOidcProvider: true },
    githubActions: { registerOidcIssuer: true },
    driftWebhookFormats: ["slack", "ms_teams", "raw"],
} as const;

function flag(what: Phrase) {
    return z.boolean({ error: (issue) => (issue.input === undefined ? `missing; expected a boolean (${what})` : `is not a boolean (${what})`) });
}

/** Standard 5-field cron (minute hour day-of-month month day-of-week), UTC, as Pulumi Cloud schedules take. */
const CRON = z
    .string({ error: "is not a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. 0 6 * * *" })
    .refine((value) => cronValidate(value).isValid(), { error: "is not a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. 0 6 * * *" });

export const ACCOUNT_ID = text(/^\d{12}$/, "a 12-digit AWS account id");
const UUID = text(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID");
/** Pulumi organization logins: letters, digits, hyphens, underscores and dots. */
const ORGANIZATION = text(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "a Pulumi organization name (letters, digits, ., _ and -)");
const PROJECT = text(/^[A-Za-z0-9._-]{1,100}$/, "a Pulumi project name (letters, digits, ., _ and -)");
const ENV_NAME = text(/^[A-Za-z0-9._-]{1,100}$/, "an ESC environment name (letters, digits, ., _ and -)");
const IAM_ROLE_NAME = text(/^[\w+=,.@-]{1,64}$/, "an IAM role name (1-64 of letters, digits and +=,.@_-)");
const ROLE_ARN = text(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)");
const GITHUB_URL = text(/^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?$/, "a GitHub HTTPS clone URL (https://github.com/<owner>/<repo>.git)");
const BRANCH = text(/^(?!\/|.*\/\/|.*\.\.|refs\/)[A-Za-z0-9._/-]{1,200}$/, "a branch name without refs/heads/ (e.g. main)");
const REGION = text(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS Region name (e.g. us-east-1)");
const DURATION = text(/^([1-9]\d*h)?([1-9]\d*m)?$/, "a session duration such as 1h, 2h or 90m").refine((value) => value !== "", { error: "is not a session duration such as 1h, 2h or 90m" });
const PATH_GLOB = text(/^[^\s]{1,200}$/, "a repository path glob (e.g. components/**)");
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const azureIdentity = record(
    { clientId: UUID, tenantId: UUID, subscriptionId: UUID },
    "the Azure app registration the stack signs in as: {clientId, tenantId, subscriptionId}",
);

const stackSettings = record(
    {
        centralAccountId: ACCOUNT_ID,
        escEnvironment: ENV_NAME.optional(),
        oidcRoleName: IAM_ROLE_NAME.optional(),
        sessionDuration: DURATION.optional(),
        azure: azureIdentity.optional(),
        previewPullRequests: flag("true to preview every pull request with Pulumi Deployments").optional(),
        deployOnPush: flag("true to run pulumi up on every push to the branch").optional(),
        deployPaths: z.array(PATH_GLOB, { error: "is not a list of repository path globs" }).min(1, { error: "is not a non-empty list of repository path globs" }).optional(),
        driftSchedule: CRON.optional(),
        driftAutoRemediate: flag("true to run pulumi up when drift is found"),
        refreshSchedule: CRON.optional(),
    },
    "the settings of one stack: {centralAccountId, driftAutoRemediate, …}",
);

export const deploymentConfigSchema = record(
    {
        organization: ORGANIZATION,
        project: PROJECT.default(DEPLOYMENT_DEFAULTS.project),
        escProject: PROJECT.optional(),
        executorImage: text(/^[\w./:@-]{1,300}$/, "a container image reference").optional(),
        driftWebhookFormat: z.enum(DEPLOYMENT_DEFAULTS.driftWebhookFormats, { error: `is not one of ${DEPLOYMENT_DEFAULTS.driftWebhookFormats.join(", ")}` }).optional(),
        repository: record({ url: GITHUB_URL, branch: BRANCH }, "the repository Deployments clones: {url, branch}"),
        environmentVariables: z
            .record(z.string().regex(ENV_VAR_NAME, { error: "is not an environment variable name" }), z.string({ error: "is not a string (quote numbers and booleans)" }), {
                error: "is not a map of environment variable names to strings",
            })
            .optional(),
        policyPack: record(
            {
                name: text(/^[a-z0-9][a-z0-9-]{0,99}$/, "a policy pack name (as policies/index.ts constructs the PolicyPack)").optional(),
                versionTag: text(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "a semantic version (e.g. 0.1.0) of the published pack"),
                publish: flag("true to publish policies/ as this version").optional(),
                directory: text(/^[\w./-]{1,200}$/, "a directory relative to the repository root").optional(),
            },
            "the policy pack to enforce: {versionTag, name?, publish?, directory?}",
        ),
        bootstrap: record(
            {
                enabled: flag("true to create the OIDC provider and deployment roles").optional(),
                roleName: IAM_ROLE_NAME.optional(),
                roleArns: z.record(z.string().regex(/^\d{12}$/, { error: "is not a 12-digit AWS account id" }), ROLE_ARN, { error: "is not a map of account id to role ARN" }).optional(),
                region: REGION.optional(),
                createOidcProvider: flag("false when the account already has the api.pulumi.com/oidc provider").optional(),
            },
            "the IAM bootstrap settings",
        ).optional(),
        githubActions: record({ registerOidcIssuer: flag("true to register GitHub Actions as an OIDC issuer of the organization") }, "{registerOidcIssuer}").optional(),
        stacks: z
            .record(text(/^[A-Za-z0-9._-]{1,100}$/, "a stack name"), stackSettings, { error: (issue) => (issue.input === undefined ? "missing; expected a map of stack name to settings (dev, prod)" : "is not a map of stack name to settings") })
            .refine((stacks) => Object.keys(stacks).length > 0, { error: "is empty; configure at least one stack" }),
    },
    "the deployment configuration",
);

export type RawDeploymentConfig = z.infer<typeof deploymentConfigSchema>;
export type RawStackSettings = z.infer<typeof stackSettings>;

/** Keys whose value is structured (reaches the program as JSON text). */
export const STRUCTURED_KEYS = ["repository", "environmentVariables", "policyPack", "bootstrap", "githubActions", "stacks"] as const;
