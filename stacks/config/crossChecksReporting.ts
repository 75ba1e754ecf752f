import { BOUNDARY_CHARACTERS, ORGANIZATION_CENTRAL_WITH_DASHBOARD } from "../../catalog/boundarySize";
import type { ConfigProblem } from "./errors";
import type { ParsedEstateConfig } from "./schema";

/**
 * The QuickSight dashboard (`reporting.quickSight.enabled`, issue 19 item 3) needs grants in the
 * central account's program permissions boundary (components/identity/boundaryQuickSight.ts). In
 * organization mode that boundary also holds the StackSet and aggregator grants and has no room:
 * with them it would exceed IAM's 6,144 characters (catalog/boundarySize.ts), the bootstrap could
 * not create it, and without them a real `pulumi up` would be denied the template, analysis and
 * dashboard. Refused here, before anything is planned.
 */
export function checkQuickSightBoundary(config: ParsedEstateConfig): ConfigProblem[] {
    if (config.organization === undefined || config.reporting.quickSight?.enabled !== true || ORGANIZATION_CENTRAL_WITH_DASHBOARD <= BOUNDARY_CHARACTERS.max) {
        return [];
    }
    return [
        {
            path: "reporting.quickSight.enabled",
            value: true,
            message:
                `is not available in organization mode: the dashboard's grants (QuickSight template, analysis, dashboard and the template's CloudFormation stack) ` +
                `would bring the central account's permissions boundary to ${ORGANIZATION_CENTRAL_WITH_DASHBOARD} of IAM's ${BOUNDARY_CHARACTERS.max} characters; ` +
                `set it to false (the Athena reporting and reporting.quickSightPrincipalArn's data set stay), or build the dashboard in QuickSight by hand`,
        },
    ];
}
