import { strict as assert } from "node:assert";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../components/identity/policySize";
import type { PolicyStatement } from "../../components/identity/iamDocuments";
import {
    DEFAULT_PROJECT,
    deploymentPolicyName,
    deploymentRoleIamPolicy,
    deploymentRoleServicesPolicy,
    deploymentRoleTrust,
    oidcRolePolicy,
    oidcRoleTrust,
    PASS_ROLE_SERVICES,
    programBoundaryScopes,
} from "../../deployment/iamDocuments";
import { programBoundary } from "../../components/identity/boundaryDocuments";
import { awsAudience, escSubject, githubRepository, pulumiOidcProviderArn } from "../../deployment/oidcClaims";
import { decideAll } from "../support/iamSimulation";

const CENTRAL = "111111111111";
const SUBJECT = escSubject("acme", "multicloud-patching", "aws-azure-oidc-prod");

function statement(document: { Statement: readonly PolicyStatement[] }, sid: string): PolicyStatement {
    const found = document.Statement.find((s) => s.Sid === sid);
    assert.ok(found, `no statement ${sid}; have ${document.Statement.map((s) => s.Sid).join(", ")}`);
    return found;
}

const asList = (value: string | readonly string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);

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

    it("lets IAM accept only the OIDC role as the caller (iam-simulate)", async () => {
        const assume = (label: string, principal: string) => ({ label, principal, action: "sts:AssumeRole", resource: "arn:aws:iam::222222222222:role/multicloud-patching-deployer", resourceAccount: "222222222222" });
        // Cross-account: each caller holds an identity grant to assume any role, so the trust alone decides.
        const anyRole = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] } as const;
        assert.deepEqual(
            await decideAll({ identity: [anyRole], resourcePolicy: deploymentRoleTrust(oidcRole) }, [
                assume("the OIDC role", oidcRole),
                assume("another role of the central account", "arn:aws:iam::111111111111:role/other"),
                assume("the central account root", "arn:aws:iam::111111111111:root"),
            ]),
            { "the OIDC role": "Allowed", "another role of the central account": "ImplicitlyDenied", "the central account root": "ImplicitlyDenied" },
        );
    });

    it("write IAM only under the program's names, in their own account", () => {
        const document = deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: ["AWS-SystemsManager-AutomationExecutionRole"] });
        for (const s of document.Statement) {
            for (const resource of asList(s.Resource)) {
                // A Deny only narrows (issue 19: the Config aggregator's role passed to Config only); it names one program role.
                const pattern = s.Effect === "Allow" ? /^arn:aws:iam::222222222222:(role|instance-profile|policy)\/(patching-\*|AWS-SystemsManager-AutomationExecutionRole)$/ : /^arn:aws:iam::222222222222:role\/patching-[a-z-]+$/;
                assert.match(resource, pattern, `${s.Sid}: ${resource}`);
            }
        }
    });

    it("create roles, give them policies or a boundary only with the program boundary (iam:PermissionsBoundary)", () => {
        const document = deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: [] });
        const withBoundary = document.Statement.filter((s) => asList(s.Action).some((a) => /^iam:(CreateRole|PutRolePolicy|AttachRolePolicy|DetachRolePolicy|DeleteRolePolicy|PutRolePermissionsBoundary)$/.test(a)));
        assert.ok(withBoundary.length > 0);
        for (const s of withBoundary) {
            assert.equal(s.Condition?.StringEquals?.["iam:PermissionsBoundary"], permissionsBoundaryArn("222222222222"), s.Sid);
        }
        assert.ok(!JSON.stringify(document).includes("DeleteRolePermissionsBoundary"));
    });

    it("attach only the managed policies the components attach (no AmazonSSMAutomationRole any more)", () => {
        const attach = statement(deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: [] }), "AttachOnlyTheProgramsManagedPolicies");
        assert.deepEqual(attach.Condition?.ArnLike?.["iam:PolicyARN"], [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            // The Default Host Management role (issue 15).
            "arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy",
            "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
            "arn:aws:iam::222222222222:policy/patching-*",
        ]);
    });

    it("never change the Automation roles' trust nor delete them (only patching- roles)", () => {
        const trust = statement(deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: ["AWS-SystemsManager-AutomationExecutionRole"] }), "PatchingRolesTrustAndDeletion");
        assert.deepEqual([trust.Action, trust.Resource], [["iam:DeleteRole", "iam:UpdateAssumeRolePolicy"], "arn:aws:iam::222222222222:role/patching-*"]);
    });

    it("pass their roles only to the services that take them, EC2 included (AddRoleToInstanceProfile passes the role)", () => {
        const pass = statement(deploymentRoleIamPolicy({ accountId: "222222222222", extraRoleNames: [] }), "PassProgramRolesToTheirServices");
        assert.deepEqual(pass.Condition, { StringEquals: { "iam:PassedToService": [...PASS_ROLE_SERVICES] } });
        assert.ok((PASS_ROLE_SERVICES as readonly string[]).includes("ec2.amazonaws.com"));
    });

    it("replace PowerUserAccess by a services policy that fits a managed policy, names its policies after the role", () => {
        const [scope] = programBoundaryScopes([{ centralAccountId: CENTRAL, oidcRoleName: "oidc", deploymentRoles: [{ accountId: CENTRAL, roleName: "multicloud-patching-deployer" }], automationRoleNames: [] }]);
        const services = deploymentRoleServicesPolicy(scope);
        assert.ok(policyCharacters(services) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(services)} characters`);
        assert.ok(!JSON.stringify(services).includes('"Action":"*"'));
        assert.equal(deploymentPolicyName("multicloud-patching-deployer", "services"), "multicloud-patching-deployer-services");
    });
});

describe("deployment/iamDocuments: one program boundary per account", () => {
    const stacks = [
        {
            centralAccountId: CENTRAL,
            oidcRoleName: "multicloud-patching-oidc-prod",
            deploymentRoles: [
                { accountId: CENTRAL, roleName: "multicloud-patching-deployer" },
                { accountId: "222222222222", roleName: "multicloud-patching-deployer" },
            ],
            automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
        },
        {
            centralAccountId: "333333333333",
            oidcRoleName: "multicloud-patching-oidc-dev",
            deploymentRoles: [
                { accountId: "333333333333", roleName: "dev-deployer", rolePath: "/ci/" },
                { accountId: "222222222222", roleName: "dev-deployer", rolePath: "/ci/" },
            ],
            automationRoleNames: ["DevAutomationAdministration", "DevAutomationExecution"],
        },
    ];

    it("merges the stacks sharing an account into one scope (the boundary has one fixed name per account)", () => {
        const scopes = programBoundaryScopes(stacks);
        assert.deepEqual(
            scopes.map((scope) => scope.accountId),
            [CENTRAL, "222222222222", "333333333333"],
        );
        const shared = scopes[1];
        assert.deepEqual(shared.automationRoleNames, ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole", "DevAutomationAdministration", "DevAutomationExecution"]);
        assert.deepEqual(shared.deploymentRoles, [
            { roleName: "dev-deployer", rolePath: "/ci/" },
            { roleName: "multicloud-patching-deployer", rolePath: "/" },
        ]);
        assert.equal(shared.project, DEFAULT_PROJECT);
    });

    it("fits IAM's 6,144-character managed-policy limit for a stack's usual names", () => {
        for (const scope of programBoundaryScopes([stacks[0]])) {
            assert.ok(policyCharacters(programBoundary(scope)) <= MANAGED_POLICY_MAX_CHARACTERS, `${scope.accountId}: ${policyCharacters(programBoundary(scope))}`);
        }
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
