/**
 * The program permissions boundary's explicit denies. Sources: see boundaryDocuments.ts.
 */
import { permissionsBoundaryArn } from "../../catalog/naming";
import type { PolicyStatement } from "./iamDocuments";
import { aggregatorDescribeDenies, unconditionalOrganizationDenies } from "./boundaryAggregator";
import {
    boundaryIamScope,
    BOUNDARY_NODE_DOCUMENTS,
    DEPLOYMENT_ACCESS_TAG,
    ENFORCER_ATTACHABLE_POLICY_ARNS,
    PROGRAM_CONFIG_RECORDER,
    PROGRAM_PREFIX,
    programRoleArns,
    sortedUnique,
    type ProgramBoundaryScope,
} from "./boundaryScope";

/**
 * Every Organizations action but List*, by first letters: SAR Organizations' writes begin with
 * Accept, Attach, Cancel, Close, Create, Decline, Delete, Deregister, Detach, Disable, Enable,
 * Invite, Leave, Move, Put, Register, Remove, Tag, Terminate, Untag, Update; its reads with
 * Describe (denied too: nothing needs them) or List. A test holds every SAR Organizations action
 * (iam-data) that is not List* to this list, so an action with a new first letter fails it.
 */
export const ORGANIZATIONS_ALL_BUT_LIST = ["A*", "C*", "D*", "E*", "I*", "Le*", "M*", "P*", "R*", "T*", "U*"].map((prefix) => `organizations:${prefix}`);

/** Explicit denies: they hold whatever any identity policy (or a later widening of the allows) grants. */
export function boundaryDenyStatements(scope: ProgramBoundaryScope): PolicyStatement[] {
    const notThisBoundary = { StringNotEquals: { "iam:PermissionsBoundary": permissionsBoundaryArn(scope.accountId) } };
    return [
        {
            // A role may only be created, given or stripped of policies, or given a boundary when
            // it carries (or gets) THIS boundary (iam:PermissionsBoundary, SAR IAM; IAM user guide,
            // access_policies_boundaries.html "Delegating responsibility"). StringNotEquals is also
            // true for a role without any boundary. One exception: attaching
            // AmazonSSMManagedInstanceCore or the program's log writer to an existing instance role
            // (the enforcer's job; such roles are the customer's, without this boundary) — Core grants
            // SSM Agent calls only, the log writer PutObject on the log buckets.
            // ArnNotEquals is true when the call names no policy (CreateRole, PutRolePolicy, …).
            Sid: "OnlyWithThisBoundary",
            Effect: "Deny",
            // Attach/DetachRolePolicy, CreateRole, DeleteRolePolicy, PutRolePermissionsBoundary,
            // PutRolePolicy (exactly what these patterns match in SAR IAM; the consolidation test holds it).
            Action: ["iam:*tachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:PutRole*"],
            Resource: "*",
            Condition: { ...notThisBoundary, ArnNotEquals: { "iam:PolicyARN": [...ENFORCER_ATTACHABLE_POLICY_ARNS] } },
        },
        {
            // The deployment and OIDC roles carry this boundary without being program roles: no
            // policy at all may be attached to them (not even Core, which the next statement lets
            // onto roles outside the program for the enforcer). They are told by their tag.
            Sid: "DeploymentRolesFixed",
            Effect: "Deny",
            Action: "iam:AttachRolePolicy",
            Resource: "*",
            Condition: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_ACCESS_TAG.key}`]: DEPLOYMENT_ACCESS_TAG.value } },
        },
        automationRolesTrust(scope),
        {
            // These writes only ever on the program's own resources. Each pattern below is of one
            // service, so it only ever matches that service's actions:
            // - roles outside the program (the deployment and OIDC roles first, every administrator
            //   role too) are never written, given a policy (but Core, see the condition) or passed
            //   to a service (handing a role to Lambda, EC2 or SSM is acting as it);
            // - managed policies outside the program — this boundary (outside the prefix on purpose)
            //   and the deployer's own — are never written;
            // - Lambda code only in the program's functions;
            // - Run Command and associations only with BOUNDARY_NODE_DOCUMENTS (SendCommand is
            //   authorized on the document, each node and the output bucket; an association on the
            //   association, document and nodes — SAR SSM; AWS documents have an empty account
            //   segment, which `*` matches);
            // - SAR Config: recorder actions take configuration-recorder/<name>/<id>, so only the
            //   program's recorder may be changed or stopped, and retention (how long evidence is
            //   kept; no resource type) never. DeleteDeliveryChannel has no resource type either but
            //   fails while a recorder runs (Config API reference), and no other recorder can be
            //   stopped.
            Sid: "OnlyProgramResources",
            Effect: "Deny",
            Action: [
                "config:*ConfigurationRecorder",
                "config:*RetentionConfiguration",
                // Attach/DetachRolePolicy
                "iam:*tachRolePolicy",
                // TagRole, UntagRole
                "iam:*TagRole",
                // CreatePolicy, CreatePolicyVersion, DeletePolicy, DeletePolicyVersion (exactly, SAR IAM;
                // boundaryRoom.test.ts holds it): one pattern for two, IAM's 6,144 characters.
                "iam:*tePolicy*",
                // CreateRole, DeleteRole, DeleteRolePermissionsBoundary, DeleteRolePolicy (and UpdateRole,
                // UpdateRoleDescription, which Update*Role* names too)
                "iam:*teRole*",
                "iam:PassRole",
                "iam:PutRole*",
                "iam:SetDefaultPolicyVersion",
                // UpdateAssumeRolePolicy, UpdateRole, UpdateRoleDescription
                "iam:Update*Role*",
                "lambda:CreateFunction",
                "lambda:UpdateFunction*",
                "ssm:CreateAssociation*",
                "ssm:SendCommand",
                "ssm:UpdateAssociation",
            ],
            NotResource: [
                ...programRoleArns(boundaryIamScope(scope)),
                `arn:aws:iam::*:policy/${PROGRAM_PREFIX}*`,
                `arn:aws:lambda:*:*:function:${PROGRAM_PREFIX}*`,
                ...BOUNDARY_NODE_DOCUMENTS.map((name) => `arn:aws:ssm:*:*:document/${name}`),
                "arn:aws:ssm:*:*:association/*",
                "arn:aws:ec2:*:*:instance/*",
                "arn:aws:ssm:*:*:managed-instance/*",
                `arn:aws:s3:::${PROGRAM_PREFIX}*`,
                `arn:aws:config:*:*:configuration-recorder/${PROGRAM_CONFIG_RECORDER}/*`,
            ],
            // …except AmazonSSMManagedInstanceCore or the log writer onto (or off) an existing
            // instance role, the enforcer's job. Calls naming no policy lack the key, which IfExists
            // counts as a match.
            Condition: { ArnNotEqualsIfExists: { "iam:PolicyARN": [...ENFORCER_ATTACHABLE_POLICY_ARNS] } },
        },
        {
            // What no bounded principal ever does, on any resource (one statement: the same
            // Resource "*" — IAM's 6,144 characters):
            // - IAM backdoors: long-lived credentials outlive the OIDC session; a new or widened
            //   identity provider is a new way in; a role stripped of its boundary is uncapped. (User
            //   and group reads go too: nothing in the program reads them.)
            // - Audit and security services the program never uses — CloudTrail (StopLogging,
            //   DeleteTrail, UpdateTrail, PutEventSelectors, DeleteEventDataStore,
            //   StopEventDataStoreIngestion, …), GuardDuty (detectors, filters, IP sets), Security Hub:
            //   retained evidence is never bypassed, the account is not changed. No shells.
            //   (Maintenance-window tasks, which run commands as the SSM service-linked role, are not
            //   granted at all: no allow names a maintenance window.)
            // - Organizations, where this account administers the member StackSets: every action but
            //   List* (see organizationDenies) — `D*` in a statement of its own (boundaryAggregator.ts).
            Sid: "NoBackdoorsAuditOrShells",
            Effect: "Deny",
            Action: [
                "account:*",
                "cloudtrail:*",
                "guardduty:*",
                "iam:*AccessKey*",
                "iam:*Group*",
                "iam:*LoginProfile",
                // OpenID Connect and SAML providers
                "iam:*Provider*",
                "iam:*ServiceSpecificCredential",
                "iam:*User*",
                "iam:DeleteRolePermissionsBoundary",
                "iam:Upload*",
                ...(scope.stackSetAdministration === true ? unconditionalOrganizationDenies(ORGANIZATIONS_ALL_BUT_LIST) : []),
                "s3:BypassGovernanceRetention",
                "securityhub:*",
                "ssm:ResumeSession",
                "ssm:StartSession",
            ],
            Resource: "*",
        },
        ...organizationDenies(scope),
        ...aggregatorDescribeDenies(scope),
    ];
}

/**
 * The Automation roles are trusted across the estate (administration role → every execution
 * role): their trust never changes, nor are they deleted to come back with another. Changing them
 * is an administrator's bootstrap task.
 *
 * Written as "every role but `patching-*`" (NotResource): the same decisions as naming the
 * Automation roles, because every other role outside `patching-*` is already denied both actions
 * by OnlyProgramResources (neither action carries iam:PolicyARN, the key its exception reads), and
 * one pattern costs fewer characters than the role names (each ~70, IAM's 6,144). Not when an
 * Automation role name itself starts with `patching-`: then the names are listed as before.
 */
function automationRolesTrust(scope: ProgramBoundaryScope): PolicyStatement {
    const statement = { Sid: "AutomationRolesTrust", Effect: "Deny", Action: ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy"] } as const;
    return sortedUnique(scope.automationRoleNames).some((name) => name.startsWith(PROGRAM_PREFIX))
        ? { ...statement, Resource: programRoleArns(boundaryIamScope(scope)).slice(1) }
        : { ...statement, NotResource: `arn:aws:iam::*:role/${PROGRAM_PREFIX}*` };
}

/**
 * Organizations. Everywhere but where the member StackSets are administered: everything on
 * anything but a root or an OU — LeaveOrganization and the other resource-less calls included;
 * what remains on roots/OUs is only what the allows grant: List* (the administration role's
 * ListAccountsForParent, SAR Organizations: resource types root, organizationalunit).
 *
 * Where they are (stackSetAdministration): the deployer's CloudFormation calls need
 * ListDelegatedAdministrators, which SAR lists without a resource type — the NotResource form would
 * deny it. There the denied set is every action but List* instead (ORGANIZATIONS_ALL_BUT_LIST, in
 * NoBackdoorsAuditOrShells), which also denies writes on roots and OUs; List* on anything (the
 * organization's structure, readable by a delegated administrator anyway) is what the allows grant.
 * Register/DeregisterDelegatedAdministrator, Enable/DisableAWSServiceAccess, LeaveOrganization,
 * account moves and policies stay denied in both forms.
 */
function organizationDenies(scope: ProgramBoundaryScope): PolicyStatement[] {
    return scope.stackSetAdministration === true
        ? []
        : [{ Sid: "NoOrganizationChanges", Effect: "Deny", Action: "organizations:*", NotResource: ["arn:aws:organizations::*:ou/*", "arn:aws:organizations::*:root/*"] }];
}
