import { strict as assert } from "node:assert";
import { ARTIFACT_PREFIXES, artifactBucketName, permissionsBoundaryArn } from "../../catalog/naming";
import { programBoundary } from "../../components/identity/boundaryDocuments";
import type { ProgramBoundaryScope } from "../../components/identity/boundaryScope";
import type { PolicyDocument } from "../../components/identity/iamDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../components/identity/policySize";
import { MEMBER_STACK_SET_NAMES } from "../../components/organization/stackSets";
import { deploymentRoleIamPolicy, deploymentRoleServicesPolicy, programBoundaryScopes, type BoundaryStackInput } from "../../deployment/iamDocuments";
import { decide, type Decision, type IamPolicies } from "../support/iamSimulation";
import { servicesPolicyFailures } from "./deployerSimulation";

/**
 * Issue 16, organization mode: the deployment role of the central account (its services policy,
 * its IAM policy and the account's program boundary, as deployment/iamDocuments renders them)
 * creates the two member StackSets, deploys them to OUs and writes the artifacts buckets — and
 * nothing else of CloudFormation or Organizations. In a configured-accounts estate, and in the
 * member accounts, it gets none of it.
 */

const CENTRAL = "111111111111";
const MEMBER = "222222222222";
/** Service-managed StackSets live in the management account, also when a delegated administrator creates them. */
const MANAGEMENT = "999999999999";
const REGION = "us-east-1";
const DEPLOYER = "multicloud-patching-deployer";
const AUTOMATION = ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"];

const stack = (organizationMode: boolean): BoundaryStackInput => ({
    centralAccountId: CENTRAL,
    oidcRoleName: "multicloud-patching-oidc-org",
    deploymentRoles: [
        { accountId: CENTRAL, roleName: DEPLOYER },
        { accountId: MEMBER, roleName: DEPLOYER },
    ],
    automationRoleNames: AUTOMATION,
    organizationMode,
});

const scopeOf = (stacks: readonly BoundaryStackInput[], accountId: string) => programBoundaryScopes(stacks).find((scope) => scope.accountId === accountId) as ProgramBoundaryScope;

function deployerPolicies(scope: ProgramBoundaryScope): IamPolicies {
    return { identity: [deploymentRoleServicesPolicy(scope), deploymentRoleIamPolicy({ accountId: scope.accountId, extraRoleNames: AUTOMATION })], boundary: programBoundary(scope) as unknown as PolicyDocument };
}

const stackSet = (name: string) => `arn:aws:cloudformation:${REGION}:${MANAGEMENT}:stackset/${name}:1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d`;
const OU_TARGET = (name: string) => `arn:aws:cloudformation:${REGION}:${MANAGEMENT}:stackset-target/${name}:1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d/ou-a1b2-5h4r3d00`;
// The simulator places a type ARN only with an account; AWS examples show both forms, and `*:*:` matches an empty account too.
const TYPE = `arn:aws:cloudformation:${REGION}:${MANAGEMENT}:type/resource/AWS-SSM-PatchBaseline`;
const artifact = (key: string, region = REGION) => `arn:aws:s3:::${artifactBucketName(CENTRAL, region)}/${key}`;
const ORGANIZATION_ACCOUNT = `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${CENTRAL}`;

interface Row {
    readonly label: string;
    readonly action: string;
    readonly resource: string;
}

/** What the provider's StackSet / StackSetInstance call for both member StackSets, and the artifacts. */
const LEGITIMATE: readonly Row[] = [
    { label: "CreateStackSet (SAR: only `*`)", action: "cloudformation:CreateStackSet", resource: "*" },
    { label: "the delegated-administrator check", action: "organizations:ListDelegatedAdministrators", resource: "*" },
    ...Object.values(MEMBER_STACK_SET_NAMES).flatMap((name): Row[] => [
        ...["DescribeStackSet", "UpdateStackSet", "DeleteStackSet", "DescribeStackSetOperation", "ListStackSetOperationResults", "CreateStackInstances", "UpdateStackInstances", "DeleteStackInstances", "ListStackInstances", "DescribeStackInstance", "TagResource"].map((action) => ({
            label: `${action} ${name}`,
            action: `cloudformation:${action}`,
            resource: stackSet(name),
        })),
        { label: `CreateStackInstances ${name} → an OU`, action: "cloudformation:CreateStackInstances", resource: OU_TARGET(name) },
    ]),
    { label: "the templates' resource types", action: "cloudformation:CreateStackInstances", resource: TYPE },
    { label: "create the central artifacts bucket", action: "s3:CreateBucket", resource: `arn:aws:s3:::${artifactBucketName(CENTRAL, REGION)}` },
    { label: "version it", action: "s3:PutBucketVersioning", resource: `arn:aws:s3:::${artifactBucketName(CENTRAL, REGION)}` },
    { label: "its organization read policy", action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::${artifactBucketName(CENTRAL, "eu-west-2")}` },
    { label: "publish a template (TemplateURL)", action: "s3:PutObject", resource: artifact(`${ARTIFACT_PREFIXES.templates}/patching-member-regional-0123456789abcdef.json`) },
    { label: "CloudFormation reads it as the caller", action: "s3:GetObject", resource: artifact(`${ARTIFACT_PREFIXES.templates}/patching-member-regional-0123456789abcdef.json`) },
    { label: "publish the enforcer bundle in a target Region", action: "s3:PutObject", resource: artifact(`${ARTIFACT_PREFIXES.enforcerCode}/0123456789abcdef.zip`, "eu-west-2") },
];

/** What it may never do, even in organization mode. */
const ABUSE: readonly Row[] = [
    { label: "update another StackSet", action: "cloudformation:UpdateStackSet", resource: stackSet("AWSControlTowerBP-BASELINE-CONFIG") },
    { label: "deploy another StackSet", action: "cloudformation:CreateStackInstances", resource: stackSet("payments-baseline") },
    { label: "delete another StackSet", action: "cloudformation:DeleteStackSet", resource: stackSet("payments-baseline") },
    { label: "adopt stacks into a member StackSet", action: "cloudformation:ImportStacksToStackSet", resource: stackSet(MEMBER_STACK_SET_NAMES.regional) },
    { label: "create a stack", action: "cloudformation:CreateStack", resource: `arn:aws:cloudformation:${REGION}:${CENTRAL}:stack/anything/*` },
    { label: "activate trusted access", action: "cloudformation:ActivateOrganizationsAccess", resource: "*" },
    { label: "register itself as delegated administrator", action: "organizations:RegisterDelegatedAdministrator", resource: ORGANIZATION_ACCOUNT },
    { label: "deregister one", action: "organizations:DeregisterDelegatedAdministrator", resource: ORGANIZATION_ACCOUNT },
    { label: "enable trusted access (Organizations)", action: "organizations:EnableAWSServiceAccess", resource: "*" },
    { label: "create an account", action: "organizations:CreateAccount", resource: "*" },
    { label: "move an account", action: "organizations:MoveAccount", resource: ORGANIZATION_ACCOUNT },
    { label: "attach an SCP", action: "organizations:AttachPolicy", resource: "arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-a1b2-5h4r3d00" },
    { label: "leave the organization", action: "organizations:LeaveOrganization", resource: "*" },
    { label: "write another bucket", action: "s3:PutObject", resource: "arn:aws:s3:::cf-templates-abc123-us-east-1/x.json" },
];

async function decisions(policies: IamPolicies, accountId: string, rows: readonly Row[]): Promise<Record<string, Decision>> {
    const principal = `arn:aws:iam::${accountId}:role/${DEPLOYER}`;
    const result: Record<string, Decision> = {};
    for (const row of rows) {
        result[row.label] = await decide(policies, { principal, action: row.action, resource: row.resource, resourceAccount: accountId });
    }
    return result;
}

const every = (rows: readonly Row[], decision: string) => Object.fromEntries(rows.map((row) => [row.label, decision]));
const allowedOrDenied = (result: Record<string, Decision>) => Object.fromEntries(Object.entries(result).map(([label, decision]) => [label, decision === "Allowed" ? "Allowed" : "denied"]));

describe("deployment role in organization mode: the member StackSets and the artifacts, nothing else (iam-simulate)", () => {
    it("flags only the central account of an organization-mode stack (member accounts and configured-accounts estates get no StackSets)", () => {
        const flagged = (stacks: readonly BoundaryStackInput[]) =>
            programBoundaryScopes(stacks)
                .filter((scope) => scope.stackSetAdministration === true)
                .map((scope) => scope.accountId);
        assert.deepEqual(flagged([stack(true)]), [CENTRAL]);
        assert.deepEqual(flagged([stack(false)]), []);
        // A configured-accounts stack sharing the central account does not take the flag away.
        assert.deepEqual(flagged([stack(false), stack(true)]), [CENTRAL]);
        // An organization-mode stack whose central account is another stack's member: only its own central account.
        assert.deepEqual(flagged([{ ...stack(true), centralAccountId: MEMBER, oidcRoleName: "other" }, stack(false)]), [MEMBER]);
    });

    it("may create, deploy, read, update and delete both member StackSets and write the artifacts buckets", async () => {
        const policies = deployerPolicies(scopeOf([stack(true)], CENTRAL));
        assert.deepEqual(await decisions(policies, CENTRAL, LEGITIMATE), every(LEGITIMATE, "Allowed"));
    });

    it("may touch no other StackSet, create no stack, and make no Organizations write — not even with AdministratorAccess added", async () => {
        const policies = deployerPolicies(scopeOf([stack(true)], CENTRAL));
        assert.deepEqual(allowedOrDenied(await decisions(policies, CENTRAL, ABUSE)), every(ABUSE, "denied"));
        const widened: IamPolicies = { ...policies, identity: [...(policies.identity ?? []), { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }] };
        const organizationWrites = ABUSE.filter((row) => row.action.startsWith("organizations:"));
        assert.deepEqual(await decisions(widened, CENTRAL, organizationWrites), every(organizationWrites, "ExplicitlyDenied"));
    });

    it("gets no StackSet call in a configured-accounts estate, nor in a member account of an organization-mode stack", async () => {
        const stackSetCalls = LEGITIMATE.filter((row) => row.action.startsWith("cloudformation:") || row.action.startsWith("organizations:"));
        const configured = deployerPolicies(scopeOf([stack(false)], CENTRAL));
        assert.deepEqual(allowedOrDenied(await decisions(configured, CENTRAL, stackSetCalls)), every(stackSetCalls, "denied"));
        const member = deployerPolicies(scopeOf([stack(true)], MEMBER));
        assert.deepEqual(allowedOrDenied(await decisions(member, MEMBER, stackSetCalls)), every(stackSetCalls, "denied"));
    });

    it("holds no grant its boundary takes away (every Allow of its services policy is Allowed under the boundary)", async () => {
        const scope = scopeOf([stack(true)], CENTRAL);
        const policies = deployerPolicies(scope);
        const principal = `arn:aws:iam::${CENTRAL}:role/${DEPLOYER}`;
        const failures = await servicesPolicyFailures(deploymentRoleServicesPolicy(scope), policies, principal, CENTRAL, decide);
        assert.deepEqual(failures, []);
    });

    it("keeps both documents under IAM's 6,144 characters with the default names", () => {
        const scope = scopeOf([stack(true)], CENTRAL);
        assert.equal(programBoundary(scope).Statement.length > 0, true);
        for (const document of [programBoundary(scope), deploymentRoleServicesPolicy(scope)]) {
            assert.ok(policyCharacters(document) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(document)} characters`);
        }
        assert.equal(permissionsBoundaryArn(CENTRAL), `arn:aws:iam::${CENTRAL}:policy/multicloud-patching-boundary`);
    });
});
