import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { logBucketName } from "../catalog/naming";
import { SsmPrivateConnectivity } from "../components/network/ssmPrivateConnectivity";
import type { AwsAccount, Estate } from "./config/estateModel";
import type { ProviderFabric } from "./providers";

export interface AwsConnectivityOutputs {
    /** Per configured location (`<alias>-<region>`): the VPC and the security group instances should use. */
    readonly locations: Record<string, { vpcId: pulumi.Output<string>; instanceSecurityGroupIds: pulumi.Output<string[]>; interfaceEndpointAzCount: number }>;
}

/**
 * SPEC capability 7: private SSM connectivity, only where the config asks for it (interface
 * endpoints are billed per endpoint per AZ-hour). Config validation has already checked that each
 * entry names a member account and one of its Regions.
 */
export function buildAwsConnectivity(estate: Estate, providerOf: (account: AwsAccount) => AwsProvider, fabric: ProviderFabric): AwsConnectivityOutputs {
    const locations: AwsConnectivityOutputs["locations"] = {};
    for (const entry of estate.privateConnectivity) {
        const account = estate.members.find((member) => member.alias === entry.account);
        if (account === undefined) {
            throw new Error(`privateConnectivity: ${entry.account} is not a member account`);
        }
        const scope = `${account.alias}-${entry.region}`;
        const providers = entry.network.kind === "new" && fabric.awsx !== undefined ? [providerOf(account), fabric.awsx] : [providerOf(account)];
        const connectivity = new SsmPrivateConnectivity(
            `${scope}-connectivity`,
            {
                region: entry.region,
                accountId: account.id,
                network: entry.network,
                optionalEndpoints: entry.optionalEndpoints,
                logBucketNames: [logBucketName("patch", account.id, entry.region), logBucketName("inventory", account.id, entry.region)],
                // The endpoints admit the estate's principals only: its organization when one is
                // configured, otherwise every configured account (central and members).
                endpointPrincipals:
                    estate.organizationId === undefined ? { kind: "accounts", accountIds: estate.accounts.map((configured) => configured.id) } : { kind: "organization", organizationId: estate.organizationId },
            },
            { providers },
        );
        locations[scope] = { vpcId: connectivity.vpcId, instanceSecurityGroupIds: connectivity.instanceSecurityGroupIds, interfaceEndpointAzCount: connectivity.interfaceEndpointAzCount };
    }
    return { locations };
}
