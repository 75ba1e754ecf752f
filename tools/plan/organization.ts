import { MAX_TEMPLATE_BODY_BYTES } from "../../components/organization/templates";
import type { RecordedResource } from "../mock/recorder";
import { SECRET_MASK, UNKNOWN_MARK } from "../mock/plainValues";
import { renderFittedTable } from "./fitTable";
import { UNFITTED, type Layout } from "./report";

/**
 * Organization mode in the plan (issue 16): the CloudFormation StackSets the stack creates, their
 * instances per (OU set, Region), and each template's size against CreateStackSet's 51,200-byte
 * TemplateBody limit — read from what the program really registered, not from the config.
 */

export const STACK_SET_TYPE = "aws:cloudformation/stackSet:StackSet";
export const STACK_SET_INSTANCE_TYPE = "aws:cloudformation/stackSetInstance:StackSetInstance";
const TEMPLATE_OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";

export interface PlannedStackSet {
    readonly name: string;
    readonly urn: string;
    /** Where the StackSet is managed (its `region` input), when set. */
    readonly region: string | null;
    readonly permissionModel: string | null;
    readonly callAs: string | null;
    readonly autoDeployment: boolean;
    /** How the template reaches CreateStackSet: inline, or uploaded to the artifacts bucket (over 51,200 bytes). */
    readonly templateSource: "TemplateBody" | "TemplateURL";
    /** UTF-8 bytes of the template (the body, or the uploaded object's content); null when unknown until deploy. */
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
            const byUrl = stackSet.inputs["templateUrl"] !== undefined;
            // By URL: the size of the object the URL was computed from (MemberStackSets uploads it).
            const uploaded = resources.find((r) => r.type === TEMPLATE_OBJECT_TYPE && (stackSet.propertyDependencies["templateUrl"] ?? []).includes(r.urn));
            const body = byUrl ? uploaded?.inputs["content"] : stackSet.inputs["templateBody"];
            const templateBytes = known(body) ? Buffer.byteLength(body, "utf8") : null;
            const autoDeployment = (stackSet.inputs["autoDeployment"] ?? {}) as Record<string, unknown>;
            return {
                name,
                urn: stackSet.urn,
                region: known(stackSet.inputs["region"]) ? stackSet.inputs["region"] : null,
                permissionModel: known(stackSet.inputs["permissionModel"]) ? stackSet.inputs["permissionModel"] : null,
                callAs: known(stackSet.inputs["callAs"]) ? stackSet.inputs["callAs"] : null,
                autoDeployment: autoDeployment["enabled"] === true,
                templateSource: byUrl ? "TemplateURL" : "TemplateBody",
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
    if (stackSet.templateSource === "TemplateURL") {
        return `${stackSet.templateBytes.toLocaleString("en-US")} B by TemplateURL (over the ${stackSet.templateBodyLimit.toLocaleString("en-US")} B body limit)`;
    }
    const share = ((100 * stackSet.templateBytes) / stackSet.templateBodyLimit).toFixed(0);
    return `${stackSet.templateBytes.toLocaleString("en-US")} of ${stackSet.templateBodyLimit.toLocaleString("en-US")} B (${share} %)${stackSet.withinTemplateBodyLimit ? "" : " OVER: needs TemplateURL"}`;
}

/** Two small tables for stdout: the StackSets, then their instances, fitted to the terminal. */
export function renderOrganization(plan: OrganizationPlan, color: boolean, layout: Layout = UNFITTED): string {
    const options = { ...layout, color };
    const sets = renderFittedTable(
        ["StackSet", "Managed in", "Model / callAs", "Auto-deploy", "Instances", "Template size"],
        plan.stackSets.map((s) => [s.name, s.region ?? "(provider's)", `${s.permissionModel ?? "?"} / ${s.callAs ?? "SELF"}`, s.autoDeployment ? "on" : "off", s.instances, templateSize(s)]),
        options,
    );
    const instances = renderFittedTable(
        ["StackSet", "Region", "Organizational units", "Excluded accounts"],
        plan.instances.map((i) => [i.stackSet, i.region ?? "unknown", i.organizationalUnits.join(", ") || "—", i.excludeAccounts.join(", ") || "—"]),
        options,
    );
    return `${sets}\n${instances}`;
}
