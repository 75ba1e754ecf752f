import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AGGREGATOR_NAMES, organizationAggregatorPolicy, organizationAggregatorTrust } from "./aggregatorDocuments";
import { permissionsBoundaryArn } from "../../catalog/naming";

/** Which accounts and Regions the aggregator collects from. */
export type AggregatorSource =
    /** Configured-accounts mode: each source (account, Region) must authorize the aggregator (AggregatorAuthorization). */
    | { readonly kind: "accounts"; readonly accountIds: readonly string[]; readonly regions: readonly string[] }
    /** Organization mode: every account of the organization, no authorizations; `"all"` = allRegions (Regions added later too). */
    | { readonly kind: "organization"; readonly regions: readonly string[] | "all" };

export interface ComplianceAggregatorArgs {
    /** The central Region: where the aggregated view lives. */
    readonly region: string;
    /** The central account: the aggregator account (management account or Config's delegated administrator in organization mode). */
    readonly accountId: string;
    readonly source: AggregatorSource;
}

const ACCOUNT_ID = /^\d{12}$/;

export function validateComplianceAggregatorArgs(args: ComplianceAggregatorArgs): void {
    const { source } = args;
    if (source.kind === "accounts") {
        if (source.accountIds.length === 0) {
            throw new Error("ComplianceAggregator: source.accountIds is empty; name at least one 12-digit account id");
        }
        const bad = source.accountIds.find((id) => !ACCOUNT_ID.test(id));
        if (bad !== undefined) {
            throw new Error(`ComplianceAggregator: source.accountIds contains "${bad}"; account ids are 12 digits`);
        }
    }
    if (source.regions !== "all" && source.regions.length === 0) {
        throw new Error('ComplianceAggregator: source.regions is empty; name at least one Region (or "all" in organization mode)');
    }
}

/**
 * The compliance team's one view (issue 19 item 1): an AWS Config configuration aggregator named
 * `patching-compliance` in the central account and Region, over the estate's accounts and Regions
 * (AccountAggregationSource) or the whole organization (OrganizationAggregationSource, with a role
 * Config assumes to list the organization's accounts: role `patching-config-aggregator`, trusted by
 * config.amazonaws.com for the central account only, with the four Organizations reads inline and
 * the program boundary). PutConfigurationAggregator takes exactly one of the two sources (Config API
 * reference). An organization source needs the central account to be the management account or
 * Config's registered delegated administrator (an administrator's one-time task, see the README).
 */
export class ComplianceAggregator extends pulumi.ComponentResource {
    readonly aggregatorArn: pulumi.Output<string>;
    readonly aggregatorName: pulumi.Output<string>;

    constructor(name: string, args: ComplianceAggregatorArgs, opts?: pulumi.ComponentResourceOptions) {
        validateComplianceAggregatorArgs(args);
        super("patching:compliance:ComplianceAggregator", name, {}, opts);
        const { region, source } = args;
        const regions = source.regions === "all" ? { allRegions: true } : { regions: [...source.regions].sort() };
        const aggregator =
            source.kind === "accounts"
                ? new aws.cfg.ConfigurationAggregator(
                      `${name}-configuration`,
                      { region, name: AGGREGATOR_NAMES.aggregator, accountAggregationSource: { accountIds: [...source.accountIds].sort(), ...regions } },
                      { parent: this },
                  )
                : this.organizationAggregator(name, args, regions);
        this.aggregatorArn = aggregator.arn;
        this.aggregatorName = aggregator.name;
        this.registerOutputs({ aggregatorArn: this.aggregatorArn, aggregatorName: this.aggregatorName });
    }

    private organizationAggregator(name: string, args: ComplianceAggregatorArgs, regions: { allRegions: boolean } | { regions: string[] }): aws.cfg.ConfigurationAggregator {
        const role = new aws.iam.Role(
            `${name}-role`,
            { name: AGGREGATOR_NAMES.organizationRole, permissionsBoundary: permissionsBoundaryArn(args.accountId), assumeRolePolicy: JSON.stringify(organizationAggregatorTrust(args.accountId)) },
            { parent: this },
        );
        // Inline, not AWSConfigRoleForOrganizations: the same four reads, and the deployer attaches no
        // AWS managed policy outside its allow-list (iam-aws-managed-policy-allowed, the deployer's IAM).
        const reads = new aws.iam.RolePolicy(`${name}-organization-reads`, { role: role.name, name: "organization-reads", policy: JSON.stringify(organizationAggregatorPolicy()) }, { parent: this });
        return new aws.cfg.ConfigurationAggregator(
            `${name}-configuration`,
            { region: args.region, name: AGGREGATOR_NAMES.aggregator, organizationAggregationSource: { roleArn: role.arn, ...regions } },
            // Config checks the role's organizations permissions when the aggregator is created.
            { parent: this, dependsOn: [reads] },
        );
    }
}

export interface AggregatorAuthorizationArgs {
    /** The aggregator account (the central account). */
    readonly aggregatorAccountId: string;
    /** The aggregator's Region (the central Region). */
    readonly aggregatorRegion: string;
}

/**
 * A source (account, Region)'s consent to the central aggregator (PutAggregationAuthorization),
 * created IN the source account and Region. Its Region is the provider's: in pulumi-aws v7 this
 * resource's `region` input is the deprecated alias of `authorizedAwsRegion`, not where it is
 * managed (hashicorp/terraform-provider-aws#42459), so the caller passes a provider for that Region.
 */
export class AggregatorAuthorization extends pulumi.ComponentResource {
    readonly authorizationArn: pulumi.Output<string>;

    constructor(name: string, args: AggregatorAuthorizationArgs, opts?: pulumi.ComponentResourceOptions) {
        if (!ACCOUNT_ID.test(args.aggregatorAccountId)) {
            throw new Error(`AggregatorAuthorization: aggregatorAccountId "${args.aggregatorAccountId}" is not a 12-digit account id`);
        }
        super("patching:compliance:AggregatorAuthorization", name, {}, opts);
        const authorization = new aws.cfg.AggregateAuthorization(`${name}-authorization`, { accountId: args.aggregatorAccountId, authorizedAwsRegion: args.aggregatorRegion }, { parent: this });
        this.authorizationArn = authorization.arn;
        this.registerOutputs({ authorizationArn: this.authorizationArn });
    }
}
