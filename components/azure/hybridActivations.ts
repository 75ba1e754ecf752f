import { AZURE_NODE_TAG } from "../../catalog/azureRegistration";
import { MAX_ACTIVATION_REGISTRATIONS } from "../../catalog/hybridActivationLimits";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** CreateActivation: RegistrationLimit 1-1000; ExpirationDate at most 30 days ahead. */
export const MAX_REGISTRATION_LIMIT = MAX_ACTIVATION_REGISTRATIONS;
export const MAX_ACTIVATION_DAYS = 30;

export interface ActivationGroup {
    readonly patchGroup: string;
    /** Nodes that may register with this activation (1-1000). */
    readonly registrationLimit: number;
}

export interface HybridActivationsArgs {
    /** Region the Azure VMs register in (the "hybrid home"); their patch groups must be patched there. */
    readonly region: string;
    /** Name (not ARN: CreateActivation's IamRole) of the hybrid service role the nodes get. */
    readonly hybridRoleName: pulumi.Input<string>;
    readonly patchGroups: readonly ActivationGroup[];
    /** RFC 3339 expiry, stable within a rotation window (see activationExpiry). */
    readonly expirationDate: string;
    /** "Patch Group" or "PatchGroup": activation tags are copied onto every node it registers. */
    readonly patchGroupTagKey: string;
    /** When validating, the expiry must be at most 30 days after this instant. */
    readonly now: Date;
}

export function validateHybridActivationsArgs(args: HybridActivationsArgs): void {
    const problems: string[] = [];
    for (const group of args.patchGroups) {
        if (!Number.isInteger(group.registrationLimit) || group.registrationLimit < 1 || group.registrationLimit > MAX_REGISTRATION_LIMIT) {
            problems.push(`${group.patchGroup}: registrationLimit ${group.registrationLimit} is not an integer from 1 to ${MAX_REGISTRATION_LIMIT}`);
        }
    }
    const expiry = Date.parse(args.expirationDate);
    const latest = args.now.getTime() + MAX_ACTIVATION_DAYS * 86_400_000;
    if (Number.isNaN(expiry) || expiry <= args.now.getTime() || expiry > latest) {
        problems.push(`expirationDate "${args.expirationDate}" is not between now and ${MAX_ACTIVATION_DAYS} days ahead`);
    }
    if (problems.length > 0) {
        throw new Error(`HybridActivations: ${problems.join("; ")}`);
    }
}

/**
 * The activation expiry for a rotation window: windows of `rotationDays` counted from the Unix
 * epoch, expiry = window start + 30 days. It is the same for every run inside a window (so
 * `pulumi up` does not replace the activation) and moves when the window rolls over. It is never
 * more than 30 days after any instant of the window (CreateActivation's limit, checked against
 * AWS's clock, which is later still), and with rotationDays ≤ 30 never before the window's end;
 * a rotation shorter than 30 days leaves overlap for `pulumi up` runs that come late.
 */
export function activationExpiry(now: Date, rotationDays: number): string {
    const window = rotationDays * 86_400_000;
    const start = Math.floor(now.getTime() / window) * window;
    return new Date(start + MAX_ACTIVATION_DAYS * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
}

/** The default name nodes registered by a group's activation get (TF/Pulumi `name` = DefaultInstanceName). */
export function activationInstanceName(patchGroup: string): string {
    return `azure-${patchGroup}`;
}

/**
 * SPEC capability 13, AWS side: one SSM hybrid activation per patch group that has Azure VMs.
 * Its tags (patch-group tag + the provider's default tags) are copied onto every node it
 * registers, which is what puts an Azure VM into its patch group. The activation code is a
 * secret: marked with additionalSecretOutputs, so neither state nor outputs show it in plain.
 */
export class HybridActivations extends pulumi.ComponentResource {
    readonly activationIds: Record<string, pulumi.Output<string>> = {};
    /** Secret Outputs. */
    readonly activationCodes: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: HybridActivationsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateHybridActivationsArgs(args);
        super("patching:hybrid:HybridActivations", name, {}, opts);
        for (const group of args.patchGroups) {
            const activation = new aws.ssm.Activation(
                `${name}-${group.patchGroup}`,
                {
                    region: args.region,
                    name: activationInstanceName(group.patchGroup),
                    description: `Azure VMs of patch group ${group.patchGroup} (multicloud-patching)`,
                    iamRole: args.hybridRoleName,
                    // Always set: without it the provider shows a diff and replaces the activation
                    // on every update (pulumi-aws#1478).
                    registrationLimit: group.registrationLimit,
                    expirationDate: args.expirationDate,
                    // The origin tag lets the Custom:AzureVm inventory association find these nodes.
                    tags: { [args.patchGroupTagKey]: group.patchGroup, [AZURE_NODE_TAG.key]: AZURE_NODE_TAG.value },
                },
                { parent: this, additionalSecretOutputs: ["activationCode"] },
            );
            this.activationIds[group.patchGroup] = activation.id;
            this.activationCodes[group.patchGroup] = pulumi.secret(activation.activationCode);
        }
        this.registerOutputs({ activationIds: this.activationIds });
    }
}
