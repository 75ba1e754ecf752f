import { z } from "zod";
import { OPTIONAL_INTERFACE_ENDPOINTS } from "../../catalog/vpcEndpoints";
import { MAX_OBJECT_LOCK_DAYS, OBJECT_LOCK_MODES, TRANSITION_STORAGE_CLASSES } from "../../catalog/s3";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { integer, list, oneOf, record, text } from "./vocabulary";
import { SLA_DEFAULT_DAYS, slaSchema } from "./schemaSla";
import { checkQuickSightDashboard, quickSightDashboardSchema } from "./schemaQuickSight";

/** The estate-wide settings: storage, inventory, connectivity, notifications, compliance, enforcer, hybrid, Azure tags. */

export const logStorageSchema = record(
    {
        encryption: oneOf(["SSE-S3", "SSE-KMS"] as const).default(CONFIG_DEFAULTS.logStorage.encryption).describe("SSE-KMS: a customer managed key per location, rotated yearly, and one for the central bucket whose policy lets Systems Manager encrypt for the member accounts' syncs."),
        transitionAfterDays: integer(0, 3650, "days before objects move to cheaper storage").default(CONFIG_DEFAULTS.logStorage.transitionAfterDays).describe("At least 30 for the _IA classes (S3 enforces it)."),
        transitionStorageClass: oneOf(TRANSITION_STORAGE_CLASSES).default(CONFIG_DEFAULTS.logStorage.transitionStorageClass).describe("Where objects go after transitionAfterDays."),
        expireAfterDays: integer(1, 36500, "days before log objects are deleted").default(CONFIG_DEFAULTS.logStorage.expireAfterDays).describe("Greater than transitionAfterDays."),
        noncurrentVersionExpireAfterDays: integer(1, 3650, "days a replaced or deleted version is kept").default(CONFIG_DEFAULTS.logStorage.noncurrentVersionExpireAfterDays),
        // Issue 14: S3 Object Lock on the patch-log buckets (audit evidence); off unless set.
        objectLock: record(
            { mode: oneOf(OBJECT_LOCK_MODES), days: integer(1, MAX_OBJECT_LOCK_DAYS, "days each patch-log object version stays locked") },
            "an Object Lock default retention ({mode: GOVERNANCE, days})",
        ).optional().describe("S3 Object Lock default retention on every location's patch-log bucket, as audit evidence; days at most expireAfterDays. Irreversible on the bucket (see Object Lock below). Off when absent."),
    },
    "log storage settings ({encryption?, transitionAfterDays?, transitionStorageClass?, expireAfterDays?, noncurrentVersionExpireAfterDays?, objectLock?})",
);

export const inventorySchema = record(
    {
        schedule: field.ASSOCIATION_SCHEDULE.default(CONFIG_DEFAULTS.inventory.schedule).describe("At least 30 minutes."),
        maxConcurrency: field.MAX_CONCURRENCY.default(CONFIG_DEFAULTS.inventory.maxConcurrency),
        maxErrors: field.MAX_ERRORS.default(CONFIG_DEFAULTS.inventory.maxErrors),
        dataSyncPrefix: field.DATA_SYNC_PREFIX.default(CONFIG_DEFAULTS.inventory.dataSyncPrefix).describe("Key prefix of the Resource Data Sync in the central bucket."),
        bucketAccess: oneOf(["accounts", "organization"] as const).default(CONFIG_DEFAULTS.inventory.bucketAccess).describe("accounts: the central bucket policy names every member account; organization: one statement conditioned on aws:SourceOrgID, needs organizationId — for when the account list would push the policy over S3's 20 KB limit (checked); not yet verified against a live Resource Data Sync, so try it in dev first."),
    },
    "inventory settings ({schedule?, maxConcurrency?, maxErrors?, dataSyncPrefix?, bucketAccess?})",
);

export const connectivitySchema = record(
    {
        account: field.ALIAS.describe("A member alias."),
        region: field.REGION.describe("One of that account's Regions."),
        newVpc: record(
            { cidrBlock: field.VPC_CIDR, natGateways: oneOf(["None", "Single", "OnePerAz"] as const).default(CONFIG_DEFAULTS.connectivity.natGateways).describe("Single is the cheapest set-up that still lets Ubuntu/RHEL/Windows reach their non-S3 repositories; None suits Amazon Linux only.") },
            "a new VPC ({cidrBlock, natGateways?})",
        ).optional().describe("An awsx VPC with public and private subnets in two AZs. Exactly one of newVpc and existingVpc."),
        existingVpc: record(
            {
                vpcId: field.VPC_ID,
                // Interface endpoints take at most one subnet per Availability Zone.
                subnetIds: list(field.SUBNET_ID, "subnet ids, one per Availability Zone").max(6, { error: "has more than 6 subnets; give one per Availability Zone" }),
                routeTableIds: list(field.ROUTE_TABLE_ID, "route table ids", 0).default([]).describe("The S3 gateway endpoint is created on these only: its policy governs all S3 traffic from them, and a route table holds one S3 gateway endpoint."),
                instanceSecurityGroupIds: list(field.SECURITY_GROUP_ID, "security group ids", 0).default([]).describe("The instances' security groups the endpoints admit on TCP 443. Empty: one is created."),
            },
            "an existing VPC ({vpcId, subnetIds, routeTableIds?, instanceSecurityGroupIds?})",
        ).optional().describe("A VPC you have; it needs DNS hostnames and DNS resolution on for private DNS."),
        optionalEndpoints: list(oneOf(OPTIONAL_INTERFACE_ENDPOINTS), "optional endpoints", 0).default([]).describe("Interface endpoints beyond ssm, ssmmessages and ec2messages."),
    },
    "private connectivity for one account and Region ({account, region, newVpc | existingVpc, optionalEndpoints?})",
);

export const scheduleRetrySchema = record(
    {
        maximumRetryAttempts: integer(0, 185, "scheduler retries of a failed invocation").default(CONFIG_DEFAULTS.scheduleRetry.maximumRetryAttempts),
        maximumEventAgeSeconds: integer(60, 86400, "seconds an invocation keeps being retried").default(CONFIG_DEFAULTS.scheduleRetry.maximumEventAgeSeconds),
    },
    "a retry policy ({maximumRetryAttempts?, maximumEventAgeSeconds?})",
);

export const notificationsSchema = record(
    {
        emails: list(field.EMAIL, "email addresses", 0).default([]),
        httpsEndpoints: list(field.HTTPS_URL, "https endpoints", 0).default([]).describe("An https endpoint usually carries a credential: each is a Pulumi secret in state and its resource name shows only the host. Keep it encrypted in the stack file too: pulumi config set --secret --path 'notifications.httpsEndpoints[0]' <url>."),
        // Off by default: every patched node's execution would otherwise page the subscribers.
        patchRunSuccess: z.boolean({ error: "is not a boolean (also announce successful patch runs)" }).default(CONFIG_DEFAULTS.notifications.patchRunSuccess).describe("One message per patched node, so keep it off where the subscribers page someone."),
    },
    "notification subscriptions ({emails?, httpsEndpoints?, patchRunSuccess?})",
);

/**
 * Automatic remediation of patch non-compliance. Ranges: PutRemediationConfigurations
 * (MaximumAutomaticAttempts 1-25, RetryAttemptSeconds 1-2678000). rebootOption is checked against
 * the mode in crossChecks.ts (NoReboot cannot converge); the window against the attempts in
 * components/compliance (it depends on the wrapper runbook's timeouts).
 */
export const remediationSchema = record(
    {
        mode: oneOf(["install", "refresh-compliance"] as const).default(CONFIG_DEFAULTS.remediation.mode).describe("install runs patching-RunPatchBaseline with Operation=Install; refresh-compliance runs it with Operation=Scan (installs nothing, never reboots: it only refreshes the node's compliance data)."),
        rebootOption: oneOf(["RebootIfNeeded", "NoReboot"] as const).optional().describe("Mode install only, and only RebootIfNeeded (the default): NoReboot is refused, a node waiting for a reboot would never become compliant."),
        maximumAutomaticAttempts: integer(1, 25, "remediation attempts within retryAttemptSeconds before AWS Config stops and records a remediation exception").default(
            CONFIG_DEFAULTS.remediation.maximumAutomaticAttempts,
        ).describe("Attempts per node; then Config records a remediation exception."),
        retryAttemptSeconds: integer(1, 2678000, "seconds in which maximumAutomaticAttempts are counted").default(CONFIG_DEFAULTS.remediation.retryAttemptSeconds).describe("At least maximumAutomaticAttempts × 7560 (the wrapper runbook's timeouts)."),
    },
    "remediation settings ({mode?, rebootOption?, maximumAutomaticAttempts?, retryAttemptSeconds?}), true or false",
);

/** The keys remediation had before issue 15: one line naming the key that replaced each. */
const replacedBy = (replacement: string) => z.undefined({ error: `was replaced by ${replacement}` }).optional();

export const complianceSchema = record(
    {
        configRecorder: z.boolean({ error: "is not a boolean (create an AWS Config recorder where the account has none)" }).default(CONFIG_DEFAULTS.compliance.configRecorder).describe("false: the Config rules use the account's existing recorder (most organisations have one); true: a recorder per member location limited to the SSM/EC2 resource types the rules evaluate, delivering to the inventory-log bucket under config/."),
        // true = the defaults, false/absent = off.
        remediation: z.preprocess((value) => (value === true ? {} : value === false ? undefined : value), remediationSchema.optional()).describe("Automatic AWS Config remediation of patch non-compliance: true turns it on with the defaults, an object sets them (see Automatic remediation). Off when absent or false."),
        remediationOperation: replacedBy("compliance.remediation.mode (install, or refresh-compliance for the old Scan)"),
        remediationMaxAttempts: replacedBy("compliance.remediation.maximumAutomaticAttempts"),
        sla: slaSchema.default({ ...SLA_DEFAULT_DAYS }).describe("Patch SLAs: days a missing patch may stay missing, per compliance severity (the baseline rule's complianceLevel, one scale for every OS). The SLA report and the daily digest count breaches and patches due within 7 days (see Patch SLAs)."),
    },
    "compliance settings ({configRecorder?, remediation?: true | {mode?, rebootOption?, maximumAutomaticAttempts?, retryAttemptSeconds?}, sla?})",
);

export const reportingSchema = record(
    {
        notReportingDays: integer(1, 365, "days without a patch scan or install before a node counts as not reporting").default(CONFIG_DEFAULTS.reporting.notReportingDays),
        // QuickSight's owner: a user or group ARN of the account's (Enterprise) QuickSight subscription.
        quickSightPrincipalArn: text(/^arn:aws:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/.+$/, "a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>)").optional().describe("Adds a QuickSight data source and data set owned by this user or group (the central account's Enterprise QuickSight subscription). Off when absent."),
        quickSight: quickSightDashboardSchema.optional().describe("The QuickSight compliance dashboard ({enabled?, readers?}). Off when absent."),
    },
    "reporting settings ({notReportingDays?, quickSightPrincipalArn?, quickSight?})",
).superRefine(checkQuickSightDashboard);

export const enforcerSchema = record(
    {
        enabled: z.boolean({ error: "is not a boolean (deploy the SSM-role enforcer Lambda)" }).default(CONFIG_DEFAULTS.enforcer.enabled),
        optOutTagKey: field.TAG_KEY.default(CONFIG_DEFAULTS.enforcer.optOutTagKey).describe("Instances carrying this tag (any value except false) are left alone."),
        schedule: field.RULE_SCHEDULE.default(CONFIG_DEFAULTS.enforcer.schedule).describe("How often the enforcer sweeps every member Region."),
        // Scope of the AmazonSSMManagedInstanceCore attach (issue 14, M5): roles tagged <key>=true,
        // or under the optional path; never "/" (see fields.ts).
        instanceRoleTagKey: field.IAM_TAG_KEY.default(CONFIG_DEFAULTS.enforcer.instanceRoleTagKey).describe("A role carrying this tag with the value true may receive AmazonSSMManagedInstanceCore (if trusted by ec2.amazonaws.com only)."),
        instanceRolePath: field.IAM_ROLE_SUBPATH.optional().describe("Roles under this path (e.g. /instances/) are in scope too."),
    },
    "SSM-role enforcer settings ({enabled?, optOutTagKey?, schedule?, instanceRoleTagKey?, instanceRolePath?})",
);

// How nodes outside the program's instance profile get write access to the log buckets (issue 15).
export const logAccessSchema = record(
    {
        enforcerAttach: z.boolean({ error: "is not a boolean (the enforcer also attaches patching-log-writer to the in-scope instance roles it gives Core)" }).default(CONFIG_DEFAULTS.logAccess.enforcerAttach),
        defaultHostManagement: list(
            record({ account: field.ALIAS, regions: list(field.REGION, "Regions").optional() }, "a Default Host Management location ({account, regions?})"),
            "Default Host Management locations",
            0,
        ).default([]).describe("Locations whose Default Host Management Configuration the program owns: a member alias, and its Regions (omitted: all of them); each account at most once."),
    },
    "log access settings ({enforcerAttach?, defaultHostManagement?: [{account, regions?}]})",
);

export const hybridSchema = record(
    {
        account: field.ALIAS.optional().describe("A member alias; every patch group with Azure VMs must include it. Unset: the central account if it is a member, else the first member."),
        region: field.REGION.optional().describe("One of that account's Regions. Unset: the central Region if the account patches there, else its first Region."),
        registrationLimit: integer(1, 1000, "nodes one patch group's activation may register").optional().describe("Unset: exactly the group's configured VMs, because a leaked code could register rogue nodes up to the limit; never below the group's VM count."),
        rotationDays: integer(1, 30, "days between activation rotations; expiry stays within 30 days").default(CONFIG_DEFAULTS.hybrid.rotationDays).describe("Activations expire at the start of the current rotationDays window + 30 days, so ordinary runs keep them and they are replaced when the window rolls over."),
    },
    "hybrid activation settings ({account?, region?, registrationLimit?, rotationDays?})",
);

export const azureTagsSchema = record(
    {
        ownerTagKey: field.TAG_KEY.default(CONFIG_DEFAULTS.azureTags.ownerTagKey),
        owner: field.TAG_VALUE.optional().describe("The owner tag's value. Unset: the estate's tags.<ownerTagKey>; required one way or the other when Azure VMs are configured."),
        environmentTagKey: field.TAG_KEY.default(CONFIG_DEFAULTS.azureTags.environmentTagKey).describe("Its value is the stack's environment."),
    },
    "Azure tag settings ({ownerTagKey?, owner?, environmentTagKey?})",
);
