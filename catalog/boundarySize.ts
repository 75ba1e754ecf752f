/**
 * The program permissions boundary's size as the config must know it without rendering it
 * (stacks/config imports no component; the boundary is components/identity/boundaryDocuments.ts,
 * created per account by deployment/). IAM holds a managed policy to 6,144 characters without
 * whitespace (IAM quotas, reference_iam-quotas.html).
 *
 * With the default names (Automation roles `AWS-SystemsManager-Automation{Administration,Execution}Role`,
 * deployment role `multicloud-patching-deployer`): the organization-mode central account's boundary,
 * and what the QuickSight dashboard's grants (boundaryQuickSight.ts) add to it. Both are pinned
 * against the rendered boundary by test/components/identity/boundaryQuickSight.test.ts, so a change
 * to the boundary that makes (or takes) room shows here, and the config check
 * (stacks/config/crossChecksReporting.ts) follows.
 */
export const BOUNDARY_CHARACTERS = {
    max: 6144,
    organizationCentral: 6130,
    quickSightDashboardInOrganizationCentral: 204,
} as const;

/** The organization-mode central account's boundary with the QuickSight dashboard's grants, default names. */
export const ORGANIZATION_CENTRAL_WITH_DASHBOARD = BOUNDARY_CHARACTERS.organizationCentral + BOUNDARY_CHARACTERS.quickSightDashboardInOrganizationCentral;
