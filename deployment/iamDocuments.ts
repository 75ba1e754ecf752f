import { policy, trustStatement, type PolicyDocument } from "../components/identity/iamDocuments";
import { programResourceStatements } from "../components/identity/boundaryAllows";
import { programIamStatements } from "../components/identity/deployerIamStatements";
import type { ProgramBoundaryScope } from "../components/identity/boundaryScope";
import { awsAudience, PULUMI_OIDC_ISSUER_HOST, pulumiOidcProviderArn } from "./oidcClaims";

/**
 * IAM documents of the bootstrap, as pure functions (grammar:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
 *
 * The chain: ESC (OIDC) → the stack's OIDC role in its central account, which may do nothing but
 * assume → the deployment role in each account of that stack, which the main program's providers
 * name (`arn:aws:iam::<id>:role/<deploymentRoleName>` or the account's deploymentRoleArn).
 */

/**
 * The main program's project name, the `Project` tag value its provider puts on every resource
 * (stacks/config standardTags); the boundary recognizes the program's KMS keys and network
 * resources by it.
 */
export const DEFAULT_PROJECT = "multicloud-patching";

/**
 * Services the program hands its roles to: activations and Automation (ssm), Lambda, Scheduler,
 * Config, QuickSight, EventBridge targets (PutTargets passes the forwarder role), and EC2 — adding
 * a role to an instance profile needs iam:PassRole too (IAM API, AddRoleToInstanceProfile).
 */
export const PASS_ROLE_SERVICES = ["config.amazonaws.com", "ec2.amazonaws.com", "events.amazonaws.com", "lambda.amazonaws.com", "quicksight.amazonaws.com", "scheduler.amazonaws.com", "ssm.amazonaws.com"] as const;

/** The deployment role's customer managed policies are named after it (outside `patching-`, so it cannot edit them). */
export function deploymentPolicyName(deploymentRoleName: string, part: "services"): string {
    return `${deploymentRoleName}-${part}`.slice(0, 128);
}

/**
 * The stack's OIDC role: assumable only with a Pulumi-issued token for this organization's AWS
 * audience whose subject is exactly this stack's ESC environment.
 */
export function oidcRoleTrust(accountId: string, organization: string, subject: string): PolicyDocument {
    const claims = { StringEquals: { [`${PULUMI_OIDC_ISSUER_HOST}:aud`]: awsAudience(organization), [`${PULUMI_OIDC_ISSUER_HOST}:sub`]: subject } };
    return policy(trustStatement("PulumiEscEnvironmentOfThisStack", { Federated: pulumiOidcProviderArn(accountId) }, claims, "sts:AssumeRoleWithWebIdentity"));
}

/**
 * The OIDC role holds no cloud permissions of its own: it may only assume the deployment roles of
 * its stack's accounts (explicit ARNs). The AWS provider's assume-role passes no session tags, so
 * sts:TagSession is not granted.
 */
export function oidcRolePolicy(deploymentRoleArns: readonly string[]): PolicyDocument {
    return policy({ Sid: "AssumeThisStacksDeploymentRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...new Set(deploymentRoleArns)].sort() });
}

/** A deployment role trusts exactly one principal: its stack's OIDC role (by ARN, not the account root). */
export function deploymentRoleTrust(oidcRoleArn: string): PolicyDocument {
    return policy(trustStatement("ThisStacksOidcRole", { AWS: oidcRoleArn }));
}

export interface DeploymentIamScope {
    readonly accountId: string;
    /** Role names outside the `patching-` prefix the program manages (the Automation roles). */
    readonly extraRoleNames: readonly string[];
}

/**
 * The deployment role's IAM (inline policy `manage-program-iam`): roles, instance profiles and
 * policies under the program's names only; roles created, given policies or a boundary only with
 * the program boundary (iam:PermissionsBoundary); its roles passed only to the services that run
 * them. Reads come with the services policy. The boundary's denies hold on top of this.
 */
export function deploymentRoleIamPolicy(scope: DeploymentIamScope): PolicyDocument {
    return policy(...programIamStatements({ accountId: scope.accountId, automationRoleNames: scope.extraRoleNames }, PASS_ROLE_SERVICES));
}

/**
 * Replaces PowerUserAccess (issue 14, H1): every other service the program uses, on the
 * program's resources only — the same statements the boundary allows (without what only the
 * program's roles do at run time), so the deployer holds nothing its boundary takes away.
 */
export function deploymentRoleServicesPolicy(scope: ProgramBoundaryScope): PolicyDocument {
    return policy(...programResourceStatements(scope));
}

export interface BoundaryStackInput {
    readonly centralAccountId: string;
    readonly oidcRoleName: string;
    readonly deploymentRoles: readonly { readonly accountId: string; readonly roleName: string; readonly rolePath?: string }[];
    readonly automationRoleNames: readonly string[];
    /**
     * The main stack runs in organization mode (its stack file has an `organization` block): its
     * central account's deployment role manages the member StackSets.
     * @default false
     */
    readonly organizationMode?: boolean;
    /**
     * The main stack enables the QuickSight dashboard (`reporting.quickSight.enabled`): the account
     * it is built in (the main stack's central account), whose boundary and deployment role get the
     * dashboard's grants (components/identity/boundaryQuickSight.ts).
     * @default - no dashboard
     */
    readonly quickSightDashboardAccountId?: string;
}

/**
 * One boundary scope per account, merged over every stack that uses the account (the boundary is
 * one policy of a fixed name per account, so two stacks sharing an account share it): the
 * Automation role names and deployment roles of all of them, stackSetAdministration for the
 * central account of an organization-mode stack (only there: the StackSets are created with the
 * central account's provider, components/organization/stackSets.ts), and quickSightDashboard for
 * the account a stack builds the QuickSight dashboard in (its central account, stacks/awsReporting.ts).
 */
export function programBoundaryScopes(stacks: readonly BoundaryStackInput[], project: string = DEFAULT_PROJECT): ProgramBoundaryScope[] {
    const byAccount = new Map<string, { automation: Set<string>; roles: Map<string, { roleName: string; rolePath: string }>; stackSets: boolean; dashboard: boolean }>();
    for (const stack of stacks) {
        for (const accountId of [stack.centralAccountId, ...stack.deploymentRoles.map((role) => role.accountId)]) {
            const entry = byAccount.get(accountId) ?? { automation: new Set<string>(), roles: new Map(), stackSets: false, dashboard: false };
            entry.stackSets ||= stack.organizationMode === true && accountId === stack.centralAccountId;
            entry.dashboard ||= accountId === stack.quickSightDashboardAccountId;
            stack.automationRoleNames.forEach((name) => entry.automation.add(name));
            for (const role of stack.deploymentRoles) {
                const rolePath = role.rolePath ?? "/";
                entry.roles.set(`${rolePath}${role.roleName}`, { roleName: role.roleName, rolePath });
            }
            byAccount.set(accountId, entry);
        }
    }
    return [...byAccount.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([accountId, entry]) => ({
            accountId,
            project,
            automationRoleNames: [...entry.automation].sort(),
            deploymentRoles: [...entry.roles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, role]) => role),
            ...(entry.stackSets ? { stackSetAdministration: true } : {}),
            ...(entry.dashboard ? { quickSightDashboard: true } : {}),
        }));
}
