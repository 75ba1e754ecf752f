/**
 * The AWS Config managed rules that report patch compliance, and where AWS offers each. Shared by
 * the config validator (a member Region must offer them) and the compliance component.
 */

export interface ComplianceRule {
    /** Child role in `${name}-<role>`. */
    readonly role: string;
    readonly name: string;
    readonly identifier: string;
    readonly resourceTypes: readonly string[];
    /** Regions the rule's docs page excludes ("All supported AWS regions except …"). */
    readonly unavailableIn: readonly string[];
}

/**
 * The three AWS managed rules; all are triggered by configuration changes, so they evaluate only
 * what the recorder records. Resource types and Region exclusions as their pages list them:
 * https://docs.aws.amazon.com/config/latest/developerguide/ec2-managedinstance-patch-compliance-status-check.html
 * https://docs.aws.amazon.com/config/latest/developerguide/ec2-managedinstance-association-compliance-status-check.html
 * https://docs.aws.amazon.com/config/latest/developerguide/ec2-instance-managed-by-ssm.html
 * EC2_INSTANCE_MANAGED_BY_SSM evaluates instances but is triggered by the inventory item too (the
 * agent stopping changes only that), so its scope keeps both types.
 */
export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
    { role: "patch-compliance", name: "patching-patch-compliance", identifier: "EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK", resourceTypes: ["AWS::SSM::PatchCompliance"], unavailableIn: ["ap-east-2", "ap-northeast-3", "eu-south-1"] },
    {
        role: "association-compliance",
        name: "patching-association-compliance",
        identifier: "EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK",
        resourceTypes: ["AWS::SSM::AssociationCompliance"],
        unavailableIn: ["ap-east-2", "ap-northeast-3", "ap-southeast-6", "ap-southeast-7", "mx-central-1"],
    },
    { role: "managed-by-ssm", name: "patching-instance-managed-by-ssm", identifier: "EC2_INSTANCE_MANAGED_BY_SSM", resourceTypes: ["AWS::EC2::Instance", "AWS::SSM::ManagedInstanceInventory"], unavailableIn: ["ap-east-2"] },
];

export const PATCH_RULE = COMPLIANCE_RULES[0];

/** The rules AWS offers in `region`; the others are skipped (PutConfigRule would fail there). */
export function availableRules(region: string): ComplianceRule[] {
    return COMPLIANCE_RULES.filter((rule) => !rule.unavailableIn.includes(region));
}

/** What a recorder created for these rules records: exactly their resource types, sorted. */
export function recordedResourceTypes(rules: readonly ComplianceRule[]): string[] {
    return [...new Set(rules.flatMap((rule) => rule.resourceTypes))].sort();
}
