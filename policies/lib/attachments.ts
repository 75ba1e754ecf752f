/**
 * Managed-policy attachments as a stack holds them: a role's own managedPolicyArns, and the
 * separate attachment resources (RolePolicyAttachment, RolePolicyAttachmentsExclusive,
 * PolicyAttachment, User/GroupPolicyAttachment), each joined to the role it attaches to when that
 * role is in the stack — with its trust policy, which says what kind of role it is.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isAllow, principals, statementsOf, strings } from "./documents";
import { accountOf, known, ofType, referenced, TYPES, UNKNOWN } from "./graph";

/** One attachment of a managed policy: who attaches it, to which role (if a role of this stack), the ARN. */
export interface ManagedAttachment {
    readonly holder: PolicyResource;
    readonly arn: string;
    /** "role <name>", "user <name>", "group <name>". */
    readonly target: string;
    /** The role resource when the target is a role of this stack. */
    readonly role?: PolicyResource;
    readonly isRole: boolean;
}

export function managedAttachments(all: readonly PolicyResource[]): ManagedAttachment[] {
    const roles = ofType(all, TYPES.role);
    const roleTarget = (holder: PolicyResource, property: string, name: unknown): Omit<ManagedAttachment, "arn"> => {
        // `role: role.name` in the program: the engine's property dependencies name the role; a
        // list (PolicyAttachment.roles) may name several, so match the name when it is known.
        // Matched by literal name instead, a role name repeats across accounts: keep the holder's.
        const candidates = referenced(holder, property, roles, "name").filter((candidate) => [accountOf(candidate), accountOf(holder)].includes(undefined) || accountOf(candidate) === accountOf(holder));
        const role = typeof name === "string" ? candidates.find((candidate) => known(() => candidate.props["name"]) === name) : candidates.length === 1 ? candidates[0] : undefined;
        return { holder, target: `role ${typeof name === "string" ? name : role?.name ?? "(unknown)"}`, isRole: true, ...(role === undefined ? {} : { role }) };
    };
    const found: ManagedAttachment[] = [];
    for (const holder of all) {
        const props = holder.props;
        switch (holder.type) {
            case TYPES.role:
                for (const arn of strings(known(() => props["managedPolicyArns"]))) {
                    found.push({ holder, arn, target: `role ${String(known(() => props["name"]) ?? holder.name)}`, isRole: true, role: holder });
                }
                break;
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                found.push({ ...roleTarget(holder, "role", known(() => props["role"])), arn: String(known(() => props["policyArn"]) ?? "") });
                break;
            case "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive":
                for (const arn of strings(known(() => props["policyArns"]))) {
                    found.push({ ...roleTarget(holder, "roleName", known(() => props["roleName"])), arn });
                }
                break;
            case "aws:iam/policyAttachment:PolicyAttachment": {
                const arn = String(known(() => props["policyArn"]) ?? "");
                for (const name of strings(known(() => props["roles"]))) {
                    found.push({ ...roleTarget(holder, "roles", name), arn });
                }
                for (const [kind, list] of [["user", "users"], ["group", "groups"]] as const) {
                    strings(known(() => props[list])).forEach((name) => found.push({ holder, arn, target: `${kind} ${name}`, isRole: false }));
                }
                break;
            }
            case "aws:iam/userPolicyAttachment:UserPolicyAttachment":
            case "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": {
                const kind = holder.type.includes("user") ? "user" : "group";
                found.push({ holder, arn: String(known(() => props["policyArn"]) ?? ""), target: `${kind} ${String(known(() => props[kind]) ?? "(unknown)")}`, isRole: false });
                break;
            }
        }
    }
    return found;
}

/** The principals a role's trust policy lets assume it, as "Service x" / "AWS y" / "NotPrincipal"; UNKNOWN in a preview. */
export function trustedPrincipals(role: PolicyResource): string[] | typeof UNKNOWN {
    const statements = statementsOf(() => role.props["assumeRolePolicy"]);
    if (statements === undefined) {
        return UNKNOWN;
    }
    return statements.filter(isAllow).flatMap((statement) => (statement.NotPrincipal !== undefined ? ["NotPrincipal"] : principals(statement.Principal).map(([kind, value]) => `${kind} ${value}`)));
}

