import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ciTeamName, GITHUB_PRODUCTION_ENVIRONMENT, githubIssuerPolicies, githubSubjectsFor, MANUAL_ORG_SETTINGS } from "../../deployment/ciAccess";
import { ROOT } from "./fixtures";

const REPO = "acme-platform/multicloud-patching";
const policies = githubIssuerPolicies("acme-platform", REPO, "main", ["dev", "prod"]);
const teamsFor = (sub: string) => policies.filter((policy) => policy.rules.sub === sub).map((policy) => policy.teamName);

describe("deployment/ciAccess: GitHub OIDC subjects → team tokens (issue 14, C1)", () => {
    it("maps exactly three subjects, each to one team: production → ci-prod, pull_request and main → ci-dev", () => {
        assert.deepEqual(
            policies.map((policy) => [policy.rules.sub, policy.teamName]),
            [
                [`repo:${REPO}:pull_request`, "ci-dev"],
                [`repo:${REPO}:ref:refs/heads/main`, "ci-dev"],
                [`repo:${REPO}:environment:production`, "ci-prod"],
            ],
        );
    });

    it("gives the prod team only to the production environment's subject, and that subject only the prod team", () => {
        assert.deepEqual(
            policies.filter((policy) => policy.teamName === ciTeamName("prod")).map((policy) => policy.rules.sub),
            [`repo:${REPO}:environment:${GITHUB_PRODUCTION_ENVIRONMENT}`],
        );
        assert.deepEqual(teamsFor(`repo:${REPO}:environment:production`), ["ci-prod"]);
        for (const sub of [`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/main`]) {
            assert.deepEqual(teamsFor(sub), ["ci-dev"], sub);
        }
    });

    it("issues team tokens only: no organization or personal token, no admin permissions", () => {
        for (const policy of policies) {
            assert.deepEqual([policy.decision, policy.tokenType, "authorizedPermissions" in policy, "userLogin" in policy], ["allow", "team", false, false]);
            assert.equal(policy.rules.aud, "urn:pulumi:org:acme-platform");
        }
    });

    it("uses no wildcard in any claim rule (a pushed branch or another environment matches nothing)", () => {
        for (const policy of policies) {
            for (const [claim, value] of Object.entries(policy.rules)) {
                assert.ok(!/[*?]/.test(value), `${claim} ${value}`);
            }
        }
        const anyBranch = `repo:${REPO}:ref:refs/heads/feature/steal`;
        const otherEnvironment = `repo:${REPO}:environment:development`;
        assert.deepEqual([teamsFor(anyBranch), teamsFor(otherEnvironment)], [[], []]);
    });

    it("follows the configured deployment branch and leaves out environments no stack uses", () => {
        assert.deepEqual(githubSubjectsFor("dev", REPO, "trunk"), [`repo:${REPO}:pull_request`, `repo:${REPO}:ref:refs/heads/trunk`]);
        assert.deepEqual(githubIssuerPolicies("acme-platform", REPO, "main", ["dev"]).map((policy) => policy.teamName), ["ci-dev", "ci-dev"]);
    });
});

describe("deployment/ciAccess: the organization settings no resource manages", () => {
    it("sets the default environment permission to none (no @pulumi/pulumiservice 1.3.0 resource exists for it)", () => {
        const defaultEnvironment = MANUAL_ORG_SETTINGS.find((step) => step.setting === "Default environment permission");
        assert.equal(defaultEnvironment?.value, "none");
    });

    it("are documented in README 'Running in CI', each with its value", () => {
        const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Running in CI"), readme.indexOf("\n## ", readme.indexOf("## Running in CI") + 1));
        for (const step of MANUAL_ORG_SETTINGS) {
            assert.ok(section.includes(`${step.setting}: \`${step.value}\``), `README "Running in CI" states "${step.setting}: \`${step.value}\`"`);
        }
    });
});
