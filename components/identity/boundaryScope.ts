/**
 * What the program permissions boundary (boundaryDocuments.ts) is made of: the names, documents
 * and tags it names, and the scope one account's boundary is rendered for.
 */
import { PATCH_COMMAND_DOCUMENTS } from "./automationDocuments";
import { LOG_WRITER_POLICY_NAME, MANAGED_POLICIES, roleArn } from "./iamDocuments";
import { COMPLIANCE_NAMES } from "../compliance/complianceDocuments";

/**
 * The policies the enforcer may attach to an existing instance role outside the program (the
 * boundary's one exception): AmazonSSMManagedInstanceCore (SSM Agent calls only) and the program's
 * log writer (PutObject on this account's log buckets; issue 15). Any account: IAM attaches only
 * policies of the caller's account or AWS's, and the account would cost characters.
 */
export const ENFORCER_ATTACHABLE_POLICY_ARNS = [MANAGED_POLICIES.ssmManagedInstanceCore, `arn:aws:iam::*:policy/${LOG_WRITER_POLICY_NAME}`] as const;

/**
 * The Default Host Management Configuration setting (SAR SSM: Get/Update/ResetServiceSetting on
 * servicesetting/<id>): the only service setting a boundary-capped principal may change. Its id
 * is /ssm/managed-instance/default-ec2-instance-management-role; no other setting holds
 * "/default-ec2" (the full id would not fit the boundary's 6,144 characters).
 */
export const DHMC_SERVICE_SETTING_ARN_PATTERN = "arn:aws:ssm:*:*:servicesetting/*/default-ec2*";

/** Name prefix of everything the program creates (roles, buckets, functions, topics, aliases, …). */
export const PROGRAM_PREFIX = "patching-";
/** Glue database names cannot hold `-`: the reporting database is `patching_inventory_<stack>`. */
export const PROGRAM_GLUE_PREFIX = "patching_";

/**
 * The only documents a boundary-capped principal may run on nodes (Run Command or State Manager
 * association): the runbooks' patch commands (automationDocuments PATCH_COMMAND_DOCUMENTS:
 * AWS-RunPatchBaseline, AWS-UpdateSSMAgent — AWS-RunPatchBaselineWithHooks stays out until a
 * runbook needs it, because its hooks name further documents the agent runs) and the inventory
 * association's AWS-GatherSoftwareInventory (read-only collection).
 */
export const BOUNDARY_NODE_DOCUMENTS = ["AWS-GatherSoftwareInventory", ...PATCH_COMMAND_DOCUMENTS] as const;

/**
 * Tag DeployerRoles puts on the deployment and OIDC roles. They carry this boundary but are no
 * program role, so the boundary's Core exception (the enforcer attaching
 * AmazonSSMManagedInstanceCore to roles outside the program) must not reach them; the tag cannot
 * be removed (iam:UntagRole outside the program is denied).
 */
export const DEPLOYMENT_ACCESS_TAG = { key: "patching:deployment-access", value: "true" } as const;

/** The program's AWS Config recorder: the only one the boundary lets anyone stop or change. */
export const PROGRAM_CONFIG_RECORDER = COMPLIANCE_NAMES.recorder;

export interface DeploymentRoleRef {
    readonly roleName: string;
    /** @default "/" */
    readonly rolePath?: string;
}

export interface ProgramBoundaryScope {
    /** The account the boundary policy lives in (IAM ARNs are per account). */
    readonly accountId: string;
    /**
     * Value of the `Project` tag the main program's provider puts on every resource
     * (stacks/config standardTags: `Project: <project name>`): marks the program's EC2 network
     * resources, whose ARNs carry no name.
     */
    readonly project: string;
    /** Automation administration/execution role names (configurable, outside the `patching-` prefix). */
    readonly automationRoleNames: readonly string[];
    /** Deployment roles of the stacks using this account: the OIDC role assumes them (in any account). */
    readonly deploymentRoles: readonly DeploymentRoleRef[];
    /**
     * Whether this account is the central account of an organization-mode stack, whose deployment
     * role creates and updates the member StackSets (boundaryStackSets.ts). Member accounts, and
     * every account of a configured-accounts estate, never get CloudFormation.
     * @default false
     */
    readonly stackSetAdministration?: boolean;
    /**
     * Whether this account holds the QuickSight compliance dashboard (issue 19 item 3): the central
     * account of a stack with `reporting.quickSight.enabled`. Its template, analysis and dashboard,
     * and the CloudFormation stack holding the template (boundaryQuickSight.ts). Every other
     * account's boundary stays as it was.
     * @default false
     */
    readonly quickSightDashboard?: boolean;
}

export const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/** Roles the program creates in an account: `patching-*` and the Automation roles. */
export function programRoleArns(scope: Pick<ProgramBoundaryScope, "accountId" | "automationRoleNames">): string[] {
    return [roleArn(scope.accountId, `${PROGRAM_PREFIX}*`), ...sortedUnique(scope.automationRoleNames).map((name) => roleArn(scope.accountId, name))];
}

/**
 * In the boundary, IAM ARNs name any account (`arn:aws:iam::*:`): IAM writes and PassRole only
 * ever reach roles and policies of the caller's own account, so the account adds nothing but
 * characters to a document capped at 6,144.
 */
export const boundaryIamScope = (scope: ProgramBoundaryScope) => ({ accountId: "*", automationRoleNames: scope.automationRoleNames });
