import { factsOf } from "../mock/runtime";
import { isProvider, type RecordedResource, type ResourceRecorder } from "../mock/recorder";

/**
 * Where a planned resource lands: an AWS account and Region, an Azure subscription, or the
 * estate as a whole (components spanning several scopes).
 */
export interface Scope {
    readonly key: string;
    readonly cloud: "aws" | "azure" | "estate";
    readonly account?: string;
    readonly accountName?: string;
    readonly region?: string;
}

export const ESTATE_SCOPE: Scope = { key: "estate", cloud: "estate" };
/** Account-level AWS resources (IAM, providers) are shown under this pseudo-Region. */
export const GLOBAL_REGION = "global";

export function resolveScopes(recorder: ResourceRecorder): Map<string, Scope> {
    const scopes = new Map<string, Scope>();
    const children = new Map<string, RecordedResource[]>();
    for (const resource of recorder.resources) {
        if (resource.parent !== undefined) {
            children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
        }
    }
    // A component with no recorded children (a remote component such as awsx.ec2.Vpc, whose
    // children the mock engine never sees) says nothing about where its parent lives; it is
    // placed with its parent afterwards.
    const childless = (resource: RecordedResource) => !resource.custom && (children.get(resource.urn) ?? []).length === 0;
    const visit = (resource: RecordedResource): Scope | undefined => {
        if (childless(resource)) {
            return undefined;
        }
        const known = scopes.get(resource.urn);
        if (known) {
            return known;
        }
        const childScopes = (children.get(resource.urn) ?? []).map(visit).filter((scope): scope is Scope => scope !== undefined);
        const scope = resource.custom ? customScope(recorder, resource) : commonScope(childScopes);
        scopes.set(resource.urn, scope);
        return scope;
    };
    recorder.resources.forEach(visit);
    for (const resource of recorder.resources.filter(childless)) {
        scopes.set(resource.urn, (resource.parent === undefined ? undefined : scopes.get(resource.parent)) ?? ESTATE_SCOPE);
    }
    return scopes;
}

function customScope(recorder: ResourceRecorder, resource: RecordedResource): Scope {
    const provider = isProvider(resource) ? resource : recorder.providerOf(resource);
    if (provider === undefined) {
        return ESTATE_SCOPE;
    }
    const facts = factsOf(provider);
    const cloud = provider.type === "pulumi:providers:aws" ? "aws" : provider.type.startsWith("pulumi:providers:azure") ? "azure" : "estate";
    if (cloud === "estate" || facts.accountId === undefined) {
        return ESTATE_SCOPE;
    }
    const accountName = provider.name.replace(/^(aws|azure)-/, "");
    if (cloud === "azure") {
        return { key: `azure ${accountName} (${facts.accountId})`, cloud, account: facts.accountId, accountName };
    }
    const region = isProvider(resource) ? GLOBAL_REGION : typeof resource.inputs["region"] === "string" ? (resource.inputs["region"] as string) : GLOBAL_REGION;
    return { key: `aws ${accountName} (${facts.accountId}) ${region}`, cloud, account: facts.accountId, accountName, region };
}

/** A component lives where all its children live; across accounts it belongs to the estate. */
function commonScope(scopes: Scope[]): Scope {
    if (scopes.length === 0) {
        return ESTATE_SCOPE;
    }
    const [first, ...rest] = scopes;
    if (rest.every((scope) => scope.key === first.key)) {
        return first;
    }
    if (first.cloud === "aws" && rest.every((scope) => scope.cloud === "aws" && scope.account === first.account)) {
        return { ...first, key: `aws ${first.accountName} (${first.account}) ${GLOBAL_REGION}`, region: GLOBAL_REGION };
    }
    return ESTATE_SCOPE;
}
