import { z } from "zod";
import { checked, integer, list, oneOf, record, text, type Phrase } from "./configVocabulary";
import { COMPLIANCE_LEVELS, MAX_APPROVE_AFTER_DAYS } from "../components/baselineRules";
import { cidrProblem, OPTIONAL_INTERFACE_ENDPOINTS, RESOURCE_IDS } from "../components/connectivityPolicies";
import { associationScheduleProblems, INVENTORY_DEFAULTS } from "../components/inventoryRules";
import { TRANSITION_STORAGE_CLASSES } from "../components/storageDocuments";
import { OPERATING_SYSTEM_NAMES } from "../components/operatingSystems";
import { EMAIL_PATTERN, HTTPS_URL_PATTERN } from "../components/subscriptionChecks";
import { AWS_REGIONS, isAwsRegion, isOtherPartitionRegion } from "./reference/awsRegions";
import { isIanaTimeZone } from "./reference/timeZones";
import { parseScheduleExpression } from "./reference/scheduleExpressions";

/**
 * The shape of the stack configuration, field by field. Every field carries the sentence that
 * names what is allowed, so a bad value reads `accounts[1].id: "12345" is not a 12-digit AWS
 * account id` (see configErrors.ts). Rules that relate one field to another live in
 * configCrossChecks.ts and only run once this structural pass is clean.
 */

/** Defaults shared by the schema, the docs (README, Pulumi.yaml) and the tests. */
export const CONFIG_DEFAULTS = {
    patchGroupTagKey: "Patch Group",
    automationAdministrationRoleName: "AWS-SystemsManager-AutomationAdministrationRole",
    automationExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
    deploymentRoleName: "multicloud-patching-deployer",
    accountMember: true,
    approveAfterDays: { dev: 0, prod: 7 },
    scan: { expression: "cron(0 3 ? * SUN *)", timeZone: "UTC", flexibleWindowMinutes: 0 },
    patchGroupOptions: { installRunbook: "RunPatchBaseline", rebootOption: "RebootIfNeeded", flexibleWindowMinutes: 0 },
    scheduleRetry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 },
    notifications: { emails: [] as string[], httpsEndpoints: [] as string[], patchRunSuccess: false },
    compliance: { configRecorder: false, remediation: false, remediationOperation: "Scan", remediationMaxAttempts: 3 },
    reporting: { notReportingDays: 7 },
    enforcer: { enabled: true, optOutTagKey: "patching:ssm-enforcer-opt-out", schedule: "rate(1 day)" },
    hybrid: { rotationDays: 14 },
    azureTags: { ownerTagKey: "Owner", environmentTagKey: "Environment" },
    rateControl: { maxConcurrency: "10%", maxErrors: "10%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" },
    logStorage: { encryption: "SSE-S3", transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 90 },
    inventory: {
        schedule: INVENTORY_DEFAULTS.schedule,
        maxConcurrency: INVENTORY_DEFAULTS.maxConcurrency,
        maxErrors: INVENTORY_DEFAULTS.maxErrors,
        dataSyncPrefix: "inventory",
        bucketAccess: "accounts",
    },
    connectivity: { natGateways: "Single" },
} as const;

// ---- field vocabularies -------------------------------------------------------------------

export const ACCOUNT_ID = text(/^\d{12}$/, "a 12-digit AWS account id");
/** Aliases appear in resource names and ARNs-to-be, so they stay short and DNS-like. */
export const ALIAS = text(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "an alias of 2-32 lowercase letters, digits and hyphens, starting with a letter");
export const REGION = checked("an AWS Region", (value) => {
    if (isAwsRegion(value)) {
        return undefined;
    }
    if (isOtherPartitionRegion(value)) {
        return "is in another AWS partition; only commercial aws-partition Regions are supported";
    }
    return `is not an AWS Region; allowed: ${AWS_REGIONS.join(", ")}`;
});
/** IAM role names: 1-64 of [\w+=,.@-] (IAM CreateRole `RoleName`). */
export const ROLE_NAME = text(/^[\w+=,.@-]{1,64}$/, "an IAM role name (1-64 of letters, digits and +=,.@_-)");
export const ROLE_ARN = text(
    /^arn:aws:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/,
    "an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)",
);
export const UUID = text(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
export const ORGANIZATION_ID = text(/^o-[a-z0-9]{10,32}$/, "an AWS Organizations id (o- followed by 10-32 lowercase letters or digits)");
/**
 * Patch group names double as the tag value, the SSM PatchGroup name and the name of the
 * resource group multi-account Automation targets in every account (resource-groups `Name`
 * allows only [a-zA-Z0-9_.-], up to 128), so the strictest of the three rules applies. At most
 * 56 characters: "<name>-install" names its EventBridge Scheduler schedule, which allows 64.
 */
export const PATCH_GROUP_NAME = text(
    /^(?![Aa][Ww][Ss])[A-Za-z0-9][A-Za-z0-9_.-]{0,55}$/,
    "a patch group name (1-56 of letters, digits and _.-, starting with a letter or digit, not with AWS, which resource groups reserve)",
);
/** Patch names in approved/rejected lists (PatchBaseline ApprovedPatches: 1-100 characters each). */
export const PATCH_NAME = text(/^\S.{0,99}$/, "a patch name or KB/CVE/package pattern (1-100 characters)");
export const TIME_ZONE = checked("an IANA time zone", (value) =>
    isIanaTimeZone(value) ? undefined : "is not an IANA time zone name (e.g. UTC, Europe/London, America/Los_Angeles)",
);
export const SCHEDULE_EXPRESSION = checked("a schedule expression", (value) => {
    const parsed = parseScheduleExpression(value);
    return parsed.ok ? undefined : parsed.reason;
});
export const ISO_DATE_TIME = text(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/,
    "an ISO 8601 date-time with offset (e.g. 2026-12-06T02:00:00Z)",
);
/** SSM `MaxConcurrency` pattern: ^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$ */
export const MAX_CONCURRENCY = text(/^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/, "an SSM MaxConcurrency (a count ≥ 1 like \"5\" or a percentage 1%-100% like \"10%\")");
/** SSM `MaxErrors` pattern: ^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$ */
export const MAX_ERRORS = text(/^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/, "an SSM MaxErrors (a count ≥ 0 like \"1\" or a percentage 0%-100% like \"10%\")");
/**
 * Tag keys must be valid for both clouds: AWS (1-128 chars, not `aws:`-prefixed) and Azure
 * (no < > % & \ ? /, at most 512).
 */
export const TAG_KEY = text(/^(?!aws:)[^<>%&\\?/]{1,128}$/i, "a tag key (1-128 characters, none of <>%&\\?/, not starting with aws:)");
export const TAG_VALUE = text(/^[^<>%&\\?/]{0,256}$/, "a tag value (0-256 characters, none of <>%&\\?/)");
/** Azure resource group names: 1-90 of letters, digits, _ ( ) - . and not ending in a period. */
export const AZURE_RESOURCE_GROUP = text(/^[-\w.()]{0,89}[-\w()]$/u, "an Azure resource group name (1-90 of letters, digits, _()-. not ending in .)");
/** Azure VM names: 1-64, no spaces or \/"[]:|<>+=;,?*@&, not starting with _ nor ending with . or -. */
export const AZURE_VM_NAME = text(/^(?!_)[^\s\\/"[\]:|<>+=;,?*@&~!#$%^'{}]{1,64}(?<![.-])$/, "an Azure VM name (1-64 characters without spaces or \\/\"[]:|<>+=;,?*@&, not starting with _ or ending with . or -)");

/** A VPC CIDR from /16 to /24 without host bits: room for public + private subnets in two AZs. */
export const VPC_CIDR = checked("an IPv4 CIDR block from /16 to /24 (e.g. 10.20.0.0/16)", cidrProblem);
const awsId = (kind: keyof typeof RESOURCE_IDS, noun: Phrase) => text(RESOURCE_IDS[kind], `a ${noun} id (${kind}- followed by 8 or 17 hex digits)`);
export const VPC_ID = awsId("vpc", "VPC");
export const SUBNET_ID = awsId("subnet", "subnet");
export const ROUTE_TABLE_ID = awsId("rtb", "route table");
export const SECURITY_GROUP_ID = awsId("sg", "security group");
/** S3 key prefix of the data sync: part of the bucket-policy ARN and the Athena table locations. */
export const DATA_SYNC_PREFIX = text(/^[a-zA-Z0-9_-]{1,64}$/, "a key prefix of 1-64 letters, digits, _ and -");
export const ASSOCIATION_SCHEDULE = checked("a State Manager rate expression", (value) => {
    const problems = associationScheduleProblems(value);
    return problems.length === 0 ? undefined : `${problems[0]}; e.g. rate(12 hours)`;
});

/** PatchRule `ApproveAfterDays`: 0-360 (SSM API reference). */
const APPROVE_AFTER_DAYS = "days after release before a patch is auto-approved";

// ---- the estate ---------------------------------------------------------------------------

export const accountSchema = record(
    {
        alias: ALIAS,
        id: ACCOUNT_ID,
        deploymentRoleArn: ROLE_ARN.optional(),
        regions: list(REGION, "AWS Regions"),
        member: z.boolean({ error: "is not a boolean (true when this account's instances are patched)" }).default(CONFIG_DEFAULTS.accountMember),
    },
    "an account ({alias, id, regions, deploymentRoleArn?, member?})",
);

export const scheduleSchema = record(
    {
        expression: SCHEDULE_EXPRESSION,
        timeZone: TIME_ZONE.default(CONFIG_DEFAULTS.scan.timeZone),
        startDate: ISO_DATE_TIME.optional(),
        // Scheduler FlexibleTimeWindow: OFF (0) or FLEXIBLE with MaximumWindowInMinutes 1-1440.
        flexibleWindowMinutes: integer(0, 1440, "minutes the scheduler may delay a run; 0 = exactly on time").default(CONFIG_DEFAULTS.patchGroupOptions.flexibleWindowMinutes),
    },
    "a schedule ({expression, timeZone?, startDate?, flexibleWindowMinutes?})",
);

export const rateControlSchema = record(
    {
        maxConcurrency: MAX_CONCURRENCY.default(CONFIG_DEFAULTS.rateControl.maxConcurrency),
        maxErrors: MAX_ERRORS.default(CONFIG_DEFAULTS.rateControl.maxErrors),
        targetLocationMaxConcurrency: MAX_CONCURRENCY.default(CONFIG_DEFAULTS.rateControl.targetLocationMaxConcurrency),
        targetLocationMaxErrors: MAX_ERRORS.default(CONFIG_DEFAULTS.rateControl.targetLocationMaxErrors),
    },
    "rate control ({maxConcurrency?, maxErrors?, targetLocationMaxConcurrency?, targetLocationMaxErrors?})",
);

/** A custom approval rule: patch filters (key → values) and an optional compliance level. */
export const approvalRuleSchema = record(
    {
        filters: z.record(
            text(/^[A-Z_]{1,32}$/, "a patch filter key (e.g. CLASSIFICATION)"),
            list(text(/^\S.{0,63}$/, "a patch filter value (1-64 characters)"), "filter values").max(20, { error: "has more than 20 values (the API limit)" }),
            { error: "is not a map of patch filter keys to value lists" },
        ),
        complianceLevel: oneOf(COMPLIANCE_LEVELS as unknown as readonly [string, ...string[]]).optional(),
    },
    "an approval rule ({filters, complianceLevel?})",
);

/** Per-OS baseline options of a patch group (CreatePatchBaseline: at most 50 patches per list). */
export const baselineOptionsSchema = record(
    {
        complianceLevel: oneOf(COMPLIANCE_LEVELS as unknown as readonly [string, ...string[]]).optional(),
        approvedPatches: list(PATCH_NAME, "patch names", 0).max(50, { error: "has more than 50 patches (the API limit)" }).optional(),
        rejectedPatches: list(PATCH_NAME, "patch names", 0).max(50, { error: "has more than 50 patches (the API limit)" }).optional(),
        rejectedPatchesAction: oneOf(["ALLOW_AS_DEPENDENCY", "BLOCK"] as const).optional(),
        setAsDefault: z.boolean({ error: "is not a boolean (make this the Region's default baseline for the OS)" }).optional(),
        approvalRules: list(approvalRuleSchema, "approval rules").max(10, { error: "has more than 10 rules (the API limit)" }).optional(),
    },
    "baseline options ({complianceLevel?, approvedPatches?, rejectedPatches?, rejectedPatchesAction?, setAsDefault?, approvalRules?})",
);

export const patchGroupSchema = record(
    {
        name: PATCH_GROUP_NAME,
        operatingSystems: list(oneOf(OPERATING_SYSTEM_NAMES), "operating systems"),
        approveAfterDays: record(
            { dev: integer(0, MAX_APPROVE_AFTER_DAYS, APPROVE_AFTER_DAYS), prod: integer(0, MAX_APPROVE_AFTER_DAYS, APPROVE_AFTER_DAYS) },
            "approval delays per environment ({dev, prod})",
        ).default({ ...CONFIG_DEFAULTS.approveAfterDays }),
        accounts: list(ALIAS, "account aliases").optional(),
        scan: scheduleSchema.default({ ...CONFIG_DEFAULTS.scan }),
        install: scheduleSchema,
        rateControl: rateControlSchema.default({ ...CONFIG_DEFAULTS.rateControl }),
        installRunbook: oneOf(["RunPatchBaseline", "PatchWithStoppedInstances"] as const).default(CONFIG_DEFAULTS.patchGroupOptions.installRunbook),
        rebootOption: oneOf(["RebootIfNeeded", "NoReboot"] as const).default(CONFIG_DEFAULTS.patchGroupOptions.rebootOption),
        baselines: z
            .partialRecord(oneOf(OPERATING_SYSTEM_NAMES), baselineOptionsSchema, { error: "is not a map of operating system to baseline options" })
            .default({}),
    },
    "a patch group ({name, operatingSystems, install, approveAfterDays?, accounts?, scan?, rateControl?, installRunbook?, rebootOption?, baselines?})",
);

export const azureVmSchema = record(
    { name: AZURE_VM_NAME, os: oneOf(["linux", "windows"] as const), patchGroup: PATCH_GROUP_NAME },
    "an Azure VM ({name, os, patchGroup})",
);

/** Azure location names as ARM uses them (lowercase, no spaces): westeurope, eastus2, uksouth. */
export const AZURE_LOCATION = text(/^[a-z][a-z0-9]{2,30}$/, "an Azure location name (lowercase letters and digits, e.g. westeurope)");

export const azureSubscriptionSchema = record(
    {
        alias: ALIAS,
        subscriptionId: UUID,
        tenantId: UUID,
        resourceGroups: list(
            record({ name: AZURE_RESOURCE_GROUP, location: AZURE_LOCATION, vms: list(azureVmSchema, "Azure VMs") }, "a resource group ({name, location, vms})"),
            "resource groups",
        ),
    },
    "an Azure subscription ({alias, subscriptionId, tenantId, resourceGroups})",
);

export const logStorageSchema = record(
    {
        encryption: oneOf(["SSE-S3", "SSE-KMS"] as const).default(CONFIG_DEFAULTS.logStorage.encryption),
        transitionAfterDays: integer(0, 3650, "days before objects move to cheaper storage").default(CONFIG_DEFAULTS.logStorage.transitionAfterDays),
        transitionStorageClass: oneOf(TRANSITION_STORAGE_CLASSES).default(CONFIG_DEFAULTS.logStorage.transitionStorageClass),
        expireAfterDays: integer(1, 36500, "days before log objects are deleted").default(CONFIG_DEFAULTS.logStorage.expireAfterDays),
        noncurrentVersionExpireAfterDays: integer(1, 3650, "days a replaced or deleted version is kept").default(CONFIG_DEFAULTS.logStorage.noncurrentVersionExpireAfterDays),
    },
    "log storage settings ({encryption?, transitionAfterDays?, transitionStorageClass?, expireAfterDays?, noncurrentVersionExpireAfterDays?})",
);

export const inventorySchema = record(
    {
        schedule: ASSOCIATION_SCHEDULE.default(CONFIG_DEFAULTS.inventory.schedule),
        maxConcurrency: MAX_CONCURRENCY.default(CONFIG_DEFAULTS.inventory.maxConcurrency),
        maxErrors: MAX_ERRORS.default(CONFIG_DEFAULTS.inventory.maxErrors),
        dataSyncPrefix: DATA_SYNC_PREFIX.default(CONFIG_DEFAULTS.inventory.dataSyncPrefix),
        bucketAccess: oneOf(["accounts", "organization"] as const).default(CONFIG_DEFAULTS.inventory.bucketAccess),
    },
    "inventory settings ({schedule?, maxConcurrency?, maxErrors?, dataSyncPrefix?, bucketAccess?})",
);

export const connectivitySchema = record(
    {
        account: ALIAS,
        region: REGION,
        newVpc: record(
            { cidrBlock: VPC_CIDR, natGateways: oneOf(["None", "Single", "OnePerAz"] as const).default(CONFIG_DEFAULTS.connectivity.natGateways) },
            "a new VPC ({cidrBlock, natGateways?})",
        ).optional(),
        existingVpc: record(
            {
                vpcId: VPC_ID,
                // Interface endpoints take at most one subnet per Availability Zone.
                subnetIds: list(SUBNET_ID, "subnet ids, one per Availability Zone").max(6, { error: "has more than 6 subnets; give one per Availability Zone" }),
                routeTableIds: list(ROUTE_TABLE_ID, "route table ids", 0).default([]),
                instanceSecurityGroupIds: list(SECURITY_GROUP_ID, "security group ids", 0).default([]),
            },
            "an existing VPC ({vpcId, subnetIds, routeTableIds?, instanceSecurityGroupIds?})",
        ).optional(),
        optionalEndpoints: list(oneOf(OPTIONAL_INTERFACE_ENDPOINTS), "optional endpoints", 0).default([]),
    },
    "private connectivity for one account and Region ({account, region, newVpc | existingVpc, optionalEndpoints?})",
);

/** EventBridge rule schedules: cron() or rate(), no one-time at(). */
export const RULE_SCHEDULE = checked("an EventBridge rule schedule", (value) => {
    const parsed = parseScheduleExpression(value);
    if (!parsed.ok) {
        return parsed.reason;
    }
    return parsed.expression.kind === "at" ? "is a one-time at() expression; EventBridge rules take cron() or rate()" : undefined;
});

// The same patterns the notification components validate their subscriptions with.
const EMAIL = text(EMAIL_PATTERN, "an email address");
const HTTPS_URL = text(HTTPS_URL_PATTERN, "an https:// URL");

export const scheduleRetrySchema = record(
    {
        maximumRetryAttempts: integer(0, 185, "scheduler retries of a failed invocation").default(CONFIG_DEFAULTS.scheduleRetry.maximumRetryAttempts),
        maximumEventAgeSeconds: integer(60, 86400, "seconds an invocation keeps being retried").default(CONFIG_DEFAULTS.scheduleRetry.maximumEventAgeSeconds),
    },
    "a retry policy ({maximumRetryAttempts?, maximumEventAgeSeconds?})",
);

export const notificationsSchema = record(
    {
        emails: list(EMAIL, "email addresses", 0).default([]),
        httpsEndpoints: list(HTTPS_URL, "https endpoints", 0).default([]),
        // Off by default: every patched node's execution would otherwise page the subscribers.
        patchRunSuccess: z.boolean({ error: "is not a boolean (also announce successful patch runs)" }).default(CONFIG_DEFAULTS.notifications.patchRunSuccess),
    },
    "notification subscriptions ({emails?, httpsEndpoints?, patchRunSuccess?})",
);

export const complianceSchema = record(
    {
        configRecorder: z.boolean({ error: "is not a boolean (create an AWS Config recorder where the account has none)" }).default(CONFIG_DEFAULTS.compliance.configRecorder),
        remediation: z.boolean({ error: "is not a boolean (run the patch runbook on non-compliant nodes automatically)" }).default(CONFIG_DEFAULTS.compliance.remediation),
        remediationOperation: oneOf(["Scan", "Install"] as const).default(CONFIG_DEFAULTS.compliance.remediationOperation),
        remediationMaxAttempts: integer(1, 25, "automatic remediation attempts").default(CONFIG_DEFAULTS.compliance.remediationMaxAttempts),
    },
    "compliance settings ({configRecorder?, remediation?, remediationOperation?, remediationMaxAttempts?})",
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
        optOutTagKey: TAG_KEY.default(CONFIG_DEFAULTS.enforcer.optOutTagKey),
        schedule: RULE_SCHEDULE.default(CONFIG_DEFAULTS.enforcer.schedule),
    },
    "SSM-role enforcer settings ({enabled?, optOutTagKey?, schedule?})",
);

export const hybridSchema = record(
    {
        account: ALIAS.optional(),
        region: REGION.optional(),
        registrationLimit: integer(1, 1000, "nodes one patch group's activation may register").optional(),
        rotationDays: integer(1, 30, "days between activation rotations; expiry stays within 30 days").default(CONFIG_DEFAULTS.hybrid.rotationDays),
    },
    "hybrid activation settings ({account?, region?, registrationLimit?, rotationDays?})",
);

export const azureTagsSchema = record(
    {
        ownerTagKey: TAG_KEY.default(CONFIG_DEFAULTS.azureTags.ownerTagKey),
        owner: TAG_VALUE.optional(),
        environmentTagKey: TAG_KEY.default(CONFIG_DEFAULTS.azureTags.environmentTagKey),
    },
    "Azure tag settings ({ownerTagKey?, owner?, environmentTagKey?})",
);

/** The whole stack configuration, keyed as in `Pulumi.<stack>.yaml` without the project prefix. */
export const estateConfigSchema = record(
    {
        environment: oneOf(["dev", "prod"] as const),
        centralAccount: ALIAS,
        centralRegion: REGION,
        organizationId: ORGANIZATION_ID.optional(),
        // Patch Manager recognises only these two keys (PatchGroup when instance-metadata tags are on).
        patchGroupTagKey: oneOf(["Patch Group", "PatchGroup"] as const).default(CONFIG_DEFAULTS.patchGroupTagKey),
        automationAdministrationRoleName: ROLE_NAME.default(CONFIG_DEFAULTS.automationAdministrationRoleName),
        automationExecutionRoleName: ROLE_NAME.default(CONFIG_DEFAULTS.automationExecutionRoleName),
        deploymentRoleName: ROLE_NAME.default(CONFIG_DEFAULTS.deploymentRoleName),
        tags: z.record(TAG_KEY, TAG_VALUE, { error: "is not a map of tag keys to tag values" }).default({}),
        accounts: list(accountSchema, "accounts"),
        patchGroups: list(patchGroupSchema, "patch groups"),
        azureSubscriptions: list(azureSubscriptionSchema, "Azure subscriptions", 0).default([]),
        logStorage: logStorageSchema.default({ ...CONFIG_DEFAULTS.logStorage }),
        inventory: inventorySchema.default({ ...CONFIG_DEFAULTS.inventory }),
        privateConnectivity: list(connectivitySchema, "private connectivity entries", 0).default([]),
        scheduleRetry: scheduleRetrySchema.default({ ...CONFIG_DEFAULTS.scheduleRetry }),
        notifications: notificationsSchema.default({ emails: [], httpsEndpoints: [], patchRunSuccess: false }),
        compliance: complianceSchema.default({ ...CONFIG_DEFAULTS.compliance }),
        reporting: reportingSchema.default({ ...CONFIG_DEFAULTS.reporting }),
        enforcer: enforcerSchema.default({ ...CONFIG_DEFAULTS.enforcer }),
        hybrid: hybridSchema.default({ ...CONFIG_DEFAULTS.hybrid }),
        azureTags: azureTagsSchema.default({ ...CONFIG_DEFAULTS.azureTags }),
    },
    "the stack configuration",
);

export type EstateConfigInput = z.input<typeof estateConfigSchema>;
export type ParsedEstateConfig = z.output<typeof estateConfigSchema>;

/** Config keys whose values are structured (objects / lists of objects). */
export const STRUCTURED_CONFIG_KEYS = ["tags", "accounts", "patchGroups", "azureSubscriptions", "logStorage", "inventory", "privateConnectivity", "scheduleRetry", "notifications", "compliance", "reporting", "enforcer", "hybrid", "azureTags"] as const;
export const CONFIG_KEYS = Object.keys(estateConfigSchema.shape) as (keyof ParsedEstateConfig)[];
