/**
 * The program permissions boundary (issue 14, H1): ONE customer managed policy, named
 * PERMISSIONS_BOUNDARY_NAME, in every account, carried by every role the main program and the
 * deployment program create — the deployment (deployer) role and the OIDC role included. A
 * boundary only caps: a role can do what its identity policies AND the boundary allow, minus any
 * explicit Deny in either (IAM user guide, "Permissions boundaries for IAM entities":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 *
 * Because the deployer itself carries it, whatever the deployer builds — a role with an inline
 * `*:*`, handed to a Lambda function it then runs — can never get more than this document allows:
 * an allow-list of the services, actions and name prefixes the program uses (never `Allow *`), and
 * explicit denies that hold whatever a later identity policy grants.
 *
 * Action names, resource types and condition keys: the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * (cited below as "SAR <service>"). `Resource: "*"` only where SAR lists no resource type for the
 * action, or for reads.
 *
 * Size: a managed policy holds at most 6,144 characters without whitespace (IAM quotas,
 * reference_iam-quotas.html); the test asserts it.
 */
import { LOG_WRITER_POLICY_NAME, MANAGED_POLICIES, PATCH_COMMAND_DOCUMENTS, policy, type PolicyStatement } from "./iamDocuments";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { COMPLIANCE_NAMES, CONFIG_ROLE_POLICY_ARN } from "../compliance/complianceDocuments";

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
 * association): the runbooks' patch commands (iamDocuments PATCH_COMMAND_DOCUMENTS:
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

/** A statement that may use NotResource (the shared PolicyStatement type has only Resource). */
export type BoundaryStatement = PolicyStatement | (Omit<PolicyStatement, "Resource"> & { readonly NotResource: string | readonly string[] });

export interface BoundaryDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly BoundaryStatement[];
}

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
}

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/** Roles the program creates in an account: `patching-*` and the Automation roles. */
export function programRoleArns(scope: Pick<ProgramBoundaryScope, "accountId" | "automationRoleNames">): string[] {
    return [`arn:aws:iam::${scope.accountId}:role/${PROGRAM_PREFIX}*`, ...sortedUnique(scope.automationRoleNames).map((name) => `arn:aws:iam::${scope.accountId}:role/${name}`)];
}

/**
 * In the boundary, IAM ARNs name any account (`arn:aws:iam::*:`): IAM writes and PassRole only
 * ever reach roles and policies of the caller's own account, so the account adds nothing but
 * characters to a document capped at 6,144.
 */
const boundaryIamScope = (scope: ProgramBoundaryScope) => ({ accountId: "*", automationRoleNames: scope.automationRoleNames });

/**
 * Reads on every resource (refresh, Describe-before-write, the agent's, the enforcer's and
 * Config's lookups). Not `<service>:Get*` where Get reads data — s3:GetObject, lambda:GetFunction
 * (code, environment), logs:GetLogEvents, athena:GetQueryResults, glue:GetConnection (passwords):
 * those exist only on the program's own resources (statement Named).
 */
const READS = ["ec2:Describe*", "iam:Get*", "iam:List*", "kms:List*", "logs:Describe*", "ssm:Describe*", "ssm:Get*", "ssm:List*", "tag:Get*"];

/**
 * Calls SAR lists without a resource type (so only `*` can grant them) that the program's
 * resources make: CreateKey, CreatePatchBaseline, Create/DeleteActivation, the event bus policy
 * (Put/RemovePermission), CreateGroup, QuickSight's CreateDataSource. Config: rule ARNs carry a
 * generated id, the delivery channel has no ARN, so Config is granted whole — its recorder and
 * retention are guarded by denies.
 */
const UNSCOPED_WRITES = [
    "config:*",
    "events:*Permission",
    "kms:CreateKey",
    "quicksight:CreateDataSource",
    "resource-groups:CreateGroup",
    "ssm:CreateActivation",
    "ssm:CreatePatchBaseline",
    "ssm:DeleteActivation",
];

/**
 * Private connectivity (interface/gateway endpoints and their security group) and the optional
 * awsx VPC: creating also touches the existing VPC, subnets and route tables, which carry no
 * program name or tag. Changing or deleting afterwards needs the program's tag (NetChange).
 */
const NETWORK_CREATES = [
    "ec2:AllocateAddress",
    "ec2:CreateInternetGateway",
    "ec2:CreateNatGateway",
    "ec2:CreateRouteTable",
    "ec2:CreateSecurityGroup",
    "ec2:CreateSubnet",
    "ec2:CreateVpc",
    "ec2:CreateVpcEndpoint",
];

/**
 * The SSM Agent's own calls beyond the ssm reads (AmazonSSMManagedInstanceCore; iamDocuments
 * SSM_AGENT_ACTIONS / AGENT_MESSAGING_ACTIONS) and the runbooks' CancelCommand.
 */
const AGENT_CALLS = [
    "ec2messages:*",
    "ssm:CancelCommand",
    "ssm:PutComplianceItems",
    "ssm:PutConfigurePackageResult",
    "ssm:PutInventory",
    "ssm:Update*AssociationStatus",
    "ssm:UpdateInstanceInformation",
    "ssmmessages:*",
];

/**
 * What the deployer manages, by resource: the main program's resource types (`npm run plan`)
 * under their program names. Shared by the boundary (`runtime`: plus what the program's roles do
 * when patching) and the deployer's own identity policy, so the deployer never holds a grant its
 * boundary takes away.
 */
export function programResourceStatements(scope: ProgramBoundaryScope, runtime = false): PolicyStatement[] {
    const p = PROGRAM_PREFIX;
    return [
        // In the boundary, iam:AttachRolePolicy on every role: the enforcer attaches
        // AmazonSSMManagedInstanceCore to existing instance roles; the denies let nothing else onto a
        // role outside the program. organizations:List*: the administration role lists an OU's
        // accounts when OUs are targeted.
        { Sid: "AnyResource", Effect: "Allow", Action: [...READS, ...UNSCOPED_WRITES, ...NETWORK_CREATES, ...(runtime ? [...AGENT_CALLS, "iam:AttachRolePolicy", "organizations:List*"] : [])], Resource: "*" },
        {
            // Names the program gives (catalog/naming, the components' *_NAMES constants).
            Sid: "Named",
            Effect: "Allow",
            Action: [
                "athena:*",
                "cloudwatch:*",
                "events:*",
                "glue:*Database*",
                "glue:*Partition*",
                "glue:*Table*",
                "glue:*Tag*",
                "kms:*",
                "lambda:*",
                "logs:*",
                "quicksight:*",
                "resource-groups:*",
                "s3:*",
                "scheduler:*",
                "sns:*",
                "sqs:*",
                "ssm:*",
                // In the boundary: the runbooks start/stop patch-group instances, the enforcer
                // associates the managed-node profile (their own policies narrow both by tag and Region).
                ...(runtime ? ["ec2:AssociateIamInstanceProfile", "ec2:StartInstances", "ec2:StopInstances", "iam:*"] : []),
            ],
            Resource: [
                `arn:aws:athena:*:*:workgroup/${p}*`,
                "arn:aws:athena:*:*:datacatalog/AwsDataCatalog",
                `arn:aws:cloudwatch:*:*:alarm:${p}*`,
                // Rules on the default bus (rule/<name>) and on the program's bus (rule/<bus>/<name>).
                `arn:aws:events:*:*:rule/${p}*`,
                `arn:aws:events:*:*:event-bus/${p}*`,
                // Glue (no `-` in database names): the catalog, the reporting database and its tables.
                "arn:aws:glue:*:*:catalog",
                `arn:aws:glue:*:*:database/${PROGRAM_GLUE_PREFIX}*`,
                `arn:aws:glue:*:*:table/${PROGRAM_GLUE_PREFIX}*/*`,
                `arn:aws:kms:*:*:alias/${p}*`,
                `arn:aws:lambda:*:*:function:${p}*`,
                `arn:aws:logs:*:*:log-group:/aws/lambda/${p}*`,
                `arn:aws:quicksight:*:*:datasource/${p}*`,
                `arn:aws:quicksight:*:*:dataset/${p}*`,
                // Resource groups are named after the patch groups (resourceGroupName), not prefixed.
                "arn:aws:resource-groups:*:*:group/*",
                `arn:aws:s3:::${p}*`,
                `arn:aws:scheduler:*:*:schedule-group/${p}*`,
                // schedule/<group>/<name>: every schedule in a program group
                `arn:aws:scheduler:*:*:schedule/${p}*`,
                `arn:aws:sns:*:*:${p}*`,
                `arn:aws:sqs:*:*:${p}*`,
                // SSM: documents and syncs carry program names, patch baselines and associations
                // generated ids. At run time: the runbooks' executions and commands on nodes.
                // Commands and associations: see the denies.
                `arn:aws:ssm:*:*:document/${p}*`,
                `arn:aws:ssm:*:*:resource-data-sync/${p}*`,
                "arn:aws:ssm:*:*:association/*",
                // AWS's documents (no account can own an AWS- name): which ones run on nodes is
                // decided by the deny OnlyProgramResources; AWS's Automation runbooks also need
                // their automation-definition, which no allow names.
                "arn:aws:ssm:*:*:document/AWS-*",
                "arn:aws:ssm:*:*:patchbaseline/*",
                DHMC_SERVICE_SETTING_ARN_PATTERN,
                ...(runtime
                    ? [
                          `arn:aws:ssm:*:*:automation-definition/${p}*`,
                          "arn:aws:ssm:*:*:automation-execution/*",
                          "arn:aws:ssm:*:*:managed-instance/*",
                          "arn:aws:ec2:*:*:instance/*",
                          // The program's roles, instance profiles and policies; the denies decide which
                          // may be written. The deployer's own identity gets programIamStatements instead.
                          ...programRoleArns(boundaryIamScope(scope)),
                          `arn:aws:iam::*:instance-profile/${p}*`,
                          `arn:aws:iam::*:policy/${p}*`,
                      ]
                    : []),
            ],
        },
        {
            // Key ARNs carry no name: the program's keys are those with no alias but program
            // aliases (kms:ResourceAliases, SAR KMS). ForAllValues also holds for a key with no alias
            // yet (create; CreateKey with Tags needs kms:TagResource on all keys of the account,
            // KMS developer guide tag-permissions.html) or any more (destroy deletes the alias
            // first) — so a customer key without any alias whose key policy delegates to IAM is
            // within reach (see the README).
            Sid: "Keys",
            Effect: "Allow",
            Action: "kms:*",
            Resource: "arn:aws:kms:*:*:key/*",
            Condition: { "ForAllValues:StringLike": { "kms:ResourceAliases": `alias/${p}*` } },
        },
        {
            // Changing or deleting: only network resources carrying the program's tag.
            Sid: "NetChange",
            Effect: "Allow",
            Action: ["ec2:*InternetGateway", "ec2:*Route*", "ec2:*SecurityGroup*", "ec2:CreateTags", "ec2:Delete*", "ec2:Modify*", "ec2:ReleaseAddress"],
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/Project": scope.project } },
        },
        {
            // Tags only as part of a create call (ec2:CreateAction is set then, SAR EC2; which
            // creates are allowed is decided above): the program's tag never lands on an existing,
            // foreign resource, nor a patch-group key on an instance.
            Sid: "NetTagOnCreate",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: "*",
            Condition: { Null: { "ec2:CreateAction": "false" } },
        },
    ];
}

/**
 * IAM as the deployer's identity policy grants it: roles, instance profiles and policies under the
 * program's names; roles created, given policies or a boundary only with iam:PermissionsBoundary =
 * the program boundary (SAR IAM: the key of CreateRole, Put/DeleteRolePolicy,
 * Attach/DetachRolePolicy, PutRolePermissionsBoundary); its roles passed to the services that run
 * them. No DeleteRolePermissionsBoundary.
 */
export function programIamStatements(scope: Pick<ProgramBoundaryScope, "accountId" | "automationRoleNames">, passRoleServices: readonly string[]): PolicyStatement[] {
    const iam = `arn:aws:iam::${scope.accountId}`;
    const roles = programRoleArns(scope);
    const withThisBoundary = { "iam:PermissionsBoundary": permissionsBoundaryArn(scope.accountId) };
    return [
        {
            Sid: "ProgramRolesWithTheBoundary",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
            Resource: roles,
            Condition: { StringEquals: withThisBoundary },
        },
        {
            // Only the managed policies the components attach (and the program's own).
            Sid: "AttachOnlyTheProgramsManagedPolicies",
            Effect: "Allow",
            Action: "iam:AttachRolePolicy",
            Resource: roles,
            Condition: {
                StringEquals: withThisBoundary,
                ArnLike: { "iam:PolicyARN": [MANAGED_POLICIES.ssmManagedInstanceCore, MANAGED_POLICIES.ssmManagedEc2InstanceDefault, CONFIG_ROLE_POLICY_ARN, `${iam}:policy/${PROGRAM_PREFIX}*`] },
            },
        },
        {
            Sid: "ProgramRoles",
            Effect: "Allow",
            Action: ["iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription"],
            Resource: roles,
        },
        {
            // Not the Automation roles: their trust is fixed (the boundary's AutomationRolesTrust).
            Sid: "PatchingRolesTrustAndDeletion",
            Effect: "Allow",
            Action: ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy"],
            Resource: roles[0],
        },
        {
            Sid: "PassProgramRolesToTheirServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roles,
            Condition: { StringEquals: { "iam:PassedToService": [...passRoleServices] } },
        },
        {
            Sid: "ProgramInstanceProfilesAndPolicies",
            Effect: "Allow",
            Action: [
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:CreatePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeleteInstanceProfile",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:SetDefaultPolicyVersion",
                "iam:TagInstanceProfile",
                "iam:TagPolicy",
                "iam:UntagInstanceProfile",
                "iam:UntagPolicy",
            ],
            Resource: [`${iam}:instance-profile/${PROGRAM_PREFIX}*`, `${iam}:policy/${PROGRAM_PREFIX}*`],
        },
    ];
}

/** What the program's roles do when patching, beyond programResourceStatements(scope, true). */
function runtimeStatements(scope: ProgramBoundaryScope): PolicyStatement[] {
    return [
        {
            // Starting an instance with customer-managed-key volumes: EC2 creates a grant on the
            // caller's behalf (kms:GrantIsForAWSResource, SAR KMS; EBS guide ebs-encryption-requirements.html).
            Sid: "EbsGrants",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
            // Automation's administration role assumes the execution roles (in any account of the
            // estate); the OIDC role assumes the deployment roles. Nothing else — a role trusting
            // this account's root stays out of reach.
            Sid: "Assume",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: sortedUnique([
                ...scope.automationRoleNames.map((name) => `arn:aws:iam::*:role/${name}`),
                ...scope.deploymentRoles.map((role) => `arn:aws:iam::*:role${role.rolePath ?? "/"}${role.roleName}`),
            ]),
        },
    ];
}

/** Explicit denies: they hold whatever any identity policy (or a later widening of the allows) grants. */
export function boundaryDenyStatements(scope: ProgramBoundaryScope): BoundaryStatement[] {
    const notThisBoundary = { StringNotEquals: { "iam:PermissionsBoundary": permissionsBoundaryArn(scope.accountId) } };
    return [
        {
            // Long-lived credentials outlive the OIDC session; a new or widened identity provider
            // is a new way in; a role stripped of its boundary is uncapped. (User and group reads
            // go too: nothing in the program reads them.)
            Sid: "NoIamBackdoors",
            Effect: "Deny",
            Action: [
                "iam:*AccessKey*",
                "iam:*Group*",
                "iam:*LoginProfile",
                // OpenID Connect and SAML providers
                "iam:*Provider*",
                "iam:*ServiceSpecificCredential",
                "iam:*User*",
                "iam:DeleteRolePermissionsBoundary",
                "iam:Upload*",
            ],
            Resource: "*",
        },
        {
            // A role may only be created, given or stripped of policies, or given a boundary when
            // it carries (or gets) THIS boundary (iam:PermissionsBoundary, SAR IAM; IAM user guide,
            // access_policies_boundaries.html "Delegating responsibility"). StringNotEquals is also
            // true for a role without any boundary. One exception: attaching
            // AmazonSSMManagedInstanceCore or the program's log writer to an existing instance role
            // (the enforcer's job; such roles are the customer's, without this boundary) — Core grants
            // SSM Agent calls only, the log writer PutObject on the log buckets.
            // ArnNotEquals is true when the call names no policy (CreateRole, PutRolePolicy, …).
            Sid: "OnlyWithThisBoundary",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
            Resource: "*",
            Condition: { ...notThisBoundary, ArnNotEquals: { "iam:PolicyARN": [...ENFORCER_ATTACHABLE_POLICY_ARNS] } },
        },
        {
            // The deployment and OIDC roles carry this boundary without being program roles: no
            // policy at all may be attached to them (not even Core, which the next statement lets
            // onto roles outside the program for the enforcer). They are told by their tag.
            Sid: "DeploymentRolesFixed",
            Effect: "Deny",
            Action: "iam:AttachRolePolicy",
            Resource: "*",
            Condition: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_ACCESS_TAG.key}`]: DEPLOYMENT_ACCESS_TAG.value } },
        },
        {
            // The Automation roles are trusted across the estate (administration role → every
            // execution role): their trust never changes, nor are they deleted to come back with
            // another. Changing them is an administrator's bootstrap task.
            Sid: "AutomationRolesTrust",
            Effect: "Deny",
            Action: ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy"],
            Resource: programRoleArns(boundaryIamScope(scope)).slice(1),
        },
        {
            // These writes only ever on the program's own resources. Each pattern below is of one
            // service, so it only ever matches that service's actions:
            // - roles outside the program (the deployment and OIDC roles first, every administrator
            //   role too) are never written, given a policy (but Core, see the condition) or passed
            //   to a service (handing a role to Lambda, EC2 or SSM is acting as it);
            // - managed policies outside the program — this boundary (outside the prefix on purpose)
            //   and the deployer's own — are never written;
            // - Lambda code only in the program's functions;
            // - Run Command and associations only with BOUNDARY_NODE_DOCUMENTS (SendCommand is
            //   authorized on the document, each node and the output bucket; an association on the
            //   association, document and nodes — SAR SSM; AWS documents have an empty account
            //   segment, which `*` matches);
            // - SAR Config: recorder actions take configuration-recorder/<name>/<id>, so only the
            //   program's recorder may be changed or stopped, and retention (how long evidence is
            //   kept; no resource type) never. DeleteDeliveryChannel has no resource type either but
            //   fails while a recorder runs (Config API reference), and no other recorder can be
            //   stopped.
            Sid: "OnlyProgramResources",
            Effect: "Deny",
            Action: [
                "config:*ConfigurationRecorder",
                "config:*RetentionConfiguration",
                "iam:AttachRolePolicy",
                "iam:CreatePolicy*",
                "iam:CreateRole",
                "iam:DeletePolicy*",
                "iam:DeleteRole*",
                "iam:DetachRolePolicy",
                "iam:PassRole",
                "iam:PutRole*",
                "iam:SetDefaultPolicyVersion",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole*",
                "lambda:CreateFunction",
                "lambda:UpdateFunction*",
                "ssm:CreateAssociation*",
                "ssm:SendCommand",
                "ssm:UpdateAssociation",
            ],
            NotResource: [
                ...programRoleArns(boundaryIamScope(scope)),
                `arn:aws:iam::*:policy/${PROGRAM_PREFIX}*`,
                `arn:aws:lambda:*:*:function:${PROGRAM_PREFIX}*`,
                ...BOUNDARY_NODE_DOCUMENTS.map((name) => `arn:aws:ssm:*:*:document/${name}`),
                "arn:aws:ssm:*:*:association/*",
                "arn:aws:ec2:*:*:instance/*",
                "arn:aws:ssm:*:*:managed-instance/*",
                `arn:aws:s3:::${PROGRAM_PREFIX}*`,
                `arn:aws:config:*:*:configuration-recorder/${PROGRAM_CONFIG_RECORDER}/*`,
            ],
            // …except AmazonSSMManagedInstanceCore or the log writer onto (or off) an existing
            // instance role, the enforcer's job. Calls naming no policy lack the key, which IfExists
            // counts as a match.
            Condition: { ArnNotEqualsIfExists: { "iam:PolicyARN": [...ENFORCER_ATTACHABLE_POLICY_ARNS] } },
        },
        {
            // Audit and security services the program never uses are out of reach entirely —
            // CloudTrail (StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors,
            // DeleteEventDataStore, StopEventDataStoreIngestion, …), GuardDuty (detectors, filters,
            // IP sets), Security Hub — retained evidence is never bypassed, the account is not
            // changed. No shells. (Maintenance-window tasks, which run commands as the SSM
            // service-linked role, are not granted at all: no allow names a maintenance window.)
            Sid: "NoAuditOrShells",
            Effect: "Deny",
            Action: [
                "account:*",
                "cloudtrail:*",
                "guardduty:*",
                "s3:BypassGovernanceRetention",
                "securityhub:*",
                "ssm:ResumeSession",
                "ssm:StartSession",
            ],
            Resource: "*",
        },
        {
            // Organizations: everything on anything but a root or an OU is denied — LeaveOrganization
            // and the other resource-less calls included. What remains on roots/OUs is only what the
            // allows grant: List* (the administration role's ListAccountsForParent, SAR
            // Organizations: resource types root, organizationalunit).
            Sid: "NoOrganizationChanges",
            Effect: "Deny",
            Action: "organizations:*",
            NotResource: ["arn:aws:organizations::*:ou/*", "arn:aws:organizations::*:root/*"],
        },
    ];
}

/**
 * THE program permissions boundary of one account. The allow statements go without their Sids
 * (the builders keep them for the deployer's identity policy and for readers of this file): the
 * document must fit IAM's 6,144 characters, and the denies' Sids are the ones that name what is
 * forbidden.
 */
export function programBoundary(scope: ProgramBoundaryScope): BoundaryDocument {
    const allows = [...programResourceStatements(scope, true), ...runtimeStatements(scope)].map(({ Sid: _sid, ...statement }) => statement);
    return { ...policy(...allows), Statement: [...allows, ...boundaryDenyStatements(scope)] };
}

/** IAM's managed-policy size: characters without whitespace (reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

export function policyCharacters(document: unknown): number {
    return JSON.stringify(document).replace(/\s/g, "").length;
}
