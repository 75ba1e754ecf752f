/**
 * IAM: no deprecated SSM policy, no anonymous principals, no `*` on `*`, execution roles trusted
 * only by the administration role and Systems Manager, service trust with confused-deputy keys.
 */
import * as iam from "@pulumi/aws/iam";
import { validateResourceOfType, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { actions, isAllow, isPublic, label, principals, resources, restrictingKeys, statementsOf, strings, type Statement } from "./lib/documents";
import { readEstate } from "./lib/estate";
import { known, quoted } from "./lib/graph";
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
        // form and the restriction that matters is on Resource and Action.
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
                if (isAllow(statement) && everything && everywhere) {
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
const CONFUSED_DEPUTY_DEFAULTS = { exemptServices: ["ec2.amazonaws.com"] };

export const iamServiceTrustConfusedDeputy: ResourceValidationPolicy = {
    name: "iam-service-trust-confused-deputy",
    description:
        "A role trusted by an AWS service carries aws:SourceAccount / aws:SourceArn (or aws:SourceOrgID/Paths) conditions against the confused-deputy problem; exempt services (EC2 instance roles: EC2 sends no source keys) excepted.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptServices: { type: "array", items: { type: "string" }, default: CONFUSED_DEPUTY_DEFAULTS.exemptServices, description: "Service principals that send no aws:Source* keys." },
        },
    },
    validateResource: validateResourceOfType(iam.Role, (role, args, reportViolation) => {
        const { exemptServices } = settings(args, CONFUSED_DEPUTY_DEFAULTS);
        (statementsOf(() => role.assumeRolePolicy) ?? []).filter(isAllow).forEach((statement, index) => {
            const services = principals(statement.Principal).filter(([kind, value]) => kind === "Service" && !exemptServices.includes(value)).map(([, value]) => value);
            if (services.length > 0 && !restrictingKeys(statement).some((key) => SOURCE_KEYS.includes(key))) {
                reportViolation(`${args.name}: ${label(statement, index)} lets ${quoted(services)} assume the role without aws:SourceAccount or aws:SourceArn (confused deputy)`);
            }
        });
    }),
};
