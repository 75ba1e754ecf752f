import * as compute from "@pulumi/azure-native/compute";
import * as pulumi from "@pulumi/pulumi";
import { REGISTRATION_EXTENSION_GROUP_TAG, REGISTRATION_EXTENSION_MODE_TAG } from "../../catalog/azureRegistration";
import { AGENT_EXTENSIONS, agentProtectedSettings, committedAgentSigningKey, renderAgentScript, scriptTemplate, type AgentSigningKey, type AzureVmOs } from "./azureAgentScript";

/** The extension's name on every VM (one per VM: Azure allows one CustomScript extension per VM). */
export const AGENT_EXTENSION_NAME = "patching-ssm-agent";

export interface AzureSsmAgentArgs {
    readonly resourceGroupName: string;
    readonly vmName: string;
    /** The VM's Azure location (an extension lives where its VM does). */
    readonly location: string;
    readonly os: AzureVmOs;
    /**
     * The VM's patch group: tagged on the extension (REGISTRATION_EXTENSION_GROUP_TAG), which the
     * automatic-registration policy reads to leave an explicitly registered VM of that group alone.
     */
    readonly patchGroup: string;
    /** The patch group's activation (code as a secret Output) and the Region it registers in. */
    readonly activation: { readonly id: pulumi.Input<string>; readonly code: pulumi.Input<string>; readonly region: string };
    /**
     * Linux: the key the downloaded agent package must be signed with (ignored for Windows, whose
     * installer carries an Authenticode signature).
     * @default - the committed, pinned AWS key (committedAgentSigningKey)
     */
    readonly signingKey?: AgentSigningKey;
}

export function validateAzureSsmAgentArgs(args: AzureSsmAgentArgs): void {
    if (!(args.os in AGENT_EXTENSIONS)) {
        throw new Error(`AzureSsmAgent ${args.vmName}: os "${args.os}" is not linux or windows`);
    }
    if (!/^[a-z0-9]+$/.test(args.location)) {
        throw new Error(`AzureSsmAgent ${args.vmName}: location "${args.location}" is not an Azure location name (e.g. westeurope)`);
    }
}

/**
 * SPEC capability 13, Azure side: a CustomScript extension that installs the SSM agent and
 * registers the VM with its patch group's activation, once. The script checks for an existing
 * registration first, so when a rotated activation changes the protected settings and Azure
 * re-runs the extension, an already registered node keeps its mi- id.
 */
export class AzureSsmAgent extends pulumi.ComponentResource {
    readonly extensionId: pulumi.Output<string>;

    constructor(name: string, args: AzureSsmAgentArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAzureSsmAgentArgs(args);
        super("patching:azure:AzureSsmAgent", name, {}, opts);
        const template = scriptTemplate(args.os);
        const signingKey = args.os === "linux" ? (args.signingKey ?? committedAgentSigningKey()) : undefined;
        // The activation code only ever travels inside protectedSettings (encrypted on the VM, never
        // returned by Azure); `settings` stays empty.
        const protectedSettings = pulumi
            .secret(pulumi.all([args.activation.id, args.activation.code]))
            .apply(([activationId, activationCode]) =>
                agentProtectedSettings(args.os, renderAgentScript(template, { region: args.activation.region, activationId, activationCode }, signingKey)),
            );
        const extension = AGENT_EXTENSIONS[args.os];
        const created = new compute.VirtualMachineExtension(
            `${name}-extension`,
            {
                resourceGroupName: args.resourceGroupName,
                vmName: args.vmName,
                vmExtensionName: AGENT_EXTENSION_NAME,
                location: args.location,
                publisher: extension.publisher,
                type: extension.type,
                typeHandlerVersion: extension.typeHandlerVersion,
                autoUpgradeMinorVersion: true,
                settings: {},
                protectedSettings,
                tags: { [REGISTRATION_EXTENSION_GROUP_TAG]: args.patchGroup, [REGISTRATION_EXTENSION_MODE_TAG.key]: REGISTRATION_EXTENSION_MODE_TAG.explicit },
            },
            { parent: this },
        );
        this.extensionId = created.id;
        this.registerOutputs({ extensionId: this.extensionId });
    }
}
