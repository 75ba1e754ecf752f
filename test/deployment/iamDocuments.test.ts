import { strict as assert } from "node:assert";
import type { PolicyStatement } from "../../components/identity/iamDocuments";
import {
    boundaryPolicyName,
    deploymentRoleBoundary,
    deploymentRoleIamPolicy,
    deploymentRoleTrust,
    oidcRolePolicy,
    oidcRoleTrust,
    PASS_ROLE_SERVICES,
} from "../../deployment/iamDocuments";
import { awsAudience, escSubject, githubRepository, pulumiOidcProviderArn } from "../../deployment/oidcClaims";

const CENTRAL = "111111111111";
const SUBJECT = escSubject("acme", "multicloud-patching", "aws-azure-oidc-prod");

function statement(document: { Statement: readonly PolicyStatement[] }, sid: string): PolicyStatement {
    const found = document.Statement.find((s) => s.Sid === sid);
    assert.ok(found, `no statement ${sid}; have ${document.Statement.map((s) => s.Sid).join(", ")}`);
    return found;
}

const asList = (value: string | readonly string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);

/** IAM's managed-policy limit counts characters without whitespace. */
const policySize = (document: unknown) => JSON.stringify(document).replace(/\s/g, "").length;

describe("deployment/oidcClaims", () => {
    it("builds the ESC subject of subjectAttributes [currentEnvironment.name] and the aws: audience", () => {
        assert.equal(SUBJECT, "pulumi:environments:pulumi.organization.login:acme:currentEnvironment.name:multicloud-patching/aws-azure-oidc-prod");
        assert.equal(awsAudience("acme"), "aws:acme");
        assert.equal(pulumiOidcProviderArn(CENTRAL), "arn:aws:iam::111111111111:oidc-provider/api.pulumi.com/oidc");
    });

    it("derives owner/repo from the clone URL, with or without .git", () => {
        assert.deepEqual([githubRepository("https://github.com/acme/multicloud-patching.git"), githubRepository("https://github.com/acme/mp")], ["acme/multicloud-patching", "acme/mp"]);
    });
});

describe("deployment/iamDocuments: the OIDC role", () => {
    const trust = oidcRoleTrust(CENTRAL, "acme", SUBJECT);

    it("trusts only web identities of Pulumi's issuer in its own account", () => {
        assert.equal(trust.Statement.length, 1);
        const only = trust.Statement[0];
        assert.deepEqual([only.Effect, only.Action, only.Principal], ["Allow", "sts:AssumeRoleWithWebIdentity", { Federated: pulumiOidcProviderArn(CENTRAL) }]);
    });

    it("requires this organization's AWS audience and exactly the stack's ESC subject (no wildcard)", () => {
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "api.pulumi.com/oidc:aud": "aws:acme", "api.pulumi.com/oidc:sub": SUBJECT } });
        assert.ok(!JSON.stringify(trust).includes("*"), "a wildcard would admit other environments");
    });

    it("may only assume the listed deployment roles", () => {
        const arns = ["arn:aws:iam::222222222222:role/d", "arn:aws:iam::111111111111:role/d", "arn:aws:iam::222222222222:role/d"];
        assert.deepEqual(oidcRolePolicy(arns).Statement, [{ Sid: "AssumeThisStacksDeploymentRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: ["arn:aws:iam::111111111111:role/d", "arn:aws:iam::222222222222:role/d"] }]);
    });
});

describe("deployment/iamDocuments: the deployment roles", () => {
    const oidcRole = "arn:aws:iam::111111111111:role/multicloud-patching-oidc-prod";

    it("trust exactly the stack's OIDC role, not an account root", () => {
        assert.deepEqual(deploymentRoleTrust(oidcRole).Statement, [{ Sid: "ThisStacksOidcRole", Effect: "Allow", Principal: { AWS: oidcRole }, Action: "sts:AssumeRole" }]);
    });

    it("write IAM only under the program's names, in their own account", () => {
        const document = deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: ["AWS-SystemsManager-AutomationExecutionRole"] });
        for (const s of document.Statement.filter((s) => s.Sid !== "ReadIam")) {
            for (const resource of asList(s.Resource)) {
                assert.match(resource, /^arn:aws:iam::222222222222:(role|instance-profile|policy)\/(patching-\*|AWS-SystemsManager-AutomationExecutionRole)$/, `${s.Sid}: ${resource}`);
            }
        }
        assert.deepEqual(asList(statement(document, "ReadIam").Action), ["iam:Get*", "iam:List*"]);
    });

    it("attach only the managed policies the components attach", () => {
        const attach = statement(deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: [] }), "AttachOnlyTheProgramsManagedPolicies");
        assert.deepEqual(attach.Condition?.ArnLike?.["iam:PolicyARN"], [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole",
            "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
            "arn:aws:iam::222222222222:policy/patching-*",
        ]);
    });

    it("pass their roles only to the services that take them", () => {
        const pass = statement(deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: [] }), "PassProgramRolesToTheirServices");
        assert.deepEqual(pass.Condition, { StringEquals: { "iam:PassedToService": [...PASS_ROLE_SERVICES] } });
    });
});

describe("deployment/iamDocuments: the permissions boundary", () => {
    const boundary = deploymentRoleBoundary({ accountId: CENTRAL, deploymentRoleName: "multicloud-patching-deployer", oidcRoleName: "multicloud-patching-oidc-prod" });
    const denied = (sid: string) => asList(statement(boundary, sid).Action);

    it("fits IAM's 6,144-character managed-policy limit", () => {
        assert.ok(policySize(boundary) <= 6144, `${policySize(boundary)} characters`);
    });

    it("denies long-lived credentials and identity-provider changes everywhere", () => {
        assert.ok(denied("NoLongLivedCredentials").includes("iam:CreateAccessKey") && denied("NoLongLivedCredentials").includes("iam:CreateUser"));
        assert.ok(denied("NoIdentityProviderChanges").includes("iam:CreateOpenIDConnectProvider"));
        assert.deepEqual([statement(boundary, "NoLongLivedCredentials").Resource, statement(boundary, "NoIdentityProviderChanges").Resource], ["*", "*"]);
    });

    it("protects the deployment role, the OIDC role and the boundary itself from the role", () => {
        assert.deepEqual(statement(boundary, "NoChangesToDeploymentAccess").Resource, [
            "arn:aws:iam::111111111111:role/multicloud-patching-deployer",
            "arn:aws:iam::111111111111:role/multicloud-patching-oidc-prod",
        ]);
        assert.ok(denied("NoChangesToDeploymentAccess").includes("iam:UpdateAssumeRolePolicy") && denied("NoChangesToDeploymentAccess").includes("iam:DeleteRolePermissionsBoundary"));
        assert.equal(statement(boundary, "NoChangesToThisBoundary").Resource, `arn:aws:iam::111111111111:policy/${boundaryPolicyName("multicloud-patching-deployer")}`);
    });

    it("denies role chaining, organization writes and CloudTrail tampering, but not reads", () => {
        assert.deepEqual(denied("NoRoleChaining"), ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]);
        const org = denied("NoOrganizationChanges");
        assert.ok(org.includes("organizations:Leave*") && org.includes("account:Close*"));
        assert.ok(!org.some((action) => /:(Describe|List|Get)/.test(action)), "reads stay allowed");
        assert.ok(denied("NoAuditTampering").includes("cloudtrail:StopLogging"));
    });

    it("omits the OIDC role where it does not live", () => {
        const member = deploymentRoleBoundary({ accountId: "222222222222", deploymentRoleName: "multicloud-patching-deployer" });
        assert.deepEqual(statement(member, "NoChangesToDeploymentAccess").Resource, ["arn:aws:iam::222222222222:role/multicloud-patching-deployer"]);
    });
});

describe("deployment role: passes every role the program hands to a service", () => {
    it("covers the services of every role-carrying resource in both stacks", async () => {
        const { evaluatedStack } = await import("../fixtures/programEvaluations");
        // Resource type (with a role input) → the service PassRole is checked for.
        const passedTo: Record<string, string> = {
            "aws:cloudwatch/eventTarget:EventTarget": "events.amazonaws.com",
            "aws:lambda/function:Function": "lambda.amazonaws.com",
            "aws:scheduler/schedule:Schedule": "scheduler.amazonaws.com",
            "aws:cfg/recorder:Recorder": "config.amazonaws.com",
            "aws:ssm/activation:Activation": "ssm.amazonaws.com",
        };
        for (const stack of ["dev", "prod"]) {
            const evaluation = await evaluatedStack(stack);
            for (const resource of evaluation.recorder.resources) {
                const service = passedTo[resource.type];
                const carriesRole = /"(roleArn|role|iamRole)":"/.test(JSON.stringify(resource.inputs));
                if (service !== undefined && carriesRole) {
                    assert.ok((PASS_ROLE_SERVICES as readonly string[]).includes(service), `${stack}: ${resource.name} passes a role to ${service}`);
                }
            }
        }
    });
});
