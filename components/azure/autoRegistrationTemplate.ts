import { REGISTRATION_EXTENSION_GROUP_TAG } from "../../catalog/azureRegistration";
import { AGENT_EXTENSIONS } from "./azureAgentScript";
import { AGENT_EXTENSION_NAME } from "./azureSsmAgent";
import { REGISTRATION_ROLE_IDS } from "./autoRegistrationRoles";

/**
 * The ARM template the registration policy's deployIfNotExists deploys into a VM's resource group
 * (template syntax: learn.microsoft.com/azure/azure-resource-manager/templates/syntax). Pure.
 *
 * 1. A nested deployment into the vault's resource group (an extension resource in another
 *    resource group needs one: "Use nested or linked deployments if you want to deploy an
 *    extension resource with the scope set to a resource in a different resource group", ARM
 *    "Scope on extension resource types") grants the VM's system-assigned identity Key Vault
 *    Secrets User on its group's secret — that one secret, not the vault.
 * 2. Then the agent extension (one CustomScript per VM, hence the fixed name shared with the
 *    explicit mode), tagged with the group: the policy's existenceCondition compares that tag.
 *    It waits for 1 because the script reads the secret with the VM's identity at run time.
 */

/** API versions the template's resources are written against (all GA). */
export const TEMPLATE_API_VERSIONS = {
    compute: "2024-11-01",
    deployments: "2024-03-01",
    roleAssignments: "2022-04-01",
} as const;

export const DEPLOYMENT_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** Template parameters: what the policy passes in (from the VM's fields and the assignment). */
export const TEMPLATE_PARAMETER_NAMES = [
    "vmName",
    "location",
    "patchGroup",
    "vaultSubscriptionId",
    "vaultResourceGroup",
    "vaultName",
    "secretName",
    "linuxScript",
    "windowsCommand",
] as const;
export type TemplateParameterName = (typeof TEMPLATE_PARAMETER_NAMES)[number];

const SECURE: ReadonlySet<TemplateParameterName> = new Set(["linuxScript", "windowsCommand"]);

/**
 * A template parameter the policy never passes: its default, `utcNow()` (allowed only in a
 * parameter's defaultValue, ARM "Date functions"), differs in every deployment and becomes the
 * extension's `forceUpdateTag` ("if a value is provided and is different from the previous value,
 * the extension handler will be forced to update even if the extension configuration has not
 * changed", Compute VirtualMachineExtension). Without it, redeploying the unchanged settings onto
 * a Failed extension (existenceCondition: not Succeeded) would not run the script again, so a VM
 * whose first registration failed (vault role not yet propagated, S3 or network down) would stay
 * unregistered through every remediation round. The script is idempotent: a re-run on a node
 * already registered in this group exits 0.
 */
export const FORCE_UPDATE_PARAMETER = "forceUpdateTag";

/** ARM's names for the OS family (`storageProfile.osDisk.osType`: Linux | Windows). */
const OS_TYPES = { linux: "Linux", windows: "Windows" } as const;

export type ArmTemplate = {
    readonly $schema: string;
    readonly contentVersion: string;
    readonly parameters: Record<string, { type: string; defaultValue?: unknown; metadata?: { description: string } }>;
    readonly variables?: Record<string, unknown>;
    readonly resources: readonly Record<string, unknown>[];
};

/** The inner template: one role assignment on the secret, named by VM, secret and principal. */
export function secretAccessTemplate(): ArmTemplate {
    return {
        $schema: DEPLOYMENT_TEMPLATE_SCHEMA,
        contentVersion: "1.0.0.0",
        parameters: {
            principalId: { type: "string" },
            vmId: { type: "string" },
            vaultName: { type: "string" },
            secretName: { type: "string" },
        },
        resources: [
            {
                type: "Microsoft.Authorization/roleAssignments",
                apiVersion: TEMPLATE_API_VERSIONS.roleAssignments,
                // The secret, not the vault: a VM can read only its own group's activation.
                scope: "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', parameters('vaultName'), parameters('secretName'))]",
                // The principal is part of the name: a VM re-created under the same name has a new
                // identity, and a role assignment's principal cannot be changed in place.
                name: "[guid(parameters('vmId'), resourceId('Microsoft.KeyVault/vaults/secrets', parameters('vaultName'), parameters('secretName')), parameters('principalId'))]",
                properties: {
                    roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${REGISTRATION_ROLE_IDS.keyVaultSecretsUser}')]`,
                    principalId: "[parameters('principalId')]",
                    // A new identity may not have replicated yet; ServicePrincipal skips that lookup,
                    // and the assigner's ABAC condition requires it.
                    principalType: "ServicePrincipal",
                    description: "SSM hybrid activation of the VM's patch group (multicloud-patching automatic registration)",
                },
            },
        ],
    };
}

/** The template deployIfNotExists deploys (parameters: TEMPLATE_PARAMETER_NAMES, plus FORCE_UPDATE_PARAMETER left to its default). */
export function registrationTemplate(): ArmTemplate {
    const parameters = {
        ...Object.fromEntries(TEMPLATE_PARAMETER_NAMES.map((name) => [name, { type: SECURE.has(name) ? "securestring" : "string" }])),
        [FORCE_UPDATE_PARAMETER]: { type: "string", defaultValue: "[utcNow()]", metadata: { description: "Differs per deployment: the extension re-runs even with unchanged settings" } },
    };
    const extensions = Object.fromEntries(
        (Object.keys(OS_TYPES) as (keyof typeof OS_TYPES)[]).map((os) => [OS_TYPES[os], { ...AGENT_EXTENSIONS[os] }]),
    );
    const secretAccess = "[concat('patching-kv-', uniqueString(variables('vmId')))]";
    // The VM's OS family as Compute reports it once provisioned (reference() reads the VM at deployment
    // time; it is not allowed in `variables`, hence inline).
    const osType = `reference(variables('vmId'), '${TEMPLATE_API_VERSIONS.compute}').storageProfile.osDisk.osType`;
    return {
        $schema: DEPLOYMENT_TEMPLATE_SCHEMA,
        contentVersion: "1.0.0.0",
        parameters,
        variables: {
            vmId: "[resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))]",
            extensions,
        },
        resources: [
            {
                type: "Microsoft.Resources/deployments",
                apiVersion: TEMPLATE_API_VERSIONS.deployments,
                name: secretAccess,
                subscriptionId: "[parameters('vaultSubscriptionId')]",
                resourceGroup: "[parameters('vaultResourceGroup')]",
                properties: {
                    mode: "Incremental",
                    // Inner scope: the nested template sees only the parameters handed to it.
                    expressionEvaluationOptions: { scope: "inner" },
                    parameters: {
                        principalId: { value: `[reference(variables('vmId'), '${TEMPLATE_API_VERSIONS.compute}', 'full').identity.principalId]` },
                        vmId: { value: "[variables('vmId')]" },
                        vaultName: { value: "[parameters('vaultName')]" },
                        secretName: { value: "[parameters('secretName')]" },
                    },
                    template: secretAccessTemplate(),
                },
            },
            {
                type: "Microsoft.Compute/virtualMachines/extensions",
                apiVersion: TEMPLATE_API_VERSIONS.compute,
                name: `[concat(parameters('vmName'), '/${AGENT_EXTENSION_NAME}')]`,
                location: "[parameters('location')]",
                tags: { [REGISTRATION_EXTENSION_GROUP_TAG]: "[parameters('patchGroup')]" },
                // The nested deployment lives in the vault's resource group: a full id names it there.
                dependsOn: [`[resourceId(parameters('vaultSubscriptionId'), parameters('vaultResourceGroup'), 'Microsoft.Resources/deployments', ${secretAccess.slice(1, -1)})]`],
                properties: {
                    publisher: `[variables('extensions')[${osType}].publisher]`,
                    type: `[variables('extensions')[${osType}].type]`,
                    typeHandlerVersion: `[variables('extensions')[${osType}].typeHandlerVersion]`,
                    autoUpgradeMinorVersion: true,
                    forceUpdateTag: `[parameters('${FORCE_UPDATE_PARAMETER}')]`,
                    settings: {},
                    // The script names the vault and secret, never the activation code (it reads that at run time).
                    protectedSettings: `[if(equals(${osType}, 'Windows'), createObject('commandToExecute', parameters('windowsCommand')), createObject('script', parameters('linuxScript')))]`,
                },
            },
        ],
    };
}
