import { amazonLinuxRepositoryBuckets, patchingBucketNames } from "../../catalog/vpcEndpoints";

/**
 * Pure builders of SsmPrivateConnectivity: the S3 gateway endpoint policy and the argument list
 * check. The endpoint and bucket facts they use live in catalog/vpcEndpoints.ts.
 */

export interface EndpointPolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    /** Endpoint policies name the caller with `*`; the Resource (and Condition) restrict it. */
    readonly Principal: "*";
    readonly Action: string;
    readonly Resource: readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** "The size of an endpoint policy cannot exceed 20,480 characters, including white space" (vpc-endpoints-access.html). */
export const MAX_ENDPOINT_POLICY_CHARS = 20_480;

/** Whose principals may use the interface endpoints: the estate's accounts, or its organization. */
export type EndpointPrincipals = { readonly kind: "accounts"; readonly accountIds: readonly string[] } | { readonly kind: "organization"; readonly organizationId: string };

/**
 * The policy of every interface endpoint whose service supports one (ENDPOINT_POLICY_SUPPORTED):
 * any action, but only by principals of the estate's accounts (`aws:PrincipalAccount`) or, when
 * an organization is configured, of the organization (`aws:PrincipalOrgID`). It closes the
 * endpoints to credentials from outside the estate (someone in the VPC using their own account's
 * keys to move data out through ssm/kms/logs/ec2) without constraining what the agent does, which
 * always runs as the instance role of the account the VPC is in. No `aws:PrincipalIsAWSService`
 * exception: nothing in these VPCs calls these services as an AWS service principal. Condition
 * operators without wildcards, as required for these system-generated keys:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
export function interfaceEndpointPolicy(principals: EndpointPrincipals): EndpointPolicyDocument {
    const condition: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>> =
        principals.kind === "organization" ? { StringEquals: { "aws:PrincipalOrgID": principals.organizationId } } : { StringEquals: { "aws:PrincipalAccount": [...new Set(principals.accountIds)].sort() } };
    return { Version: "2012-10-17", Statement: [{ Sid: "EstatePrincipalsOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: ["*"], Condition: condition }] };
}

export interface EndpointPolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly EndpointPolicyStatement[];
}

/**
 * The S3 gateway endpoint policy. It governs ALL S3 traffic from the route tables the endpoint
 * is on, not just the agent's: anything not allowed here (an application's own bucket) is
 * denied from those subnets. Reads of AWS-owned buckets carry no principal condition: yum/dnf and
 * the agent fetch them anonymously or through pre-signed URLs signed by AWS's own account.
 * Writes go only to this account's log buckets, by principals of this account. No s3:PutObjectAcl:
 * the SSM docs need it only for cross-account output buckets; GetEncryptionConfiguration is what
 * the agent checks before uploading to an encrypted bucket (setup-instance-permissions.html).
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 */
export function s3GatewayEndpointPolicy(region: string, accountId: string, logBucketNames: readonly string[]): EndpointPolicyDocument {
    const objects = (buckets: readonly string[]) => [...buckets].sort().map((bucket) => `arn:aws:s3:::${bucket}/*`);
    const sameAccount = { StringEquals: { "aws:PrincipalAccount": accountId } };
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "SystemsManagerAndPatchManagerBuckets", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: objects(patchingBucketNames(region)) },
            { Sid: "AmazonLinuxRepositories", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: objects(amazonLinuxRepositoryBuckets(region)) },
            { Sid: "WriteCommandOutputToLogBuckets", Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: objects(logBucketNames), Condition: sameAccount },
            {
                Sid: "ReadLogBucketEncryption",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetEncryptionConfiguration",
                Resource: [...logBucketNames].sort().map((bucket) => `arn:aws:s3:::${bucket}`),
                Condition: sameAccount,
            },
        ],
    };
}

/** First malformed or repeated entry of a list, as a message naming the argument. */
export function listProblem(label: string, values: readonly string[], valid: (value: string) => boolean, allowed: string): string | undefined {
    for (const [index, value] of values.entries()) {
        if (!valid(value)) {
            return `${label}[${index}] "${value}" is not ${allowed}`;
        }
        const first = values.indexOf(value);
        if (first < index) {
            return `${label}[${index}] "${value}" duplicates ${label}[${first}]`;
        }
    }
    return undefined;
}

