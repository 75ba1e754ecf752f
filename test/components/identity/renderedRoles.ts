import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import type { Evaluation } from "../../../tools/plan/evaluate";
import { managedPolicyDocument } from "./awsManagedPolicies";

/**
 * Every identity policy a role gets in a rendered program: the role's own inline and managed
 * policies plus every RolePolicy / RolePolicyAttachment naming it under the same provider (the
 * same account) — what IAM would evaluate for the role, managed policies resolved to documents.
 */
export interface RenderedRole {
    readonly arn: string;
    readonly accountId: string;
    readonly managedPolicyArns: readonly string[];
    readonly identity: readonly PolicyDocument[];
    readonly boundaryArn?: string;
}

/** `accountId`: the account of the role's provider (the prod fixture's account ids). */
export function renderedRole(evaluation: Evaluation, roleResourceName: string, accountId: string): RenderedRole {
    const role = evaluation.recorder.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === roleResourceName);
    if (role === undefined) {
        throw new Error(`no aws:iam/role:Role named ${roleResourceName}`);
    }
    const roleName = role.inputs.name as string;
    const provider = role.provider;
    const sameRole = (type: string) => evaluation.recorder.resources.filter((r) => r.type === type && r.provider === provider && r.inputs.role === roleName);
    const parse = (text: unknown): PolicyDocument => JSON.parse(text as string) as PolicyDocument;
    const managedPolicyArns = [
        ...((role.inputs.managedPolicyArns as string[] | undefined) ?? []),
        ...sameRole("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs.policyArn as string),
    ].sort();
    const inline = [
        ...((role.inputs.inlinePolicies as { policy: string }[] | undefined) ?? []).map((p) => parse(p.policy)),
        ...sameRole("aws:iam/rolePolicy:RolePolicy").map((r) => parse(r.inputs.policy)),
    ];
    return {
        arn: `arn:aws:iam::${accountId}:role/${roleName}`,
        accountId,
        managedPolicyArns,
        identity: [...managedPolicyArns.map(managedPolicyDocument), ...inline],
        ...(typeof role.inputs.permissionsBoundary === "string" ? { boundaryArn: role.inputs.permissionsBoundary } : {}),
    };
}
