import { z } from "zod";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { list, oneOf, record } from "./vocabulary";
import { accountSchema, azureSubscriptionSchema, patchGroupSchema } from "./schemaEstate";
import {
    azureTagsSchema,
    complianceSchema,
    connectivitySchema,
    enforcerSchema,
    hybridSchema,
    inventorySchema,
    logAccessSchema,
    logStorageSchema,
    reportingSchema,
    scheduleRetrySchema,
} from "./schemaSettings";
import { organizationSchema } from "./schemaOrganization";
import { blackoutsSchema } from "./schemaRollout";
import { azureSchema } from "./schemaAzure";
import { NOTIFICATIONS_CONFIG_DEFAULT, notificationsWithAlertsSchema } from "./schemaAlerts";
import { SLA_DEFAULT_DAYS } from "./schemaSla";

/**
 * The shape of the stack configuration, field by field. Every field carries the sentence that
 * names what is allowed, so a bad value reads `accounts[1].id: "12345" is not a 12-digit AWS
 * account id` (see errors.ts). The sections live in schemaEstate.ts, schemaSettings.ts and
 * schemaOrganization.ts; their defaults in defaults.ts. Rules that relate one field to another live in
 * crossChecks.ts and only run once this structural pass is clean.
 */


/** The whole stack configuration, keyed as in `Pulumi.<stack>.yaml` without the project prefix. */
export const estateConfigSchema = record(
    {
        environment: oneOf(["dev", "prod"] as const).describe("Picks each patch group's approveAfterDays."),
        centralAccount: field.ALIAS.describe("The account (one of accounts[].alias) that runs the schedules and holds the data-sync bucket, reporting and notifications."),
        centralRegion: field.REGION.describe("Region of the central resources."),
        organizationId: field.ORGANIZATION_ID.optional().describe("AWS Organizations id for organization-wide conditions; the same value as organization.id: set either one, or both equal (a conflict stops the run)."),
        organization: organizationSchema.optional().describe("Organization mode: the member side goes to organizational units as service-managed StackSets and patch runs target the OUs (see Organization mode). Off when absent."),
        // Patch Manager recognises only these two keys (PatchGroup when instance-metadata tags are on).
        patchGroupTagKey: oneOf(["Patch Group", "PatchGroup"] as const).default(CONFIG_DEFAULTS.patchGroupTagKey).describe("The tag key that puts a node in a patch group: the only two Patch Manager recognises; PatchGroup when instance-metadata tags are on."),
        automationAdministrationRoleName: field.ROLE_NAME.default(CONFIG_DEFAULTS.automationAdministrationRoleName).describe("The central Automation administration role."),
        automationExecutionRoleName: field.ROLE_NAME.default(CONFIG_DEFAULTS.automationExecutionRoleName).describe("The Automation execution role in every member account."),
        deploymentRoleName: field.ROLE_NAME.default(CONFIG_DEFAULTS.deploymentRoleName).describe("The role the account providers assume in an account that has no deploymentRoleArn."),
        tags: z.record(field.TAG_KEY, field.TAG_VALUE, { error: "is not a map of tag keys to tag values" }).default({}).describe("Extra tags on every resource; Project, Stack, Environment, ManagedBy and the patch-group tag key are reserved."),
        accounts: list(accountSchema, "accounts").describe("The AWS accounts; every member account is patched in each of its Regions."),
        patchGroups: list(patchGroupSchema, "patch groups").describe("The patch groups; each name is the tag value, the SSM patch group and the resource-group name in every account."),
        blackouts: blackoutsSchema,
        azureSubscriptions: list(azureSubscriptionSchema, "Azure subscriptions", 0).default([]).describe("Azure VMs registered as SSM hybrid nodes."),
        azure: azureSchema.optional().describe("Azure at scale: every VM in these management groups or subscriptions whose patch-group tag names an allowed group registers itself (Azure Policy). Off when absent; azureSubscriptions keeps working beside it."),
        logStorage: logStorageSchema.default({ ...CONFIG_DEFAULTS.logStorage }).describe("Encryption and lifecycle of every log and inventory bucket."),
        inventory: inventorySchema.default({ ...CONFIG_DEFAULTS.inventory }).describe("The inventory association (schedule, rate control) and the central Resource Data Sync."),
        privateConnectivity: list(connectivitySchema, "private connectivity entries", 0).default([]).describe("Where SSM interface endpoints are built (see Private endpoints)."),
        scheduleRetry: scheduleRetrySchema.default({ ...CONFIG_DEFAULTS.scheduleRetry }).describe("Retry policy of every patch schedule; invocations that still fail go to the dead-letter queue."),
        notifications: notificationsWithAlertsSchema.default(NOTIFICATIONS_CONFIG_DEFAULT).describe("Subscribers of the central compliance topic (patching-compliance-alerts) and of the central patch-run topic (each must confirm its subscription)."),
        compliance: complianceSchema.default({ ...CONFIG_DEFAULTS.compliance, sla: { ...SLA_DEFAULT_DAYS } }).describe("The AWS Config recorder and automatic remediation of patch non-compliance."),
        reporting: reportingSchema.default({ ...CONFIG_DEFAULTS.reporting }).describe("Athena reporting, optionally QuickSight."),
        enforcer: enforcerSchema.default({ ...CONFIG_DEFAULTS.enforcer }).describe("The SSM-role enforcer Lambda (see The SSM-role enforcer)."),
        hybrid: hybridSchema.default({ ...CONFIG_DEFAULTS.hybrid }).describe("Where Azure VMs register with Systems Manager, and their activations."),
        logAccess: logAccessSchema.default({ ...CONFIG_DEFAULTS.logAccess, defaultHostManagement: [] }).describe("How nodes outside the program's instance profile get to write command output (see Logs from every node)."),
        azureTags: azureTagsSchema.default({ ...CONFIG_DEFAULTS.azureTags }).describe("The tags merged into every Azure VM and kept there by Azure Policy."),
        // Customer-managed keys of EBS volumes on instances the stopped-instances runbook starts:
        // the execution role may let EC2 create grants on exactly these (kms:CreateGrant).
        ebsKmsKeyArns: list(field.KMS_KEY_ARN, "KMS key ARNs", 0).default([]).describe("Customer managed keys encrypting EBS volumes of instances the stopped-instances runbook starts: the execution role gets kms:CreateGrant (for AWS services only) on exactly these. Key ARNs only (key/<id> or key/mrk-…); alias ARNs are refused."),
    },
    "the stack configuration",
);

export type EstateConfigInput = z.input<typeof estateConfigSchema>;
export type ParsedEstateConfig = z.output<typeof estateConfigSchema>;

/** Config keys whose values are structured (objects / lists of objects). */
export const STRUCTURED_CONFIG_KEYS = ["tags", "accounts", "patchGroups", "azureSubscriptions", "logStorage", "inventory", "privateConnectivity", "scheduleRetry", "notifications", "compliance", "reporting", "enforcer", "hybrid", "logAccess", "azureTags", "ebsKmsKeyArns", "organization", "blackouts", "azure"] as const;
export const CONFIG_KEYS = Object.keys(estateConfigSchema.shape) as (keyof ParsedEstateConfig)[];
