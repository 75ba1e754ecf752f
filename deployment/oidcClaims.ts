/**
 * The OpenID Connect values both sides of a trust must agree on, in one place.
 *
 * Pulumi Cloud as an issuer (ESC `fn::open::aws-login` / `fn::open::azure-login`), per
 * https://www.pulumi.com/docs/esc/guides/configuring-oidc/ ("Default token claim", "Custom token
 * claim") and its AWS / Azure pages:
 * - issuer `https://api.pulumi.com/oidc`;
 * - audience `aws:<org>` for AWS and `azure:<org>` for Azure (just `<org>` only for environments
 *   in the legacy `default` project, and for Deployments' own OIDC);
 * - subject, with `subjectAttributes: [currentEnvironment.name]`:
 *   `pulumi:environments:pulumi.organization.login:<org>:currentEnvironment.name:<project>/<env>`.
 *   Without subjectAttributes an environment imported by a stack presents
 *   `pulumi:environments:org:<org>:env:<yaml>` — the same literal for every environment
 *   (pulumi/pulumi#14509) — so a trust policy could not tell dev from prod.
 *
 * GitHub Actions as an issuer of Pulumi access tokens (pulumi/auth-actions), per
 * https://www.pulumi.com/docs/administration/guides/oidc-issuers/github/: audience
 * `urn:pulumi:org:<org>`, subject `repo:<owner>/<repo>:…` (exact per environment: see deployment/ciAccess.ts).
 */

export const PULUMI_OIDC_ISSUER_URL = "https://api.pulumi.com/oidc";
/** The issuer without scheme: the IAM provider's name and the prefix of its condition keys. */
export const PULUMI_OIDC_ISSUER_HOST = "api.pulumi.com/oidc";
export const GITHUB_OIDC_ISSUER_URL = "https://token.actions.githubusercontent.com";

/** The subject attribute the ESC environments set, so each environment has its own subject. */
export const ESC_SUBJECT_ATTRIBUTES = ["currentEnvironment.name"] as const;

export function awsAudience(organization: string): string {
    return `aws:${organization}`;
}

export function azureAudience(organization: string): string {
    return `azure:${organization}`;
}

/** The subject ESC presents for an environment with `subjectAttributes: [currentEnvironment.name]`. */
export function escSubject(organization: string, escProject: string, escEnvironment: string): string {
    return `pulumi:environments:pulumi.organization.login:${organization}:currentEnvironment.name:${escProject}/${escEnvironment}`;
}

/** IAM names an OIDC provider after its URL without the scheme; one per URL per account. */
export function pulumiOidcProviderArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:oidc-provider/${PULUMI_OIDC_ISSUER_HOST}`;
}

export function githubPulumiAudience(organization: string): string {
    return `urn:pulumi:org:${organization}`;
}

/**
 * GitHub's `sub` claim with the default subject template
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims):
 * a job that names an environment presents `repo:<owner>/<repo>:environment:<name>` whatever
 * the event; otherwise a `pull_request` run presents `repo:<owner>/<repo>:pull_request` and a
 * push presents `repo:<owner>/<repo>:ref:refs/heads/<branch>`. Exact values only: a wildcard
 * (`repo:<owner>/<repo>:*`) would let a workflow on any pushed branch exchange its token.
 */
export function githubEnvironmentSubject(ownerAndRepo: string, environment: string): string {
    return `repo:${ownerAndRepo}:environment:${environment}`;
}

export function githubPullRequestSubject(ownerAndRepo: string): string {
    return `repo:${ownerAndRepo}:pull_request`;
}

export function githubBranchSubject(ownerAndRepo: string, branch: string): string {
    return `repo:${ownerAndRepo}:ref:refs/heads/${branch}`;
}

/** `https://github.com/acme/multicloud-patching.git` → `acme/multicloud-patching` */
export function githubRepository(url: string): string {
    return url.replace(/^https:\/\/github\.com\//, "").replace(/\.git$/, "");
}
