import { githubBranchSubject, githubEnvironmentSubject, githubPullRequestSubject, githubPulumiAudience } from "./oidcClaims";

/**
 * Who in CI may reach which stack's cloud credentials, as pure data (issue 14, C1).
 *
 * One Pulumi Cloud team per environment (`ci-dev`, `ci-prod`), no human members. A team may
 * `open` only its own environments' ESC environments and write only its own stacks; with the
 * organization's default environment permission at `none` (a manual setting: see
 * MANUAL_ORG_SETTINGS) nobody else but org admins can open them. GitHub Actions gets a team token
 * through OIDC (pulumi/auth-actions, `requested-token-type: urn:pulumi:token-type:access_token:team`,
 * `scope: team:<name>`); the issuer's policies map exact GitHub subjects to exactly one team each:
 * - `repo:<owner>/<repo>:environment:production` → `ci-prod` only. GitHub puts the environment in
 *   the subject of every job that names one, and the `production` environment's protection rules
 *   (required reviewers, deployment branch main) run before the job gets its token.
 * - `repo:<owner>/<repo>:pull_request` and `repo:<owner>/<repo>:ref:refs/heads/<branch>` → `ci-dev`.
 * No wildcard: a workflow pushed on any other branch, or one that names another environment, gets
 * no token at all. Docs: https://www.pulumi.com/docs/administration/guides/oidc-issuers/github/
 * ("Team tokens") and https://www.pulumi.com/docs/esc/administration/access-control/.
 */

/** The environments a main stack may have (`multicloud-patching:environment`). */
export type CiEnvironment = "dev" | "prod";

/** The team whose token runs an environment's stacks (the team's name is its slug). */
export function ciTeamName(environment: CiEnvironment): string {
    return `ci-${environment}`;
}

/** The GitHub environment whose jobs (and only those) may get the prod team token. */
export const GITHUB_PRODUCTION_ENVIRONMENT = "production";

/** ESC permission of a CI team on its environments: open (which includes read), no write. */
export const CI_ENVIRONMENT_PERMISSION = "open" as const;

/** TeamStackPermissionScope Edit (102): `pulumi up` needs write on the stack; admin is not needed. */
export const CI_STACK_PERMISSION = 102 as const;

/** One authorization policy of the GitHub OIDC issuer (pulumiservice AuthPolicyDefinition). */
export interface GithubTokenPolicy {
    readonly decision: "allow";
    readonly tokenType: "team";
    readonly teamName: string;
    readonly rules: { readonly aud: string; readonly sub: string };
}

/** Exact GitHub subjects that may exchange their token for an environment's team token. */
export function githubSubjectsFor(environment: CiEnvironment, ownerAndRepo: string, branch: string): readonly string[] {
    return environment === "prod"
        ? [githubEnvironmentSubject(ownerAndRepo, GITHUB_PRODUCTION_ENVIRONMENT)]
        : [githubPullRequestSubject(ownerAndRepo), githubBranchSubject(ownerAndRepo, branch)];
}

/**
 * The issuer's policies for the environments the configured stacks use: one policy per subject,
 * each naming one team. No organization or personal token is ever issued to GitHub.
 */
export function githubIssuerPolicies(organization: string, ownerAndRepo: string, branch: string, environments: readonly CiEnvironment[]): GithubTokenPolicy[] {
    const order: CiEnvironment[] = ["dev", "prod"];
    return order
        .filter((environment) => environments.includes(environment))
        .flatMap((environment) =>
            githubSubjectsFor(environment, ownerAndRepo, branch).map((sub) => ({
                decision: "allow" as const,
                tokenType: "team" as const,
                teamName: ciTeamName(environment),
                rules: { aud: githubPulumiAudience(organization), sub },
            })),
        );
}

/** An organization setting no resource of @pulumi/pulumiservice 1.3.0 manages: set it by hand. */
export interface ManualSetting {
    readonly where: string;
    readonly setting: string;
    readonly value: string;
    readonly why: string;
}

/**
 * @pulumi/pulumiservice 1.3.0 has Team, TeamEnvironmentPermission, TeamStackPermission,
 * TeamAccessToken and OidcIssuer, but no resource for the organization-wide default permissions
 * (nor for GitHub environments), so these are set once by an admin. The program exports them
 * (`pulumi stack output manualSteps`) and README "Running in CI" lists them.
 */
export const MANUAL_ORG_SETTINGS: readonly ManualSetting[] = [
    {
        where: "Pulumi Cloud → Settings → Access Management",
        setting: "Default environment permission",
        value: "none",
        why: "members get write on every ESC environment by default, prod included; with none only the ci-<env> team (and org admins) can open a stack's credentials",
    },
    {
        where: "Pulumi Cloud → Settings → Access Management",
        setting: "Default stack permission",
        value: "read",
        why: "prod's deployment settings hold the ci-prod team token; whoever can write them could point a prod deployment at another branch",
    },
    {
        where: `GitHub → Settings → Environments → ${GITHUB_PRODUCTION_ENVIRONMENT}`,
        setting: "Deployment protection rules",
        value: "required reviewers; deployment branches: main only",
        why: "a job naming this environment is the only one Pulumi Cloud gives a ci-prod token",
    },
];
