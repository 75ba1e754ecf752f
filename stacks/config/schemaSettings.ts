import { z } from "zod";
import { OPTIONAL_INTERFACE_ENDPOINTS } from "../../catalog/vpcEndpoints";
import { MAX_OBJECT_LOCK_DAYS, OBJECT_LOCK_MODES, TRANSITION_STORAGE_CLASSES } from "../../catalog/s3";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { integer, list, oneOf, record, text } from "./vocabulary";

/** The estate-wide settings: storage, inventory, connectivity, notifications, compliance, enforcer, hybrid, Azure tags. */

export const logStorageSchema = record(
    {
        encryption: oneOf(["SSE-S3", "SSE-KMS"] as const).default(CONFIG_DEFAULTS.logStorage.encryption),
        transitionAfterDays: integer(0, 3650, "days before objects move to cheaper storage").default(CONFIG_DEFAULTS.logStorage.transitionAfterDays),
        transitionStorageClass: oneOf(TRANSITION_STORAGE_CLASSES).default(CONFIG_DEFAULTS.logStorage.transitionStorageClass),
        expireAfterDays: integer(1, 36500, "days before log objects are deleted").default(CONFIG_DEFAULTS.logStorage.expireAfterDays),
        noncurrentVersionExpireAfterDays: integer(1, 3650, "days a replaced or deleted version is kept").default(CONFIG_DEFAULTS.logStorage.noncurrentVersionExpireAfterDays),
        // Issue 14: S3 Object Lock on the patch-log buckets (audit evidence); off unless set.
        objectLock: record(
            { mode: oneOf(OBJECT_LOCK_MODES), days: integer(1, MAX_OBJECT_LOCK_DAYS, "days each patch-log object version stays locked") },
            "an Object Lock default retention ({mode: GOVERNANCE, days})",
        ).optional(),
    },
    "log storage settings ({encryption?, transitionAfterDays?, transitionStorageClass?, expireAfterDays?, noncurrentVersionExpireAfterDays?, objectLock?})",
);

export const inventorySchema = record(
    {
        schedule: field.ASSOCIATION_SCHEDULE.default(CONFIG_DEFAULTS.inventory.schedule),
        maxConcurrency: field.MAX_CONCURRENCY.default(CONFIG_DEFAULTS.inventory.maxConcurrency),
        maxErrors: field.MAX_ERRORS.default(CONFIG_DEFAULTS.inventory.maxErrors),
        dataSyncPrefix: field.DATA_SYNC_PREFIX.default(CONFIG_DEFAULTS.inventory.dataSyncPrefix),
        bucketAccess: oneOf(["accounts", "organization"] as const).default(CONFIG_DEFAULTS.inventory.bucketAccess),
    },
    "inventory settings ({schedule?, maxConcurrency?, maxErrors?, dataSyncPrefix?, bucketAccess?})",
);

export const connectivitySchema = record(
    {
        account: field.ALIAS,
        region: field.REGION,
        newVpc: record(
            { cidrBlock: field.VPC_CIDR, natGateways: oneOf(["None", "Single", "OnePerAz"] as const).default(CONFIG_DEFAULTS.connectivity.natGateways) },
            "a new VPC ({cidrBlock, natGateways?})",
        ).optional(),
        existingVpc: record(
            {
                vpcId: field.VPC_ID,
                // Interface endpoints take at most one subnet per Availability Zone.
                subnetIds: list(field.SUBNET_ID, "subnet ids, one per Availability Zone").max(6, { error: "has more than 6 subnets; give one per Availability Zone" }),
                routeTableIds: list(field.ROUTE_TABLE_ID, "route table ids", 0).default([]),
                instanceSecurityGroupIds: list(field.SECURITY_GROUP_ID, "security group ids", 0).default([]),
            },
            "an existing VPC ({vpcId, subnetIds, routeTableIds?, instanceSecurityGroupIds?})",
        ).optional(),
        optionalEndpoints: list(oneOf(OPTIONAL_INTERFACE_ENDPOINTS), "optional endpoints", 0).default([]),
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
        httpsEndpoints: list(field.HTTPS_URL, "https endpoints", 0).default([]),
        // Off by default: every patched node's execution would otherwise page the subscribers.
        patchRunSuccess: z.boolean({ error: "is not a boolean (also announce successful patch runs)" }).default(CONFIG_DEFAULTS.notifications.patchRunSuccess),
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
        mode: oneOf(["install", "refresh-compliance"] as const).default(CONFIG_DEFAULTS.remediation.mode),
        rebootOption: oneOf(["RebootIfNeeded", "NoReboot"] as const).optional(),
        maximumAutomaticAttempts: integer(1, 25, "remediation attempts within retryAttemptSeconds before AWS Config stops and records a remediation exception").default(
            CONFIG_DEFAULTS.remediation.maximumAutomaticAttempts,
        ),
        retryAttemptSeconds: integer(1, 2678000, "seconds in which maximumAutomaticAttempts are counted").default(CONFIG_DEFAULTS.remediation.retryAttemptSeconds),
    },
    "remediation settings ({mode?, rebootOption?, maximumAutomaticAttempts?, retryAttemptSeconds?}), true or false",
);

/** The keys remediation had before issue 15: one line naming the key that replaced each. */
const replacedBy = (replacement: string) => z.undefined({ error: `was replaced by ${replacement}` }).optional();

export const complianceSchema = record(
    {
        configRecorder: z.boolean({ error: "is not a boolean (create an AWS Config recorder where the account has none)" }).default(CONFIG_DEFAULTS.compliance.configRecorder),
        // true = the defaults, false/absent = off.
        remediation: z.preprocess((value) => (value === true ? {} : value === false ? undefined : value), remediationSchema.optional()),
        remediationOperation: replacedBy("compliance.remediation.mode (install, or refresh-compliance for the old Scan)"),
        remediationMaxAttempts: replacedBy("compliance.remediation.maximumAutomaticAttempts"),
    },
    "compliance settings ({configRecorder?, remediation?: true | {mode?, rebootOption?, maximumAutomaticAttempts?, retryAttemptSeconds?}})",
);

export const reportingSchema = record(
    {
        notReportingDays: integer(1, 365, "days without a patch scan or install before a node counts as not reporting").default(CONFIG_DEFAULTS.reporting.notReportingDays),
        // QuickSight's owner: a user or group ARN of the account's (Enterprise) QuickSight subscription.
        quickSightPrincipalArn: text(/^arn:aws:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/.+$/, "a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>)").optional(),
    },
    "reporting settings ({notReportingDays?, quickSightPrincipalArn?})",
);

export const enforcerSchema = record(
    {
        enabled: z.boolean({ error: "is not a boolean (deploy the SSM-role enforcer Lambda)" }).default(CONFIG_DEFAULTS.enforcer.enabled),
        optOutTagKey: field.TAG_KEY.default(CONFIG_DEFAULTS.enforcer.optOutTagKey),
        schedule: field.RULE_SCHEDULE.default(CONFIG_DEFAULTS.enforcer.schedule),
        // Scope of the AmazonSSMManagedInstanceCore attach (issue 14, M5): roles tagged <key>=true,
        // or under the optional path; never "/" (see fields.ts).
        instanceRoleTagKey: field.IAM_TAG_KEY.default(CONFIG_DEFAULTS.enforcer.instanceRoleTagKey),
        instanceRolePath: field.IAM_ROLE_SUBPATH.optional(),
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
        ).default([]),
    },
    "log access settings ({enforcerAttach?, defaultHostManagement?: [{account, regions?}]})",
);

export const hybridSchema = record(
    {
        account: field.ALIAS.optional(),
        region: field.REGION.optional(),
        registrationLimit: integer(1, 1000, "nodes one patch group's activation may register").optional(),
        rotationDays: integer(1, 30, "days between activation rotations; expiry stays within 30 days").default(CONFIG_DEFAULTS.hybrid.rotationDays),
    },
    "hybrid activation settings ({account?, region?, registrationLimit?, rotationDays?})",
);

export const azureTagsSchema = record(
    {
        ownerTagKey: field.TAG_KEY.default(CONFIG_DEFAULTS.azureTags.ownerTagKey),
        owner: field.TAG_VALUE.optional(),
        environmentTagKey: field.TAG_KEY.default(CONFIG_DEFAULTS.azureTags.environmentTagKey),
    },
    "Azure tag settings ({ownerTagKey?, owner?, environmentTagKey?})",
);
