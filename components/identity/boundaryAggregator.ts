/**
 * Issue 19: the organization Config aggregator's role in the boundary of an organization-mode
 * central account (ProgramBoundaryScope.stackSetAdministration — where the aggregator is created,
 * stacks/awsCompliance.ts). Config assumes the role `patching-config-aggregator` to read the
 * organization (compliance/aggregatorDocuments ORGANIZATION_AGGREGATOR_ACTIONS, the reads of AWS's
 * AWSConfigRoleForOrganizations). Three of the four are List* and already within that boundary;
 * the fourth, organizations:DescribeOrganization, is denied there to everyone (`organizations:D*`
 * of ORGANIZATIONS_ALL_BUT_LIST). It is granted to THAT ROLE ONLY:
 *
 * - the allow-list gains organizations:DescribeOrganization (Resource "*": SAR Organizations lists
 *   no resource type for it);
 * - `organizations:D*` moves out of the unconditional deny into a deny of its own that holds for
 *   every principal but the aggregator role (`ArnNotLike aws:PrincipalArn`, the role's ARN at path
 *   `/`; a boundary only ever caps principals of its own account, so the account is `*`).
 *
 * For the aggregator role the other `D*` actions (Delete*, Deregister*, Detach*, Disable*, the other
 * Describe*) are then denied by the allow-list alone (implicitly) — the boundary grants no
 * Organizations action but List* and DescribeOrganization, and a boundary's implicit deny is final
 * whatever the role's own policies say. Every other principal keeps the explicit deny; every other
 * Organizations write (A*, C*, E*, I*, Le*, M*, P*, R*, T*, U*) stays explicitly denied for all.
 * Member accounts and configured-accounts estates are unchanged.
 */
import { AGGREGATOR_NAMES, ORGANIZATION_AGGREGATOR_ACTIONS } from "../compliance/aggregatorDocuments";
import { roleArn, type PolicyStatement } from "./iamDocuments";
import type { ProgramBoundaryScope } from "./boundaryScope";

/** The Organizations pattern of ORGANIZATIONS_ALL_BUT_LIST that holds DescribeOrganization. */
export const ORGANIZATIONS_DESCRIBE_PATTERN = "organizations:D*";

/** The aggregator role as aws:PrincipalArn carries it (a role session's PrincipalArn is the role's ARN). */
export const AGGREGATOR_PRINCIPAL_ARN = `arn:aws:iam::*:role/${AGGREGATOR_NAMES.organizationRole}`;

type AggregatorScope = Pick<ProgramBoundaryScope, "stackSetAdministration">;
const hostsAggregator = (scope: AggregatorScope) => scope.stackSetAdministration === true;

/** The aggregator's reads the allow-list lacks: those that are not List* (DescribeOrganization). */
export function aggregatorBoundaryAllows(scope: AggregatorScope): string[] {
    return hostsAggregator(scope) ? ORGANIZATION_AGGREGATOR_ACTIONS.filter((action) => !action.startsWith("organizations:List")) : [];
}

/** For the unconditional deny: every Organizations action but List*, minus the pattern denyDescribeButToTheAggregator holds. */
export function unconditionalOrganizationDenies(allButList: readonly string[]): string[] {
    return allButList.filter((pattern) => pattern !== ORGANIZATIONS_DESCRIBE_PATTERN);
}

/** `organizations:D*` denied to every principal but the aggregator role (see the file comment). */
export function aggregatorDescribeDenies(scope: AggregatorScope): PolicyStatement[] {
    return hostsAggregator(scope)
        ? [
              {
                  Sid: "OrganizationDescribeOnlyForTheAggregator",
                  Effect: "Deny",
                  Action: ORGANIZATIONS_DESCRIBE_PATTERN,
                  Resource: "*",
                  Condition: { ArnNotLike: { "aws:PrincipalArn": AGGREGATOR_PRINCIPAL_ARN } },
              },
          ]
        : [];
}

/**
 * For the deployment role's IAM policy (deployerIamStatements.ts programIamStatements): the aggregator role is handed to
 * AWS Config and nothing else — not to Lambda, EC2, Systems Manager, Scheduler or EventBridge, which
 * would run code or documents with its DescribeOrganization. (Its trust names config.amazonaws.com
 * only; this holds even for a role of that name created with another trust.)
 */
export function aggregatorPassRoleDeny(accountId: string): PolicyStatement {
    return {
        Sid: "AggregatorRoleOnlyToConfig",
        Effect: "Deny",
        Action: "iam:PassRole",
        Resource: roleArn(accountId, AGGREGATOR_NAMES.organizationRole),
        Condition: { StringNotEquals: { "iam:PassedToService": "config.amazonaws.com" } },
    };
}
