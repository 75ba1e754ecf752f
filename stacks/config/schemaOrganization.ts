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
