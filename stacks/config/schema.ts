import { z } from "zod";
import { COMPLIANCE_LEVELS, MAX_APPROVE_AFTER_DAYS } from "../../catalog/patchBaselines";
import { OPTIONAL_INTERFACE_ENDPOINTS } from "../../catalog/vpcEndpoints";
import { INVENTORY_DEFAULTS } from "../../catalog/inventoryAssociation";
import { OPERATING_SYSTEM_NAMES } from "../../catalog/operatingSystems";
import { CALL_AS, MAX_EXCLUDED_ACCOUNTS, STACK_SET_OPERATION_DEFAULTS, STACK_SET_REGION_CONCURRENCY } from "../../catalog/organizations";
import { MAX_OBJECT_LOCK_DAYS, OBJECT_LOCK_MODES, TRANSITION_STORAGE_CLASSES } from "../../catalog/s3";
import * as field from "./fields";
import { integer, list, oneOf, record, text } from "./vocabulary";

/**
 * The shape of the stack configuration, field by field. Every field carries the sentence that
 * names what is allowed, so a bad value reads `accounts[1].id: "12345" is not a 12-digit AWS
 * account id` (see errors.ts). Rules that relate one field to another live in
 * crossChecks.ts and only run once this structural pass is clean.
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
    compliance: { configRecorder: false },
    /** `compliance.remediation: true` (or an object): an Install that reboots if needed, 3 attempts a day (components/compliance explains why). */
    remediation: { mode: "install", maximumAutomaticAttempts: 3, retryAttemptSeconds: 86400 },
    reporting: { notReportingDays: 7 },
    enforcer: { enabled: true, optOutTagKey: "patching:ssm-enforcer-opt-out", schedule: "rate(1 day)", instanceRoleTagKey: "patching:ssm-instance-role" },
    hybrid: { rotationDays: 14 },
    logAccess: { enforcerAttach: true },
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
    organization: { callAs: "SELF", operationPreferences: STACK_SET_OPERATION_DEFAULTS },
} as const;

/** PatchRule `ApproveAfterDays`: 0-360 (SSM API reference). */
const APPROVE_AFTER_DAYS = "days after release before a patch is auto-approved";

// ---- the estate ---------------------------------------------------------------------------

export const accountSchema = record(
    {
        alias: field.ALIAS,
        id: field.ACCOUNT_ID,
        deploymentRoleArn: field.ROLE_ARN.optional(),
        regions: list(field.REGION, "AWS Regions"),
        member: z.boolean({ error: "is not a boolean (true when this account's instances are patched)" }).default(CONFIG_DEFAULTS.accountMember),
    },
    "an account ({alias, id, regions, deploymentRoleArn?, member?})",
);

export const scheduleSchema = record(
    {
        expression: field.SCHEDULE_EXPRESSION,
        timeZone: field.TIME_ZONE.default(CONFIG_DEFAULTS.scan.timeZone),
        startDate: field.ISO_DATE_TIME.optional(),
        // Scheduler FlexibleTimeWindow: OFF (0) or FLEXIBLE with MaximumWindowInMinutes 1-1440.
        flexibleWindowMinutes: integer(0, 1440, "minutes the scheduler may delay a run; 0 = exactly on time").default(CONFIG_DEFAULTS.patchGroupOptions.flexibleWindowMinutes),
    },
    "a schedule ({expression, timeZone?, startDate?, flexibleWindowMinutes?})",
);

export const rateControlSchema = record(
    {
        maxConcurrency: field.MAX_CONCURRENCY.default(CONFIG_DEFAULTS.rateControl.maxConcurrency),
        maxErrors: field.MAX_ERRORS.default(CONFIG_DEFAULTS.rateControl.maxErrors),
        targetLocationMaxConcurrency: field.MAX_CONCURRENCY.default(CONFIG_DEFAULTS.rateControl.targetLocationMaxConcurrency),
        targetLocationMaxErrors: field.MAX_ERRORS.default(CONFIG_DEFAULTS.rateControl.targetLocationMaxErrors),
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
        approvedPatches: list(field.PATCH_NAME, "patch names", 0).max(50, { error: "has more than 50 patches (the API limit)" }).optional(),
        rejectedPatches: list(field.PATCH_NAME, "patch names", 0).max(50, { error: "has more than 50 patches (the API limit)" }).optional(),
        rejectedPatchesAction: oneOf(["ALLOW_AS_DEPENDENCY", "BLOCK"] as const).optional(),
        setAsDefault: z.boolean({ error: "is not a boolean (make this the Region's default baseline for the OS)" }).optional(),
        approvalRules: list(approvalRuleSchema, "approval rules").max(10, { error: "has more than 10 rules (the API limit)" }).optional(),
    },
    "baseline options ({complianceLevel?, approvedPatches?, rejectedPatches?, rejectedPatchesAction?, setAsDefault?, approvalRules?})",
);

export const patchGroupSchema = record(
    {
        name: field.PATCH_GROUP_NAME,
        operatingSystems: list(oneOf(OPERATING_SYSTEM_NAMES), "operating systems"),
        approveAfterDays: record(
            { dev: integer(0, MAX_APPROVE_AFTER_DAYS, APPROVE_AFTER_DAYS), prod: integer(0, MAX_APPROVE_AFTER_DAYS, APPROVE_AFTER_DAYS) },
            "approval delays per environment ({dev, prod})",
        ).default({ ...CONFIG_DEFAULTS.approveAfterDays }),
        accounts: list(field.ALIAS, "account aliases").optional(),
        // Organization mode (issue 16): OUs (or the root) instead of account aliases; each must be
        // one of organization.targets' (crossChecks.ts).
        organizationalUnits: list(field.ORGANIZATION_TARGET_ID, "organizational unit or root ids").optional(),
        scan: scheduleSchema.default({ ...CONFIG_DEFAULTS.scan }),
        install: scheduleSchema,
        rateControl: rateControlSchema.default({ ...CONFIG_DEFAULTS.rateControl }),
        installRunbook: oneOf(["RunPatchBaseline", "PatchWithStoppedInstances"] as const).default(CONFIG_DEFAULTS.patchGroupOptions.installRunbook),
        rebootOption: oneOf(["RebootIfNeeded", "NoReboot"] as const).default(CONFIG_DEFAULTS.patchGroupOptions.rebootOption),
        baselines: z
            .partialRecord(oneOf(OPERATING_SYSTEM_NAMES), baselineOptionsSchema, { error: "is not a map of operating system to baseline options" })
            .default({}),
    },
    "a patch group ({name, operatingSystems, install, approveAfterDays?, accounts? | organizationalUnits?, scan?, rateControl?, installRunbook?, rebootOption?, baselines?})",
);

export const azureVmSchema = record(
    { name: field.AZURE_VM_NAME, os: oneOf(["linux", "windows"] as const), patchGroup: field.PATCH_GROUP_NAME },
    "an Azure VM ({name, os, patchGroup})",
);

export const azureSubscriptionSchema = record(
    {
        alias: field.ALIAS,
        subscriptionId: field.UUID,
        tenantId: field.UUID,
        resourceGroups: list(
            record({ name: field.AZURE_RESOURCE_GROUP, location: field.AZURE_LOCATION, vms: list(azureVmSchema, "Azure VMs") }, "a resource group ({name, location, vms})"),
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

/**
 * Organization mode (issue 16): where the member side is deployed as service-managed StackSets
 * and patch runs target organizational units. Ranges: CloudFormation StackSetOperationPreferences
 * and SSM TargetLocation (catalog/organizations.ts).
 */
export const organizationTargetSchema = record(
    {
        organizationalUnits: list(field.ORGANIZATION_TARGET_ID, "organizational unit or root ids"),
        regions: list(field.REGION, "AWS Regions"),
        excludeAccounts: list(field.ACCOUNT_ID, "12-digit account ids", 0)
            .max(MAX_EXCLUDED_ACCOUNTS, { error: `has more than ${MAX_EXCLUDED_ACCOUNTS} accounts (SSM TargetLocation ExcludeAccounts limit)` })
            .default([]),
    },
    "an organization target ({organizationalUnits, regions, excludeAccounts?})",
);

export const operationPreferencesSchema = record(
    {
        maxConcurrentPercentage: integer(1, 100, "percentage of a Region's accounts a StackSet operation deploys to at once").default(
            CONFIG_DEFAULTS.organization.operationPreferences.maxConcurrentPercentage,
        ),
        failureTolerancePercentage: integer(0, 100, "percentage of a Region's accounts that may fail before the operation stops there").default(
            CONFIG_DEFAULTS.organization.operationPreferences.failureTolerancePercentage,
        ),
        regionConcurrencyType: oneOf(STACK_SET_REGION_CONCURRENCY).default(CONFIG_DEFAULTS.organization.operationPreferences.regionConcurrencyType),
    },
    "StackSet operation preferences ({maxConcurrentPercentage?, failureTolerancePercentage?, regionConcurrencyType?})",
);

export const organizationSchema = record(
    {
        // One source of truth with the top-level organizationId: either may be set, both only if equal.
        id: field.ORGANIZATION_ID.optional(),
        callAs: oneOf(CALL_AS).default(CONFIG_DEFAULTS.organization.callAs),
        targets: list(organizationTargetSchema, "organization targets"),
        operationPreferences: operationPreferencesSchema.default({ ...CONFIG_DEFAULTS.organization.operationPreferences }),
    },
    "organization settings ({id?, callAs?, targets, operationPreferences?})",
);

/** The whole stack configuration, keyed as in `Pulumi.<stack>.yaml` without the project prefix. */
export const estateConfigSchema = record(
    {
        environment: oneOf(["dev", "prod"] as const),
        centralAccount: field.ALIAS,
        centralRegion: field.REGION,
        organizationId: field.ORGANIZATION_ID.optional(),
        organization: organizationSchema.optional(),
        // Patch Manager recognises only these two keys (PatchGroup when instance-metadata tags are on).
        patchGroupTagKey: oneOf(["Patch Group", "PatchGroup"] as const).default(CONFIG_DEFAULTS.patchGroupTagKey),
        automationAdministrationRoleName: field.ROLE_NAME.default(CONFIG_DEFAULTS.automationAdministrationRoleName),
        automationExecutionRoleName: field.ROLE_NAME.default(CONFIG_DEFAULTS.automationExecutionRoleName),
        deploymentRoleName: field.ROLE_NAME.default(CONFIG_DEFAULTS.deploymentRoleName),
        tags: z.record(field.TAG_KEY, field.TAG_VALUE, { error: "is not a map of tag keys to tag values" }).default({}),
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
        logAccess: logAccessSchema.default({ ...CONFIG_DEFAULTS.logAccess, defaultHostManagement: [] }),
        azureTags: azureTagsSchema.default({ ...CONFIG_DEFAULTS.azureTags }),
        // Customer-managed keys of EBS volumes on instances the stopped-instances runbook starts:
        // the execution role may let EC2 create grants on exactly these (kms:CreateGrant).
        ebsKmsKeyArns: list(field.KMS_KEY_ARN, "KMS key ARNs", 0).default([]),
    },
    "the stack configuration",
);

export type EstateConfigInput = z.input<typeof estateConfigSchema>;
export type ParsedEstateConfig = z.output<typeof estateConfigSchema>;

/** Config keys whose values are structured (objects / lists of objects). */
export const STRUCTURED_CONFIG_KEYS = ["tags", "accounts", "patchGroups", "azureSubscriptions", "logStorage", "inventory", "privateConnectivity", "scheduleRetry", "notifications", "compliance", "reporting", "enforcer", "hybrid", "logAccess", "azureTags", "ebsKmsKeyArns", "organization"] as const;
export const CONFIG_KEYS = Object.keys(estateConfigSchema.shape) as (keyof ParsedEstateConfig)[];
