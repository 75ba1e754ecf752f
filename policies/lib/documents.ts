/**
 * IAM policy documents as policies see them: a JSON string (or an object) in a resource input.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { asList, known } from "./graph";

export interface Statement {
    readonly Sid?: string;
    readonly Effect?: string;
    readonly Principal?: unknown;
    readonly NotPrincipal?: unknown;
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly NotResource?: unknown;
    readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * The statements of a policy document, or `undefined` when the value is unknown (preview) or
 * not a document. A plain copy: the SDK's proxy is left behind once the value is known.
 */
export function statementsOf(read: () => unknown): Statement[] | undefined {
    const value = known(read);
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    let document: unknown;
    try {
        document = typeof value === "string" ? JSON.parse(value) : JSON.parse(JSON.stringify(value));
    } catch {
        return undefined;
    }
    if (document === null || typeof document !== "object") {
        return undefined;
    }
    return asList((document as { Statement?: unknown }).Statement).filter((s): s is Statement => s !== null && typeof s === "object");
}

export function label(statement: Statement, index: number): string {
    return statement.Sid ? `statement "${statement.Sid}"` : `statement ${index + 1}`;
}

export function strings(value: unknown): string[] {
    return asList(value).filter((item): item is string => typeof item === "string");
}

/** `{"AWS": [...], "Service": "..."}` or `"*"` → [kind, value] pairs. */
export function principals(principal: unknown): [string, string][] {
    if (principal === "*") {
        return [["*", "*"]];
    }
    if (principal === null || typeof principal !== "object") {
        return [];
    }
    return Object.entries(principal as Record<string, unknown>).flatMap(([kind, values]) => strings(values).map((value): [string, string] => [kind, value]));
}

/** Anyone: `"Principal": "*"` or `{"AWS": "*"}` (IAM treats the two the same). */
export function isPublic(statement: Statement): boolean {
    return principals(statement.Principal).some(([kind, value]) => value === "*" && (kind === "*" || kind === "AWS"));
}

export function isAllow(statement: Statement): boolean {
    return statement.Effect === "Allow";
}

export function actions(statement: Statement): string[] {
    return strings(statement.Action);
}

export function resources(statement: Statement): string[] {
    return strings(statement.Resource);
}

/**
 * Condition keys that narrow *who* may use a statement (global keys from
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html, plus
 * kms:CallerAccount). Keys about the request itself (aws:SecureTransport, s3:x-amz-acl, …) do not
 * stop a stranger.
 */
export const RESTRICTING_KEYS = [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
];

/**
 * The restricting keys a statement's Condition really restricts on: only under a positive
 * operator (StringEquals/Like, ArnEquals/Like, IpAddress, optionally ForAnyValue:) — a negated
 * operator (StringNotEquals…) or an `…IfExists` one (true when the key is absent) or `Null` lets
 * strangers through — and only with a value that is not just `*`.
 */
export function restrictingKeys(statement: Statement): string[] {
    return positiveConditionKeys(statement, RESTRICTING_KEYS);
}

/**
 * The keys among `keys` (a trailing `/` matches a key family such as `aws:PrincipalTag/`) that the
 * statement's Condition tests under a positive operator with a value other than `*`, as
 * {@link restrictingKeys} defines it; `ignored` values (e.g. "every principal of the account") do
 * not count either.
 */
export function positiveConditionKeys(statement: Statement, keys: readonly string[], ignored: (value: string) => boolean = () => false): string[] {
    const found: string[] = [];
    const positive = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/;
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
        if (!positive.test(operator) || block === null || typeof block !== "object") {
            continue;
        }
        for (const [key, value] of Object.entries(block)) {
            const values = strings(value).filter((v) => v !== "*" && !ignored(v));
            const match = keys.find((known) => (known.endsWith("/") ? key.toLowerCase().startsWith(known.toLowerCase()) : known.toLowerCase() === key.toLowerCase()));
            if (match && values.length > 0) {
                found.push(match);
            }
        }
    }
    return found;
}

/**
 * The accounts a statement grants to as a whole: `{"AWS": "arn:aws:iam::<id>:root"}` or a bare
 * `{"AWS": "<id>"}` (IAM stores the latter as the former). Such a grant delegates to every
 * principal of that account whose own IAM policies allow the action.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
export function accountPrincipals(statement: Statement): string[] {
    return principals(statement.Principal)
        .filter(([kind]) => kind === "AWS")
        .map(([, value]) => /^(\d{12})$/.exec(value)?.[1] ?? /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(value)?.[1])
        .filter((account): account is string => account !== undefined);
}

/** A condition value under any operator, case-insensitive on the key (e.g. `Bool` `aws:SecureTransport`). */
export function conditionValues(statement: Statement, operator: string, key: string): string[] {
    const block = statement.Condition?.[operator];
    if (block === undefined || block === null || typeof block !== "object") {
        return [];
    }
    const entry = Object.entries(block).find(([name]) => name.toLowerCase() === key.toLowerCase());
    return entry === undefined ? [] : asList(entry[1]).map((value) => String(value));
}

/** Where each resource type keeps a policy document that names principals. */
export const RESOURCE_POLICY_PROPS: Record<string, string> = {
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
/** VPC endpoint policies: a perimeter (they grant nothing on their own). */
export const ENDPOINT_POLICY_TYPES = ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"];
