import { strict as assert } from "node:assert";
import { permissionsBoundaryArn } from "../../../catalog/naming";
import { CONFIG_ROLE_POLICY_ARN } from "../../../components/compliance/complianceDocuments";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import { DEPLOYMENT_ACCESS_TAG, type ProgramBoundaryScope } from "../../../components/identity/boundaryScope";
import { MANAGED_POLICY_MAX_CHARACTERS, policyCharacters } from "../../../components/identity/policySize";
import { MANAGED_POLICIES, type PolicyDocument } from "../../../components/identity/iamDocuments";
import { decide, type Decision } from "../../support/iamSimulation";

/**
 * The program permissions boundary on its own: whatever identity policy a bounded role gets —
 * here the worst, `*:*` — the boundary decides. Each row is one claim of the boundary's
 * documentation, both ways (what the program needs is Allowed, the abuse is denied).
 */

const ACCOUNT = "222222222222";
const OTHER = "333333333333";
const REGION = "us-west-2";
const SCOPE: ProgramBoundaryScope = {
    accountId: ACCOUNT,
    project: "multicloud-patching",
    automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"],
    deploymentRoles: [{ roleName: "multicloud-patching-deployer" }],
};
const BOUNDARY = programBoundary(SCOPE) as unknown as PolicyDocument;
const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/patching-anything`;
const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
const SG = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0123456789abcdef0`;
const document = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`;
const recorder = (name: string) => `arn:aws:config:${REGION}:${ACCOUNT}:configuration-recorder/${name}/abcd1234`;
const withBoundary = { "iam:PermissionsBoundary": permissionsBoundaryArn(ACCOUNT) };

interface Row {
    readonly claim: string;
    readonly action: string;
    readonly resource: string;
    readonly context?: Record<string, string | string[]>;
    /** Account owning the resource. @default ACCOUNT */
    readonly owner?: string;
    readonly expected: Decision;
}

const ROWS: readonly Row[] = [
    // IAM: roles only with this boundary; the enforcer's Core exception; nothing outside the program.
    { claim: "a program role is created with this boundary", action: "iam:CreateRole", resource: role("patching-x"), context: withBoundary, expected: "Allowed" },
    { claim: "…never without one", action: "iam:CreateRole", resource: role("patching-x"), expected: "ExplicitlyDenied" },
    { claim: "…never with another", action: "iam:CreateRole", resource: role("patching-x"), context: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/patching-open` }, expected: "ExplicitlyDenied" },
    { claim: "no role outside the program's names, even with the boundary", action: "iam:CreateRole", resource: role("admin-2"), context: withBoundary, expected: "ExplicitlyDenied" },
    { claim: "an inline policy on a bounded program role", action: "iam:PutRolePolicy", resource: role("patching-x"), context: withBoundary, expected: "Allowed" },
    { claim: "…not on a program role without the boundary", action: "iam:PutRolePolicy", resource: role("patching-legacy"), expected: "ExplicitlyDenied" },
    { claim: "AWS_ConfigRole onto the bounded recorder role", action: "iam:AttachRolePolicy", resource: role("patching-config-recorder-us-west-2"), context: { ...withBoundary, "iam:PolicyARN": CONFIG_ROLE_POLICY_ARN }, expected: "Allowed" },
    { claim: "the enforcer: Core onto a customer instance role (no boundary)", action: "iam:AttachRolePolicy", resource: role("web-server"), context: { "iam:PolicyARN": MANAGED_POLICIES.ssmManagedInstanceCore }, expected: "Allowed" },
    { claim: "…nothing else onto it", action: "iam:AttachRolePolicy", resource: role("web-server"), context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }, expected: "ExplicitlyDenied" },
    // Issue 15: the log writer is the exception's only other policy; no other program policy.
    { claim: "the enforcer: the log writer onto a customer instance role (no boundary)", action: "iam:AttachRolePolicy", resource: role("web-server"), context: { "iam:PolicyARN": `arn:aws:iam::${ACCOUNT}:policy/patching-log-writer` }, expected: "Allowed" },
    { claim: "…not another program policy", action: "iam:AttachRolePolicy", resource: role("web-server"), context: { "iam:PolicyARN": `arn:aws:iam::${ACCOUNT}:policy/patching-reporting-reader` }, expected: "ExplicitlyDenied" },
    {
        claim: "…and not the log writer onto the deployment roles (tagged)",
        action: "iam:AttachRolePolicy",
        resource: role("multicloud-patching-deployer"),
        context: { ...withBoundary, "iam:PolicyARN": `arn:aws:iam::${ACCOUNT}:policy/patching-log-writer`, [`aws:ResourceTag/${DEPLOYMENT_ACCESS_TAG.key}`]: DEPLOYMENT_ACCESS_TAG.value },
        expected: "ExplicitlyDenied",
    },
    { claim: "no role is created through the exception", action: "iam:CreateRole", resource: role("admin-2"), context: { "iam:PolicyARN": `arn:aws:iam::${ACCOUNT}:policy/patching-log-writer` }, expected: "ExplicitlyDenied" },
    // Default Host Management (issue 15): its setting, and no other service setting.
    { claim: "the Default Host Management setting", action: "ssm:UpdateServiceSetting", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`, expected: "Allowed" },
    { claim: "…reset on destroy", action: "ssm:ResetServiceSetting", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`, expected: "Allowed" },
    { claim: "no other service setting", action: "ssm:UpdateServiceSetting", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:servicesetting/ssm/automation/customer-script-log-destination`, expected: "ImplicitlyDenied" },
    {
        claim: "…and not even Core onto the deployment roles (tagged)",
        action: "iam:AttachRolePolicy",
        resource: role("multicloud-patching-deployer"),
        context: { ...withBoundary, "iam:PolicyARN": MANAGED_POLICIES.ssmManagedInstanceCore, [`aws:ResourceTag/${DEPLOYMENT_ACCESS_TAG.key}`]: DEPLOYMENT_ACCESS_TAG.value },
        expected: "ExplicitlyDenied",
    },
    { claim: "no inline policy on the deployment role", action: "iam:PutRolePolicy", resource: role("multicloud-patching-deployer"), context: withBoundary, expected: "ExplicitlyDenied" },
    { claim: "no boundary is ever removed", action: "iam:DeleteRolePermissionsBoundary", resource: role("patching-x"), context: withBoundary, expected: "ExplicitlyDenied" },
    { claim: "the boundary policy is never changed", action: "iam:CreatePolicyVersion", resource: permissionsBoundaryArn(ACCOUNT), expected: "ExplicitlyDenied" },
    { claim: "program policies may be", action: "iam:CreatePolicyVersion", resource: `arn:aws:iam::${ACCOUNT}:policy/patching-reporting-reader-prod`, expected: "Allowed" },
    { claim: "patching- roles' trust may change (Pulumi updates it in place; see README)", action: "iam:UpdateAssumeRolePolicy", resource: role("patching-managed-node"), context: withBoundary, expected: "Allowed" },
    { claim: "the Automation execution role's trust may not", action: "iam:UpdateAssumeRolePolicy", resource: role("AWS-SystemsManager-AutomationExecutionRole"), context: withBoundary, expected: "ExplicitlyDenied" },
    { claim: "…nor may it be deleted (and re-created with another trust)", action: "iam:DeleteRole", resource: role("AWS-SystemsManager-AutomationExecutionRole"), context: withBoundary, expected: "ExplicitlyDenied" },
    { claim: "program roles are passed to services", action: "iam:PassRole", resource: role("patching-managed-node"), context: { "iam:PassedToService": "ec2.amazonaws.com" }, expected: "Allowed" },
    { claim: "other roles never", action: "iam:PassRole", resource: role("OrganizationAccountAccessRole"), context: { "iam:PassedToService": "lambda.amazonaws.com" }, expected: "ExplicitlyDenied" },
    { claim: "no IAM users", action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT}:user/x`, expected: "ExplicitlyDenied" },
    { claim: "no access keys", action: "iam:CreateAccessKey", resource: `arn:aws:iam::${ACCOUNT}:user/x`, expected: "ExplicitlyDenied" },
    { claim: "no identity providers", action: "iam:CreateOpenIDConnectProvider", resource: `arn:aws:iam::${ACCOUNT}:oidc-provider/example.com`, expected: "ExplicitlyDenied" },
    // STS: only the program's hops.
    { claim: "the administration role assumes execution roles in other accounts", action: "sts:AssumeRole", resource: role("AWS-SystemsManager-AutomationExecutionRole", OTHER), owner: OTHER, expected: "Allowed" },
    { claim: "the OIDC role assumes deployment roles", action: "sts:AssumeRole", resource: role("multicloud-patching-deployer", OTHER), owner: OTHER, expected: "Allowed" },
    { claim: "no other role, even one trusting the account", action: "sts:AssumeRole", resource: role("OrganizationAccountAccessRole"), expected: "ImplicitlyDenied" },
    // Systems Manager: the patch documents only.
    { claim: "AWS-RunPatchBaseline on a node", action: "ssm:SendCommand", resource: document("AWS-RunPatchBaseline"), expected: "Allowed" },
    { claim: "AWS-UpdateSSMAgent", action: "ssm:SendCommand", resource: document("AWS-UpdateSSMAgent"), expected: "Allowed" },
    { claim: "the target node", action: "ssm:SendCommand", resource: INSTANCE, expected: "Allowed" },
    { claim: "not AWS-RunShellScript", action: "ssm:SendCommand", resource: document("AWS-RunShellScript"), expected: "ExplicitlyDenied" },
    { claim: "AWS-RunPatchBaselineWithHooks (the per-node runbook's hooks, issue 17)", action: "ssm:SendCommand", resource: document("AWS-RunPatchBaselineWithHooks"), expected: "Allowed" },
    { claim: "not a program-named document (its content is anyone's)", action: "ssm:SendCommand", resource: document("patching-shell"), expected: "ExplicitlyDenied" },
    { claim: "the inventory association", action: "ssm:CreateAssociation", resource: document("AWS-GatherSoftwareInventory"), expected: "Allowed" },
    { claim: "no association running a shell", action: "ssm:CreateAssociation", resource: document("AWS-RunShellScript"), expected: "ExplicitlyDenied" },
    { claim: "no interactive session", action: "ssm:StartSession", resource: INSTANCE, expected: "ExplicitlyDenied" },
    { claim: "the patch runbooks start", action: "ssm:StartAutomationExecution", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/patching-RunPatchBaseline:$DEFAULT`, expected: "Allowed" },
    { claim: "AWS's runbooks do not", action: "ssm:StartAutomationExecution", resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:automation-definition/AWS-StopEC2Instance:$DEFAULT`, expected: "ImplicitlyDenied" },
    // Lambda: program functions only.
    { claim: "program function code", action: "lambda:UpdateFunctionCode", resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:patching-ssm-role-enforcer`, expected: "Allowed" },
    { claim: "no other function's code", action: "lambda:UpdateFunctionCode", resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:payments`, expected: "ExplicitlyDenied" },
    // DynamoDB (issue 19: the compliance alerts' de-duplication table): program tables only.
    { claim: "items of the alerts table", action: "dynamodb:PutItem", resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/patching-compliance-alerts`, expected: "Allowed" },
    { claim: "the table itself (create, TTL)", action: "dynamodb:UpdateTimeToLive", resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/patching-compliance-alerts`, expected: "Allowed" },
    { claim: "no other table", action: "dynamodb:Scan", resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/customers`, expected: "ImplicitlyDenied" },
    { claim: "no table listing", action: "dynamodb:ListTables", resource: "*", expected: "ImplicitlyDenied" },
    // Config: only the program's recorder.
    { claim: "the program's recorder may stop (destroy, dev)", action: "config:StopConfigurationRecorder", resource: recorder("patching-recorder"), expected: "Allowed" },
    { claim: "another recorder may not", action: "config:StopConfigurationRecorder", resource: recorder("default"), expected: "ExplicitlyDenied" },
    { claim: "…nor be changed", action: "config:PutConfigurationRecorder", resource: recorder("default"), expected: "ExplicitlyDenied" },
    { claim: "evidence retention is never changed", action: "config:PutRetentionConfiguration", resource: "*", expected: "ExplicitlyDenied" },
    // Audit, security, Organizations.
    { claim: "guardduty:DeleteDetector", action: "guardduty:DeleteDetector", resource: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0`, expected: "ExplicitlyDenied" },
    { claim: "guardduty:UpdateFilter", action: "guardduty:UpdateFilter", resource: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0/filter/f`, expected: "ExplicitlyDenied" },
    { claim: "cloudtrail:StopLogging", action: "cloudtrail:StopLogging", resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org`, expected: "ExplicitlyDenied" },
    { claim: "cloudtrail:PutEventSelectors", action: "cloudtrail:PutEventSelectors", resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org`, expected: "ExplicitlyDenied" },
    { claim: "cloudtrail:StopEventDataStoreIngestion", action: "cloudtrail:StopEventDataStoreIngestion", resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:eventdatastore/x`, expected: "ExplicitlyDenied" },
    { claim: "securityhub:DisableSecurityHub", action: "securityhub:DisableSecurityHub", resource: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`, expected: "ExplicitlyDenied" },
    { claim: "organizations:LeaveOrganization", action: "organizations:LeaveOrganization", resource: "*", expected: "ExplicitlyDenied" },
    { claim: "organizations:CreateAccount", action: "organizations:CreateAccount", resource: "*", expected: "ExplicitlyDenied" },
    { claim: "OU targets still resolve (ListAccountsForParent)", action: "organizations:ListAccountsForParent", resource: "arn:aws:organizations::999999999999:ou/o-abcdefghij/ou-ab12-cdefgh34", expected: "Allowed" },
    { claim: "no governance-mode Object Lock bypass, even on a program bucket", action: "s3:BypassGovernanceRetention", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2/x", expected: "ExplicitlyDenied" },
    // Data and keys: program names only.
    { claim: "program bucket objects", action: "s3:PutObject", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2/x", expected: "Allowed" },
    { claim: "no other bucket", action: "s3:DeleteBucket", resource: "arn:aws:s3:::payroll", expected: "ImplicitlyDenied" },
    { claim: "a key behind a program alias", action: "kms:Decrypt", resource: KEY, context: { "kms:ResourceAliases": ["alias/patching-logs"] }, expected: "Allowed" },
    { claim: "no key behind another alias", action: "kms:Decrypt", resource: KEY, context: { "kms:ResourceAliases": ["alias/payroll"] }, expected: "ImplicitlyDenied" },
    { claim: "EBS grants EC2 makes when starting an instance", action: "kms:CreateGrant", resource: KEY, context: { "kms:ResourceAliases": ["alias/ebs"], "kms:GrantIsForAWSResource": "true" }, expected: "Allowed" },
    { claim: "no grant for itself on another key", action: "kms:CreateGrant", resource: KEY, context: { "kms:ResourceAliases": ["alias/ebs"], "kms:GrantIsForAWSResource": "false" }, expected: "ImplicitlyDenied" },
    // EC2: network by tag; instances only started, stopped, profiled.
    { claim: "tags while creating an endpoint", action: "ec2:CreateTags", resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-endpoint/vpce-0123456789abcdef0`, context: { "ec2:CreateAction": "CreateVpcEndpoint" }, expected: "Allowed" },
    { claim: "no tag on an existing instance (a patch group is joined by tag)", action: "ec2:CreateTags", resource: INSTANCE, expected: "ImplicitlyDenied" },
    { claim: "ingress on the program's security group", action: "ec2:AuthorizeSecurityGroupIngress", resource: SG, context: { "aws:ResourceTag/Project": "multicloud-patching" }, expected: "Allowed" },
    { claim: "not on another security group", action: "ec2:AuthorizeSecurityGroupIngress", resource: SG, context: { "aws:ResourceTag/Project": "payments" }, expected: "ImplicitlyDenied" },
    { claim: "instances are stopped for patching", action: "ec2:StopInstances", resource: INSTANCE, expected: "Allowed" },
    { claim: "never launched", action: "ec2:RunInstances", resource: INSTANCE, expected: "ImplicitlyDenied" },
    { claim: "never re-programmed (user data)", action: "ec2:ModifyInstanceAttribute", resource: INSTANCE, expected: "ImplicitlyDenied" },
    { claim: "no CloudFormation", action: "cloudformation:CreateStack", resource: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/x/*`, expected: "ImplicitlyDenied" },
];

/** KMS keys and role trusts need a resource policy: one delegating to the caller's account leaves the decision to the boundary. */
function resourcePolicyFor(row: Row): PolicyDocument | undefined {
    if (!/^(kms|sts):/.test(row.action) && row.owner === undefined) {
        return undefined;
    }
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: row.action, Resource: row.resource }] };
}

describe("components/identity/boundaryDocuments: the program permissions boundary", () => {
    it("fits IAM's 6,144-character managed-policy limit", () => {
        assert.ok(policyCharacters(BOUNDARY) <= MANAGED_POLICY_MAX_CHARACTERS, `${policyCharacters(BOUNDARY)} characters`);
    });

    it("is an allow-list: no Allow of every action, every allow names its services", () => {
        for (const statement of BOUNDARY.Statement.filter((s) => s.Effect === "Allow")) {
            const actions = typeof statement.Action === "string" ? [statement.Action] : [...statement.Action];
            assert.ok(!actions.includes("*"), JSON.stringify(statement));
            assert.ok(actions.every((action) => /^[a-z0-9-]+:[A-Za-z*]+$/.test(action)), JSON.stringify(actions));
        }
    });

    it("decides each documented claim, for a bounded role whose identity policy is *:*", async () => {
        const actual: Record<string, Decision> = {};
        const expected: Record<string, Decision> = {};
        for (const row of ROWS) {
            const resourcePolicy = resourcePolicyFor(row);
            actual[row.claim] = await decide(
                { identity: [ALLOW_ALL], boundary: BOUNDARY, ...(resourcePolicy ? { resourcePolicy } : {}) },
                { principal: PRINCIPAL, action: row.action, resource: row.resource, resourceAccount: row.owner ?? ACCOUNT, ...(row.context ? { context: row.context } : {}) },
            );
            expected[row.claim] = row.expected;
        }
        assert.deepEqual(actual, expected);
    });
});
