import {
    REGISTRATION_DEFINITION_NAMES,
    registrationAssignmentName,
    registrationSecretName,
    scopeKey,
    scopeResourceId,
    type AzureOsFamily,
    type AzureRegistrationScope,
} from "../../catalog/azureRegistration";
import { AGENT_EXTENSIONS } from "../../components/azure/azureAgentScript";
import { activationInstanceName } from "../../components/azure/hybridActivations";
import { activationLimit } from "../../stacks/azureVms";
import type { Estate } from "../../stacks/config/estateModel";
import { loadEstate } from "../ops/estate";
import { renderFittedTable } from "./fitTable";
import { UNFITTED, type Layout } from "./report";

/**
 * Azure automatic registration in the plan (issue 18, item 6): per management group or
 * subscription, the policy assignment of each patch group, what its effects do, and which
 * activation (in which hybrid home) and which Key Vault secret it uses. A pure function of the
 * estate and the catalog's names — the same names the components create.
 */

export interface PlannedRegistrationAssignment {
    readonly scope: { readonly kind: AzureRegistrationScope["kind"]; readonly id: string; readonly key: string; readonly resourceId: string };
    readonly patchGroup: string;
    /** The VMs it applies to: `<tag key> = <patch group>`, of these OS families. */
    readonly tag: { readonly key: string; readonly value: string };
    readonly osFamilies: readonly AzureOsFamily[];
    readonly assignment: string;
    readonly initiative: string;
    readonly effects: {
        readonly modify: { readonly definition: string; readonly does: string };
        readonly deployIfNotExists: { readonly definition: string; readonly does: string; readonly extensions: readonly string[] };
    };
    readonly remediation: boolean;
    readonly activation: { readonly name: string; readonly account: string; readonly accountId: string; readonly region: string; readonly registrationLimit: number };
    readonly secret: { readonly vault: string; readonly name: string };
}

export interface PlannedAzureRegistration {
    readonly tagKey: string;
    readonly vault: { readonly name: string; readonly subscriptionId: string; readonly resourceGroup: string; readonly location: string; readonly allowedSubnets: number; readonly allowedIpRanges: number };
    readonly assignments: readonly PlannedRegistrationAssignment[];
}

/** One row per (scope, patch group); undefined when the estate has no automatic registration. */
export function azureRegistrationPlan(estate: Estate): PlannedAzureRegistration | undefined {
    const auto = estate.azureAutoRegistration;
    if (auto === undefined) return undefined;
    const vault = auto.keyVault;
    const assignments = auto.scopes.flatMap((scope) =>
        auto.groups.map(
            (group): PlannedRegistrationAssignment => ({
                scope: { kind: scope.kind, id: scope.id, key: scopeKey(scope), resourceId: scopeResourceId(scope) },
                patchGroup: group.patchGroup,
                tag: { key: auto.patchGroupTagKey, value: group.patchGroup },
                osFamilies: [...group.osFamilies],
                assignment: registrationAssignmentName(group.patchGroup),
                initiative: REGISTRATION_DEFINITION_NAMES.initiative,
                effects: {
                    modify: { definition: REGISTRATION_DEFINITION_NAMES.identity, does: "adds a system-assigned identity" },
                    deployIfNotExists: {
                        definition: REGISTRATION_DEFINITION_NAMES.registration,
                        does: "deploys the SSM agent install-and-register extension",
                        extensions: group.osFamilies.map((os) => AGENT_EXTENSIONS[os].type),
                    },
                },
                remediation: auto.remediateExisting,
                activation: {
                    name: activationInstanceName(group.patchGroup),
                    account: estate.hybrid.account.alias,
                    accountId: estate.hybrid.account.id,
                    region: estate.hybrid.region,
                    registrationLimit: activationLimit(estate, group.patchGroup),
                },
                secret: { vault: vault.name, name: registrationSecretName(group.patchGroup) },
            }),
        ),
    );
    return {
        tagKey: auto.patchGroupTagKey,
        vault: { name: vault.name, subscriptionId: vault.subscriptionId, resourceGroup: vault.resourceGroup, location: vault.location, allowedSubnets: vault.allowedSubnetIds.length, allowedIpRanges: vault.allowedIpRanges.length },
        assignments,
    };
}

/** The stack's estate as the program read it (Pulumi.<stack>.yaml in `directory`), then azureRegistrationPlan. */
export function stackAzureRegistration(directory: string, stack: string): PlannedAzureRegistration | undefined {
    return azureRegistrationPlan(loadEstate(directory, stack));
}

const scopeLabel = (scope: PlannedRegistrationAssignment["scope"]) => `${scope.kind === "managementGroup" ? "mg" : "subscription"} ${scope.id}`;

/** One row per assignment, fitted to the terminal; the vault's settings on a line under the table. */
export function renderAzureRegistration(plan: PlannedAzureRegistration, color: boolean, layout: Layout = UNFITTED): string {
    const rows = plan.assignments.map((a) => [
        scopeLabel(a.scope),
        `${a.patchGroup} (${a.osFamilies.join(", ")})`,
        a.assignment,
        `modify: identity; deployIfNotExists: ${a.effects.deployIfNotExists.extensions.join(" / ")}`,
        a.remediation ? "yes" : "no",
        `${a.activation.name} @ ${a.activation.account}/${a.activation.region} (≤${a.activation.registrationLimit})`,
        `${a.secret.vault}/${a.secret.name}`,
    ]);
    const table = renderFittedTable(
        [["Scope", "Scope"], ["Patch group (OS)", "Group"], ["Assignment", "Assign."], ["Effects", "Effects"], ["Remediate existing", "Rem."], ["Activation @ hybrid home", "Activation"], ["Key Vault / secret", "Vault/secret"]],
        rows,
        { ...layout, color },
    );
    const { vault } = plan;
    const network = vault.allowedSubnets + vault.allowedIpRanges === 0 ? "private endpoints only" : `${vault.allowedSubnets} subnet(s), ${vault.allowedIpRanges} IP range(s), default Deny`;
    return `${table}\nVMs tagged ${plan.tagKey}=<group> · Key Vault ${vault.name} (subscription ${vault.subscriptionId}, resource group ${vault.resourceGroup}, ${vault.location}; RBAC, purge protection; ${network})`;
}
