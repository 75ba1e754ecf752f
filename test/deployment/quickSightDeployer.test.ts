import { strict as assert } from "node:assert";
import { programBoundary } from "../../components/identity/boundaryDocuments";
import type { ProgramBoundaryScope } from "../../components/identity/boundaryScope";
import type { PolicyDocument } from "../../components/identity/iamDocuments";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../components/identity/policySize";
import { quickSightDashboardNames } from "../../components/reporting/quickSightDashboard";
import { ConfigError, parseDeploymentConfig } from "../../deployment/config";
import { deploymentRoleIamPolicy, deploymentRoleServicesPolicy, programBoundaryScopes, type BoundaryStackInput } from "../../deployment/iamDocuments";
import { estateFromDocuments, type ProjectFiles } from "../../deployment/projectFiles";
import { decide, type Decision, type IamPolicies } from "../support/iamSimulation";
import { servicesPolicyFailures } from "./deployerSimulation";
import { filesWith, orgStackConfig } from "./fixtures";

/**
 * Issue 19 item 3, the QuickSight dashboard (`reporting.quickSight.enabled`): the deployment role of
 * the account the dashboard is built in (services policy, IAM policy and that account's boundary, as
 * deployment/ renders them) creates, updates, reads and deletes the template's CloudFormation stack
 * and the template, analysis and dashboard — only where its stack file enables the dashboard, only
 * in that account, and nothing of another name. An organization-mode central account has no room
 * for it: the deployment config refuses it with one line.
 */

const CENTRAL = "111111111111";
const MEMBER = "222222222222";
const REGION = "us-east-1";
const DEPLOYER = "multicloud-patching-deployer";
const AUTOMATION = ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"];
const PRINCIPAL = `arn:aws:iam::${CENTRAL}:role/${DEPLOYER}`;

const stack = (dashboard: boolean, organizationMode = false): BoundaryStackInput => ({
    centralAccountId: CENTRAL,
    oidcRoleName: "multicloud-patching-oidc-prod",
    deploymentRoles: [
        { accountId: CENTRAL, roleName: DEPLOYER },
        { accountId: MEMBER, roleName: DEPLOYER },
    ],
    automationRoleNames: AUTOMATION,
    organizationMode,
    ...(dashboard ? { quickSightDashboardAccountId: CENTRAL } : {}),
});
const scopeOf = (stacks: readonly BoundaryStackInput[], accountId: string) => programBoundaryScopes(stacks).find((scope) => scope.accountId === accountId) as ProgramBoundaryScope;
const deployerPolicies = (scope: ProgramBoundaryScope): IamPolicies => ({
    identity: [deploymentRoleServicesPolicy(scope), deploymentRoleIamPolicy({ accountId: scope.accountId, extraRoleNames: AUTOMATION })],
    boundary: programBoundary(scope) as unknown as PolicyDocument,
});

const names = quickSightDashboardNames("prod");
const quickSight = (type: string, id: string) => `arn:aws:quicksight:${REGION}:${CENTRAL}:${type}/${id}`;
const cfnStack = (name: string) => `arn:aws:cloudformation:${REGION}:${CENTRAL}:stack/${name}/5e6f7a80-1b2c-11ef-9a3b-0a1b2c3d4e5f`;

/** What pulumi up calls for the dashboard: aws.cloudformation.Stack (stack.go), the template CloudFormation creates with these credentials, Analysis, Dashboard. */
const LEGITIMATE: readonly (readonly [string, string])[] = [
    ...["CreateStack", "UpdateStack", "DescribeStacks", "DescribeStackEvents", "GetTemplate", "DeleteStack", "TagResource", "UntagResource"].map((a) => [`cloudformation:${a}`, cfnStack(names.stack)] as const),
    ...["CreateTemplate", "UpdateTemplate", "DescribeTemplate", "DeleteTemplate", "UpdateTemplatePermissions", "TagResource"].map((a) => [`quicksight:${a}`, quickSight("template", names.asset)] as const),
    ...["CreateAnalysis", "UpdateAnalysis", "DescribeAnalysis", "DeleteAnalysis", "UpdateAnalysisPermissions"].map((a) => [`quicksight:${a}`, quickSight("analysis", names.asset)] as const),
    ...["CreateDashboard", "UpdateDashboard", "DescribeDashboard", "DeleteDashboard", "UpdateDashboardPermissions", "UpdateDashboardPublishedVersion"].map((a) => [`quicksight:${a}`, quickSight("dashboard", names.asset)] as const),
];

const ABUSE: readonly (readonly [string, string])[] = [
    ["cloudformation:CreateStack", cfnStack("someone-else")],
    ["cloudformation:UpdateStack", cfnStack("patching-other")],
    ["cloudformation:ExecuteChangeSet", cfnStack(names.stack)],
    ["cloudformation:SetStackPolicy", cfnStack(names.stack)],
    ["quicksight:CreateTemplate", quickSight("template", "finance-kpis")],
    ["quicksight:UpdateDashboardPermissions", quickSight("dashboard", "finance-kpis")],
    ["quicksight:CreateUser", quickSight("user", "default/patching-x")],
    ["quicksight:CreateNamespace", quickSight("namespace", "patching-x")],
];

async function decisions(policies: IamPolicies, calls: readonly (readonly [string, string])[]): Promise<string[]> {
    return Promise.all(calls.map(async ([action, resource]) => `${action} ${resource}: ${await decide(policies, { principal: PRINCIPAL, action, resource, resourceAccount: CENTRAL, context: { "aws:PrincipalArn": PRINCIPAL } })}`));
}
const every = (calls: readonly (readonly [string, string])[], decision: Decision | "denied") => calls.map(([action, resource]) => `${action} ${resource}: ${decision}`);
const allowedOrDenied = (lines: string[]) => lines.map((line) => line.replace(/(Explicitly|Implicitly)Denied$/, "denied"));

describe("deployment: the QuickSight dashboard's grants (issue 19 item 3)", () => {
    it("flags only the account the dashboard is built in, and only for a stack that enables it", () => {
        const flagged = (stacks: BoundaryStackInput[]) => programBoundaryScopes(stacks).filter((scope) => scope.quickSightDashboard === true).map((scope) => scope.accountId);
        assert.deepEqual(flagged([stack(true)]), [CENTRAL]);
        assert.deepEqual(flagged([stack(false)]), []);
        // Another stack sharing the account without the dashboard does not take it away.
        assert.deepEqual(flagged([stack(false), { ...stack(true), oidcRoleName: "other" }]), [CENTRAL]);
        assert.equal(JSON.stringify(programBoundaryScopes([stack(false)])), JSON.stringify(programBoundaryScopes([{ ...stack(true), quickSightDashboardAccountId: undefined }])));
    });

    it("lets the deployment role create, update, read and delete the template's stack, the template, analysis and dashboard", async () => {
        assert.deepEqual(await decisions(deployerPolicies(scopeOf([stack(true)], CENTRAL)), LEGITIMATE), every(LEGITIMATE, "Allowed"));
    });

    it("grants none of it without the dashboard, nor in another account of the stack", async () => {
        assert.deepEqual(allowedOrDenied(await decisions(deployerPolicies(scopeOf([stack(false)], CENTRAL)), LEGITIMATE)), every(LEGITIMATE, "denied"));
        assert.deepEqual(allowedOrDenied(await decisions(deployerPolicies(scopeOf([stack(true)], MEMBER)), LEGITIMATE)), every(LEGITIMATE, "denied"));
    });

    it("reaches no other stack or QuickSight asset, no other stack operation, no QuickSight user or namespace", async () => {
        assert.deepEqual(allowedOrDenied(await decisions(deployerPolicies(scopeOf([stack(true)], CENTRAL)), ABUSE)), every(ABUSE, "denied"));
    });

    it("holds no grant its boundary takes away (every Allow of its services policy is Allowed under the boundary)", async function () {
        this.timeout(300_000);
        const scope = scopeOf([stack(true)], CENTRAL);
        const policies = deployerPolicies(scope);
        const failures = await servicesPolicyFailures(deploymentRoleServicesPolicy(scope), policies, PRINCIPAL, CENTRAL, decide);
        assert.deepEqual(failures, []);
    });

    it("fits IAM's 6,144 characters in a configured-accounts central account; not in an organization-mode one", () => {
        const configured = scopeOf([stack(true)], CENTRAL);
        for (const document of [programBoundary(configured), deploymentRoleServicesPolicy(configured)]) {
            assert.ok(policyCharacters(document) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(document)} characters`);
        }
        assert.ok(policyCharacters(programBoundary(scopeOf([stack(true, true)], CENTRAL))) > MANAGED_POLICY_MAX_CHARACTERS);
    });
});

describe("deployment: reading reporting.quickSight.enabled from the main stack files", () => {
    const accounts = [
        { alias: "security", id: CENTRAL },
        { alias: "apps", id: MEMBER },
    ];
    const read = (reporting: unknown) => estateFromDocuments("Pulumi.prod.yaml", "multicloud-patching", {}, { config: { "multicloud-patching:centralAccount": "security", "multicloud-patching:accounts": accounts, ...(reporting === undefined ? {} : { "multicloud-patching:reporting": reporting }) } });

    it("names the central account only when the dashboard is enabled", () => {
        assert.equal(read({ quickSight: { enabled: true } }).quickSightDashboardAccountId, CENTRAL);
        for (const reporting of [undefined, {}, { quickSight: {} }, { quickSight: { enabled: false } }, { quickSight: { enabled: "true" } }]) {
            assert.equal(read(reporting).quickSightDashboardAccountId, undefined, JSON.stringify(reporting));
        }
    });

    const NO_POLICY_FILES: ProjectFiles["policyConfig"] = (directory, environment) => ({ file: `${directory}/config.${environment}.json` });
    const withEstate = (dashboard: boolean, organizationMode: boolean) =>
        filesWith({
            policyConfig: NO_POLICY_FILES,
            estate: (name, real) => (name === "prod" && real ? { ...real, ...(organizationMode ? { organizationMode } : {}), ...(dashboard ? { quickSightDashboardAccountId: CENTRAL } : {}) } : real),
        });

    it("passes the dashboard's account on to the stack's target", () => {
        const targets = parseDeploymentConfig(orgStackConfig(), withEstate(true, false)).stacks;
        assert.deepEqual(
            targets.map((target) => [target.stack, target.quickSightDashboardAccountId]),
            [
                ["dev", undefined],
                ["prod", CENTRAL],
            ],
        );
    });

    it("refuses the dashboard in an organization-mode central account with one line naming the key", () => {
        assert.doesNotThrow(() => parseDeploymentConfig(orgStackConfig(), withEstate(false, true)));
        try {
            parseDeploymentConfig(orgStackConfig(), withEstate(true, true));
            assert.fail("configuration was accepted");
        } catch (error) {
            assert.ok(error instanceof ConfigError, String(error));
            assert.match(
                error.message,
                /^stacks\.prod: Pulumi\.prod\.yaml sets reporting\.quickSight\.enabled: true, whose grants would bring the program boundary of account 111111111111 to \d{4} characters, over IAM's 6144 for a managed policy \(an organization-mode central account has no room for them\); set it to false there$/,
            );
        }
    });
});
