import { strict as assert } from "node:assert";
import { BOUNDARY_CHARACTERS } from "../../../catalog/boundarySize";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import { QUICKSIGHT_TEMPLATE_STACK_PREFIX } from "../../../components/identity/boundaryQuickSight";
import type { ProgramBoundaryScope } from "../../../components/identity/boundaryScope";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../../components/identity/policySize";
import { quickSightDashboardNames } from "../../../components/reporting/quickSightDashboard";
import { decide, type Decision } from "../../support/iamSimulation";

/**
 * Issue 19 item 3: the QuickSight dashboard's grants in the program boundary, for a program role
 * whose identity policy is `*:*` — only where the scope says the account holds the dashboard
 * (ProgramBoundaryScope.quickSightDashboard); every other boundary byte-identical to before.
 */

const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const CONFIGURED: ProgramBoundaryScope = {
    accountId: ACCOUNT,
    project: "multicloud-patching",
    automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
    deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
};
const DASHBOARD: ProgramBoundaryScope = { ...CONFIGURED, quickSightDashboard: true };
const ORGANIZATION: ProgramBoundaryScope = { ...CONFIGURED, stackSetAdministration: true };
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/patching-reporting`;
const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const names = quickSightDashboardNames("prod");
const quickSight = (type: string, id: string) => `arn:aws:quicksight:${REGION}:${ACCOUNT}:${type}/${id}`;
const stack = (name: string) => `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/5e6f7a80-1b2c-11ef-9a3b-0a1b2c3d4e5f`;

/** What the dashboard's resources call (provider and CloudFormation's template handler), per resource. */
export const DASHBOARD_CALLS: readonly (readonly [string, string])[] = [
    ...["CreateTemplate", "UpdateTemplate", "DescribeTemplate", "DeleteTemplate", "UpdateTemplatePermissions", "DescribeTemplatePermissions", "TagResource"].map((a) => [`quicksight:${a}`, quickSight("template", names.asset)] as const),
    ...["CreateAnalysis", "UpdateAnalysis", "DescribeAnalysis", "DeleteAnalysis", "UpdateAnalysisPermissions", "DescribeAnalysisPermissions"].map((a) => [`quicksight:${a}`, quickSight("analysis", names.asset)] as const),
    ...["CreateDashboard", "UpdateDashboard", "DescribeDashboard", "DeleteDashboard", "UpdateDashboardPermissions", "DescribeDashboardPermissions", "UpdateDashboardPublishedVersion", "ListDashboardVersions"].map((a) => [`quicksight:${a}`, quickSight("dashboard", names.asset)] as const),
    ...["CreateStack", "UpdateStack", "DescribeStacks", "DescribeStackEvents", "GetTemplate", "DeleteStack", "TagResource", "UntagResource"].map((a) => [`cloudformation:${a}`, stack(names.stack)] as const),
];

/** Other names, and QuickSight's who-sees-what resources under the program prefix. */
export const FOREIGN_CALLS: readonly (readonly [string, string])[] = [
    ["quicksight:CreateTemplate", quickSight("template", "finance-kpis")],
    ["quicksight:UpdateAnalysis", quickSight("analysis", "finance-kpis")],
    ["quicksight:UpdateDashboardPermissions", quickSight("dashboard", "finance-kpis")],
    ["quicksight:CreateUser", quickSight("user", "default/patching-x")],
    ["quicksight:CreateGroupMembership", quickSight("group", "default/patching-authors")],
    ["quicksight:CreateNamespace", quickSight("namespace", "patching-x")],
    ["cloudformation:CreateStack", stack("someone-else")],
    ["cloudformation:UpdateStack", stack("patching-other")],
    ["cloudformation:DeleteStack", stack("patching-member-account")],
];

const decideUnder = (scope: ProgramBoundaryScope, action: string, resource: string): Promise<Decision> =>
    decide({ identity: [ALLOW_ALL], boundary: programBoundary(scope) as unknown as PolicyDocument }, { principal: PRINCIPAL, action, resource, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": PRINCIPAL } });

async function decisions(scope: ProgramBoundaryScope, calls: readonly (readonly [string, string])[]): Promise<string[]> {
    return Promise.all(calls.map(async ([action, resource]) => `${action} ${resource}: ${await decideUnder(scope, action, resource)}`));
}
const all = (calls: readonly (readonly [string, string])[], decision: Decision) => calls.map(([action, resource]) => `${action} ${resource}: ${decision}`);

describe("components/identity: the QuickSight dashboard in the program boundary (issue 19 item 3)", () => {
    it("lets a program role create, update, read and delete the template, analysis, dashboard and the template's stack where the account holds the dashboard", async () => {
        assert.deepEqual(await decisions(DASHBOARD, DASHBOARD_CALLS), all(DASHBOARD_CALLS, "Allowed"));
    });

    it("grants none of it without the flag", async () => {
        assert.deepEqual(await decisions(CONFIGURED, DASHBOARD_CALLS), all(DASHBOARD_CALLS, "ImplicitlyDenied"));
    });

    it("reaches no other template, analysis, dashboard or stack, and no QuickSight user, group or namespace", async () => {
        assert.deepEqual(await decisions(DASHBOARD, FOREIGN_CALLS), all(FOREIGN_CALLS, "ImplicitlyDenied"));
    });

    it("leaves the boundary without the flag exactly as it was (false or absent)", () => {
        for (const scope of [CONFIGURED, ORGANIZATION]) {
            assert.equal(JSON.stringify(programBoundary({ ...scope, quickSightDashboard: false })), JSON.stringify(programBoundary(scope)));
        }
        assert.notEqual(JSON.stringify(programBoundary(DASHBOARD)), JSON.stringify(programBoundary(CONFIGURED)));
    });

    it("names the dashboard's real ids: the stack under the granted prefix, the assets under patching-", () => {
        for (const env of ["prod", "dev", "Team B"]) {
            const n = quickSightDashboardNames(env);
            assert.ok(n.stack.startsWith(QUICKSIGHT_TEMPLATE_STACK_PREFIX), n.stack);
            assert.ok(n.asset.startsWith("patching-"), n.asset);
        }
    });

    it("fits IAM's 6,144 characters in a configured-accounts central account", () => {
        assert.ok(policyCharacters(programBoundary(DASHBOARD)) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(programBoundary(DASHBOARD))} characters`);
    });

    it("pins catalog/boundarySize.ts to the rendered boundary: the organization-mode central account has no room for the dashboard", () => {
        const organization = policyCharacters(programBoundary(ORGANIZATION));
        const withDashboard = policyCharacters(programBoundary({ ...ORGANIZATION, quickSightDashboard: true }));
        assert.deepEqual(
            { max: MANAGED_POLICY_MAX_CHARACTERS, organizationCentral: organization, quickSightDashboardInOrganizationCentral: withDashboard - organization },
            { ...BOUNDARY_CHARACTERS },
        );
        assert.ok(withDashboard > MANAGED_POLICY_MAX_CHARACTERS, `${withDashboard} characters`);
    });
});
