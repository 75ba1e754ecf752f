import { z } from "zod";
import { COMPLIANCE_LEVELS, MAX_APPROVE_AFTER_DAYS } from "../../catalog/patchBaselines";
import { OPERATING_SYSTEM_NAMES } from "../../catalog/operatingSystems";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { integer, list, oneOf, record, text } from "./vocabulary";

/** The estate: accounts, patch groups (with their schedules and baselines) and Azure VMs. */

/** PatchRule `ApproveAfterDays`: 0-360 (SSM API reference). */
const APPROVE_AFTER_DAYS = "days after release before a patch is auto-approved";

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
