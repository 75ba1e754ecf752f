/**
 * Principals: who may assume a role or reach a resource — no anonymous principals, execution roles
 * trusted only by the administration role and Systems Manager, service trust with confused-deputy
 * keys, no whole-account grant without a principal condition, event-bus policies that name their
 * principals. What the granted permissions are: iam.ts.
 */
import * as iam from "@pulumi/aws/iam";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import {
    accountPrincipals,
    actions,
    ENDPOINT_POLICY_TYPES,
    isAllow,
    isPublic,
    label,
    positiveConditionKeys,
    principals,
    RESOURCE_POLICY_PROPS,
    resources,
    restrictingKeys,
    statementsOf,
    type Statement,
} from "./lib/documents";
import { readEstate } from "./lib/estate";
import { accountOf, known, peek, quoted, TYPES } from "./lib/graph";
import { settings } from "./lib/settings";

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
