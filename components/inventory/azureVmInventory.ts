import { AZURE_NODE_TAG } from "../../catalog/azureRegistration";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { associationScheduleProblems } from "../../catalog/inventoryAssociation";
import { azureVmInventoryDocument } from "./azureVmInventoryDocument";

/**
 * The tag that marks a hybrid node registered from an Azure VM. State Manager associations target
 * nodes by `InstanceIds` or `tag:<key>` only — `resource-groups:Name` is for Run Command and
 * maintenance windows (SSM API reference, "Target": "For State Manager: Key=InstanceIds …,
 * Key=tag:tag-key …") — so "hybrid nodes only" is a tag every Azure node carries and no EC2
 * instance does. Activation tags are copied onto every node registered with the activation (SSM
 * user guide, "Create a hybrid activation"), so the activations carry it.
 */
export { AZURE_NODE_TAG };

export const AZURE_VM_INVENTORY_DEFAULTS = {
    /**
     * Daily. A tag-targeted association also runs at once on a node that newly matches, i.e. at
     * registration (SSM user guide, "Understanding targets and rate controls in State Manager
     * associations": new nodes with the tag run it immediately, then on the schedule).
     */
    schedule: "rate(1 day)",
    maxConcurrency: "10%",
    maxErrors: "10%",
} as const;

export const AZURE_VM_INVENTORY_NAMES = {
    /** Document names: 3-128 of letters, digits, `_ - .`; not starting with aws/amazon (SSM CreateDocument). */
    document: "patching-AzureVmInventory",
    association: "patching-azure-vm-inventory",
} as const;

export interface AzureVmInventoryArgs {
    /** The hybrid home Region (where the Azure VMs' nodes are registered). */
    readonly region: string;
    /** The Azure tag whose value names the VM's patch group: written as `PatchGroupTag`. */
    readonly patchGroupTagKey: string;
    /** @default AZURE_VM_INVENTORY_DEFAULTS.schedule */
    readonly schedule?: string;
}

export interface AzureVmInventoryAssociationSettings {
    readonly associationName: string;
    readonly targets: readonly { readonly key: string; readonly values: readonly string[] }[];
    readonly scheduleExpression: string;
    readonly maxConcurrency: string;
    readonly maxErrors: string;
}

export function azureVmInventoryAssociationSettings(args: Pick<AzureVmInventoryArgs, "schedule">): AzureVmInventoryAssociationSettings {
    return {
        associationName: AZURE_VM_INVENTORY_NAMES.association,
        targets: [{ key: `tag:${AZURE_NODE_TAG.key}`, values: [AZURE_NODE_TAG.value] }],
        scheduleExpression: args.schedule ?? AZURE_VM_INVENTORY_DEFAULTS.schedule,
        maxConcurrency: AZURE_VM_INVENTORY_DEFAULTS.maxConcurrency,
        maxErrors: AZURE_VM_INVENTORY_DEFAULTS.maxErrors,
    };
}

export function validateAzureVmInventoryArgs(args: AzureVmInventoryArgs): void {
    const schedule = args.schedule ?? AZURE_VM_INVENTORY_DEFAULTS.schedule;
    const problems = associationScheduleProblems(schedule);
    if (problems.length > 0) {
        throw new Error(`AzureVmInventory: schedule "${schedule}" ${problems.join("; ")}`);
    }
    // Azure tag names: 1-512 characters (Azure Resource Manager "Tag resources" limits).
    if (args.patchGroupTagKey.length < 1 || args.patchGroupTagKey.length > 512) {
        throw new Error(`AzureVmInventory: patchGroupTagKey "${args.patchGroupTagKey}" is not an Azure tag name of 1-512 characters`);
    }
}

/**
 * Issue 18 item 4, in the hybrid home: the `Custom:AzureVm` Command document and a State Manager
 * association running it daily (and at registration) on the Azure hybrid nodes only. The
 * location's gather-inventory association (Inventory component) uploads the file it writes.
 */
export class AzureVmInventory extends pulumi.ComponentResource {
    readonly documentName: pulumi.Output<string>;
    readonly associationId: pulumi.Output<string>;

    constructor(name: string, args: AzureVmInventoryArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAzureVmInventoryArgs(args);
        super("patching:inventory:AzureVmInventory", name, {}, opts);
        const document = new aws.ssm.Document(
            `${name}-document`,
            {
                region: args.region,
                name: AZURE_VM_INVENTORY_NAMES.document,
                documentType: "Command",
                documentFormat: "JSON",
                content: JSON.stringify(azureVmInventoryDocument(args.patchGroupTagKey), null, 2),
            },
            { parent: this },
        );
        const settings = azureVmInventoryAssociationSettings(args);
        const association = new aws.ssm.Association(
            `${name}-association`,
            {
                region: args.region,
                name: document.name,
                associationName: settings.associationName,
                targets: settings.targets.map((target) => ({ key: target.key, values: [...target.values] })),
                scheduleExpression: settings.scheduleExpression,
                maxConcurrency: settings.maxConcurrency,
                maxErrors: settings.maxErrors,
                // Runs on the document's newest version: a changed script reaches the nodes with the update.
                documentVersion: document.latestVersion,
            },
            { parent: this },
        );
        this.documentName = document.name;
        this.associationId = association.associationId;
        this.registerOutputs({ documentName: this.documentName, associationId: this.associationId });
    }
}
