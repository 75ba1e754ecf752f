/**
 * IAM permissions: no deprecated SSM policy, no `*` on `*`, every role inside the program's
 * permissions boundary, no AWS managed policy beyond an allow-list. Who may assume or reach a
 * resource (public principals, trust policies, whole-account grants, event-bus senders):
 * principals.ts.
 */
import * as iam from "@pulumi/aws/iam";
import { validateResourceOfType, type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { actions, ENDPOINT_POLICY_TYPES, isAllow, label, resources, RESOURCE_POLICY_PROPS, restrictingKeys, statementsOf, strings } from "./lib/documents";
import { managedAttachments, trustedPrincipals } from "./lib/attachments";
import { accountOf, known, peek, quoted, UNKNOWN } from "./lib/graph";
import { settings } from "./lib/settings";

const MANAGED_POLICY_PROPS: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/role:Role": "managedPolicyArns",
};

function attachedPolicies(args: ResourceValidationArgs): string[] {
    const property = MANAGED_POLICY_PROPS[args.type];
    return property === undefined ? [] : strings(known(() => args.props[property]));
}

export const iamNoDeprecatedSsmPolicy: ResourceValidationPolicy = {
    name: "iam-no-deprecated-ssm-policy",
    description: "Nothing attaches the deprecated AmazonEC2RoleforSSM managed policy (use AmazonSSMManagedInstanceCore).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (MANAGED_POLICY_PROPS[args.type] === undefined) {
            return args.notApplicable("only IAM roles and policy attachments");
        }
        if (attachedPolicies(args).some((arn) => /\/AmazonEC2RoleforSSM$/.test(arn))) {
            reportViolation(`${args.name} attaches the deprecated AmazonEC2RoleforSSM (it grants s3:* and more on every resource); attach AmazonSSMManagedInstanceCore instead`);
        }
    },
};

/** Documents that grant permissions: identity policies and every resource policy above. */
const PERMISSION_DOCUMENTS: Record<string, string> = {
    ...RESOURCE_POLICY_PROPS,
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/policy:Policy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
};

export const iamNoWildcardActionOnAllResources: ResourceValidationPolicy = {
    name: "iam-no-wildcard-action-on-all-resources",
    description: 'No policy allows "Action": "*" (or NotAction) on "Resource": "*", and nothing attaches AdministratorAccess.',
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (attachedPolicies(args).some((arn) => /:policy\/AdministratorAccess$/.test(arn))) {
            reportViolation(`${args.name} attaches AdministratorAccess ("*" on "*")`);
        }
        const documents = [PERMISSION_DOCUMENTS[args.type]].filter((p): p is string => p !== undefined).map((p) => () => args.props[p]);
        if (args.type === "aws:iam/role:Role") {
            const inline = known(() => args.props["inlinePolicies"]) as { policy?: unknown }[] | undefined;
            (inline ?? []).forEach((entry) => documents.push(() => entry.policy));
        }
        if (documents.length === 0 && MANAGED_POLICY_PROPS[args.type] === undefined) {
            return args.notApplicable("only resources carrying or attaching a policy");
        }
        for (const document of documents) {
            (statementsOf(document) ?? []).forEach((statement, index) => {
                const everything = actions(statement).some((action) => action === "*" || action === "*:*") || statement.NotAction !== undefined;
                const everywhere = resources(statement).includes("*") || statement.NotResource !== undefined;
                // An endpoint policy grants nothing (see publicPrincipalProblem): "*" on "*" there only
                // says the endpoint does not filter actions, which is fine once it filters who.
                const perimeter = ENDPOINT_POLICY_TYPES.includes(args.type) && restrictingKeys(statement).length > 0;
                if (isAllow(statement) && everything && everywhere && !perimeter) {
                    reportViolation(`${args.name}: ${label(statement, index)} allows every action on every resource`);
                }
            });
        }
    },
};

/** The program's permissions boundary (catalog/naming.ts PERMISSIONS_BOUNDARY_NAME; a test keeps the two equal — the pack may not import it). */
export const BOUNDARY_DEFAULTS = { boundaryPolicyName: "multicloud-patching-boundary" };

export const iamRolePermissionsBoundary: ResourceValidationPolicy = {
    name: "iam-role-permissions-boundary",
    description:
        "Every IAM role carries the program's permissions boundary, permissionsBoundary = arn:aws:iam::<the role's own account>:policy/<boundaryPolicyName>, so no role (nor one it creates) can exceed what the program may do.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            boundaryPolicyName: { type: "string", minLength: 1, default: BOUNDARY_DEFAULTS.boundaryPolicyName, description: "Name of the customer managed policy every role must have as its boundary." },
        },
    },
    validateResource: validateResourceOfType(iam.Role, (role, args, reportViolation) => {
        const { boundaryPolicyName } = settings(args, BOUNDARY_DEFAULTS);
        const boundary = peek(() => role.permissionsBoundary);
        if (boundary === UNKNOWN) {
            return; // known at the update
        }
        // The boundary must live in the role's own account (IAM accepts another account's policy
        // ARN, whose owner could then widen it); the provider's allowedAccountIds says which.
        const account = accountOf(args);
        const escaped = boundaryPolicyName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const expected = new RegExp(`^arn:aws[a-z-]*:iam::${account ?? "\\d{12}"}:policy/${escaped}$`);
        const wanted = `arn:aws:iam::${account ?? "<account>"}:policy/${boundaryPolicyName}`;
        const roleName = known(() => role.name) ?? args.name;
        if (typeof boundary !== "string" || boundary === "") {
            reportViolation(`role ${roleName} has no permissions boundary; every program role must carry ${wanted}`);
        } else if (!expected.test(boundary)) {
            reportViolation(`role ${roleName} has permissions boundary ${boundary}; every program role must carry ${wanted}`);
        }
    }),
};

/** An AWS managed policy ARN → its name with path (`service-role/AWS_ConfigRole`), else undefined. */
export function awsManagedPolicyName(arn: string): string | undefined {
    return /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
}

export interface AllowedManagedPolicy {
    /** Name with path after `arn:aws:iam::aws:policy/`. */
    readonly policy: string;
    /** When set, the policy may sit only on roles every trusted principal of which is one of these services. */
    readonly trustedBy?: readonly string[];
}

/**
 * AmazonSSMManagedInstanceCore is what an instance or hybrid node needs (AWS's documented
 * instance policy); AWS_ConfigRole is the policy AWS documents for the Config recorder's role
 * (https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html) and keeps
 * current as Config records new resource types. Each only on the roles those services assume.
 */
export const MANAGED_POLICY_DEFAULTS: { allowedPolicies: readonly AllowedManagedPolicy[] } = {
    allowedPolicies: [
        { policy: "AmazonSSMManagedInstanceCore", trustedBy: ["ec2.amazonaws.com", "ssm.amazonaws.com"] },
        { policy: "service-role/AWS_ConfigRole", trustedBy: ["config.amazonaws.com"] },
        // The Default Host Management role (issue 15): Systems Manager assumes it for instances
        // without an instance profile; the policy AWS documents for that role.
        { policy: "AmazonSSMManagedEC2InstanceDefaultPolicy", trustedBy: ["ssm.amazonaws.com"] },
        // The organization aggregator's role (issue 19): the four organizations reads Config
        // documents for listing the organization's accounts, nothing else.
    ],
};

export const iamAwsManagedPolicyAllowed: StackValidationPolicy = {
    name: "iam-aws-managed-policy-allowed",
    description:
        "No role, user or group gets an AWS managed policy (arn:aws:iam::aws:policy/…) outside allowedPolicies — by default AmazonSSMManagedInstanceCore on roles trusted only by EC2/Systems Manager and service-role/AWS_ConfigRole on roles trusted only by AWS Config and AmazonSSMManagedEC2InstanceDefaultPolicy on roles trusted only by Systems Manager (Default Host Management). AWS managed policies are written for every customer (AmazonSSMAutomationRole: ssm:* and CloudFormation stacks on *); grant the rest inline, scoped.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedPolicies: {
                type: "array",
                items: {
                    type: "object",
                    properties: { policy: { type: "string" }, trustedBy: { type: "array", items: { type: "string" } } },
                    required: ["policy"],
                    additionalProperties: false,
                },
                default: MANAGED_POLICY_DEFAULTS.allowedPolicies,
                description: "AWS managed policies (name with path) that may be attached, each optionally only to roles trusted by the listed service principals alone.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { allowedPolicies } = settings(args, MANAGED_POLICY_DEFAULTS);
        const allowedNames = allowedPolicies.map((entry) => entry.policy);
        for (const attachment of managedAttachments(args.resources)) {
            const name = awsManagedPolicyName(attachment.arn);
            if (name === undefined) {
                continue; // customer managed: its document is checked where it is defined
            }
            const entry = allowedPolicies.find((allowed) => allowed.policy === name);
            const where = `${attachment.holder.name} attaches AWS managed policy ${name} to ${attachment.target}`;
            if (entry === undefined) {
                reportViolation(`${where}: allowed are only ${quoted(allowedNames)}; grant what the role needs with an inline policy scoped to the program's resources`, attachment.holder.urn);
                continue;
            }
            const services = entry.trustedBy ?? [];
            if (services.length === 0) {
                continue;
            }
            if (!attachment.isRole) {
                reportViolation(`${where}: ${name} is allowed only on roles trusted by ${quoted(services)}`, attachment.holder.urn);
                continue;
            }
            // A role outside this stack (or not found): its trust cannot be checked here.
            const trusted = attachment.role === undefined ? UNKNOWN : trustedPrincipals(attachment.role);
            const strangers = trusted === UNKNOWN ? [] : trusted.filter((principal) => !services.some((service) => principal === `Service ${service}`));
            if (strangers.length > 0) {
                reportViolation(`${where}, which trusts ${quoted(strangers)}: ${name} is allowed only on roles trusted by ${quoted(services)} alone`, attachment.holder.urn);
            }
        }
    },
};
