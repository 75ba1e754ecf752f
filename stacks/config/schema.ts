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
    notificationsSchema,
    reportingSchema,
    scheduleRetrySchema,
} from "./schemaSettings";
import { organizationSchema } from "./schemaOrganization";

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
