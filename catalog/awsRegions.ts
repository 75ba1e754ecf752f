import { Region } from "@pulumi/aws/types/enums";

/**
 * Regions of the commercial `aws` partition, taken from the AWS provider's own Region enum so the
 * list moves with the provider version rather than with someone's memory. Other partitions
 * (China, GovCloud, ISO, European Sovereign Cloud) use other ARN prefixes, endpoints and
 * accounts; this program builds `arn:aws:` ARNs, so they are rejected up front.
 */
const OTHER_PARTITIONS = /^(cn|us-gov|us-iso[a-z]?|eu-isoe|eusc)-/;

export const AWS_REGIONS: readonly string[] = Object.values(Region)
    .filter((region) => !OTHER_PARTITIONS.test(region))
    .sort();

const REGION_SET = new Set(AWS_REGIONS);

export function isAwsRegion(value: string): boolean {
    return REGION_SET.has(value);
}

export function isOtherPartitionRegion(value: string): boolean {
    return OTHER_PARTITIONS.test(value) && (Object.values(Region) as string[]).includes(value);
}
