import { REGISTRATION_EXTENSION_GROUP_TAG, REGISTRATION_EXTENSION_MODE_TAG, type AzureOsFamily } from "../../catalog/azureRegistration";
import { AGENT_EXTENSION_NAME } from "./azureSsmAgent";
import { builtInRoleDefinitionId, REGISTRATION_ROLE_IDS } from "./autoRegistrationRoles";
import { registrationTemplate, TEMPLATE_PARAMETER_NAMES, type TemplateParameterName } from "./autoRegistrationTemplate";

/**
 * Azure Policy content of automatic registration (issue 18, item 2), as pure functions (grammar:
 * learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule). One
 * definition pair and one initiative per scope, the same for every patch group: what differs per
 * group (group name, OS families, secret, scripts) is an assignment parameter. None of it is
 * secret — the activation code stays in the vault — and the per-group values stay far inside
 * Azure Policy's limits (20 parameters per definition, 1,048,576 bytes per definition or
 * assignment request: "Azure Policy limits", azure-subscription-service-limits); see
 * MAX_ASSIGNMENT_PARAMETER_BYTES.
 */

/**
 * Aliases the rules use, each documented: `Microsoft.Compute/virtualMachines/storageProfile.osDisk.osType`,
 * `osProfile.linuxConfiguration` / `osProfile.windowsConfiguration` and the extension's `provisioningState` appear in Azure's own built-ins (Guest Configuration
 * 331e8ea8 "Deploy the Linux Guest Configuration extension", 3cf2ab00 "Add system-assigned managed
 * identity … with no identities"); `type`, `identity.type` and `tags[...]` are the fields every
 * definition may use (definition-structure-policy-rule, "Fields").
 */
export const REGISTRATION_POLICY_FIELDS = [
    "type",
    "identity.type",
    "Microsoft.Compute/virtualMachines/storageProfile.osDisk.osType",
    "Microsoft.Compute/virtualMachines/osProfile.linuxConfiguration",
    "Microsoft.Compute/virtualMachines/osProfile.windowsConfiguration",
    "Microsoft.Compute/virtualMachines/extensions/provisioningState",
] as const;

/** Reference ids of the two definitions inside the initiative (remediations name one of them). */
export const REGISTRATION_REFERENCE_IDS = { identity: "vm-system-identity", registration: "ssm-agent-registration" } as const;

/** Well inside the 1 MB request limit: the assignment carries both scripts of a group. */
export const MAX_ASSIGNMENT_PARAMETER_BYTES = 256 * 1024;

const VM_TYPE = { field: "type", equals: "Microsoft.Compute/virtualMachines" };
const TAGGED_WITH_GROUP = { field: "[concat('tags[', parameters('tagName'), ']')]", equals: "[parameters('patchGroup')]" };
/**
 * The VM is of one of the group's OS families. As in Azure's built-ins (331e8ea8, 3cf2ab00): the
 * `osProfile.<os>Configuration` a create request from an image carries, or the `osDisk.osType` of a
 * VM from a specialized disk (a create request from an image has no osType; Compute fills it in).
 */
const OS_IN_GROUP = {
    anyOf: (["Linux", "Windows"] as const).map((os) => ({
        allOf: [
            { value: `[contains(parameters('osTypes'), '${os}')]`, equals: "true" },
            {
                anyOf: [
                    { field: `Microsoft.Compute/virtualMachines/osProfile.${os.toLowerCase()}Configuration`, exists: "true" },
                    { field: "Microsoft.Compute/virtualMachines/storageProfile.osDisk.osType", like: `${os}*` },
                ],
            },
        ],
    })),
};

/** ARM's OS family names, as `storageProfile.osDisk.osType` holds them. */
export function osTypeOf(os: AzureOsFamily): "Linux" | "Windows" {
    return os === "linux" ? "Linux" : "Windows";
}

type ParameterType = "String" | "Array";
export interface PolicyParameter {
    readonly type: ParameterType;
    readonly metadata: { readonly displayName: string; readonly description: string };
    readonly allowedValues?: string[];
    readonly defaultValue?: unknown;
}

/** Every parameter of the definitions and the initiative (the assignment sets them all). */
export const REGISTRATION_PARAMETERS = {
    tagName: { type: "String", metadata: { displayName: "Patch-group tag", description: "The tag whose value names the VM's SSM patch group" } },
    patchGroup: { type: "String", metadata: { displayName: "Patch group", description: "VMs tagged with this value register with this group's activation" } },
    osTypes: {
        type: "Array",
        metadata: { displayName: "OS families", description: "OS families the patch group has baselines for" },
        allowedValues: ["Linux", "Windows"],
    },
    vaultSubscriptionId: { type: "String", metadata: { displayName: "Vault subscription", description: "Subscription of the Key Vault holding the activations" } },
    vaultResourceGroup: { type: "String", metadata: { displayName: "Vault resource group", description: "Resource group of the Key Vault" } },
    vaultName: { type: "String", metadata: { displayName: "Vault name", description: "The Key Vault holding the activations" } },
    secretName: { type: "String", metadata: { displayName: "Secret name", description: "The secret holding this group's activation (id, code, Region)" } },
    linuxScript: {
        type: "String",
        defaultValue: "",
        metadata: { displayName: "Linux script", description: "Base64 install-and-register script (no secrets: it reads the activation from the vault)" },
    },
    windowsCommand: {
        type: "String",
        defaultValue: "",
        metadata: { displayName: "Windows command", description: "Install-and-register command line (no secrets: it reads the activation from the vault)" },
    },
} satisfies Record<Exclude<TemplateParameterName, "vmName" | "location"> | "tagName" | "osTypes", PolicyParameter>;
export type RegistrationParameterName = keyof typeof REGISTRATION_PARAMETERS;

export interface RegistrationDefinitionContent {
    readonly displayName: string;
    readonly description: string;
    readonly mode: "Indexed";
    readonly metadata: { readonly category: string };
    readonly parameters: Record<string, PolicyParameter>;
    readonly policyRule: { readonly if: Record<string, unknown>; readonly then: { readonly effect: string; readonly details: Record<string, unknown> } };
}

function pick(...names: RegistrationParameterName[]): Record<string, PolicyParameter> {
    return Object.fromEntries(names.map((name) => [name, REGISTRATION_PARAMETERS[name]]));
}

/**
 * modify: a system-assigned identity for the group's VMs that have no identity at all — the
 * condition and operation of Azure's built-in 3cf2ab00-13f1-4d0c-8971-2ac904541a7e (incl. its
 * `requestContext().apiVersion` guard: older Compute API versions have no identity), limited to
 * the group's tagged VMs of any OS: a create request from a platform image carries no
 * `osDisk.osType` (Compute fills it in), and modify sees only the request, so an OS condition
 * would leave new VMs without the identity. Not the user-assigned case (built-in 497dff13): re-sending a VM's
 * user-assigned identities needs `userAssignedIdentities/*\/assign/action`, which would let this
 * identity attach any user-assigned identity of the scope to any VM; such VMs fail the
 * registration visibly instead (README "Azure at scale").
 */
export function vmIdentityDefinition(): RegistrationDefinitionContent {
    return {
        displayName: "Add a system-assigned identity to patch-group VMs without one (multicloud-patching)",
        description: "The VM's identity reads its patch group's SSM activation from Key Vault; VMs with no identity get a system-assigned one.",
        mode: "Indexed",
        metadata: { category: "Compute" },
        parameters: pick("tagName", "patchGroup"),
        policyRule: {
            if: {
                allOf: [
                    VM_TYPE,
                    TAGGED_WITH_GROUP,
                    { value: "[requestContext().apiVersion]", greaterOrEquals: "2018-10-01" },
                    { anyOf: [{ field: "identity.type", exists: "false" }, { field: "identity.type", equals: "None" }] },
                ],
            },
            then: {
                effect: "modify",
                details: {
                    roleDefinitionIds: [builtInRoleDefinitionId(REGISTRATION_ROLE_IDS.virtualMachineContributor)],
                    operations: [{ operation: "addOrReplace", field: "identity.type", value: "SystemAssigned" }],
                },
            },
        },
    };
}

/** Template parameters the policy fills from the evaluated VM (`field()`); the rest come from the assignment. */
const FROM_THE_VM = {
    vmName: "[field('name')]",
    location: "[field('location')]",
} as const satisfies Partial<Record<TemplateParameterName, string>>;
const FROM_THE_ASSIGNMENT = TEMPLATE_PARAMETER_NAMES.filter((name): name is Exclude<TemplateParameterName, keyof typeof FROM_THE_VM> => !(name in FROM_THE_VM));

/**
 * deployIfNotExists: the group's tagged VMs whose agent extension is missing, not Succeeded, or
 * tagged with another group (a moved VM) get the extension with this group's settings and read
 * access to this group's secret. evaluationDelay AfterProvisioning: evaluated once the VM itself
 * has finished provisioning (effect-deploy-if-not-exists, "evaluationDelay").
 */
export function vmRegistrationDefinition(): RegistrationDefinitionContent {
    const deploymentParameters = Object.fromEntries(
        TEMPLATE_PARAMETER_NAMES.map((name) => [name, { value: name in FROM_THE_VM ? FROM_THE_VM[name as keyof typeof FROM_THE_VM] : `[parameters('${name}')]` }]),
    );
    return {
        displayName: "Register patch-group VMs with AWS Systems Manager (multicloud-patching)",
        description: "Deploys the SSM Agent install-and-register extension with the patch group's hybrid activation, read from Key Vault by the VM's identity.",
        mode: "Indexed",
        metadata: { category: "Compute" },
        parameters: pick("tagName", "osTypes", ...FROM_THE_ASSIGNMENT),
        policyRule: {
            if: { allOf: [VM_TYPE, TAGGED_WITH_GROUP, OS_IN_GROUP] },
            then: {
                effect: "deployIfNotExists",
                details: {
                    type: "Microsoft.Compute/virtualMachines/extensions",
                    name: AGENT_EXTENSION_NAME,
                    evaluationDelay: "AfterProvisioning",
                    roleDefinitionIds: [builtInRoleDefinitionId(REGISTRATION_ROLE_IDS.virtualMachineContributor)],
                    existenceCondition: {
                        anyOf: [
                            // A listed VM's extension: Pulumi owns it, whatever its state.
                            { field: `tags['${REGISTRATION_EXTENSION_MODE_TAG.key}']`, equals: REGISTRATION_EXTENSION_MODE_TAG.explicit },
                            {
                                allOf: [
                                    { field: "Microsoft.Compute/virtualMachines/extensions/provisioningState", equals: "Succeeded" },
                                    // The tag the deployment writes: another group's tag means the VM moved.
                                    { field: `tags['${REGISTRATION_EXTENSION_GROUP_TAG}']`, equals: "[parameters('patchGroup')]" },
                                ],
                            },
                        ],
                    },
                    deployment: { properties: { mode: "incremental", template: registrationTemplate(), parameters: deploymentParameters } },
                },
            },
        },
    };
}

/** The initiative: both definitions, every parameter passed straight through. */
export function registrationInitiative(definitionIds: { readonly identity: string; readonly registration: string }) {
    const passThrough = (content: RegistrationDefinitionContent) =>
        Object.fromEntries(Object.keys(content.parameters).map((name) => [name, { value: `[parameters('${name}')]` }]));
    return {
        displayName: "Register patch-group VMs with AWS Systems Manager (multicloud-patching)",
        description: "Gives the patch group's VMs a system-assigned identity and the SSM Agent extension registered with the group's activation.",
        metadata: { category: "Compute" },
        parameters: { ...REGISTRATION_PARAMETERS },
        policyDefinitions: [
            { policyDefinitionReferenceId: REGISTRATION_REFERENCE_IDS.identity, policyDefinitionId: definitionIds.identity, parameters: passThrough(vmIdentityDefinition()) },
            { policyDefinitionReferenceId: REGISTRATION_REFERENCE_IDS.registration, policyDefinitionId: definitionIds.registration, parameters: passThrough(vmRegistrationDefinition()) },
        ],
    };
}

/** What one patch group's assignment passes (all plain, none secret). */
export interface GroupAssignmentValues {
    readonly tagName: string;
    readonly patchGroup: string;
    readonly osFamilies: readonly AzureOsFamily[];
    readonly vault: { readonly subscriptionId: string; readonly resourceGroup: string; readonly name: string };
    readonly secretName: string;
    /** Protected-settings values per OS family the group has (agentProtectedSettings of the auto-register script). */
    readonly linuxScript?: string;
    readonly windowsCommand?: string;
}

export function registrationAssignmentParameters(values: GroupAssignmentValues): Record<RegistrationParameterName, { value: unknown }> {
    return {
        tagName: { value: values.tagName },
        patchGroup: { value: values.patchGroup },
        osTypes: { value: values.osFamilies.map(osTypeOf) },
        vaultSubscriptionId: { value: values.vault.subscriptionId },
        vaultResourceGroup: { value: values.vault.resourceGroup },
        vaultName: { value: values.vault.name },
        secretName: { value: values.secretName },
        linuxScript: { value: values.linuxScript ?? "" },
        windowsCommand: { value: values.windowsCommand ?? "" },
    };
}

