import { policy, trustStatement, type PolicyDocument } from "../identity/iamDocuments";

/**
 * Pure builders for the compliance team's AWS Config aggregator (issue 19 item 1): its fixed
 * names, the organization aggregator's role trust, and where configured-accounts mode needs an
 * authorization. Plain objects, fixed key order.
 */

/** Fixed physical names. Renaming one replaces the aggregator (and its collected view). */
export const AGGREGATOR_NAMES = {
    aggregator: "patching-compliance",
    /** IAM is global and the aggregator lives in one Region, so one role per account. */
    organizationRole: "patching-config-aggregator",
} as const;

/**
 * What Config documents for an organization aggregator's role (PutConfigurationAggregator
 * OrganizationAggregationSource.RoleArn: "ARN of the IAM role used to retrieve AWS Organization
 * details associated with the aggregator account"; Config developer guide, setting up an
 * aggregator: a role with AWSConfigRoleForOrganizations). That AWS managed policy (v2, Resource
 * "*"): exactly these four Organizations reads — no write. The role gets them inline
 * (organizationAggregatorPolicy): the deployer attaches no AWS managed policy beyond its
 * allow-list, and an inline copy cannot grow when AWS edits the managed one. A test holds this
 * list to AWS's document (moto's copy).
 */
export const ORGANIZATION_AGGREGATOR_ACTIONS = [
    "organizations:DescribeOrganization",
    "organizations:ListAWSServiceAccessForOrganization",
    "organizations:ListAccounts",
    "organizations:ListDelegatedAdministrators",
] as const;

/** The AWS managed policy the inline policy mirrors (documentation and the test's reference). */
export const ORGANIZATION_AGGREGATOR_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations";

/**
 * The aggregator role's inline policy: ORGANIZATION_AGGREGATOR_ACTIONS on `*` (SAR Organizations:
 * all four take no resource type). The program boundary of an organization-mode central account
 * grants DescribeOrganization to this role name only (components/identity/boundaryAggregator.ts).
 */
export function organizationAggregatorPolicy(): PolicyDocument {
    return policy({ Sid: "ListTheOrganizationsAccounts", Effect: "Allow", Action: [...ORGANIZATION_AGGREGATOR_ACTIONS], Resource: "*" });
}

/**
 * The organization aggregator's role: assumed by config.amazonaws.com acting for the central
 * account only. aws:SourceAccount is the confused-deputy key the Config recorder's own trust uses
 * here (configRecorderTrust); Config documents no aws:SourceArn form for the aggregator role, and
 * a key the service does not send would lock it out.
 */
export function organizationAggregatorTrust(accountId: string): PolicyDocument {
    return policy(trustStatement("AWSConfigOrganizationAggregator", { Service: "config.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": accountId } }));
}

export interface AggregatorLocation {
    readonly accountId: string;
    readonly region: string;
}

/**
 * Where configured-accounts mode needs an aws.cfg.AggregateAuthorization: "For an individual
 * account aggregator, authorization is required for all source accounts and Regions that you want
 * to include" (Config developer guide, aggregated-add-authorization.html) — every source (account,
 * Region) but the aggregator's own (account, Region). Sorted, one per location.
 */
export function authorizationLocations(aggregator: AggregatorLocation, sources: readonly AggregatorLocation[]): AggregatorLocation[] {
    const key = (l: AggregatorLocation) => `${l.accountId} ${l.region}`;
    const unique = new Map(sources.map((l) => [key(l), l]));
    unique.delete(key(aggregator));
    return [...unique.values()].sort((a, b) => key(a).localeCompare(key(b)));
}
