import * as keyvault from "@pulumi/azure-native/keyvault";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { registrationSecretName } from "../../catalog/azureRegistration";
import {
    REGISTRATION_VAULT_DEFAULTS,
    resourceGroupResourceId,
    secretResourceId,
    validateRegistrationVaultArgs,
    vaultProperties,
    vaultResourceId,
    vaultUri,
    type RegistrationVaultPlacement,
} from "./registrationVaultRules";

export interface RegistrationVaultArgs extends RegistrationVaultPlacement {
    /**
     * Per patch group, its activation as JSON (`RegistrationSecretValue` of catalog/azureRegistration):
     * written to the secret `registrationSecretName(group)`, always as a Pulumi secret.
     */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    /** Tags on the resource group, the vault and every secret. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Issue 18, item 2: the Key Vault holding each patch group's activation (id + code), so the code
 * is never a policy or assignment parameter (those are readable by every Reader). The vault sits
 * alone in its own resource group (a role assigned at the group reaches this vault and nothing
 * else), authorizes data access by Azure RBAC only, has purge protection, and its firewall denies
 * everything but the configured subnets and ranges (or, with none, everything but private
 * endpoints).
 *
 * The secrets are written through ARM (`Microsoft.KeyVault/vaults/secrets`, management plane):
 * neither the firewall nor data-plane RBAC applies to that call, so the deployer needs no network
 * path to the vault and no Key Vault data role — only `Microsoft.KeyVault/vaults/secrets/write`
 * (e.g. Contributor on the group). The component creates no role assignment: each VM's identity
 * gets `Key Vault Secrets User` on its group's secret from the registration policy.
 *
 * `pulumi destroy` keeps all three (retainOnDelete): deleting the group would delete the vault;
 * a deleted vault's name stays reserved for the 90-day retention (purge protection), so a
 * re-created stack must import it anyway; and azure-native deletes a secret through the data
 * plane ("DELETE ... isn't available via ARM", provider/pkg/resources/customresources/
 * custom_keyvault.go), which the firewall and RBAC deny the deployer. Removing a group leaves its
 * (rotated-out) secret behind.
 */
export class RegistrationVault extends pulumi.ComponentResource {
    readonly vaultName: string;
    readonly vaultId: pulumi.Output<string>;
    readonly vaultUri: pulumi.Output<string>;
    readonly resourceGroupId: pulumi.Output<string>;
    /** Per patch group: the secret's ARM id (the scope of the VMs' Key Vault Secrets User role). */
    readonly secretResourceIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: RegistrationVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        validateRegistrationVaultArgs(args, Object.keys(args.secrets));
        super("patching:azure:RegistrationVault", name, {}, opts);
        const kept = { parent: this, retainOnDelete: true };
        const group = new resources.ResourceGroup(`${name}-group`, { resourceGroupName: args.resourceGroupName, location: args.location, tags: { ...args.tags } }, kept);
        const vault = new keyvault.Vault(
            `${name}-vault`,
            { vaultName: args.vaultName, resourceGroupName: args.resourceGroupName, location: args.location, properties: vaultProperties(args), tags: { ...args.tags } },
            // Plain names (known in the plan, whatever the engine echoes) plus an explicit dependency.
            { ...kept, dependsOn: [group] },
        );
        for (const [patchGroup, value] of Object.entries(args.secrets)) {
            const secretName = registrationSecretName(patchGroup);
            const secret = new keyvault.Secret(
                `${name}-${patchGroup}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    vaultName: args.vaultName,
                    secretName,
                    properties: { value: pulumi.secret(value), contentType: REGISTRATION_VAULT_DEFAULTS.secretContentType },
                    tags: { ...args.tags, "patch-group": patchGroup },
                },
                { ...kept, dependsOn: [vault] },
            );
            // Known in the plan (ARM ids are deterministic), and still waits for the secret.
            this.secretResourceIds[patchGroup] = secret.id.apply(() => secretResourceId(args, secretName));
        }
        this.vaultName = args.vaultName;
        this.vaultId = vault.id.apply(() => vaultResourceId(args));
        this.vaultUri = vault.id.apply(() => vaultUri(args.vaultName));
        this.resourceGroupId = group.id.apply(() => resourceGroupResourceId(args.subscriptionId, args.resourceGroupName));
        this.registerOutputs({ vaultId: this.vaultId, vaultUri: this.vaultUri, resourceGroupId: this.resourceGroupId, secretResourceIds: this.secretResourceIds });
    }
}
