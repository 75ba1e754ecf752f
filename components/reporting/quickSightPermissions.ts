import { QUICKSIGHT_OWNER_ACTIONS, QUICKSIGHT_PRINCIPAL } from "./reportingQuickSight";

/**
 * Who may do what on the dashboard's QuickSight assets (ResourcePermission: Principal + Actions),
 * as pure data. Readers get exactly the three actions QuickSight's user guide grants for viewing
 * a shared dashboard ("Granting everyone in your account access to a dashboard with the QuickSight
 * API": DescribeDashboard, QueryDashboard, ListDashboardVersions); the owner gets the co-owner sets
 * the console grants on each asset. Viewing a dashboard needs no permission on its data sets.
 */

const qs = (...actions: string[]) => actions.map((a) => `quicksight:${a}`);

export const DASHBOARD_ACTIONS = {
    reader: qs("DescribeDashboard", "ListDashboardVersions", "QueryDashboard"),
    owner: qs(
        "DeleteDashboard",
        "DescribeDashboard",
        "DescribeDashboardPermissions",
        "ListDashboardVersions",
        "QueryDashboard",
        "UpdateDashboard",
        "UpdateDashboardPermissions",
        "UpdateDashboardPublishedVersion",
    ),
    analysis: qs("DeleteAnalysis", "DescribeAnalysis", "DescribeAnalysisPermissions", "QueryAnalysis", "RestoreAnalysis", "UpdateAnalysis", "UpdateAnalysisPermissions"),
    template: qs(
        "CreateTemplateAlias",
        "DeleteTemplate",
        "DeleteTemplateAlias",
        "DescribeTemplate",
        "DescribeTemplateAlias",
        "DescribeTemplatePermissions",
        "ListTemplateAliases",
        "ListTemplateVersions",
        "UpdateTemplate",
        "UpdateTemplateAlias",
        "UpdateTemplatePermissions",
    ),
    dataSet: [...QUICKSIGHT_OWNER_ACTIONS.dataSet],
} as const;

/** ResourcePermissionList: at most 64 entries on an analysis or dashboard (CreateDashboard, Permissions). */
export const MAX_RESOURCE_PERMISSIONS = 64;

export interface ResourcePermission {
    readonly principal: string;
    readonly actions: string[];
}

/** The dashboard's permissions: the owner's co-owner set, then each reader's view set. */
export function dashboardPermissions(owner: string, readers: readonly string[]): ResourcePermission[] {
    return [{ principal: owner, actions: [...DASHBOARD_ACTIONS.owner] }, ...readers.map((principal) => ({ principal, actions: [...DASHBOARD_ACTIONS.reader] }))];
}

const accountOf = (arn: string) => arn.split(":")[4];

/**
 * The first problem with the owner and readers, or undefined: each a QuickSight user or group ARN
 * of this account (a resource permission names a principal of the resource's own account), no
 * reader twice or also the owner, and no more than the API's 64 permissions.
 */
export function permissionProblem(accountId: string, owner: string, readers: readonly string[]): string | undefined {
    const all = [{ key: "owner", arn: owner }, ...readers.map((arn, index) => ({ key: `readers[${index}]`, arn }))];
    const bad = all.find(({ arn }) => !QUICKSIGHT_PRINCIPAL.test(arn) || accountOf(arn) !== accountId);
    if (bad !== undefined) {
        return `${bad.key} "${bad.arn}" is not a QuickSight user or group ARN of account ${accountId} (arn:aws:quicksight:<region>:${accountId}:user|group/<namespace>/<name>)`;
    }
    const repeated = readers.findIndex((arn, index) => arn === owner || readers.indexOf(arn) !== index);
    if (repeated >= 0) {
        return `readers[${repeated}] "${readers[repeated]}" is listed twice or is the owner`;
    }
    return readers.length + 1 > MAX_RESOURCE_PERMISSIONS ? `readers has ${readers.length} entries; a dashboard takes at most ${MAX_RESOURCE_PERMISSIONS - 1} besides the owner` : undefined;
}
