import type * as pulumi from "@pulumi/pulumi";
import type { AutoRegisterGroup, AzureRegistrationScope } from "../../catalog/azureRegistration";
import { MAX_ASSIGNMENT_PARAMETER_BYTES, registrationAssignmentParameters, type GroupAssignmentValues } from "./autoRegistrationPolicies";

/** One patch group as the policy assigns it: its secret and the scripts its VMs run. */
export interface AutoRegistrationGroupArgs extends AutoRegisterGroup {
    /** The Key Vault secret holding the group's activation (registrationSecretName). */
    readonly secretName: string;
    /** CustomScript `script` (base64) for Linux VMs; required when osFamilies has linux. */
    readonly linuxScript?: string;
    /** CustomScriptExtension `commandToExecute` for Windows VMs; required when osFamilies has windows. */
    readonly windowsCommand?: string;
}

export interface AzureAutoRegistrationArgs {
    /** The management group or subscription the definitions, initiative and assignments live at. */
    readonly scope: AzureRegistrationScope;
    /** Location of the assignments' managed identities (any location; the vault's is used). */
    readonly location: string;
    /** The Azure tag naming a VM's patch group. */
    readonly patchGroupTagKey: string;
    readonly vault: {
        readonly name: string;
        readonly subscriptionId: string;
        readonly tenantId: string;
        readonly resourceGroup: string;
        /** ARM id of the vault's resource group: where the assignment identity may grant secret access. */
        readonly resourceGroupId: pulumi.Input<string>;
    };
    readonly groups: readonly AutoRegistrationGroupArgs[];
    /**
     * Start one remediation task per assignment and definition, named after this round (e.g. the
     * activation rotation window's start, YYYYMMDD): remediations are one-shot, so a new round
     * starts a new one for VMs that existed before (and, at management-group scope, for VMs the
     * first compliance scan found after the previous round).
     * @default - no remediation: only VMs created or updated later register
     */
    readonly remediationRound?: string;
}

/** Management group ids: 1-90 letters, digits, `-_().`, not ending in `.` (Microsoft.Management naming rules). */
const MANAGEMENT_GROUP_ID = /^[A-Za-z0-9\-_().]{0,89}[A-Za-z0-9\-_()]$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCATION = /^[a-z][a-z0-9]{2,30}$/;
/** Tag names: at most 512 characters, none of `<>%&\?/` (Azure "Use tags", limitations). */
const TAG_NAME = /^[^<>%&\\?/]{1,512}$/;
const ROUND = /^\d{8}$/;

function scopeProblems(args: AzureAutoRegistrationArgs): string[] {
    const { scope } = args;
    const problems: string[] = [];
    if (scope.kind === "managementGroup" && !MANAGEMENT_GROUP_ID.test(scope.id)) {
        problems.push(`scope: management group id "${scope.id}" is not 1-90 letters, digits, - _ ( ) . (not ending in .)`);
    }
    if (scope.kind === "subscription" && !UUID.test(scope.id)) {
        problems.push(`scope: subscription id "${scope.id}" is not a UUID`);
    }
    if (scope.tenantId.toLowerCase() !== args.vault.tenantId.toLowerCase()) {
        // A Key Vault accepts tokens of its own tenant only, so VMs of another tenant could never read the secret.
        problems.push(`scope: tenant ${scope.tenantId} is not the vault's tenant ${args.vault.tenantId}`);
    }
    return problems;
}

function groupProblems(group: AutoRegistrationGroupArgs, args: AzureAutoRegistrationArgs): string[] {
    const problems: string[] = [];
    if (group.osFamilies.length === 0 || group.osFamilies.some((os) => os !== "linux" && os !== "windows")) {
        problems.push(`group ${group.patchGroup}: osFamilies [${group.osFamilies.join(", ")}] is not a non-empty list of linux/windows`);
    }
    for (const [os, value, key] of [["linux", group.linuxScript, "linuxScript"], ["windows", group.windowsCommand, "windowsCommand"]] as const) {
        if (group.osFamilies.includes(os) && (value ?? "") === "") {
            problems.push(`group ${group.patchGroup}: ${key} is missing but the group registers ${os} VMs`);
        }
    }
    const bytes = Buffer.byteLength(JSON.stringify(registrationAssignmentParameters(assignmentValues(group, args))));
    if (bytes > MAX_ASSIGNMENT_PARAMETER_BYTES) {
        problems.push(`group ${group.patchGroup}: assignment parameters are ${bytes} bytes, over the ${MAX_ASSIGNMENT_PARAMETER_BYTES} kept (Azure refuses requests over 1 MB)`);
    }
    return problems;
}

/** The plain values one group's assignment passes. */
export function assignmentValues(group: AutoRegistrationGroupArgs, args: AzureAutoRegistrationArgs): GroupAssignmentValues {
    return {
        tagName: args.patchGroupTagKey,
        patchGroup: group.patchGroup,
        osFamilies: group.osFamilies,
        vault: { subscriptionId: args.vault.subscriptionId, resourceGroup: args.vault.resourceGroup, name: args.vault.name },
        secretName: group.secretName,
        ...(group.linuxScript === undefined ? {} : { linuxScript: group.linuxScript }),
        ...(group.windowsCommand === undefined ? {} : { windowsCommand: group.windowsCommand }),
    };
}

export function validateAzureAutoRegistrationArgs(args: AzureAutoRegistrationArgs): void {
    const problems = scopeProblems(args);
    if (!LOCATION.test(args.location)) {
        problems.push(`location "${args.location}" is not an Azure location name (e.g. westeurope)`);
    }
    if (!TAG_NAME.test(args.patchGroupTagKey)) {
        problems.push(`patchGroupTagKey "${args.patchGroupTagKey}" is not an Azure tag name (1-512 characters, none of < > % & \\ ? /)`);
    }
    if (args.groups.length === 0) {
        problems.push("groups: none (at least one patch group registers automatically)");
    }
    const names = args.groups.map((group) => group.patchGroup);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) {
        problems.push(`groups: ${duplicate} is listed twice (one assignment per group)`);
    }
    if (args.remediationRound !== undefined && !ROUND.test(args.remediationRound)) {
        problems.push(`remediationRound "${args.remediationRound}" is not YYYYMMDD`);
    }
    problems.push(...args.groups.flatMap((group) => groupProblems(group, args)));
    if (problems.length > 0) {
        throw new Error(`AzureAutoRegistration: ${problems.join("; ")}`);
    }
}
