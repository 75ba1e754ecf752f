/**
 * AWS Organizations ids and the limits of deploying to / running in organizational units
 * (issue 16, organization mode). Patterns from the Organizations API reference (e.g.
 * API_PolicyTargetSummary `TargetId`: root `r-` + 4-32 lowercase letters or digits; OU `ou-` +
 * the root's 4-32 characters + `-` + 8-32 lowercase letters or digits), which SSM's
 * TargetLocation `ExcludeAccounts` and CloudFormation's `DeploymentTargets.OrganizationalUnitIds`
 * use too.
 */

export const ORGANIZATIONAL_UNIT_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;

/** An OU id or the organization's root id (a StackSet and an Automation run may target either). */
export function isOrganizationTargetId(value: string): boolean {
    return ORGANIZATIONAL_UNIT_ID_PATTERN.test(value) || ROOT_ID_PATTERN.test(value);
}

export function isRootId(value: string): boolean {
    return ROOT_ID_PATTERN.test(value);
}

/** SSM TargetLocation `ExcludeAccounts`: 1-5000 account or OU ids per location. */
export const MAX_EXCLUDED_ACCOUNTS = 5000;

/**
 * CloudFormation StackSetOperationPreferences (API reference): MaxConcurrentPercentage 1-100,
 * FailureTolerancePercentage 0-100 (a count and a percentage of the same kind are mutually
 * exclusive, so only the percentages are offered); RegionConcurrencyType SEQUENTIAL | PARALLEL.
 * Under the default ConcurrencyMode STRICT_FAILURE_TOLERANCE the real concurrency is the lower of
 * MaxConcurrent and FailureTolerance + 1 account, so a tolerance of 0 means one account at a time
 * whatever MaxConcurrent says. These preferences do not apply to auto-deployment (a new account
 * joining a target OU), only to operations the stack starts.
 */
export const STACK_SET_REGION_CONCURRENCY = ["SEQUENTIAL", "PARALLEL"] as const;
export type StackSetRegionConcurrency = (typeof STACK_SET_REGION_CONCURRENCY)[number];

/**
 * Safe defaults: a quarter of the accounts of a Region at once, stop a Region when more than 10 %
 * of its accounts fail, and one Region after another (a failed Region stops the later ones, per
 * FailureTolerance's "doesn't attempt the operation in any subsequent Regions").
 */
export const STACK_SET_OPERATION_DEFAULTS = {
    maxConcurrentPercentage: 25,
    failureTolerancePercentage: 10,
    regionConcurrencyType: "SEQUENTIAL" as StackSetRegionConcurrency,
};

/** Who deploys the service-managed StackSets (CreateStackSet `CallAs`). */
export const CALL_AS = ["SELF", "DELEGATED_ADMIN"] as const;
export type CallAs = (typeof CALL_AS)[number];
