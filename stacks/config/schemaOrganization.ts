import { CALL_AS, MAX_EXCLUDED_ACCOUNTS, STACK_SET_REGION_CONCURRENCY } from "../../catalog/organizations";
import { CONFIG_DEFAULTS } from "./defaults";
import * as field from "./fields";
import { integer, list, oneOf, record } from "./vocabulary";

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
            .default([]).describe("Accounts in those OUs that are left out. A configured member account is left out anyway (it is patched through its own location), so listing one is refused."),
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
        ).describe("Under CloudFormation's default STRICT_FAILURE_TOLERANCE the real concurrency is the lower of max-concurrent and failure tolerance + 1 account, so 0 means one account at a time."),
        regionConcurrencyType: oneOf(STACK_SET_REGION_CONCURRENCY).default(CONFIG_DEFAULTS.organization.operationPreferences.regionConcurrencyType).describe("SEQUENTIAL: one Region after another (a failed Region stops the rest); PARALLEL: all at once."),
    },
    "StackSet operation preferences ({maxConcurrentPercentage?, failureTolerancePercentage?, regionConcurrencyType?})",
);

export const organizationSchema = record(
    {
        // One source of truth with the top-level organizationId: either may be set, both only if equal.
        id: field.ORGANIZATION_ID.optional().describe("The same value as organizationId: set either one, or both equal."),
        callAs: oneOf(CALL_AS).default(CONFIG_DEFAULTS.organization.callAs).describe("SELF: the central account is the organization's management account; DELEGATED_ADMIN: a registered delegated administrator (CloudFormation CallAs)."),
        targets: list(organizationTargetSchema, "organization targets").describe("Where the member side is deployed as StackSets (auto-deployment enrols accounts that join a target OU)."),
        operationPreferences: operationPreferencesSchema.default({ ...CONFIG_DEFAULTS.organization.operationPreferences }).describe("How the stack's StackSet operations roll out (not auto-deployment to a joining account)."),
    },
    "organization settings ({id?, callAs?, targets, operationPreferences?})",
);
