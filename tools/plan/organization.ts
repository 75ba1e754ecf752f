import Table from "cli-table3";
import { MAX_TEMPLATE_BODY_BYTES } from "../../components/organization/templates";
import type { RecordedResource } from "../mock/recorder";
import { SECRET_MASK, UNKNOWN_MARK } from "../mock/plainValues";

/**
 * Organization mode in the plan (issue 16): the CloudFormation StackSets the stack creates, their
 * instances per (OU set, Region), and each template's size against CreateStackSet's 51,200-byte
 * TemplateBody limit — read from what the program really registered, not from the config.
 */

export const STACK_SET_TYPE = "aws:cloudformation/stackSet:StackSet";
export const STACK_SET_INSTANCE_TYPE = "aws:cloudformation/stackSetInstance:StackSetInstance";

export interface PlannedStackSet {
    readonly name: string;
    readonly urn: string;
    /** Where the StackSet is managed (its `region` input), when set. */
    readonly region: string | null;
    readonly permissionModel: string | null;
    readonly callAs: string | null;
    readonly autoDeployment: boolean;
    /** UTF-8 bytes of the recorded `templateBody`; null when unknown until deploy (or given by TemplateURL). */
    readonly templateBytes: number | null;
    readonly templateBodyLimit: number;
    /** null when the size is unknown. */
    readonly withinTemplateBodyLimit: boolean | null;
    readonly instances: number;
}

export interface PlannedStackSetInstance {
    readonly stackSet: string;
    readonly name: string;
    /** Where the stacks are deployed (stackSetInstanceRegion). */
    readonly region: string | null;
    readonly organizationalUnits: readonly string[];
    readonly excludeAccounts: readonly string[];
}

export interface OrganizationPlan {
    readonly stackSets: readonly PlannedStackSet[];
    readonly instances: readonly PlannedStackSetInstance[];
}

const known = (value: unknown): value is string => typeof value === "string" && value !== UNKNOWN_MARK && value !== SECRET_MASK;
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The StackSets and their instances the program registered; undefined when it registered none. */
export function organizationPlan(resources: readonly RecordedResource[]): OrganizationPlan | undefined {
    const stackSets = resources.filter((r) => r.type === STACK_SET_TYPE);
    if (stackSets.length === 0) {
        return undefined;
    }
    const nameOf = (stackSet: RecordedResource) => (known(stackSet.inputs["name"]) ? stackSet.inputs["name"] : stackSet.name);
    const instances: PlannedStackSetInstance[] = resources
        .filter((r) => r.type === STACK_SET_INSTANCE_TYPE)
        .map((instance) => {
            const recorded = instance.inputs["stackSetName"];
            // Unknown name (e.g. in preview): the StackSet it was computed from.
            const from = stackSets.find((s) => (instance.propertyDependencies["stackSetName"] ?? []).includes(s.urn));
            const targets = (instance.inputs["deploymentTargets"] ?? {}) as Record<string, unknown>;
            const excluding = targets["accountFilterType"] === "DIFFERENCE";
            const region = instance.inputs["stackSetInstanceRegion"] ?? instance.inputs["region"];
            return {
                stackSet: known(recorded) ? recorded : from === undefined ? UNKNOWN_MARK : nameOf(from),
                name: instance.name,
                region: known(region) ? region : null,
                organizationalUnits: strings(targets["organizationalUnitIds"]),
                excludeAccounts: excluding ? strings(targets["accounts"]) : [],
            };
        })
        .sort((a, b) => a.stackSet.localeCompare(b.stackSet) || (a.region ?? "").localeCompare(b.region ?? ""));
    return {
        stackSets: stackSets.map((stackSet) => {
            const name = nameOf(stackSet);
            const body = stackSet.inputs["templateBody"];
            const templateBytes = known(body) ? Buffer.byteLength(body, "utf8") : null;
            const autoDeployment = (stackSet.inputs["autoDeployment"] ?? {}) as Record<string, unknown>;
            return {
                name,
                urn: stackSet.urn,
                region: known(stackSet.inputs["region"]) ? stackSet.inputs["region"] : null,
                permissionModel: known(stackSet.inputs["permissionModel"]) ? stackSet.inputs["permissionModel"] : null,
                callAs: known(stackSet.inputs["callAs"]) ? stackSet.inputs["callAs"] : null,
                autoDeployment: autoDeployment["enabled"] === true,
                templateBytes,
                templateBodyLimit: MAX_TEMPLATE_BODY_BYTES,
                withinTemplateBodyLimit: templateBytes === null ? null : templateBytes <= MAX_TEMPLATE_BODY_BYTES,
                instances: instances.filter((i) => i.stackSet === name).length,
            };
        }),
        instances,
    };
}

function templateSize(stackSet: PlannedStackSet): string {
    if (stackSet.templateBytes === null) {
        return "unknown until deploy";
    }
    const share = ((100 * stackSet.templateBytes) / stackSet.templateBodyLimit).toFixed(0);
    return `${stackSet.templateBytes.toLocaleString("en-US")} of ${stackSet.templateBodyLimit.toLocaleString("en-US")} B (${share} %)${stackSet.withinTemplateBodyLimit ? "" : " OVER: needs TemplateURL"}`;
}

/** Two small tables for stdout: the StackSets, then their instances. */
export function renderOrganization(plan: OrganizationPlan, color: boolean): string {
    const style = { head: color ? ["cyan"] : [], border: color ? ["grey"] : [] };
    const sets = new Table({ head: ["StackSet", "Managed in", "Model / callAs", "Auto-deploy", "Instances", "TemplateBody size"], style });
    for (const s of plan.stackSets) {
        sets.push([s.name, s.region ?? "(provider's)", `${s.permissionModel ?? "?"} / ${s.callAs ?? "SELF"}`, s.autoDeployment ? "on" : "off", s.instances, templateSize(s)]);
    }
    const instances = new Table({ head: ["StackSet", "Region", "Organizational units", "Excluded accounts"], style, wordWrap: true, colWidths: [28, 16, 40, 32] });
    for (const i of plan.instances) {
        instances.push([i.stackSet, i.region ?? "unknown", i.organizationalUnits.join(", ") || "—", i.excludeAccounts.join(", ") || "—"]);
    }
    return `${sets.toString()}\n${instances.toString()}`;
}
