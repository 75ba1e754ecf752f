import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../components/identity/iamDocuments";

/**
 * One IAM request evaluated by @cloud-copilot/iam-simulate (identity policies, permissions
 * boundary, resource policy, SCP/RCP and condition keys), so least-privilege tests assert what AWS
 * would decide rather than what a reader thinks a document says.
 */

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface IamRequest {
    /** The caller: a role ARN (`arn:aws:iam::111111111111:role/x`), a service (`ssm.amazonaws.com`) or an account root. */
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    /** Account that owns `resource` (same as the principal's account for a same-account call). */
    readonly resourceAccount: string;
    /** Condition keys of the request (`aws:ResourceTag/Patch Group`, `iam:PermissionsBoundary`, …). */
    readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface IamPolicies {
    readonly identity?: readonly PolicyDocument[];
    readonly boundary?: PolicyDocument;
    readonly resourcePolicy?: PolicyDocument;
    readonly scps?: readonly PolicyDocument[];
}

/** The simulator's decision; throws with the simulator's own message when the request or a document is malformed. */
export async function decide(policies: IamPolicies, request: IamRequest): Promise<Decision> {
    const simulation: Simulation = {
        request: {
            principal: request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId: request.resourceAccount },
            contextVariables: Object.fromEntries(Object.entries(request.context ?? {}).map(([key, value]) => [key, typeof value === "string" ? value : [...value]])),
        },
        identityPolicies: (policies.identity ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
        serviceControlPolicies: (policies.scps ?? []).length === 0 ? [] : [{ orgIdentifier: "o-simulated", policies: (policies.scps ?? []).map((policy, i) => ({ name: `scp-${i}`, policy })) }],
        resourceControlPolicies: [],
        ...(policies.resourcePolicy === undefined ? {} : { resourcePolicy: policies.resourcePolicy }),
        ...(policies.boundary === undefined ? {} : { permissionBoundaryPolicies: [{ name: "boundary", policy: policies.boundary }] }),
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
        throw new Error(`iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
}

/** `decide` for a table: every row's decision, labelled, so one assertion shows all mismatches. */
export async function decideAll(policies: IamPolicies, requests: readonly (IamRequest & { readonly label: string })[]): Promise<Record<string, Decision>> {
    const decisions: Record<string, Decision> = {};
    for (const request of requests) {
        decisions[request.label] = await decide(policies, request);
    }
    return decisions;
}
