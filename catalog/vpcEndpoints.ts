/**
 * VPC endpoint facts for private connectivity: the interface endpoints the SSM Agent needs, their
 * service names and AZ-hour cost arithmetic, and the AWS-owned S3 buckets patching reads through
 * the S3 gateway endpoint, per Region. No Pulumi imports: the config and the plan report use them.
 */

/** The agent's API, command and session channels: without them a private node never registers. */
export const REQUIRED_INTERFACE_ENDPOINTS = ["ssm", "ssmmessages", "ec2messages"] as const;
/** kms: SSE-KMS log buckets / encrypted sessions; logs: output to CloudWatch Logs; ec2: EC2 API calls from nodes. */
export const OPTIONAL_INTERFACE_ENDPOINTS = ["kms", "logs", "ec2"] as const;
export type OptionalInterfaceEndpoint = (typeof OPTIONAL_INTERFACE_ENDPOINTS)[number];
export type InterfaceEndpointService = (typeof REQUIRED_INTERFACE_ENDPOINTS)[number] | OptionalInterfaceEndpoint;

/**
 * Whether the service behind each interface endpoint accepts a VPC endpoint policy (for a service
 * that does not, AWS allows full access whatever is attached:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). Each `true` is
 * documented by the service: ssm (Systems Manager User Guide, setup-create-vpc.html, "Create an
 * interface VPC endpoint policy"), ec2 (EC2 User Guide, interface-vpc-endpoints.html#endpoint-policy),
 * kms (KMS Developer Guide, kms-vpc-endpoint.html#vpce-policy), logs (CloudWatch Logs User Guide,
 * cloudwatch-logs-and-interface-VPC.html#CloudWatchLogs-VPC-endpoint-policy). ssmmessages and
 * ec2messages have no endpoint-policy documentation (the Systems Manager page's policies cover
 * `ssm:` actions only, and AWS's data-perimeter examples ship an ssm endpoint policy but none for
 * these two), so they keep the default policy. Check a Region before changing an entry:
 * `aws ec2 describe-vpc-endpoint-services --service-names com.amazonaws.<region>.<service>
 * --query 'ServiceDetails[].VpcEndpointPolicySupported'`.
 */
export const ENDPOINT_POLICY_SUPPORTED: Readonly<Record<InterfaceEndpointService, boolean>> = {
    ssm: true,
    ssmmessages: false,
    ec2messages: false,
    kms: true,
    logs: true,
    ec2: true,
};

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
