/**
 * The program permissions boundary (issue 14, H1): ONE customer managed policy, named
 * PERMISSIONS_BOUNDARY_NAME, in every account, carried by every role the main program and the
 * deployment program create — the deployment (deployer) role and the OIDC role included. A
 * boundary only caps: a role can do what its identity policies AND the boundary allow, minus any
 * explicit Deny in either (IAM user guide, "Permissions boundaries for IAM entities":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 *
 * Because the deployer itself carries it, whatever the deployer builds — a role with an inline
 * `*:*`, handed to a Lambda function it then runs — can never get more than this document allows:
 * an allow-list of the services, actions and name prefixes the program uses (never `Allow *`), and
 * explicit denies that hold whatever a later identity policy grants.
 *
 * Action names, resource types and condition keys: the Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * (cited below as "SAR <service>"). `Resource: "*"` only where SAR lists no resource type for the
 * action, or for reads.
 *
 * Size: a managed policy holds at most 6,144 characters without whitespace (IAM quotas,
 * reference_iam-quotas.html; policySize.ts); the test asserts it.
 *
 * Parts: boundaryScope.ts (names and scope), boundaryAllows.ts, boundaryDenies.ts.
 */
import { programResourceStatements, runtimeStatements } from "./boundaryAllows";
import { boundaryDenyStatements } from "./boundaryDenies";
import type { ProgramBoundaryScope } from "./boundaryScope";
import { policy, type PolicyDocument } from "./iamDocuments";

// components/organization and stacks/ name the deployment roles a boundary lets the OIDC role assume.
export type { DeploymentRoleRef } from "./boundaryScope";

/**
 * THE program permissions boundary of one account. Its statements go without their Sids: the
 * document must fit IAM's 6,144 characters (with organization mode's StackSet grants too), and a
 * Sid changes no decision. The builders keep them, for the deployer's identity policy, the tests
 * and readers of boundaryAllows.ts / boundaryDenies.ts.
 */
export function programBoundary(scope: ProgramBoundaryScope): PolicyDocument {
    const statements = [...programResourceStatements(scope, true), ...runtimeStatements(scope), ...boundaryDenyStatements(scope)];
    return policy(...statements.map(({ Sid: _sid, ...statement }) => statement));
}
