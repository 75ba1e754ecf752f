import { z } from "zod";
import { list, record, text } from "./vocabulary";

/**
 * `reporting.quickSight`: the optional compliance dashboard (issue 19 item 3). Off unless
 * `enabled: true`; its owner is `reporting.quickSightPrincipalArn` (the data source's owner), so
 * turning it on without that key is refused with one line.
 */

/** A QuickSight user or group ARN, the form a dashboard's resource permission names. */
const QUICKSIGHT_PRINCIPAL_PHRASE = "a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user|group/<namespace>/<name>)";
export const quickSightPrincipal = () => text(/^arn:aws:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/[^/]+\/.+$/, QUICKSIGHT_PRINCIPAL_PHRASE);

export const QUICKSIGHT_DASHBOARD_DEFAULTS = { enabled: false, readers: [] as string[] } as const;

export const quickSightDashboardSchema = record(
    {
        enabled: z.boolean({ error: "is not a boolean (build the QuickSight compliance dashboard)" }).default(QUICKSIGHT_DASHBOARD_DEFAULTS.enabled).describe("true: the compliance dashboard (data sets, template, analysis, dashboard) owned by reporting.quickSightPrincipalArn. Needs QuickSight Enterprise in the central account; priced per author and reader (see QuickSight dashboard)."),
        readers: list(quickSightPrincipal(), "QuickSight user or group ARNs of the central account", 0)
            .max(63, { error: "has more than 63 entries (a dashboard takes at most 64 permissions, one is the owner)" })
            .default(() => [...QUICKSIGHT_DASHBOARD_DEFAULTS.readers])
            .describe("QuickSight users or groups (of the central account) that may view the dashboard: DescribeDashboard, ListDashboardVersions, QueryDashboard."),
    },
    "QuickSight dashboard settings ({enabled?, readers?})",
);

export type QuickSightDashboardSettings = z.infer<typeof quickSightDashboardSchema>;

/**
 * For `reportingSchema.superRefine`: the dashboard needs its owner, and a reader listed twice (or
 * the owner again) would be a duplicate ResourcePermission.
 */
export function checkQuickSightDashboard(reporting: { readonly quickSightPrincipalArn?: string; readonly quickSight?: QuickSightDashboardSettings }, ctx: z.RefinementCtx): void {
    const dashboard = reporting.quickSight;
    if (dashboard === undefined) {
        return;
    }
    if (dashboard.enabled && reporting.quickSightPrincipalArn === undefined) {
        ctx.addIssue({ code: "custom", path: ["quickSight", "enabled"], message: "needs reporting.quickSightPrincipalArn, the dashboard's owner (a QuickSight user or group)", input: true });
    }
    dashboard.readers.forEach((reader, index) => {
        if (reader === reporting.quickSightPrincipalArn || dashboard.readers.indexOf(reader) !== index) {
            ctx.addIssue({ code: "custom", path: ["quickSight", "readers", index], message: "is listed twice or is reporting.quickSightPrincipalArn (the owner)", input: reader });
        }
    });
}
