import { z } from "zod";
import { COMPLIANCE_LEVELS, MAX_APPROVE_AFTER_DAYS } from "../../catalog/patchBaselines";
import { OPERATING_SYSTEM_NAMES } from "../../catalog/operatingSystems";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { checked, integer, list, oneOf, record, text } from "./vocabulary";
import { alarmProblem, hooksSchema, installScheduleSchema, ringSchema, snapshotBeforeInstallSchema } from "./schemaRollout";

/** The estate: accounts, patch groups (with their schedules and baselines) and Azure VMs. */

/** PatchRule `ApproveAfterDays`: 0-360 (SSM API reference). */
const APPROVE_AFTER_DAYS = "days after release before a patch is auto-approved";

export const accountSchema = record(
    {
        alias: field.ALIAS.describe("2-32 characters; used in resource names."),
        id: field.ACCOUNT_ID.describe("Quote it in YAML: unquoted, YAML reads a number."),
        deploymentRoleArn: field.ROLE_ARN.optional().describe("The role this account's provider assumes; it must be a role in this account. Unset: deploymentRoleName in this account."),
        regions: list(field.REGION, "AWS Regions").describe("Commercial-partition Regions in which the account is patched."),
        member: z.boolean({ error: "is not a boolean (true when this account's instances are patched)" }).default(CONFIG_DEFAULTS.accountMember).describe("false for a central account that only orchestrates."),
    },
    "an account ({alias, id, regions, deploymentRoleArn?, member?})",
);

export const scheduleSchema = record(
    {
        expression: field.SCHEDULE_EXPRESSION.describe("An EventBridge Scheduler cron(…) (six AWS fields) or rate(n unit); a rate(… days) needs a startDate, which fixes its time of day (every two weeks is rate(14 days): cron cannot say it)."),
        timeZone: field.TIME_ZONE.default(CONFIG_DEFAULTS.scan.timeZone).describe("The time zone cron() is read in."),
        startDate: field.ISO_DATE_TIME.optional().describe("An anchor: each pulumi up sends the first anchor + n × period at least ten minutes ahead (see Schedules below); dropped for cron() when past."),
        // Scheduler FlexibleTimeWindow: OFF (0) or FLEXIBLE with MaximumWindowInMinutes 1-1440.
        flexibleWindowMinutes: integer(0, 1440, "minutes the scheduler may delay a run; 0 = exactly on time").default(CONFIG_DEFAULTS.patchGroupOptions.flexibleWindowMinutes),
    },
    "a schedule ({expression, timeZone?, startDate?, flexibleWindowMinutes?})",
);

export const rateControlSchema = record(
    {
        maxConcurrency: field.MAX_CONCURRENCY.default(CONFIG_DEFAULTS.rateControl.maxConcurrency).describe("Nodes patched at once in one account and Region."),
        maxErrors: field.MAX_ERRORS.default(CONFIG_DEFAULTS.rateControl.maxErrors).describe("Failed nodes after which a location's run stops."),
        targetLocationMaxConcurrency: field.MAX_CONCURRENCY.default(CONFIG_DEFAULTS.rateControl.targetLocationMaxConcurrency).describe("Account × Region locations run at once."),
        targetLocationMaxErrors: field.MAX_ERRORS.default(CONFIG_DEFAULTS.rateControl.targetLocationMaxErrors).describe("Failed locations after which the whole run stops."),
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
        ).describe(
            "{KEY: [values]}, at most 20 values each; KEY must be valid for the OS: Windows PATCH_SET, PRODUCT, PRODUCT_FAMILY, CLASSIFICATION, MSRC_SEVERITY; yum family PRODUCT, CLASSIFICATION, SEVERITY; Debian/Ubuntu PRODUCT, PRIORITY, SECTION.",
        ),
        complianceLevel: oneOf(COMPLIANCE_LEVELS as unknown as readonly [string, ...string[]]).optional().describe("This rule's compliance level."),
    },
    "an approval rule ({filters, complianceLevel?})",
);

/** An ISO calendar date that exists (2027-02-30 does not). */
const EXPIRY_DATE = checked("an ISO date YYYY-MM-DD", (value) => {
    const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value) ? undefined : "is not an ISO date YYYY-MM-DD";
});

/**
 * A rejected patch as a time-boxed exception (issue 19): why it is held back and until when. The
 * baseline gets the id only; the policy pack's patch-exception-expired fails the plan after
 * `expires` (UTC), patch-exception-expiring warns a week before.
 */
export const patchExceptionSchema = record(
    {
        id: field.PATCH_NAME.describe("The rejected patch: a KB/CVE id, patch name or package pattern."),
        reason: text(/^\S[\s\S]{0,255}$/, "a reason (1-256 characters)").describe("Why the patch is held back (shown in the plan's violation)."),
        expires: EXPIRY_DATE.describe("The last day (UTC) the exception holds; after it the plan fails until it is renewed or removed."),
    },
    "a patch exception ({id, reason, expires})",
);

/**
 * A managed node's id as SendCommand and StartAutomationExecution take it: an EC2 instance (i- and
 * 8 or 17 hex digits) or a hybrid node (mi- and 17 hex digits); the runbook's InstanceId pattern.
 */
const NODE_ID = text(/^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$/, "a managed node id (i- and 8 or 17 hex digits, or mi- and 17 hex digits)");

/** StartAutomationExecution: a StringList parameter value holds at most 50 items (AutomationParameterValueList); components/runbooks/checkNode.ts MAX_EXCLUDED_NODES (a test keeps them equal). */
export const MAX_EXCLUDED_NODES = 50;

/**
 * A node left out of its patch group's installs as a time-boxed exception (issue 19): the per-node
 * runbook skips it (resource-group targeting cannot exclude ids). `expires` is optional here and
 * required in prod by the policy pack's patch-exception-expired, which also fails the plan after it.
 */
export const excludedNodeSchema = record(
    {
        id: NODE_ID.describe("The EC2 instance (i-…) or hybrid node (mi-…) that is not patched."),
        reason: text(/^\S[\s\S]{0,255}$/, "a reason (1-256 characters)").describe("Why the node is left out (shown in the plan's lines and the digest)."),
        expires: EXPIRY_DATE.optional().describe("The last day (UTC) the exclusion holds; after it the plan fails and the node is patched again. Required in prod."),
    },
    "an excluded node ({id, reason, expires?})",
);

/** Per-OS baseline options of a patch group (CreatePatchBaseline: at most 50 patches per list). */
export const baselineOptionsSchema = record(
    {
        complianceLevel: oneOf(COMPLIANCE_LEVELS as unknown as readonly [string, ...string[]]).optional().describe("Overrides every approval rule's level."),
        approvedPatches: list(field.PATCH_NAME, "patch names", 0).max(50, { error: "has more than 50 patches (the API limit)" }).optional().describe("At most 50."),
        rejectedPatches: list(z.union([field.PATCH_NAME, patchExceptionSchema], { error: "is not a patch name or a patch exception {id, reason, expires}" }), "patch names or exceptions", 0)
            .max(50, { error: "has more than 50 patches (the API limit)" })
            .optional()
            .describe("At most 50. Each a patch name, or an exception {id, reason, expires} that expires (required in prod)."),
        rejectedPatchesAction: oneOf(["ALLOW_AS_DEPENDENCY", "BLOCK"] as const).optional().describe("Unset: BLOCK."),
        setAsDefault: z.boolean({ error: "is not a boolean (make this the Region's default baseline for the OS)" }).optional().describe("At most one patch group per OS."),
        approvalRules: list(approvalRuleSchema, "approval rules").max(10, { error: "has more than 10 rules (the API limit)" }).optional().describe("1-10 rules replacing the OS's default rules."),
    },
    "baseline options ({complianceLevel?, approvedPatches?, rejectedPatches?, rejectedPatchesAction?, setAsDefault?, approvalRules?})",
);

export const patchGroupSchema = record(
    {
        name: field.PATCH_GROUP_NAME.describe("The tag value, the SSM patch group and the resource-group name in every account."),
        operatingSystems: list(oneOf(OPERATING_SYSTEM_NAMES), "operating systems").describe("One baseline per operating system."),
        approveAfterDays: record(
            { dev: integer(0, MAX_APPROVE_AFTER_DAYS, APPROVE_AFTER_DAYS), prod: integer(0, MAX_APPROVE_AFTER_DAYS, APPROVE_AFTER_DAYS) },
            "approval delays per environment ({dev, prod})",
        ).default({ ...CONFIG_DEFAULTS.approveAfterDays }).describe("Days after release before a patch is approved, per environment; prod ≥ dev."),
        accounts: list(field.ALIAS, "account aliases").optional().describe("Member aliases the group patches. Unset: every member."),
        // Organization mode (issue 16): OUs (or the root) instead of account aliases; each must be
        // one of organization.targets' (crossChecks.ts).
        organizationalUnits: list(field.ORGANIZATION_TARGET_ID, "organizational unit or root ids").optional().describe("Organization mode, instead of accounts: the OUs the group runs in, each in one of organization.targets."),
        scan: scheduleSchema.default({ ...CONFIG_DEFAULTS.scan }).describe("When the group is scanned (UTC unless timeZone is set; Scan never reboots)."),
        install: installScheduleSchema(scheduleSchema).describe("When patches are installed: expression, or patchTuesdayOffsetDays + timeOfDay; maxDurationMinutes adds a window cutoff."),
        // Safe rollout (issue 17): a group with any of these installs through the gate runbook.
        after: ringSchema.optional().describe("Ring: install only when this earlier patch group's latest install ended at least minDays ago and met require; otherwise the run is held."),
        haltOnAlarm: checked("a CloudWatch alarm name or ARN", alarmProblem).optional().describe("A CloudWatch alarm (name or ARN) in the central account and Region, and by that name in every target location: ALARM stops the patch run (the API takes one alarm: combine several in a composite alarm)."),
        ignorePollAlarmFailure: z.boolean({ error: "is not a boolean (carry on when the halt alarm cannot be read)" }).default(false).describe("true: the run carries on when Systems Manager cannot read the halt alarm; false: it stops."),
        snapshotBeforeInstall: snapshotBeforeInstallSchema.optional().describe("Install on EC2 instances: first snapshot all EBS volumes of the instance (crash-consistent), wait until completed, then patch; kept retainDays. Hybrid nodes and Scan never snapshot. Needs installRunbook RunPatchBaseline."),
        hooks: hooksSchema.optional().describe("Install with AWS-RunPatchBaselineWithHooks and these Command documents as its hooks (Linux and Windows Server; SSM Agent 3.0.502 or later). Needs installRunbook RunPatchBaseline."),
        rateControl: rateControlSchema.default({ ...CONFIG_DEFAULTS.rateControl }).describe("Rate control of the group's patch runs."),
        installRunbook: oneOf(["RunPatchBaseline", "PatchWithStoppedInstances"] as const).default(CONFIG_DEFAULTS.patchGroupOptions.installRunbook).describe("RunPatchBaseline: the per-node wrapper fanned out over the group's resource group; PatchWithStoppedInstances: the workflow that also starts stopped instances and stops them again."),
        rebootOption: oneOf(["RebootIfNeeded", "NoReboot"] as const).default(CONFIG_DEFAULTS.patchGroupOptions.rebootOption).describe("For Install (Scan never reboots)."),
        excludedNodes: list(excludedNodeSchema, "excluded nodes", 0)
            .max(MAX_EXCLUDED_NODES, { error: `has more than ${MAX_EXCLUDED_NODES} nodes (a runbook list parameter takes at most ${MAX_EXCLUDED_NODES})` })
            .optional()
            .describe(`Nodes the group's installs skip, each {id, reason, expires} (expires required in prod); at most ${MAX_EXCLUDED_NODES}. Scans still run on them. Needs installRunbook RunPatchBaseline.`),
        baselines: z
            // The key's description names it in the README's key paths (baselines.<OS>.…).
            .partialRecord(oneOf(OPERATING_SYSTEM_NAMES).describe("OS"), baselineOptionsSchema, { error: "is not a map of operating system to baseline options" })
            .default({}).describe("Baseline options per operating system of the group, all optional."),
    },
    "a patch group ({name, operatingSystems, install, approveAfterDays?, accounts? | organizationalUnits?, scan?, rateControl?, installRunbook?, rebootOption?, baselines?, after?, haltOnAlarm?, ignorePollAlarmFailure?, snapshotBeforeInstall?, hooks?, excludedNodes?})",
);

export const azureVmSchema = record(
    { name: field.AZURE_VM_NAME, os: oneOf(["linux", "windows"] as const), patchGroup: field.PATCH_GROUP_NAME.describe("A configured patch group with a baseline for the VM's OS.") },
    "an Azure VM ({name, os, patchGroup})",
);

export const azureSubscriptionSchema = record(
    {
        alias: field.ALIAS,
        subscriptionId: field.UUID,
        tenantId: field.UUID,
        resourceGroups: list(
            record({ name: field.AZURE_RESOURCE_GROUP, location: field.AZURE_LOCATION.describe("The VMs' Azure location."), vms: list(azureVmSchema, "Azure VMs") }, "a resource group ({name, location, vms})"),
            "resource groups",
        ),
    },
    "an Azure subscription ({alias, subscriptionId, tenantId, resourceGroups})",
);
