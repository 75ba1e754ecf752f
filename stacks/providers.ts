import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as AwsxProvider } from "@pulumi/awsx/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { scopeKey } from "../catalog/azureRegistration";
import type { AwsAccount, AzureAutoRegistration, AzureSubscription, Estate } from "./config/estateModel";

/**
 * The provider fabric: one AWS provider per account and one azure-native provider per
 * subscription. Per-account (not per account×Region) AWS providers keep the number of provider
 * plugin processes — a few hundred MB each under the real engine — proportional to accounts;
 * every regional resource names its Region through the AWS provider v7 `region` input.
 * Default providers are disabled in the stack files, so a resource without one of these fails
 * instead of landing in whatever account the ambient credentials point at.
 */
export interface ProviderFabric {
    /** AWS provider per account alias. */
    readonly aws: ReadonlyMap<string, AwsProvider>;
    /** azure-native provider per subscription alias. */
    readonly azure: ReadonlyMap<string, AzureProvider>;
    /**
     * The awsx component provider, only when a new VPC is built. It holds no credentials: the
     * resources inside awsx.ec2.Vpc use the account's AWS provider passed next to it. With default
     * providers disabled it must exist explicitly (pulumi/pulumi#13071).
     */
    readonly awsx?: AwsxProvider;
}

/**
 * azure-native providers of automatic registration. A configured subscription's provider is
 * reused (one plugin process per subscription); other subscriptions get `azure-sub-<id prefix>`.
 */
export interface AzureRegistrationProviders {
    /**
     * The vault's subscription: the vault and its secrets, the role assignments on its resource
     * group, and every management-group-scope resource — their ARM ids
     * (/providers/Microsoft.Management/managementGroups/…) carry no subscription, so any provider of
     * the tenant serves, and the config holds every scope to the vault's tenant.
     */
    readonly vault: AzureProvider;
    /** Per scope (scopeKey): where its definitions, initiative, assignments and remediations go. */
    readonly scopes: ReadonlyMap<string, AzureProvider>;
}

/** STS RoleSessionName: 2-64 of [\w+=,.@-]; shows in the member account's CloudTrail. */
export function sessionName(project: string, stack: string): string {
    return `${project}-${stack}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}

/** The Region an account's provider defaults to: the central Region for the central account. */
export function providerRegion(estate: Estate, account: AwsAccount): string {
    return account.alias === estate.central.account.alias ? estate.central.region : account.regions[0];
}

/**
 * The account's provider, `aws-<alias>`. With `region`: a second provider for that account pinned
 * to another Region, `aws-<alias>-<region>`, for the few resources the AWS provider v7 manages only
 * in their provider's Region (see stacks/awsCompliance.ts); each is one more plugin process.
 */
export function createAwsProvider(estate: Estate, account: AwsAccount, region?: string): AwsProvider {
    return new AwsProvider(region === undefined ? `aws-${account.alias}` : `aws-${account.alias}-${region}`, {
        region: region ?? providerRegion(estate, account),
        assumeRoles: [{ roleArn: account.deploymentRoleArn, sessionName: sessionName(estate.project, estate.stack) }],
        // A second guard besides the role: refuse to act if the credentials resolve elsewhere.
        allowedAccountIds: [account.id],
        defaultTags: { tags: { ...estate.standardTags } },
    });
}

export function createAzureProvider(subscription: AzureSubscription): AzureProvider {
    // Credentials come from the environment (ARM_CLIENT_ID / ARM_USE_OIDC / ESC); only the
    // target is fixed here so nothing can land in another subscription.
    return new AzureProvider(`azure-${subscription.alias}`, {
        subscriptionId: subscription.subscriptionId,
        tenantId: subscription.tenantId,
    });
}

/**
 * The registration providers (stacks/azure.ts creates them when `azure.autoRegister` is
 * configured), reusing `configured` (by alias) for subscriptions the estate already lists. Subscription-scope resources (PolicyDefinition, RemediationAtSubscription) take their
 * subscription from the provider, so each subscription scope gets its own subscription's provider.
 */
export function createAzureRegistrationProviders(
    estate: Estate,
    registration: AzureAutoRegistration,
    configured: ReadonlyMap<string, AzureProvider>,
): AzureRegistrationProviders {
    const bySubscription = new Map<string, AzureProvider>();
    const providerFor = (subscriptionId: string, tenantId: string): AzureProvider => {
        const known = bySubscription.get(subscriptionId);
        if (known !== undefined) {
            return known;
        }
        const listed = estate.azureSubscriptions.find((s) => s.subscriptionId === subscriptionId && s.tenantId === tenantId);
        const provider =
            (listed === undefined ? undefined : configured.get(listed.alias)) ??
            new AzureProvider(`azure-sub-${subscriptionId.slice(0, 8)}`, { subscriptionId, tenantId });
        bySubscription.set(subscriptionId, provider);
        return provider;
    };
    const vault = providerFor(registration.keyVault.subscriptionId, registration.keyVault.tenantId);
    const scopes = new Map(
        registration.scopes.map((scope) => [scopeKey(scope), scope.kind === "subscription" ? providerFor(scope.id, scope.tenantId) : vault] as const),
    );
    return { vault, scopes };
}

export function createProviders(estate: Estate): ProviderFabric {
    return {
        aws: new Map(estate.accounts.map((account) => [account.alias, createAwsProvider(estate, account)])),
        azure: new Map(estate.azureSubscriptions.map((subscription) => [subscription.alias, createAzureProvider(subscription)])),
        ...(estate.privateConnectivity.some((entry) => entry.network.kind === "new") ? { awsx: new AwsxProvider("awsx") } : {}),
    };
}
