/**
 * The program permissions boundary's allow statements (an allow-list of the services, actions and
 * name prefixes the program uses), shared with the deployer's identity policy so the deployer never
 * holds a grant its boundary takes away. Sources: see boundaryDocuments.ts.
 */
import type { PolicyStatement } from "./iamDocuments";
import { boundaryIamScope, DHMC_SERVICE_SETTING_ARN_PATTERN, PROGRAM_GLUE_PREFIX, PROGRAM_PREFIX, programRoleArns, sortedUnique, type ProgramBoundaryScope } from "./boundaryScope";
import { stackSetBoundaryGrant, stackSetStatements, stackSetUnscopedActions } from "./boundaryStackSets";
import { aggregatorBoundaryAllows } from "./boundaryAggregator";
import { quickSightDashboardGrant, quickSightTemplateStackStatements } from "./boundaryQuickSight";

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
 *
 * Patterns name exactly the actions they stand for (SAR; boundaryRoom.test.ts holds each to its
 * list): one pattern instead of two saves characters of IAM's 6,144.
 */
const UNSCOPED_WRITES = [
    "config:*",
    "events:*Permission",
    "kms:CreateKey",
    "quicksight:CreateDataSource",
    "resource-groups:CreateGroup",
    // CreateActivation, DeleteActivation
    "ssm:*Activation",
    "ssm:CreatePatchBaseline",
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
 * The SSM Agent's own calls beyond the ssm reads (AmazonSSMManagedInstanceCore; nodeDocuments
 * SSM_AGENT_ACTIONS / AGENT_MESSAGING_ACTIONS) and the runbooks' CancelCommand.
 */
const AGENT_CALLS = [
    "ec2messages:*",
    "ssm:CancelCommand",
    // PutComplianceItems, PutConfigurePackageResult
    "ssm:PutCo*",
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
    const stackSets = stackSetBoundaryGrant(scope, runtime);
    const dashboard = quickSightDashboardGrant(scope, runtime);
    return [
        // In the boundary, iam:AttachRolePolicy on every role: the enforcer attaches
        // AmazonSSMManagedInstanceCore to existing instance roles; the denies let nothing else onto a
        // role outside the program. organizations:List*: the administration role lists an OU's
        // accounts when OUs are targeted (the denies decide where). Organization mode: see
        // boundaryStackSets.ts and (the Config aggregator's DescribeOrganization) boundaryAggregator.ts.
        {
            Sid: "AnyResource",
            Effect: "Allow",
            Action: [...READS, ...UNSCOPED_WRITES, ...NETWORK_CREATES, ...(runtime ? [...AGENT_CALLS, "iam:AttachRolePolicy", "organizations:List*", ...aggregatorBoundaryAllows(scope)] : []), ...stackSetUnscopedActions(scope, runtime)],
            Resource: "*",
        },
        {
            // Names the program gives (catalog/naming, the components' *_NAMES constants).
            Sid: "Named",
            Effect: "Allow",
            Action: [
                "athena:*",
                "cloudwatch:*",
                // The compliance alerts' de-duplication table (issue 19 item 2, patching-compliance-alerts).
                "dynamodb:*",
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
                // In the boundary: the runbooks start/stop patch-group instances and snapshot them
                // before install (and prune expired snapshots), the enforcer associates the
                // managed-node profile (their own policies narrow all of it by tag and Region).
                // (ec2:St*Instances: StartInstances, StopInstances.)
                ...(runtime ? ["ec2:AssociateIamInstanceProfile", "ec2:CreateSnapshots", "ec2:DeleteSnapshot", "ec2:St*Instances", "iam:*"] : []),
                ...stackSets.actions,
                // The QuickSight dashboard's template stack, where enabled (boundaryQuickSight.ts).
                ...dashboard.actions.filter((action) => !stackSets.actions.includes(action)),
            ],
            Resource: [
                `arn:aws:athena:*:*:workgroup/${p}*`,
                "arn:aws:athena:*:*:datacatalog/AwsDataCatalog",
                `arn:aws:cloudwatch:*:*:alarm:${p}*`,
                `arn:aws:dynamodb:*:*:table/${p}*`,
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
                          // Instances (start/stop, profile), and their volumes and new snapshots
                          // (CreateSnapshots, the prune's DeleteSnapshot): the only ec2 actions
                          // here are those runtime ones, and a type-by-type list would not fit
                          // IAM's 6,144 characters. The roles' own policies narrow them by tag.
                          "arn:aws:ec2:*:*:*",
                          // The program's roles, instance profiles and policies; the denies decide which
                          // may be written. The deployer's own identity gets programIamStatements instead.
                          ...programRoleArns(boundaryIamScope(scope)),
                          `arn:aws:iam::*:instance-profile/${p}*`,
                          `arn:aws:iam::*:policy/${p}*`,
                      ]
                    : []),
                ...stackSets.resources,
                ...dashboard.resources,
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
        ...stackSetStatements(scope, runtime),
        ...quickSightTemplateStackStatements(scope, runtime),
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

/** What the program's roles do when patching, beyond programResourceStatements(scope, true). */
export function runtimeStatements(scope: ProgramBoundaryScope): PolicyStatement[] {
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
