import {
    AssociateIamInstanceProfileCommand,
    type EC2Client,
    type Instance,
    paginateDescribeIamInstanceProfileAssociations,
    paginateDescribeInstances,
} from "@aws-sdk/client-ec2";
import { AttachRolePolicyCommand, GetInstanceProfileCommand, GetRoleCommand, type IAMClient, paginateListAttachedRolePolicies } from "@aws-sdk/client-iam";
import type { EnforcementTarget } from "./events";
import { ENFORCER_DEFAULTS, grantsSsm, instanceProfileNameFromArn, optOutValue, roleEligibility, type EnforcerSettings } from "./settings";

/** Injected so tests point them at an emulator (or wrap them); the handler builds real ones. */
export interface EnforcerClients {
    readonly ec2: EC2Client;
    readonly iam: IAMClient;
}

/**
 * Every examined instance lands in exactly one of the counters or in `errors`, so
 * `examined = profilesAssociated + policiesAttached + optedOut + alreadyCompliant + rolesNotEligible + errors.length`.
 * `policiesAttached` counts roles fixed (Core and/or the log-writer policy attached): a role shared
 * by several instances is fixed once, for the first of them; the others count as already
 * compliant. A role whose agent already works but which is out of scope for the log writer stays
 * "already compliant" (logged as skip-log-writer-role-not-eligible). `rolesNotEligible` counts
 * instances whose role lacks SSM permissions but is not an in-scope instance role (see
 * roleEligibility): left alone and logged, never an error.
 */
export interface EnforcementSummary {
    examined: number;
    profilesAssociated: number;
    policiesAttached: number;
    optedOut: number;
    alreadyCompliant: number;
    rolesNotEligible: number;
    errors: { instanceId: string; message: string }[];
}

/** One structured log line. */
export type LogEntry = { readonly action: string } & Readonly<Record<string, unknown>>;
export type Logger = (entry: LogEntry) => void;

/**
 * One JSON object per line on stdout. The Lambda Node.js runtime prefixes console.* output with
 * a timestamp and request id, which would stop CloudWatch Logs Insights from discovering the
 * fields; plain stdout writes reach the log stream as written.
 */
export const jsonLineLogger: Logger = (entry) => {
    process.stdout.write(`${JSON.stringify(entry)}\n`);
};

/** States in which an instance has (or is getting) an instance profile. */
const HELD_ASSOCIATION_STATES = ["associating", "associated"];
/** Instances examined; a `pending` one gets its running event (and a second look) soon anyway. */
const EXAMINED_STATES = ["pending", "running"];

export function emptySummary(): EnforcementSummary {
    return { examined: 0, profilesAssociated: 0, policiesAttached: 0, optedOut: 0, alreadyCompliant: 0, rolesNotEligible: 0, errors: [] };
}

/**
 * Gives every examined instance an SSM-capable identity: the managed-node instance profile when
 * it has none (and it is not opted out), the SSM policy on its role when the role has no SSM
 * managed policy and is an in-scope instance role (roleEligibility). Changes only what is
 * missing, so a second run changes nothing. A failure on one instance is logged and counted; it
 * never stops the others.
 */
export async function enforce(clients: EnforcerClients, settings: EnforcerSettings, target: EnforcementTarget, log: Logger = jsonLineLogger): Promise<EnforcementSummary> {
    const summary = emptySummary();
    const pageSize = settings.pageSize ?? ENFORCER_DEFAULTS.pageSize;
    let instances: Instance[];
    let profiles: Map<string, string>;
    try {
        instances = await listInstances(clients.ec2, target, pageSize);
        profiles = await heldProfiles(clients.ec2, target, pageSize);
    } catch (error) {
        if (target === "all") {
            throw error;
        }
        // A named instance that cannot be described (e.g. InvalidInstanceID.NotFound) is that
        // instance's error, reported like any other.
        for (const instanceId of target) {
            record(summary, log, instanceId, error);
        }
        return summary;
    }
    const roles = new RoleFixer(clients.iam, settings, pageSize);
    await forEachLimited(instances, settings.concurrency ?? ENFORCER_DEFAULTS.concurrency, async (instance) => {
        const instanceId = instance.InstanceId ?? "unknown";
        summary.examined += 1;
        try {
            const optOut = optOutValue(instance.Tags, settings.optOutTagKey);
            if (optOut !== undefined) {
                log({ action: "skip-opted-out", instanceId, tagKey: settings.optOutTagKey, tagValue: optOut });
                summary.optedOut += 1;
                return;
            }
            // The association API is authoritative; the instance's own field covers an emulator or
            // a race where only one of them has caught up. Either one means "has a profile".
            const profileArn = profiles.get(instanceId) ?? instance.IamInstanceProfile?.Arn;
            if (profileArn === undefined) {
                const response = await clients.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Name: settings.instanceProfileName } }));
                const associationId = response.IamInstanceProfileAssociation?.AssociationId;
                log({ action: "associate-instance-profile", instanceId, instanceProfile: settings.instanceProfileName, associationId });
                summary.profilesAssociated += 1;
                return;
            }
            const outcome = await roles.ensureSsmPolicy(instanceProfileNameFromArn(profileArn));
            if (outcome.kind === "compliant") {
                if (outcome.logWriterSkipped !== undefined) {
                    log({ action: "skip-log-writer-role-not-eligible", instanceId, role: outcome.role, reason: outcome.logWriterSkipped });
                }
                summary.alreadyCompliant += 1;
            } else if (outcome.kind === "not-eligible") {
                log({ action: "skip-role-not-eligible", instanceId, role: outcome.role, reason: outcome.reason });
                summary.rolesNotEligible += 1;
            } else {
                for (const policyArn of outcome.policyArns) {
                    log({ action: "attach-role-policy", instanceId, role: outcome.role, policyArn });
                }
                summary.policiesAttached += 1;
            }
        } catch (error) {
            record(summary, log, instanceId, error);
        }
    });
    return summary;
}

function record(summary: EnforcementSummary, log: Logger, instanceId: string, error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log({ action: "error", instanceId, message });
    summary.errors.push({ instanceId, message });
}

async function listInstances(ec2: EC2Client, target: EnforcementTarget, pageSize: number): Promise<Instance[]> {
    const filters = [{ Name: "instance-state-name", Values: EXAMINED_STATES }];
    // DescribeInstances rejects MaxResults together with InstanceIds.
    const input = target === "all" ? { Filters: filters } : { InstanceIds: [...target], Filters: filters };
    const instances: Instance[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, ...(target === "all" ? { pageSize } : {}) }, input)) {
        instances.push(...(page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []));
    }
    return instances;
}

/** Instance id → instance profile ARN, for associations that hold a profile. */
async function heldProfiles(ec2: EC2Client, target: EnforcementTarget, pageSize: number): Promise<Map<string, string>> {
    const filters = [{ Name: "state", Values: HELD_ASSOCIATION_STATES }, ...(target === "all" ? [] : [{ Name: "instance-id", Values: [...target] }])];
    const profiles = new Map<string, string>();
    for await (const page of paginateDescribeIamInstanceProfileAssociations({ client: ec2, pageSize }, { Filters: filters })) {
        for (const association of page.IamInstanceProfileAssociations ?? []) {
            if (association.InstanceId && association.IamInstanceProfile?.Arn) {
                profiles.set(association.InstanceId, association.IamInstanceProfile.Arn);
            }
        }
    }
    return profiles;
}

/** What ensureSsmPolicy did for one instance's role. */
type RoleOutcome =
    | { readonly kind: "attached"; readonly role: string; readonly policyArns: readonly string[] }
    | { readonly kind: "compliant"; readonly role: string; readonly logWriterSkipped?: string }
    | { readonly kind: "not-eligible"; readonly role: string; readonly reason: string };

/**
 * Checks each role once per run, however many instances share it (profiles and roles are both
 * cached as promises, so parallel instances wait for the same lookup instead of racing).
 */
class RoleFixer {
    private readonly roleOfProfile = new Map<string, Promise<string>>();
    private readonly checked = new Map<string, Promise<RoleOutcome>>();

    constructor(
        private readonly iam: IAMClient,
        private readonly settings: EnforcerSettings,
        private readonly pageSize: number,
    ) {}

    /** "attached" only for the first instance of a role this run; later ones see "compliant". */
    async ensureSsmPolicy(profileName: string): Promise<RoleOutcome> {
        if (profileName === this.settings.instanceProfileName) {
            // The program's own managed-node profile: its role carries Core and an inline copy of
            // the log-writer policy (ManagedNodeRoles), and is out of the enforcer's scope anyway.
            return { kind: "compliant", role: profileName };
        }
        const role = await cached(this.roleOfProfile, profileName, () => this.lookUpRole(profileName));
        const earlier = this.checked.get(role);
        if (earlier !== undefined) {
            const outcome = await earlier;
            return outcome.kind === "attached" ? { kind: "compliant", role } : outcome;
        }
        const attaching = this.attachIfMissing(role);
        this.checked.set(role, attaching);
        return attaching;
    }

    private async lookUpRole(profileName: string): Promise<string> {
        const { InstanceProfile } = await this.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName }));
        // A profile holds at most one role; an empty one gives the instance no credentials at all.
        const role = InstanceProfile?.Roles?.[0]?.RoleName;
        if (role === undefined) {
            throw new Error(`instance profile ${profileName} has no role; add one (or remove the profile so the enforcer can associate ${this.settings.instanceProfileName})`);
        }
        return role;
    }

    private async attachIfMissing(role: string): Promise<RoleOutcome> {
        const attached: string[] = [];
        for await (const page of paginateListAttachedRolePolicies({ client: this.iam, pageSize: this.pageSize }, { RoleName: role })) {
            attached.push(...(page.AttachedPolicies ?? []).flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : [])));
        }
        const needsSsm = !grantsSsm(attached, this.settings.ssmPolicyArn);
        const logWriter = this.settings.logWriterPolicyArn;
        const needsLogWriter = logWriter !== undefined && !attached.includes(logWriter);
        if (!needsSsm && !needsLogWriter) {
            return { kind: "compliant", role };
        }
        // Only now, when something would be attached: is this an in-scope instance role? The
        // function's IAM policy would refuse most other roles anyway (enforcerRolePolicy); the
        // trust check can only be made here.
        const { Role } = await this.iam.send(new GetRoleCommand({ RoleName: role }));
        const eligibility = roleEligibility(Role ?? {}, this.settings);
        if (!eligibility.eligible) {
            // A role that already lets the agent work stays "compliant" as before; only its log
            // uploads are missing, which the log line says.
            return needsSsm ? { kind: "not-eligible", role, reason: eligibility.reason } : { kind: "compliant", role, logWriterSkipped: eligibility.reason };
        }
        const policyArns = [...(needsSsm ? [this.settings.ssmPolicyArn] : []), ...(needsLogWriter ? [logWriter] : [])];
        for (const policyArn of policyArns) {
            await this.iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn }));
        }
        return { kind: "attached", role, policyArns };
    }
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let value = cache.get(key);
    if (value === undefined) {
        value = load();
        cache.set(key, value);
    }
    return value;
}

/** Runs `work` over `items` with at most `limit` in flight; `work` must not throw. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const item = items[next];
            next += 1;
            await work(item);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
