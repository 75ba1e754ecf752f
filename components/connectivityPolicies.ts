/**
 * Pure helpers of SsmPrivateConnectivity: endpoint service names, the AWS-owned S3 buckets
 * patching reads, the S3 gateway endpoint policy, the interface-endpoint cost arithmetic and the
 * argument checks. No Pulumi imports, so the offline plan report can use them too.
 */

/** The agent's API, command and session channels: without them a private node never registers. */
export const REQUIRED_INTERFACE_ENDPOINTS = ["ssm", "ssmmessages", "ec2messages"] as const;
/** kms: SSE-KMS log buckets / encrypted sessions; logs: output to CloudWatch Logs; ec2: EC2 API calls from nodes. */
export const OPTIONAL_INTERFACE_ENDPOINTS = ["kms", "logs", "ec2"] as const;
export type OptionalInterfaceEndpoint = (typeof OPTIONAL_INTERFACE_ENDPOINTS)[number];
export type InterfaceEndpointService = (typeof REQUIRED_INTERFACE_ENDPOINTS)[number] | OptionalInterfaceEndpoint;

export function endpointServiceName(region: string, service: InterfaceEndpointService | "s3"): string {
    return `com.amazonaws.${region}.${service}`;
}

/** AWS bills interface endpoints per endpoint per AZ-hour; 730 is AWS's hours-per-month convention. */
export const HOURS_PER_MONTH = 730;

export function endpointAzHoursPerMonth(endpoints: number, azs: number): number {
    return endpoints * azs * HOURS_PER_MONTH;
}

/**
 * `aws-patch-manager-<region>-<suffix>` holds the modules AWS-RunPatchBaseline runs on Linux and
 * Windows Server; the suffix differs per Region. Table copied from "Reference: Amazon S3 buckets
 * for patching operations":
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html
 * A Region missing here is refused by the component's validator rather than guessed.
 */
export const PATCH_MANAGER_BUCKET_SUFFIXES: Readonly<Record<string, string>> = {
    "us-east-2": "552881074", "us-east-1": "1970c647d", "us-west-1": "8badb4304", "us-west-2": "34d7f99f8",
    "af-south-1": "bdd5f65a9", "ap-east-1": "632356271", "ap-south-2": "32f4b4128", "ap-southeast-3": "aa48fc462",
    "ap-southeast-4": "01e2c40d3", "ap-south-1": "cb7c62ff9", "ap-northeast-3": "67373598a", "ap-northeast-2": "10467995c",
    "ap-southeast-1": "7fdfd9ef7", "ap-southeast-2": "17283a275", "ap-northeast-1": "4849fa78f", "ca-central-1": "3148e69e3",
    "ca-west-1": "9e3a4b2f9", "eu-central-1": "9163fdaaf", "eu-west-1": "5522fb710", "eu-west-2": "902a2bc74",
    "eu-south-1": "c52f3f594", "eu-west-3": "29bf85721", "eu-south-2": "a4cf248b1", "eu-north-1": "795879e9b",
    "eu-central-2": "184ce43c8", "il-central-1": "e221cb57b", "me-south-1": "a53fc9dce", "me-central-1": "2932f2f80",
    "sa-east-1": "ddf4b6a09",
};

/** Regions whose `patch-baseline-snapshot-<region>` bucket carries a suffix (same doc page). */
export const PATCH_BASELINE_SNAPSHOT_SUFFIXES: Readonly<Record<string, string>> = {
    "af-south-1": "tbxdb5b9", "ap-south-2": "50209442", "ap-southeast-3": "be0a3174",
    "ap-southeast-4": "dc6f76ce", "eu-south-2": "df2c9d70", "me-south-1": "uduvl7q8",
};

export const PATCHING_REGIONS: readonly string[] = Object.keys(PATCH_MANAGER_BUCKET_SUFFIXES).sort();

/**
 * AWS-managed buckets SSM Agent and Patch Manager read, per "SSM Agent communications with AWS
 * managed S3 buckets" (ssm-agent-technical-details.html#ssm-agent-minimum-s3-permissions):
 * modules (aws-ssm), Windows-only documents (aws-windows-downloads), agent updates that the patch
 * workflow runs through AWS-UpdateSSMAgent (amazon-ssm), baseline snapshots and the patching
 * modules. Left out on purpose: the macOS bucket (no macOS in this estate) and the Distributor
 * buckets older versions of that page listed (AWS-ConfigureAWSPackage, not patching).
 */
export function patchingBucketNames(region: string): string[] {
    const patchManager = PATCH_MANAGER_BUCKET_SUFFIXES[region];
    if (patchManager === undefined) {
        throw new Error(`no Patch Manager buckets known for Region "${region}" (known: ${PATCHING_REGIONS.join(", ")})`);
    }
    const snapshot = PATCH_BASELINE_SNAPSHOT_SUFFIXES[region];
    return [
        `aws-ssm-${region}`,
        `aws-windows-downloads-${region}`,
        `amazon-ssm-${region}`,
        snapshot === undefined ? `patch-baseline-snapshot-${region}` : `patch-baseline-snapshot-${region}-${snapshot}`,
        `aws-patch-manager-${region}-${patchManager}`,
    ];
}

/**
 * Amazon Linux package repositories are S3 buckets (AWS Knowledge Center "update yum without
 * internet access", ec2-al1-al2-update-yum-without-internet): AL2 reads the first two, AL2023
 * the third (same fixed suffix in every Region). Other distributions reach their mirrors via NAT.
 */
export function amazonLinuxRepositoryBuckets(region: string): string[] {
    return [`amazonlinux.${region}.amazonaws.com`, `amazonlinux-2-repos-${region}`, `al2023-repos-${region}-de612dc2`];
}

export interface EndpointPolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    /** Endpoint policies name the caller with `*`; the Resource (and Condition) restrict it. */
    readonly Principal: "*";
    readonly Action: string;
    readonly Resource: readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
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

/** AWS resource ids: prefix and 8 (older) or 17 hex digits. */
export const RESOURCE_IDS = {
    vpc: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
    subnet: /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/,
    rtb: /^rtb-[0-9a-f]{8}([0-9a-f]{9})?$/,
    sg: /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/,
} as const;
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(\\d{1,2})$`);

/** Why a VPC CIDR is unusable, or undefined. awsx needs /24 or larger for 2 public + 2 private subnets. */
export function cidrProblem(cidr: string): string | undefined {
    const match = CIDR.exec(cidr);
    const prefix = Number(match?.[5]);
    if (match === null || prefix < 16 || prefix > 24) {
        return "is not an IPv4 CIDR block with a /16 to /24 prefix (a public and a private subnet in each of 2 Availability Zones)";
    }
    const address = match.slice(1, 5).reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const host = address % 2 ** (32 - prefix);
    if (host !== 0) {
        const network = address - host;
        const dotted = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
        return `has host bits set; did you mean "${dotted}/${prefix}"?`;
    }
    return undefined;
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

/** A check for one kind of AWS id, with the wording of what is allowed. */
export function idOf(kind: keyof typeof RESOURCE_IDS, noun: string): { valid: (value: string) => boolean; allowed: string } {
    return { valid: (value) => RESOURCE_IDS[kind].test(value), allowed: `a ${noun} id (${kind}- and 8 or 17 hex digits)` };
}
