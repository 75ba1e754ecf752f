import { MANAGED_POLICIES, policy, type PolicyDocument, type PolicyStatement } from "../components/identity/iamDocuments";
import { CONFIG_ROLE_POLICY_ARN } from "../components/compliance/complianceDocuments";
import { awsAudience, PULUMI_OIDC_ISSUER_HOST, pulumiOidcProviderArn } from "./oidcClaims";

/**
 * IAM documents of the bootstrap, as pure functions (grammar:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
 *
 * The chain: ESC (OIDC) → the stack's OIDC role in its central account, which may do nothing but
 * assume → the deployment role in each account of that stack, which the main program's providers
 * name (`arn:aws:iam::<id>:role/<deploymentRoleName>` or the account's deploymentRoleArn).
 */

/** Everything but IAM, Organizations and Account management; IAM comes from the scoped inline policy. */
export const POWER_USER_ACCESS = "arn:aws:iam::aws:policy/PowerUserAccess";

/** One boundary per deployment role, named after it (two stacks may use different role names in one account). */
export function boundaryPolicyName(deploymentRoleName: string): string {
    return `${deploymentRoleName}-boundary`.slice(0, 128);
}

/** Services the program hands its roles to: activations, Lambda, Scheduler, Config, QuickSight. */
// events: the patch-run forwarding rules' targets carry a role (PutTargets passes it).
export const PASS_ROLE_SERVICES = ["config.amazonaws.com", "events.amazonaws.com", "lambda.amazonaws.com", "quicksight.amazonaws.com", "scheduler.amazonaws.com", "ssm.amazonaws.com"] as const;

const WRITE_VERBS = ["Accept", "Attach", "Cancel", "Close", "Create", "Decline", "Delete", "Deregister", "Detach", "Disable", "Enable", "Invite", "Leave", "Move", "Put", "Register", "Remove", "Start", "Tag", "Untag", "Update"];
const ORGANIZATION_WRITES = ["account", "organizations"].flatMap((service) => WRITE_VERBS.map((verb) => `${service}:${verb}*`));

/** Name prefix of every role, instance profile and customer managed policy the components create. */
export const PROGRAM_IAM_PREFIX = "patching-";

/**
 * The stack's OIDC role: assumable only with a Pulumi-issued token for this organization's AWS
 * audience whose subject is exactly this stack's ESC environment.
 */
export function oidcRoleTrust(accountId: string, organization: string, subject: string): PolicyDocument {
    return policy({
        Sid: "PulumiEscEnvironmentOfThisStack",
        Effect: "Allow",
        Principal: { Federated: pulumiOidcProviderArn(accountId) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: { [`${PULUMI_OIDC_ISSUER_HOST}:aud`]: awsAudience(organization), [`${PULUMI_OIDC_ISSUER_HOST}:sub`]: subject },
        },
    });
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
    return policy({ Sid: "ThisStacksOidcRole", Effect: "Allow", Principal: { AWS: oidcRoleArn }, Action: "sts:AssumeRole" });
}

export interface DeploymentIamScope {
    readonly accountId: string;
    /** Role names outside the `patching-` prefix the program manages (the Automation roles). */
    readonly extraRoleNames: readonly string[];
}

/**
 * IAM the program needs (PowerUserAccess excludes IAM): read everything; write only the roles,
 * instance profiles and policies it names (`patching-*` and the Automation roles); attach only the
 * managed policies the components attach; pass its roles only to the services that use them.
 */
export function deploymentRoleIamPolicy(scope: DeploymentIamScope): PolicyDocument {
    const iam = `arn:aws:iam::${scope.accountId}`;
    const roles = [`${iam}:role/${PROGRAM_IAM_PREFIX}*`, ...[...new Set(scope.extraRoleNames)].sort().map((name) => `${iam}:role/${name}`)];
    const statements: PolicyStatement[] = [
        // Get*/List* support resource ARNs, but a refresh reads attachments of AWS managed policies too.
        { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
        {
            Sid: "ManageProgramRoles",
            Effect: "Allow",
            Action: [
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:PutRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ],
            Resource: roles,
        },
        {
            Sid: "AttachOnlyTheProgramsManagedPolicies",
            Effect: "Allow",
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: roles,
            Condition: {
                ArnLike: {
                    "iam:PolicyARN": [MANAGED_POLICIES.ssmManagedInstanceCore, MANAGED_POLICIES.ssmAutomationRole, CONFIG_ROLE_POLICY_ARN, `${iam}:policy/${PROGRAM_IAM_PREFIX}*`],
                },
            },
        },
        {
            Sid: "ManageProgramInstanceProfiles",
            Effect: "Allow",
            Action: ["iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile"],
            Resource: `${iam}:instance-profile/${PROGRAM_IAM_PREFIX}*`,
        },
        {
            Sid: "ManageProgramPolicies",
            Effect: "Allow",
            Action: ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
            Resource: `${iam}:policy/${PROGRAM_IAM_PREFIX}*`,
        },
        {
            Sid: "PassProgramRolesToTheirServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roles,
            Condition: { StringEquals: { "iam:PassedToService": [...PASS_ROLE_SERVICES] } },
        },
    ];
    return policy(...statements);
}

export interface BoundaryScope {
    readonly accountId: string;
    readonly deploymentRoleName: string;
    /** The stack's OIDC role, when it lives in this account (it must not be edited either). */
    readonly oidcRoleName?: string;
}

/**
 * Permissions boundary of every deployment role: whatever identity policies it gets (even a
 * mistaken AdministratorAccess), it can never mint long-lived credentials, change identity
 * providers, edit its own or the OIDC role's access, chain into other roles, leave the
 * organization or silence CloudTrail.
 */
export function deploymentRoleBoundary(scope: BoundaryScope): PolicyDocument {
    const iam = `arn:aws:iam::${scope.accountId}`;
    const protectedRoles = [`${iam}:role/${scope.deploymentRoleName}`, ...(scope.oidcRoleName ? [`${iam}:role/${scope.oidcRoleName}`] : [])];
    return policy(
        { Sid: "EverythingElseTheIdentityPoliciesGrant", Effect: "Allow", Action: "*", Resource: "*" },
        {
            Sid: "NoLongLivedCredentials",
            Effect: "Deny",
            Action: [
                "iam:AddUserToGroup",
                "iam:AttachGroupPolicy",
                "iam:AttachUserPolicy",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:CreateServiceSpecificCredential",
                "iam:CreateUser",
                "iam:PutGroupPolicy",
                "iam:PutUserPolicy",
                "iam:UpdateLoginProfile",
                "iam:UploadSSHPublicKey",
                "iam:UploadSigningCertificate",
            ],
            Resource: "*",
        },
        {
            Sid: "NoIdentityProviderChanges",
            Effect: "Deny",
            Action: [
                "iam:AddClientIDToOpenIDConnectProvider",
                "iam:CreateOpenIDConnectProvider",
                "iam:CreateSAMLProvider",
                "iam:DeleteOpenIDConnectProvider",
                "iam:DeleteSAMLProvider",
                "iam:RemoveClientIDFromOpenIDConnectProvider",
                "iam:UpdateOpenIDConnectProviderThumbprint",
                "iam:UpdateSAMLProvider",
            ],
            Resource: "*",
        },
        {
            Sid: "NoChangesToDeploymentAccess",
            Effect: "Deny",
            Action: [
                "iam:AttachRolePolicy",
                "iam:DeleteRole",
                "iam:DeleteRolePermissionsBoundary",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
            ],
            Resource: protectedRoles,
        },
        {
            Sid: "NoChangesToThisBoundary",
            Effect: "Deny",
            Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
            Resource: `${iam}:policy/${boundaryPolicyName(scope.deploymentRoleName)}`,
        },
        // Nothing the program does needs a second hop; denying it closes "create a role that
        // trusts me, then assume it".
        { Sid: "NoRoleChaining", Effect: "Deny", Action: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"], Resource: "*" },
        // Reads stay allowed (PowerUserAccess grants organizations:DescribeOrganization, account:ListRegions).
        { Sid: "NoOrganizationChanges", Effect: "Deny", Action: ORGANIZATION_WRITES, Resource: "*" },
        { Sid: "NoAuditTampering", Effect: "Deny", Action: ["cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"], Resource: "*" },
    );
}
