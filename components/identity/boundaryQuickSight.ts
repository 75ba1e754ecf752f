/**
 * Issue 19 item 3: the optional QuickSight compliance dashboard (components/reporting
 * quickSightDashboard.ts, `reporting.quickSight.enabled`) in the boundary and the deployer's
 * services policy — granted only where ProgramBoundaryScope.quickSightDashboard is set (the central
 * account of a stack that enables it), so every other account's boundary stays as it was.
 *
 * What the dashboard creates, under the program prefix:
 * - a QuickSight template, analysis and dashboard `patching-compliance-<env>`. SAR QuickSight:
 *   `template/${ResourceId}`, `analysis/${ResourceId}`, `dashboard/${ResourceId}` (dashboard
 *   snapshot jobs live under `dashboard/<id>/snapshot-job/…`). The Named statement already grants
 *   `quicksight:*`, so three resource patterns are all it takes. Not one `*\/patching-*`: IAM takes
 *   no wildcard in an ARN's resource-type portion (IAM user guide, reference-arns.html, "Incorrect
 *   wildcard usage"), and such a pattern would also reach QuickSight users, groups and namespaces
 *   (`user/<namespace>/patching-x`, `namespace/patching-x`), i.e. who may see what.
 * - the CloudFormation stack `patching-quicksight-template-<env>` holding the template
 *   (AWS::QuickSight::Template: @pulumi/aws omits the template's `definition`). Pulumi's
 *   aws.cloudformation.Stack is terraform-provider-aws internal/service/cloudformation/stack.go:
 *   CreateStack, DescribeStacks (read and waiters), GetTemplate (read), UpdateStack, DeleteStack,
 *   DescribeStackEvents (the failure reason); the provider's default tags ride on Create/UpdateStack
 *   (Tag/UntagResource, SAR: `cloudformation:CreateAction`). SAR: `stack/${StackName}/${Id}`.
 *   The stack passes no service role (RoleARN), so CloudFormation creates the template "with a
 *   temporary session that it generates from your user credentials" (CloudFormation user guide,
 *   using-iam-servicerole.html): the template grant above is what it uses, under this boundary.
 */
import type { PolicyStatement } from "./iamDocuments";
import { PROGRAM_PREFIX, type ProgramBoundaryScope } from "./boundaryScope";

/** Name prefix of the template's stack (quickSightDashboardNames(...).stack; a test holds them to it). */
export const QUICKSIGHT_TEMPLATE_STACK_PREFIX = `${PROGRAM_PREFIX}quicksight-template-`;

/** The template, analysis and dashboard (ids `patching-compliance-<env>`). */
export const QUICKSIGHT_DASHBOARD_RESOURCES = ["template", "analysis", "dashboard"].map((type) => `arn:aws:quicksight:*:*:${type}/${PROGRAM_PREFIX}*`);

export const QUICKSIGHT_TEMPLATE_STACK_RESOURCE = `arn:aws:cloudformation:*:*:stack/${QUICKSIGHT_TEMPLATE_STACK_PREFIX}*/*`;

/** The provider's calls on the stack (see the file comment), for the deployer's own statement. */
export const QUICKSIGHT_TEMPLATE_STACK_ACTIONS = [
    "cloudformation:CreateStack",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStacks",
    "cloudformation:GetTemplate",
    // TagResource, UntagResource
    "cloudformation:*TagResource",
    "cloudformation:UpdateStack",
] as const;

type DashboardScope = Pick<ProgramBoundaryScope, "quickSightDashboard">;
const hostsDashboard = (scope: DashboardScope) => scope.quickSightDashboard === true;

/**
 * For the Named statement (deployer and boundary): the three QuickSight resource patterns; in the
 * boundary also `cloudformation:*` on the template's stack, a cap like its other `<service>:*` on
 * program names — the stack acts with the caller's own credentials, so it can hold nothing its
 * caller could not create directly.
 */
export function quickSightDashboardGrant(scope: DashboardScope, runtime: boolean): { readonly actions: string[]; readonly resources: string[] } {
    if (!hostsDashboard(scope)) {
        return { actions: [], resources: [] };
    }
    return runtime ? { actions: ["cloudformation:*"], resources: [...QUICKSIGHT_DASHBOARD_RESOURCES, QUICKSIGHT_TEMPLATE_STACK_RESOURCE] } : { actions: [], resources: [...QUICKSIGHT_DASHBOARD_RESOURCES] };
}

/** The deployer's own statement on the template's stack (the boundary has quickSightDashboardGrant). */
export function quickSightTemplateStackStatements(scope: DashboardScope, runtime: boolean): PolicyStatement[] {
    return hostsDashboard(scope) && !runtime ? [{ Sid: "QuickSightTemplateStack", Effect: "Allow", Action: [...QUICKSIGHT_TEMPLATE_STACK_ACTIONS], Resource: QUICKSIGHT_TEMPLATE_STACK_RESOURCE }] : [];
}
