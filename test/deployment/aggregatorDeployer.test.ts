import { strict as assert } from "node:assert";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { AGGREGATOR_NAMES, organizationAggregatorPolicy } from "../../components/compliance/aggregatorDocuments";
import { programBoundary } from "../../components/identity/boundaryDocuments";
import type { ProgramBoundaryScope } from "../../components/identity/boundaryScope";
import type { PolicyDocument } from "../../components/identity/iamDocuments";
import { deploymentRoleIamPolicy, deploymentRoleServicesPolicy, programBoundaryScopes, type BoundaryStackInput } from "../../deployment/iamDocuments";
import { decide, type Decision, type IamPolicies } from "../support/iamSimulation";

/**
 * Issue 19: the organization-mode central account's deployment role (services policy, IAM policy and
 * the account's boundary, as deployment/iamDocuments renders them) creates the organization Config
 * aggregator and its role — and cannot use that role for anything but AWS Config, nor give itself the
 * role's Organizations read. Both ways, with the IAM simulator.
 */

const CENTRAL = "111111111111";
const REGION = "us-east-1";
const DEPLOYER = `arn:aws:iam::${CENTRAL}:role/multicloud-patching-deployer`;
const AUTOMATION = ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"];
const ROLE = `arn:aws:iam::${CENTRAL}:role/${AGGREGATOR_NAMES.organizationRole}`;
/** PutConfigurationAggregator's resource (SAR Config: config-aggregator/${AggregatorId}, a generated id). */
const AGGREGATOR = `arn:aws:config:${REGION}:${CENTRAL}:config-aggregator/config-aggregator-a1b2c3d4`;
const WITH_BOUNDARY = { "iam:PermissionsBoundary": permissionsBoundaryArn(CENTRAL) };

const stack: BoundaryStackInput = {
    centralAccountId: CENTRAL,
    oidcRoleName: "multicloud-patching-oidc-org",
    deploymentRoles: [{ accountId: CENTRAL, roleName: "multicloud-patching-deployer" }],
    automationRoleNames: AUTOMATION,
    organizationMode: true,
};
const scope = programBoundaryScopes([stack]).find((s) => s.accountId === CENTRAL) as ProgramBoundaryScope;
const deployer: IamPolicies = {
    identity: [deploymentRoleServicesPolicy(scope), deploymentRoleIamPolicy({ accountId: CENTRAL, extraRoleNames: AUTOMATION })],
    boundary: programBoundary(scope) as unknown as PolicyDocument,
};

interface Row {
    readonly label: string;
    readonly action: string;
    readonly resource: string;
    readonly context?: Record<string, string>;
}

async function decisions(policies: IamPolicies, rows: readonly Row[]): Promise<Record<string, Decision>> {
    const result: Record<string, Decision> = {};
    for (const row of rows) {
        result[row.label] = await decide(policies, { principal: DEPLOYER, action: row.action, resource: row.resource, resourceAccount: CENTRAL, context: { "aws:PrincipalArn": DEPLOYER, ...row.context } });
    }
    return result;
}

/** What `pulumi up` calls for the role, its inline policy and the aggregator (terraform-provider-aws iam role, role policy, configuration_aggregator). */
const CREATE: readonly Row[] = [
    { label: "CreateRole with the boundary", action: "iam:CreateRole", resource: ROLE, context: WITH_BOUNDARY },
    { label: "PutRolePolicy (the role has the boundary)", action: "iam:PutRolePolicy", resource: ROLE, context: WITH_BOUNDARY },
    { label: "GetRole", action: "iam:GetRole", resource: ROLE },
    { label: "GetRolePolicy", action: "iam:GetRolePolicy", resource: ROLE },
    { label: "TagRole", action: "iam:TagRole", resource: ROLE },
    { label: "PassRole to config.amazonaws.com", action: "iam:PassRole", resource: ROLE, context: { "iam:PassedToService": "config.amazonaws.com" } },
    { label: "PutConfigurationAggregator", action: "config:PutConfigurationAggregator", resource: AGGREGATOR },
    { label: "DescribeConfigurationAggregators (SAR: no resource type)", action: "config:DescribeConfigurationAggregators", resource: "*" },
    { label: "TagResource (the aggregator)", action: "config:TagResource", resource: AGGREGATOR },
    // A delegated administrator's PutConfigurationAggregator: Config calls ListDelegatedAdministrators as the caller.
    { label: "ListDelegatedAdministrators (the delegated-administrator check)", action: "organizations:ListDelegatedAdministrators", resource: "*" },
    { label: "DeleteRolePolicy", action: "iam:DeleteRolePolicy", resource: ROLE, context: WITH_BOUNDARY },
    { label: "DeleteRole", action: "iam:DeleteRole", resource: ROLE },
    { label: "DeleteConfigurationAggregator", action: "config:DeleteConfigurationAggregator", resource: AGGREGATOR },
];

const ABUSE: readonly Row[] = [
    { label: "the role without the boundary", action: "iam:CreateRole", resource: ROLE },
    { label: "PassRole of it to Lambda", action: "iam:PassRole", resource: ROLE, context: { "iam:PassedToService": "lambda.amazonaws.com" } },
    { label: "…to EC2", action: "iam:PassRole", resource: ROLE, context: { "iam:PassedToService": "ec2.amazonaws.com" } },
    { label: "…to Systems Manager", action: "iam:PassRole", resource: ROLE, context: { "iam:PassedToService": "ssm.amazonaws.com" } },
    { label: "AWSConfigRoleForOrganizations onto it", action: "iam:AttachRolePolicy", resource: ROLE, context: { ...WITH_BOUNDARY, "iam:PolicyARN": "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations" } },
    { label: "its own DescribeOrganization", action: "organizations:DescribeOrganization", resource: "*" },
    { label: "register Config's delegated administrator", action: "organizations:RegisterDelegatedAdministrator", resource: `arn:aws:organizations::999999999999:account/o-a1b2c3d4e5/${CENTRAL}` },
    { label: "enable Config's trusted access (what Config calls for a management-account caller)", action: "organizations:EnableAWSServiceAccess", resource: "*" },
];

describe("deployment role in organization mode: the Config aggregator and its role, nothing more (iam-simulate)", () => {
    it("may create, read, pass to Config, update and delete the aggregator and its role", async () => {
        assert.deepEqual(await decisions(deployer, CREATE), Object.fromEntries(CREATE.map((row) => [row.label, "Allowed"])));
    });

    it("may not create it unbounded, hand it to another service, attach the managed policy, read the organization itself or make Config's Organizations registrations", async () => {
        assert.deepEqual(await decisions(deployer, ABUSE), {
            "the role without the boundary": "ExplicitlyDenied",
            "PassRole of it to Lambda": "ExplicitlyDenied",
            "…to EC2": "ExplicitlyDenied",
            "…to Systems Manager": "ExplicitlyDenied",
            "AWSConfigRoleForOrganizations onto it": "ImplicitlyDenied",
            "its own DescribeOrganization": "ExplicitlyDenied",
            "register Config's delegated administrator": "ExplicitlyDenied",
            "enable Config's trusted access (what Config calls for a management-account caller)": "ExplicitlyDenied",
        });
    });

    it("other program roles are still passed to Lambda (the deny names the aggregator role only)", async () => {
        const decision = await decide(deployer, {
            principal: DEPLOYER,
            action: "iam:PassRole",
            resource: `arn:aws:iam::${CENTRAL}:role/patching-ssm-role-enforcer-us-east-1`,
            resourceAccount: CENTRAL,
            context: { "aws:PrincipalArn": DEPLOYER, "iam:PassedToService": "lambda.amazonaws.com" },
        });
        assert.equal(decision, "Allowed");
    });

    it("the role it creates, as Config uses it: the four reads Allowed under the boundary", async () => {
        const role: IamPolicies = { identity: [organizationAggregatorPolicy()], boundary: programBoundary(scope) as unknown as PolicyDocument };
        const actions = ["organizations:ListAccounts", "organizations:DescribeOrganization", "organizations:ListAWSServiceAccessForOrganization", "organizations:ListDelegatedAdministrators"];
        const result: Record<string, Decision> = {};
        for (const action of actions) {
            result[action] = await decide(role, { principal: ROLE, action, resource: "*", resourceAccount: CENTRAL, context: { "aws:PrincipalArn": ROLE } });
        }
        assert.deepEqual(result, Object.fromEntries(actions.map((action) => [action, "Allowed"])));
    });
});
