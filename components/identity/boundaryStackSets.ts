/**
 * Organization mode (issue 16): what the deployment role of an organization-mode stack's central
 * account needs to manage the member StackSets (components/organization/stackSets.ts), granted
 * only where ProgramBoundaryScope.stackSetAdministration is set — by the deployer's services policy
 * and by that account's boundary. Member accounts and configured-accounts estates get no
 * CloudFormation at all.
 *
 * The calls: Pulumi's aws.cloudformation.StackSet / StackSetInstance are terraform-provider-aws
 * internal/service/cloudformation stack_set.go and stack_set_instance.go — CreateStackSet;
 * DescribeStackSet (read, create waiter); UpdateStackSet; DeleteStackSet; DescribeStackSetOperation
 * and, when an operation fails, ListStackSetOperationResults (operation waiters);
 * Create/Update/DeleteStackInstances; ListStackInstances (read of OU targets) and
 * DescribeStackInstance (account targets). Tags ride on Create/UpdateStackSet (SAR: TagResource
 * carries cloudformation:CreateAction).
 *
 * Resources (SAR CloudFormation, "Resource types"): stackset `stackset/${StackSetName}:${Id}`;
 * stackset-target `stackset-target/${StackSetTarget}`, i.e. `<name>:<id>/<OU or account id>`
 * (CloudFormation user guide, "Control access with IAM": `stackset-target/*\/ou-…`; AWS Quick
 * Setup's own policy: `stackset-target/AWS-QuickSetup-*:*`); type `type/resource/${Type}`, the
 * template's resource types, checked by Create/Update/DeleteStackInstances and UpdateStackSet.
 * Service-managed StackSets live in the management account even when a delegated administrator
 * creates them (CreateStackSet API reference, CallAs), so the account segment is `*`.
 */
import type { PolicyStatement } from "./iamDocuments";
import { PROGRAM_PREFIX, type ProgramBoundaryScope } from "./boundaryScope";

/** Name prefix of the member StackSets (components/organization MEMBER_STACK_SET_NAMES; a test holds them to it). */
export const MEMBER_STACK_SET_PREFIX = `${PROGRAM_PREFIX}member-`;

/**
 * Granted on `*` because SAR lists no resource type for them:
 * - cloudformation:CreateStackSet (and no name condition key either), so a StackSet's NAME cannot
 *   be held at creation. One of another name stays inert: every call that puts a stack into an
 *   account (Create/UpdateStackInstances, UpdateStackSet) needs its `stackset` resource, which
 *   only the member StackSets match.
 * - organizations:ListDelegatedAdministrators: CloudFormation checks a `CallAs: DELEGATED_ADMIN`
 *   caller with the caller's own permission; without it every StackSet call fails "Account used is
 *   not a delegated administrator" (CloudFormation user guide, stacksets-orgs-delegated-admin.html:
 *   "Make sure your delegated administrators have organizations:ListDelegatedAdministrators
 *   permissions"; hashicorp/terraform-provider-aws#37069). A read.
 */
export const STACK_SET_UNSCOPED_ACTIONS = ["cloudformation:CreateStackSet", "organizations:ListDelegatedAdministrators"] as const;

/** Everything else the provider calls, on the member StackSets only. */
export const STACK_SET_ACTIONS = [
    // Create/Update/Delete/ListStackInstances, DescribeStackInstance, ListStackInstanceResourceDrifts
    "cloudformation:*StackInstance*",
    // Describe/ListStackSetOperation(s|Results), StopStackSetOperation
    "cloudformation:*StackSetOperation*",
    // TagResource, UntagResource
    "cloudformation:*TagResource",
    "cloudformation:DeleteStackSet",
    "cloudformation:DescribeStackSet",
    "cloudformation:UpdateStackSet",
] as const;

export const STACK_SET_RESOURCES = [
    `arn:aws:cloudformation:*:*:stackset/${MEMBER_STACK_SET_PREFIX}*:*`,
    `arn:aws:cloudformation:*:*:stackset-target/${MEMBER_STACK_SET_PREFIX}*:*`,
    // Any resource type in the member templates: they are rendered from the program's builders
    // (components/organization/templates.ts) and reviewed like the rest of the program.
    "arn:aws:cloudformation:*:*:type/resource/*",
] as const;

/**
 * In the boundary, a cap like its other `<service>:*` grants on program names: CloudFormation on
 * the member StackSets, any target and the templates' resource types. Every call that takes a
 * target (or a type) also needs the `stackset` resource, so `stackset-target/*` reaches no other
 * StackSet's targets. Two patterns, not `stackset*`: IAM takes no wildcard in an ARN's resource-type
 * portion (IAM user guide, reference-arns.html, "Incorrect wildcard usage"; iam-simulate agrees).
 */
export const STACK_SET_BOUNDARY_RESOURCES = [
    `arn:aws:cloudformation:*:*:stackset/${MEMBER_STACK_SET_PREFIX}*`,
    "arn:aws:cloudformation:*:*:stackset-target/*",
    "arn:aws:cloudformation:*:*:type/resource/*",
] as const;

type StackSetScope = Pick<ProgramBoundaryScope, "stackSetAdministration">;
const administers = (scope: StackSetScope) => scope.stackSetAdministration === true;

/**
 * For the AnyResource statement: both unscoped actions for the deployer; in the boundary only
 * CreateStackSet (its organizations:List* already holds ListDelegatedAdministrators).
 */
export function stackSetUnscopedActions(scope: StackSetScope, runtime: boolean): string[] {
    return administers(scope) ? STACK_SET_UNSCOPED_ACTIONS.filter((action) => !runtime || action.startsWith("cloudformation:")) : [];
}

/** For the boundary's Named statement (runtime): `cloudformation:*` and its resources. */
export function stackSetBoundaryGrant(scope: StackSetScope, runtime: boolean): { readonly actions: string[]; readonly resources: string[] } {
    return administers(scope) && runtime ? { actions: ["cloudformation:*"], resources: [...STACK_SET_BOUNDARY_RESOURCES] } : { actions: [], resources: [] };
}

/** The deployer's own statement on the member StackSets (not in the boundary, which has stackSetBoundaryGrant). */
export function stackSetStatements(scope: StackSetScope, runtime: boolean): PolicyStatement[] {
    return administers(scope) && !runtime ? [{ Sid: "MemberStackSets", Effect: "Allow", Action: [...STACK_SET_ACTIONS], Resource: [...STACK_SET_RESOURCES] }] : [];
}
