/**
 * IAM: no deprecated SSM policy, no anonymous principals, no `*` on `*`, execution roles trusted
 * only by the administration role and Systems Manager, service trust with confused-deputy keys,
 * every role inside the program's permissions boundary, no AWS managed policy beyond an
 * allow-list, no whole-account grant without a principal condition, event-bus policies that name
 * their principals.
 */
import * as iam from "@pulumi/aws/iam";
import { validateResourceOfType, type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import {
    accountPrincipals,
    actions,
    isAllow,
    isPublic,
    label,
    positiveConditionKeys,
    principals,
    resources,
    restrictingKeys,
    statementsOf,
    strings,
    type Statement,
} from "./lib/documents";
import { managedAttachments, trustedPrincipals } from "./lib/attachments";
import { readEstate } from "./lib/estate";
import { accountOf, known, peek, quoted, TYPES, UNKNOWN } from "./lib/graph";
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

/** Where each resource type keeps a policy document that names principals. */
const RESOURCE_POLICY_PROPS: Record<string, string> = {
    "aws:iam/role:Role": "assumeRolePolicy",
    "aws:s3/bucket:Bucket": "policy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:sns/topic:Topic": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:sqs/queue:Queue": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "policy",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "policy",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": "policy",
};
const ENDPOINT_POLICY_TYPES = ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"];

/** Why a statement that allows anyone is not acceptable, or undefined. */
export function publicPrincipalProblem(statement: Statement, endpointPolicy: boolean): string | undefined {
    if (!isAllow(statement)) {
        return undefined;
    }
    if (statement.NotPrincipal !== undefined) {
        return "allows every principal except those in NotPrincipal";
    }
    if (!isPublic(statement)) {
        return undefined;
    }
    if (endpointPolicy) {
        // An endpoint policy grants nothing by itself (the caller still needs IAM and resource-policy
        // permission); it limits what passes through the endpoint, so "Principal": "*" is its normal
        // form and the restriction that matters is on Resource and Action — or on who: "*" on "*"
        // for the estate's own principals only (aws:PrincipalAccount / aws:PrincipalOrgID) is the
        // data-perimeter form AWS documents for interface endpoints
        // (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
        if (restrictingKeys(statement).length > 0) {
            return undefined;
        }
        const open = statement.NotResource !== undefined || statement.NotAction !== undefined || resources(statement).some((r) => r === "*" || /^arn:aws:s3:::\*/.test(r));
        return open || actions(statement).includes("*") ? 'allows "Principal": "*" through the endpoint on every resource or action; name the resources it may reach' : undefined;
    }
    return restrictingKeys(statement).length > 0 ? undefined : 'allows "Principal": "*" without a condition restricting who (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, …)';
}

export const iamNoPublicPrincipal: ResourceValidationPolicy = {
    name: "iam-no-public-principal",
    description:
        'No trust, bucket, topic, queue, key, event-bus or endpoint policy allows "Principal": "*" unless a condition restricts who (endpoint policies: unless Resource and Action are specific); no public Lambda permission.',
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === "aws:lambda/permission:Permission") {
            const open = known(() => args.props["principal"]) === "*";
            const scoped = ["sourceArn", "sourceAccount", "principalOrgId"].some((key) => known(() => args.props[key]) !== undefined);
            if (open && !scoped) {
                reportViolation(`${args.name} lets any principal invoke the function (principal "*" without sourceArn, sourceAccount or principalOrgId)`);
            }
            return;
        }
        const property = RESOURCE_POLICY_PROPS[args.type];
        if (property === undefined) {
            return args.notApplicable("only resources carrying a resource or trust policy");
        }
        const statements = statementsOf(() => args.props[property]) ?? [];
        statements.forEach((statement, index) => {
            const problem = publicPrincipalProblem(statement, ENDPOINT_POLICY_TYPES.includes(args.type));
            if (problem !== undefined) {
                reportViolation(`${args.name}: ${label(statement, index)} ${problem}`);
            }
        });
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

export const iamExecutionRoleTrust: ResourceValidationPolicy = {
    name: "iam-execution-role-trust",
    description: "The Automation execution role in each member account trusts only the central administration role and ssm.amazonaws.com.",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(iam.Role, (role, args, reportViolation) => {
        const estate = readEstate();
        const executionRoleName = estate?.executionRoleName ?? "AWS-SystemsManager-AutomationExecutionRole";
        const administrationRoleName = estate?.administrationRoleName ?? "AWS-SystemsManager-AutomationAdministrationRole";
        if (known(() => role.name) !== executionRoleName) {
            return args.notApplicable(`only the execution role ${executionRoleName}`);
        }
        const central = estate?.centralAccount?.id ?? "\\d{12}";
        const administrationRole = new RegExp(`^arn:aws:iam::${central}:role/${administrationRoleName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
        (statementsOf(() => role.assumeRolePolicy) ?? []).filter(isAllow).forEach((statement, index) => {
            const strangers = principals(statement.Principal).filter(([kind, value]) => !(kind === "Service" && value === "ssm.amazonaws.com") && !(kind === "AWS" && administrationRole.test(value)));
            const others = statement.NotPrincipal !== undefined ? ["NotPrincipal"] : strangers.map(([kind, value]) => `${kind} ${value}`);
            if (others.length > 0) {
                reportViolation(`${args.name}: ${label(statement, index)} trusts ${quoted(others)}; only the central ${administrationRoleName} and ssm.amazonaws.com may assume the execution role`);
            }
        });
    }),
};

const SOURCE_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"];
/**
 * exemptRoles: roles a service assumes with a trust AWS documents without source keys. The
 * Default Host Management role (Systems Manager's DHMC setting names it) is trusted by
 * ssm.amazonaws.com exactly as "Default Host Management Configuration" shows; which aws:Source*
 * keys DHMC sends is undocumented, and one it does not send would leave every node unmanaged.
 */
const CONFUSED_DEPUTY_DEFAULTS = { exemptServices: ["ec2.amazonaws.com"], exemptRoles: ["patching-default-host-management"] };

export const iamServiceTrustConfusedDeputy: ResourceValidationPolicy = {
    name: "iam-service-trust-confused-deputy",
    description:
        "A role trusted by an AWS service carries aws:SourceAccount / aws:SourceArn (or aws:SourceOrgID/Paths) conditions against the confused-deputy problem; exempt services (EC2 instance roles: EC2 sends no source keys) excepted.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptServices: { type: "array", items: { type: "string" }, default: CONFUSED_DEPUTY_DEFAULTS.exemptServices, description: "Service principals that send no aws:Source* keys." },
            exemptRoles: { type: "array", items: { type: "string" }, default: CONFUSED_DEPUTY_DEFAULTS.exemptRoles, description: "Role names trusted by ssm.amazonaws.com alone as AWS documents them without source keys (Default Host Management)." },
        },
    },
    validateResource: validateResourceOfType(iam.Role, (role, args, reportViolation) => {
        const { exemptServices, exemptRoles } = settings(args, CONFUSED_DEPUTY_DEFAULTS);
        const exemptRole = exemptRoles.includes(String(peek(() => role.name)));
        (statementsOf(() => role.assumeRolePolicy) ?? []).filter(isAllow).forEach((statement, index) => {
            const services = principals(statement.Principal)
                .filter(([kind, value]) => kind === "Service" && !exemptServices.includes(value) && !(exemptRole && value === "ssm.amazonaws.com"))
                .map(([, value]) => value);
            if (services.length > 0 && !restrictingKeys(statement).some((key) => SOURCE_KEYS.includes(key))) {
                reportViolation(`${args.name}: ${label(statement, index)} lets ${quoted(services)} assume the role without aws:SourceAccount or aws:SourceArn (confused deputy)`);
            }
        });
    }),
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

/** Where a trust or resource policy that may grant to a whole account lives (endpoint policies grant nothing). */
const ACCOUNT_GRANT_DOCUMENTS: Record<string, string> = Object.fromEntries(Object.entries(RESOURCE_POLICY_PROPS).filter(([type]) => !ENDPOINT_POLICY_TYPES.includes(type)));
const KEY_POLICY_TYPES = ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"];

/**
 * Condition keys that name principals *inside* an account. aws:PrincipalAccount / aws:PrincipalOrgID
 * / aws:SourceAccount do not narrow a grant to `arn:aws:iam::<id>:root`: every principal of that
 * account matches them.
 */
export const PRINCIPAL_NARROWING_KEYS = ["aws:PrincipalArn", "aws:PrincipalTag/", "aws:userid", "aws:username"];
/** An aws:PrincipalArn value that still matches every principal of an account. */
const WHOLE_ACCOUNT_ARN = /^arn:aws[a-z*-]*:iam::(\d{12}|\*):\*$/;

/** Why a statement that grants to whole accounts is not acceptable, or undefined. `ownAccount`: exempt (KMS key policies). */
export function accountPrincipalProblem(statement: Statement, ownAccount?: string): string | undefined {
    if (!isAllow(statement)) {
        return undefined;
    }
    const accounts = accountPrincipals(statement).filter((account) => account !== ownAccount);
    if (accounts.length === 0 || positiveConditionKeys(statement, PRINCIPAL_NARROWING_KEYS, (value) => WHOLE_ACCOUNT_ARN.test(value)).length > 0) {
        return undefined;
    }
    return `grants to every principal of account ${accounts.join(", ")} without a condition naming which (aws:PrincipalArn, aws:PrincipalTag/…, aws:userid, aws:username)`;
}

export const iamAccountPrincipalConditioned: ResourceValidationPolicy = {
    name: "iam-account-principal-conditioned",
    description:
        "No trust, bucket, topic, queue, key or event-bus policy grants to a whole account (arn:aws:iam::<id>:root or a bare account id) without a condition naming the principals (aws:PrincipalArn, …). Exempt: a KMS key policy's grant to the key's own account (AWS's default key-policy statement, which hands the key to that account's IAM policies).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const property = ACCOUNT_GRANT_DOCUMENTS[args.type];
        if (property === undefined) {
            return args.notApplicable("only resources carrying a trust or resource policy");
        }
        // KMS: without a statement for its own account (or for named administrators), a key cannot
        // be managed at all — AWS's default key policy gives `arn:aws:iam::<own account>:root`
        // kms:* so that IAM policies in the account decide (and those are bounded by the program's
        // permissions boundary). https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
        const ownAccount = KEY_POLICY_TYPES.includes(args.type) ? accountOf(args) : undefined;
        (statementsOf(() => args.props[property]) ?? []).forEach((statement, index) => {
            const problem = accountPrincipalProblem(statement, ownAccount);
            if (problem !== undefined) {
                reportViolation(`${args.name}: ${label(statement, index)} ${problem}`);
            }
        });
    },
};

/** Keys an event-bus statement may use to say which principals may put events (M3: aws:PrincipalArn of the forwarder roles). */
export const BUS_PRINCIPAL_KEYS = ["aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalAccount"];
const BUS_SERVICE_KEYS = ["aws:SourceArn", "aws:SourceAccount"];

export const eventBusPolicyPrincipalCondition: ResourceValidationPolicy = {
    name: "event-bus-policy-principal-condition",
    description:
        "Every Allow of an EventBridge event-bus policy (EventBusPolicy, EventPermission) carries a principal condition — aws:PrincipalArn, aws:PrincipalOrgID or aws:PrincipalAccount (service principals: aws:SourceArn/aws:SourceAccount) — so only the intended senders can put events on the bus.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === TYPES.eventPermission) {
            // PutPermission's only Condition is StringEquals aws:PrincipalOrgID
            // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Condition.html).
            const condition = known(() => args.props["condition"]) as { key?: unknown; value?: unknown } | undefined;
            const key = known(() => condition?.key);
            const value = known(() => condition?.value);
            if (!(typeof key === "string" && BUS_PRINCIPAL_KEYS.some((k) => k.toLowerCase() === key.toLowerCase()) && typeof value === "string" && value !== "" && value !== "*")) {
                reportViolation(`${args.name} lets ${String(known(() => args.props["principal"]) ?? "a principal")} put events without a principal condition; use an EventBusPolicy with aws:PrincipalArn naming the sending roles`);
            }
            return;
        }
        if (args.type !== TYPES.eventBusPolicy) {
            return args.notApplicable("only EventBridge event-bus policies and permissions");
        }
        (statementsOf(() => args.props["policy"]) ?? []).forEach((statement, index) => {
            const principalList = principals(statement.Principal);
            const services = principalList.length > 0 && principalList.every(([kind]) => kind === "Service");
            const keys = positiveConditionKeys(statement, services ? [...BUS_PRINCIPAL_KEYS, ...BUS_SERVICE_KEYS] : BUS_PRINCIPAL_KEYS);
            if (isAllow(statement) && keys.length === 0) {
                reportViolation(`${args.name}: ${label(statement, index)} allows ${quoted(actions(statement))} without a principal condition (${BUS_PRINCIPAL_KEYS.join(", ")}); name the sending roles with aws:PrincipalArn`);
            }
        });
    },
};
