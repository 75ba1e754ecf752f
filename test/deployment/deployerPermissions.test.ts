import { strict as assert } from "node:assert";
import * as path from "node:path";
import { permissionsBoundaryArn, PERMISSIONS_BOUNDARY_NAME } from "../../catalog/naming";
import { CONFIG_ROLE_POLICY_ARN } from "../../components/compliance/complianceDocuments";
import { MANAGED_POLICIES, type PolicyDocument } from "../../components/identity/iamDocuments";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";
import { decide, type Decision, type IamPolicies } from "../support/iamSimulation";
import { delegateToAccount, rolePolicies, servicesPolicyFailures, TYPES, type RolePolicies } from "./deployerSimulation";
import { DEPLOYMENT_DIR } from "./fixtures";

/**
 * Issue 14, H1: what the deployment role can do, as the deployment program renders it (its
 * inline and attached policies and its permissions boundary, read off the registered resources),
 * judged by the IAM policy simulator. Before the fix it carried PowerUserAccess and could make
 * itself admin (a role with `*:*` handed to Lambda), run any command on any instance and switch
 * off GuardDuty, Config and CloudTrail.
 */

const MEMBER = "222222222222";
const CENTRAL = "111111111111";
const REGION = "us-east-1";
const BOUNDARY = permissionsBoundaryArn(MEMBER);
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const EXECUTION_ROLE = `arn:aws:iam::${MEMBER}:role/AWS-SystemsManager-AutomationExecutionRole`;
const role = (name: string, account = MEMBER) => `arn:aws:iam::${account}:role/${name}`;
const ssm = (kind: string) => `arn:aws:ssm:${REGION}:${MEMBER}:${kind}`;
// AWS documents' ARNs have an empty account segment (arn:aws:ssm:<region>::document/AWS-…); the
// simulator needs an account to type the resource, and every pattern here uses `*` for it.
const awsDocument = (name: string) => ssm(`document/${name}`);
const INSTANCE = `arn:aws:ec2:${REGION}:${MEMBER}:instance/i-0123456789abcdef0`;
const KEY = `arn:aws:kms:${REGION}:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

interface Row {
    readonly label: string;
    readonly action: string;
    readonly resource: string;
    readonly context?: Record<string, string | string[]>;
    /**
     * Denied because no allow of the boundary grants it (the allow-list), not by an explicit Deny.
     * @default false
     */
    readonly allowList?: boolean;
}

/** Denied to the deployer — and to any role it creates, even one whose identity policy is `*:*`. */
const ABUSE: readonly Row[] = [
    { label: "CreateRole without a boundary", action: "iam:CreateRole", resource: role("patching-escalate") },
    { label: "CreateRole with another boundary", action: "iam:CreateRole", resource: role("patching-escalate"), context: { "iam:PermissionsBoundary": `arn:aws:iam::${MEMBER}:policy/patching-open` } },
    { label: "PutRolePolicy on a program role without the boundary", action: "iam:PutRolePolicy", resource: role("patching-legacy") },
    { label: "AttachRolePolicy AdministratorAccess on a role without the boundary", action: "iam:AttachRolePolicy", resource: role("patching-legacy"), context: { "iam:PolicyARN": ADMINISTRATOR_ACCESS } },
    { label: "AttachRolePolicy AdministratorAccess on an account's admin role", action: "iam:AttachRolePolicy", resource: role("OrganizationAccountAccessRole"), context: { "iam:PolicyARN": ADMINISTRATOR_ACCESS } },
    { label: "DeleteRolePermissionsBoundary of a program role", action: "iam:DeleteRolePermissionsBoundary", resource: role("patching-managed-node"), context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "CreatePolicyVersion of the boundary", action: "iam:CreatePolicyVersion", resource: BOUNDARY },
    { label: "SetDefaultPolicyVersion of the boundary", action: "iam:SetDefaultPolicyVersion", resource: BOUNDARY },
    { label: "DeletePolicy of the boundary", action: "iam:DeletePolicy", resource: BOUNDARY },
    { label: "UpdateAssumeRolePolicy of the Automation execution role", action: "iam:UpdateAssumeRolePolicy", resource: EXECUTION_ROLE, context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "DeleteRole of the Automation execution role", action: "iam:DeleteRole", resource: EXECUTION_ROLE, context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "PassRole of an admin role to Lambda", action: "iam:PassRole", resource: role("OrganizationAccountAccessRole"), context: { "iam:PassedToService": "lambda.amazonaws.com" } },
    { label: "AssumeRole of an admin role", action: "sts:AssumeRole", resource: role("OrganizationAccountAccessRole"), allowList: true },
    { label: "CreateUser", action: "iam:CreateUser", resource: `arn:aws:iam::${MEMBER}:user/backdoor` },
    { label: "CreateAccessKey", action: "iam:CreateAccessKey", resource: `arn:aws:iam::${MEMBER}:user/ci` },
    { label: "CreateLoginProfile", action: "iam:CreateLoginProfile", resource: `arn:aws:iam::${MEMBER}:user/ci` },
    { label: "CreateOpenIDConnectProvider", action: "iam:CreateOpenIDConnectProvider", resource: `arn:aws:iam::${MEMBER}:oidc-provider/token.actions.githubusercontent.com` },
    { label: "SendCommand AWS-RunShellScript", action: "ssm:SendCommand", resource: awsDocument("AWS-RunShellScript") },
    { label: "SendCommand a program-named shell document", action: "ssm:SendCommand", resource: ssm("document/patching-shell") },
    { label: "CreateAssociation AWS-RunShellScript", action: "ssm:CreateAssociation", resource: awsDocument("AWS-RunShellScript") },
    { label: "StartSession on an instance", action: "ssm:StartSession", resource: INSTANCE },
    { label: "UpdateFunctionCode of another function", action: "lambda:UpdateFunctionCode", resource: `arn:aws:lambda:${REGION}:${MEMBER}:function:payments-api` },
    { label: "CreateFunction outside the program's names", action: "lambda:CreateFunction", resource: `arn:aws:lambda:${REGION}:${MEMBER}:function:miner` },
    { label: "guardduty:DeleteDetector", action: "guardduty:DeleteDetector", resource: `arn:aws:guardduty:${REGION}:${MEMBER}:detector/12abc34d567e8fa901bc2d34e56789f0` },
    { label: "guardduty:UpdateDetector", action: "guardduty:UpdateDetector", resource: `arn:aws:guardduty:${REGION}:${MEMBER}:detector/12abc34d567e8fa901bc2d34e56789f0` },
    { label: "StopConfigurationRecorder of another recorder", action: "config:StopConfigurationRecorder", resource: `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/default/abcd1234` },
    { label: "DeleteConfigurationRecorder of another recorder", action: "config:DeleteConfigurationRecorder", resource: `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/default/abcd1234` },
    { label: "cloudtrail:DeleteEventDataStore", action: "cloudtrail:DeleteEventDataStore", resource: `arn:aws:cloudtrail:${REGION}:${MEMBER}:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE` },
    { label: "cloudtrail:StopLogging", action: "cloudtrail:StopLogging", resource: `arn:aws:cloudtrail:${REGION}:${MEMBER}:trail/organization-trail` },
    { label: "securityhub:DisableSecurityHub", action: "securityhub:DisableSecurityHub", resource: `arn:aws:securityhub:${REGION}:${MEMBER}:hub/default` },
    { label: "organizations:LeaveOrganization", action: "organizations:LeaveOrganization", resource: "*" },
    { label: "s3:DeleteBucket of another bucket", action: "s3:DeleteBucket", resource: "arn:aws:s3:::payroll-exports", allowList: true },
    { label: "s3:GetObject from another bucket", action: "s3:GetObject", resource: "arn:aws:s3:::payroll-exports/2024.csv", allowList: true },
    { label: "kms:Decrypt with another team's key", action: "kms:Decrypt", resource: KEY, context: { "kms:ResourceAliases": ["alias/payroll"] }, allowList: true },
    { label: "kms:PutKeyPolicy of another team's key", action: "kms:PutKeyPolicy", resource: KEY, context: { "kms:ResourceAliases": ["alias/payroll"] }, allowList: true },
    { label: "ec2:CreateTags on an existing instance (joining a patch group)", action: "ec2:CreateTags", resource: INSTANCE, allowList: true },
    { label: "ec2:ModifyInstanceAttribute (user data)", action: "ec2:ModifyInstanceAttribute", resource: INSTANCE, allowList: true },
    { label: "ec2:AuthorizeSecurityGroupIngress on another security group", action: "ec2:AuthorizeSecurityGroupIngress", resource: `arn:aws:ec2:${REGION}:${MEMBER}:security-group/sg-0123456789abcdef0`, allowList: true },
    { label: "ec2:RunInstances", action: "ec2:RunInstances", resource: INSTANCE, allowList: true },
    { label: "cloudformation:CreateStack", action: "cloudformation:CreateStack", resource: `arn:aws:cloudformation:${REGION}:${MEMBER}:stack/anything/*`, allowList: true },
];

/** The deployment role's own role and policies: never written by itself. */
function selfWrites(deployer: RolePolicies): Row[] {
    const services = `arn:aws:iam::${MEMBER}:policy/multicloud-patching-deployer-services`;
    // The role's own tags are part of every request on it (aws:ResourceTag/…).
    const tags = deployer.tagContext;
    return [
        { label: "PutRolePolicy on itself", action: "iam:PutRolePolicy", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY } },
        { label: "AttachRolePolicy AdministratorAccess on itself", action: "iam:AttachRolePolicy", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": ADMINISTRATOR_ACCESS } },
        { label: "AttachRolePolicy Core on itself", action: "iam:AttachRolePolicy", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": MANAGED_POLICIES.ssmManagedInstanceCore } },
        { label: "UpdateAssumeRolePolicy of itself", action: "iam:UpdateAssumeRolePolicy", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY } },
        { label: "PutRolePermissionsBoundary on itself", action: "iam:PutRolePermissionsBoundary", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY } },
        { label: "DeleteRolePermissionsBoundary of itself", action: "iam:DeleteRolePermissionsBoundary", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY } },
        { label: "DetachRolePolicy from itself", action: "iam:DetachRolePolicy", resource: deployer.arn, context: { ...tags, "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": services } },
        { label: "TagRole on itself", action: "iam:TagRole", resource: deployer.arn, context: tags },
        { label: "DeleteRole of itself", action: "iam:DeleteRole", resource: deployer.arn, context: tags },
        { label: "CreatePolicyVersion of its services policy", action: "iam:CreatePolicyVersion", resource: services },
        { label: "UpdateAssumeRolePolicy of the OIDC role", action: "iam:UpdateAssumeRolePolicy", resource: role("multicloud-patching-oidc-prod", CENTRAL) },
    ];
}

/** One legitimate call per resource family the prod plan shows (`npm run plan -- --stack prod`). */
const LEGITIMATE: readonly Row[] = [
    { label: "iam: CreateRole of a program role with the boundary", action: "iam:CreateRole", resource: role("patching-managed-node"), context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "iam: CreateRole of the execution role with the boundary", action: "iam:CreateRole", resource: EXECUTION_ROLE, context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "iam: PutRolePolicy on a program role", action: "iam:PutRolePolicy", resource: role("patching-ssm-role-enforcer-us-west-2"), context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "iam: PutRolePolicy on the execution role", action: "iam:PutRolePolicy", resource: EXECUTION_ROLE, context: { "iam:PermissionsBoundary": BOUNDARY } },
    {
        label: "iam: AttachRolePolicy AmazonSSMManagedInstanceCore",
        action: "iam:AttachRolePolicy",
        resource: role("patching-managed-node"),
        context: { "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": MANAGED_POLICIES.ssmManagedInstanceCore },
    },
    { label: "iam: AttachRolePolicy AWS_ConfigRole", action: "iam:AttachRolePolicy", resource: role("patching-config-recorder-us-west-2"), context: { "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": CONFIG_ROLE_POLICY_ARN } },
    { label: "iam: DetachRolePolicy", action: "iam:DetachRolePolicy", resource: EXECUTION_ROLE, context: { "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": MANAGED_POLICIES.ssmAutomationRole } },
    { label: "iam: UpdateAssumeRolePolicy of a patching- role", action: "iam:UpdateAssumeRolePolicy", resource: role("patching-managed-node"), context: { "iam:PermissionsBoundary": BOUNDARY } },
    { label: "iam: DeleteRole of a patching- role", action: "iam:DeleteRole", resource: role("patching-managed-node"), context: { "iam:PermissionsBoundary": BOUNDARY } },
    // The services the plan's resources hand a role to (activations/Automation, the instance
    // profile, event targets, the enforcer, QuickSight, schedules, the Config recorder).
    ...["ssm", "ec2", "events", "lambda", "quicksight", "scheduler", "config"].map((service) => ({
        label: `iam: PassRole to ${service}.amazonaws.com`,
        action: "iam:PassRole",
        resource: role("patching-managed-node"),
        context: { "iam:PassedToService": `${service}.amazonaws.com` },
    })),
    { label: "iam: CreateInstanceProfile", action: "iam:CreateInstanceProfile", resource: `arn:aws:iam::${MEMBER}:instance-profile/patching-managed-node` },
    { label: "iam: AddRoleToInstanceProfile", action: "iam:AddRoleToInstanceProfile", resource: `arn:aws:iam::${MEMBER}:instance-profile/patching-managed-node` },
    { label: "iam: CreatePolicy", action: "iam:CreatePolicy", resource: `arn:aws:iam::${MEMBER}:policy/patching-reporting-reader-prod` },
    { label: "iam: GetRole (refresh)", action: "iam:GetRole", resource: role("patching-managed-node") },
    { label: "s3: CreateBucket", action: "s3:CreateBucket", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "s3: PutBucketPolicy", action: "s3:PutBucketPolicy", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "s3: PutLifecycleConfiguration", action: "s3:PutLifecycleConfiguration", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "s3: PutBucketVersioning", action: "s3:PutBucketVersioning", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "s3: PutEncryptionConfiguration", action: "s3:PutEncryptionConfiguration", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "s3: PutBucketPublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "s3: PutBucketOwnershipControls", action: "s3:PutBucketOwnershipControls", resource: "arn:aws:s3:::patching-patch-logs-222222222222-us-west-2" },
    { label: "kms: CreateKey", action: "kms:CreateKey", resource: "*" },
    { label: "kms: TagResource while creating (no alias yet)", action: "kms:TagResource", resource: KEY },
    { label: "kms: EnableKeyRotation (no alias yet)", action: "kms:EnableKeyRotation", resource: KEY },
    { label: "kms: CreateAlias, the alias side", action: "kms:CreateAlias", resource: `arn:aws:kms:${REGION}:${MEMBER}:alias/patching-logs` },
    { label: "kms: CreateAlias, the key side (no alias yet)", action: "kms:CreateAlias", resource: KEY },
    { label: "kms: PutKeyPolicy of a program key", action: "kms:PutKeyPolicy", resource: KEY, context: { "kms:ResourceAliases": ["alias/patching-logs"] } },
    { label: "kms: ScheduleKeyDeletion after the alias is gone", action: "kms:ScheduleKeyDeletion", resource: KEY },
    { label: "ssm: CreateDocument", action: "ssm:CreateDocument", resource: ssm("document/patching-RunPatchBaseline") },
    { label: "ssm: UpdateDocument", action: "ssm:UpdateDocument", resource: ssm("document/patching-RunPatchBaseline") },
    { label: "ssm: CreatePatchBaseline", action: "ssm:CreatePatchBaseline", resource: "*" },
    { label: "ssm: RegisterPatchBaselineForPatchGroup", action: "ssm:RegisterPatchBaselineForPatchGroup", resource: ssm("patchbaseline/pb-0123456789abcdef0") },
    { label: "ssm: RegisterDefaultPatchBaseline", action: "ssm:RegisterDefaultPatchBaseline", resource: ssm("patchbaseline/pb-0123456789abcdef0") },
    { label: "ssm: CreateAssociation AWS-GatherSoftwareInventory (document)", action: "ssm:CreateAssociation", resource: awsDocument("AWS-GatherSoftwareInventory") },
    { label: "ssm: CreateAssociation (association)", action: "ssm:CreateAssociation", resource: ssm("association/0123abcd-0123-4567-89ab-0123456789ab") },
    { label: "ssm: CreateResourceDataSync", action: "ssm:CreateResourceDataSync", resource: ssm("resource-data-sync/patching-inventory-to-central") },
    { label: "ssm: CreateActivation", action: "ssm:CreateActivation", resource: "*" },
    { label: "resource-groups: CreateGroup", action: "resource-groups:CreateGroup", resource: "*" },
    { label: "resource-groups: UpdateGroupQuery", action: "resource-groups:UpdateGroupQuery", resource: `arn:aws:resource-groups:${REGION}:${MEMBER}:group/Linux` },
    { label: "scheduler: CreateScheduleGroup", action: "scheduler:CreateScheduleGroup", resource: `arn:aws:scheduler:${REGION}:${MEMBER}:schedule-group/patching-prod` },
    { label: "scheduler: CreateSchedule", action: "scheduler:CreateSchedule", resource: `arn:aws:scheduler:${REGION}:${MEMBER}:schedule/patching-prod/Linux-install` },
    { label: "sqs: CreateQueue", action: "sqs:CreateQueue", resource: `arn:aws:sqs:${REGION}:${MEMBER}:patching-prod-schedule-dead-letters` },
    { label: "sns: CreateTopic", action: "sns:CreateTopic", resource: `arn:aws:sns:${REGION}:${MEMBER}:patching-patch-runs` },
    { label: "sns: Subscribe", action: "sns:Subscribe", resource: `arn:aws:sns:${REGION}:${MEMBER}:patching-patch-runs` },
    { label: "sns: SetTopicAttributes (topic policy)", action: "sns:SetTopicAttributes", resource: `arn:aws:sns:${REGION}:${MEMBER}:patching-patch-runs` },
    { label: "events: PutRule on the default bus", action: "events:PutRule", resource: `arn:aws:events:${REGION}:${MEMBER}:rule/patching-forward-patch-run-automation` },
    { label: "events: PutTargets on the program bus", action: "events:PutTargets", resource: `arn:aws:events:${REGION}:${MEMBER}:rule/patching-patch-runs/patching-patch-run-forwarded-automation` },
    { label: "events: CreateEventBus", action: "events:CreateEventBus", resource: `arn:aws:events:${REGION}:${MEMBER}:event-bus/patching-patch-runs` },
    { label: "events: PutPermission (bus policy)", action: "events:PutPermission", resource: "*" },
    { label: "logs: CreateLogGroup", action: "logs:CreateLogGroup", resource: `arn:aws:logs:${REGION}:${MEMBER}:log-group:/aws/lambda/patching-ssm-role-enforcer` },
    { label: "logs: PutRetentionPolicy", action: "logs:PutRetentionPolicy", resource: `arn:aws:logs:${REGION}:${MEMBER}:log-group:/aws/lambda/patching-ssm-role-enforcer` },
    { label: "lambda: CreateFunction", action: "lambda:CreateFunction", resource: `arn:aws:lambda:${REGION}:${MEMBER}:function:patching-ssm-role-enforcer` },
    { label: "lambda: AddPermission", action: "lambda:AddPermission", resource: `arn:aws:lambda:${REGION}:${MEMBER}:function:patching-ssm-role-enforcer` },
    { label: "cloudwatch: PutMetricAlarm", action: "cloudwatch:PutMetricAlarm", resource: `arn:aws:cloudwatch:${REGION}:${MEMBER}:alarm:patching-prod-schedule-failures` },
    { label: "config: PutConfigRule", action: "config:PutConfigRule", resource: `arn:aws:config:${REGION}:${MEMBER}:config-rule/config-rule-abc123` },
    { label: "config: PutConfigurationRecorder (the program's)", action: "config:PutConfigurationRecorder", resource: `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/patching-recorder/abcd1234` },
    { label: "config: StopConfigurationRecorder (the program's)", action: "config:StopConfigurationRecorder", resource: `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/patching-recorder/abcd1234` },
    { label: "config: PutDeliveryChannel", action: "config:PutDeliveryChannel", resource: "*" },
    { label: "config: StartConfigurationRecorder (recorder status)", action: "config:StartConfigurationRecorder", resource: `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/patching-recorder/abcd1234` },
    { label: "config: DeleteDeliveryChannel (fails while a recorder runs)", action: "config:DeleteDeliveryChannel", resource: "*" },
    { label: "config: PutRemediationConfigurations", action: "config:PutRemediationConfigurations", resource: `arn:aws:config:${REGION}:${MEMBER}:remediation-configuration/patching-patch-compliance/abcd1234` },
    { label: "glue: CreateDatabase (catalog)", action: "glue:CreateDatabase", resource: `arn:aws:glue:${REGION}:${MEMBER}:catalog` },
    { label: "glue: CreateDatabase (database)", action: "glue:CreateDatabase", resource: `arn:aws:glue:${REGION}:${MEMBER}:database/patching_inventory_prod` },
    { label: "glue: CreateTable (table)", action: "glue:CreateTable", resource: `arn:aws:glue:${REGION}:${MEMBER}:table/patching_inventory_prod/aws_tag` },
    { label: "athena: CreateWorkGroup", action: "athena:CreateWorkGroup", resource: `arn:aws:athena:${REGION}:${MEMBER}:workgroup/patching-reporting-prod` },
    { label: "athena: CreateNamedQuery", action: "athena:CreateNamedQuery", resource: `arn:aws:athena:${REGION}:${MEMBER}:workgroup/patching-reporting-prod` },
    { label: "quicksight: CreateDataSource", action: "quicksight:CreateDataSource", resource: "*" },
    { label: "quicksight: CreateDataSet (its data source)", action: "quicksight:CreateDataSet", resource: `arn:aws:quicksight:${REGION}:${MEMBER}:datasource/patching-reporting-prod` },
    { label: "ec2: CreateVpcEndpoint in an existing VPC", action: "ec2:CreateVpcEndpoint", resource: `arn:aws:ec2:${REGION}:${MEMBER}:vpc/vpc-0123456789abcdef0` },
    { label: "ec2: CreateSecurityGroup", action: "ec2:CreateSecurityGroup", resource: `arn:aws:ec2:${REGION}:${MEMBER}:security-group/sg-0123456789abcdef0` },
    { label: "ec2: CreateTags while creating", action: "ec2:CreateTags", resource: `arn:aws:ec2:${REGION}:${MEMBER}:vpc-endpoint/vpce-0123456789abcdef0`, context: { "ec2:CreateAction": "CreateVpcEndpoint" } },
    {
        label: "ec2: AuthorizeSecurityGroupIngress on the program's security group",
        action: "ec2:AuthorizeSecurityGroupIngress",
        resource: `arn:aws:ec2:${REGION}:${MEMBER}:security-group/sg-0123456789abcdef0`,
        context: { "aws:ResourceTag/Project": "multicloud-patching" },
    },
    {
        label: "ec2: DeleteVpcEndpoints of the program's endpoint",
        action: "ec2:DeleteVpcEndpoints",
        resource: `arn:aws:ec2:${REGION}:${MEMBER}:vpc-endpoint/vpce-0123456789abcdef0`,
        context: { "aws:ResourceTag/Project": "multicloud-patching" },
    },
    { label: "ec2: DescribeVpcs", action: "ec2:DescribeVpcs", resource: "*" },
];

/** KMS keys and role trusts need a resource policy; one that delegates to the caller's account leaves the decision to what is under test. */
const withResourcePolicy = (policies: IamPolicies, row: Row, accountId: string): IamPolicies =>
    row.action.startsWith("kms:") || row.action.startsWith("sts:") ? { ...policies, resourcePolicy: delegateToAccount(accountId, row.action, row.resource) } : policies;

async function decisions(policies: IamPolicies, principal: string, accountId: string, rows: readonly Row[]): Promise<Record<string, Decision>> {
    const result: Record<string, Decision> = {};
    for (const row of rows) {
        result[row.label] = await decide(withResourcePolicy(policies, row, accountId), { principal, action: row.action, resource: row.resource, resourceAccount: accountId, ...(row.context ? { context: row.context } : {}) });
    }
    return result;
}

const all = (rows: readonly Row[], decision: string) => Object.fromEntries(rows.map((row) => [row.label, decision]));
const notAllowed = (result: Record<string, Decision>) => Object.fromEntries(Object.entries(result).map(([label, decision]) => [label, decision === "Allowed" ? "Allowed" : "denied"]));

describe("the deployment role, as the deployment program renders it (iam-simulate)", () => {
    let evaluation: Evaluation;
    let deployer: RolePolicies;

    before(async () => {
        evaluation = await evaluateProgram({ directory: DEPLOYMENT_DIR, stack: "org", program: path.join(DEPLOYMENT_DIR, "index.ts"), preview: false });
        deployer = rolePolicies(evaluation.recorder, evaluation.recorder.get(TYPES.role, "prod-iam-shared-services-role"));
    });

    it("carries the program boundary, the one the main program's roles carry, created in its account", () => {
        assert.equal(evaluation.recorder.get(TYPES.role, "prod-iam-shared-services-role").inputs["permissionsBoundary"], BOUNDARY);
        const boundaries = evaluation.recorder.find(TYPES.policy).filter((policy) => policy.inputs["name"] === PERMISSIONS_BOUNDARY_NAME);
        assert.equal(boundaries.length, 5, "one per account of dev (2) and prod (3)");
    });

    it("has no AWS managed policy (PowerUserAccess is gone)", () => {
        const attached = evaluation.recorder.find(TYPES.attachment).filter((attachment) => String(attachment.inputs["role"]).startsWith("multicloud-patching-"));
        assert.ok(attached.length > 0);
        assert.deepEqual(
            attached.filter((attachment) => String(attachment.inputs["policyArn"]).startsWith("arn:aws:iam::aws:")).map((attachment) => attachment.name),
            [],
        );
    });

    it("is denied every escalation and tamper path of the review, and every write to its own role, its own policies and the OIDC role", async () => {
        const rows = [...ABUSE, ...selfWrites(deployer)];
        assert.deepEqual(notAllowed(await decisions(deployer.policies, deployer.arn, MEMBER, rows)), all(rows, "denied"));
    });

    it("holds those denies whatever its identity policies say: a mistaken AdministratorAccess on the deployer changes nothing", async () => {
        const widened: IamPolicies = { ...deployer.policies, identity: [...(deployer.policies.identity ?? []), ALLOW_ALL] };
        const rows = [...ABUSE, ...selfWrites(deployer)];
        const expected = Object.fromEntries(rows.map((row) => [row.label, row.allowList ? "ImplicitlyDenied" : "ExplicitlyDenied"]));
        assert.deepEqual(await decisions(widened, deployer.arn, MEMBER, rows), expected);
    });

    it("may do every legitimate thing the program needs, one call per resource family of the plan", async () => {
        assert.deepEqual(await decisions(deployer.policies, deployer.arn, MEMBER, LEGITIMATE), all(LEGITIMATE, "Allowed"));
    });

    it("holds no write its boundary takes away (every Allow of its policies is Allowed under the boundary)", async () => {
        // Wildcard actions are sampled (first, middle, last match). The boundary may deny reads the
        // identity's `iam:Get*`/`iam:List*` include (access keys, users: NoIamBackdoors) — never a write.
        assert.equal(evaluation.recorder.get(TYPES.role, "prod-iam-shared-services-role").inputs["permissionsBoundary"], BOUNDARY, "judged against the program boundary");
        const failures: string[] = [];
        for (const document of deployer.policies.identity ?? []) {
            failures.push(...(await servicesPolicyFailures(document, deployer.policies, deployer.arn, MEMBER, decide)));
        }
        assert.deepEqual(failures, []);
    });

    it("cannot escape through a role it creates: a role with the boundary and an inline *:*, passed to Lambda, is denied the same paths", async () => {
        // The deployer can build the vehicle…
        const build: Row[] = [
            { label: "create the role (with the boundary)", action: "iam:CreateRole", resource: role("patching-escalate"), context: { "iam:PermissionsBoundary": BOUNDARY } },
            { label: "give it *:* inline", action: "iam:PutRolePolicy", resource: role("patching-escalate"), context: { "iam:PermissionsBoundary": BOUNDARY } },
            { label: "pass it to Lambda", action: "iam:PassRole", resource: role("patching-escalate"), context: { "iam:PassedToService": "lambda.amazonaws.com" } },
            { label: "create the function", action: "lambda:CreateFunction", resource: `arn:aws:lambda:${REGION}:${MEMBER}:function:patching-escalate` },
        ];
        assert.deepEqual(await decisions(deployer.policies, deployer.arn, MEMBER, build), all(build, "Allowed"));
        // …but the vehicle is capped by the same boundary: nothing the deployer may not do.
        const vehicle: IamPolicies = { identity: [ALLOW_ALL], ...(deployer.policies.boundary ? { boundary: deployer.policies.boundary } : {}) };
        const paths = [...ABUSE, ...selfWrites(deployer)];
        assert.deepEqual(notAllowed(await decisions(vehicle, role("patching-escalate"), MEMBER, paths)), all(paths, "denied"));
    });

    it("the OIDC role (central account) carries the boundary and may only assume the stack's deployment roles", async () => {
        const oidc = rolePolicies(evaluation.recorder, evaluation.recorder.get(TYPES.role, "prod-iam-oidc-role"));
        assert.equal(oidc.accountId, CENTRAL);
        assert.ok(oidc.policies.boundary, "no boundary on the OIDC role");
        const assume = { action: "sts:AssumeRole", resource: role("multicloud-patching-deployer"), resourceAccount: MEMBER };
        assert.equal(await decide({ ...oidc.policies, resourcePolicy: delegateToAccount(CENTRAL, assume.action, assume.resource) }, { principal: oidc.arn, ...assume }), "Allowed");
        const other: Row[] = [
            { label: "assume an admin role", action: "sts:AssumeRole", resource: role("OrganizationAccountAccessRole", CENTRAL) },
            { label: "create a program role", action: "iam:CreateRole", resource: role("patching-x", CENTRAL), context: { "iam:PermissionsBoundary": permissionsBoundaryArn(CENTRAL) } },
            { label: "read a bucket", action: "s3:GetObject", resource: "arn:aws:s3:::patching-patch-logs-111111111111-us-west-2/x" },
        ];
        assert.deepEqual(notAllowed(await decisions(oidc.policies, oidc.arn, CENTRAL, other)), all(other, "denied"));
    });
});
