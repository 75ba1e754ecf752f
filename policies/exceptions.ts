/**
 * Exceptions that expire (issue 19 item 5): a rejected patch written as `{id, reason, expires}`
 * in patchGroups[].baselines.<OS>.rejectedPatches, and a node in patchGroups[].excludedNodes, are
 * time-boxed exceptions. Read from the stack
 * config (lib/estate.ts readEstate, as estate-coverage reads the estate): reason and expiry are
 * intent that no AWS resource carries — the baseline's RejectedPatches holds only the ids, and a
 * tag could not (tag keys refuse the `*` of package patterns).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { readEstate, type EstateExcludedNode, type EstatePatchException } from "./lib/estate";
import { settings } from "./lib/settings";

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today as the UTC calendar date YYYY-MM-DD: an exception holds through its `expires` day (UTC). */
export function utcToday(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** Whole days from `today` to `expires` (negative once past); undefined for a malformed date. */
export function daysLeft(expires: string, today: string): number | undefined {
    if (!ISO_DATE.test(expires) || Number.isNaN(Date.parse(`${expires}T00:00:00Z`))) return undefined;
    return Math.round((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** One exception as the policies judge it: a rejected patch or an excluded node (issue 19). */
interface Exception {
    /** "rejected patch KB… of patch group G (OS)" or "excluded node i-… of patch group G". */
    readonly subject: string;
    readonly reason?: string;
    readonly expires?: string;
    /** The config list to renew it in or remove it from. */
    readonly list: "rejectedPatches" | "excludedNodes";
    /** What a prod stack refuses when the exception has no end, and how to fix it. */
    readonly undatedInProd: string;
    /** The expiring warning's advice. */
    readonly plan: string;
}

const fromPatch = (e: EstatePatchException): Exception => ({
    subject: `rejected patch ${e.id} of patch group ${e.group} (${e.os})`,
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    ...(e.expires === undefined ? {} : { expires: e.expires }),
    list: "rejectedPatches",
    undatedInProd: "has no reason and expires: in prod a rejected patch is an exception that expires; write {id, reason, expires}",
    plan: "renew it or plan the patch's release",
});

const fromNode = (n: EstateExcludedNode): Exception => ({
    subject: `excluded node ${n.id} of patch group ${n.group}`,
    ...(n.reason === undefined ? {} : { reason: n.reason }),
    ...(n.expires === undefined ? {} : { expires: n.expires }),
    list: "excludedNodes",
    undatedInProd: "has no expires: in prod an excluded node is an exception that expires; add expires (YYYY-MM-DD)",
    plan: "renew it or plan the node's patching (after it, installs patch the node again)",
});

function describe(exception: Exception): string {
    const reason = exception.reason === undefined ? "" : ` (reason: ${exception.reason})`;
    return `${exception.subject}${reason}`;
}

function exceptions(): { all: Exception[]; environment?: string } {
    const estate = readEstate();
    return { all: [...(estate?.patchExceptions ?? []).map(fromPatch), ...(estate?.excludedNodes ?? []).map(fromNode)], ...(estate?.environment === undefined ? {} : { environment: estate.environment }) };
}

/**
 * In prod every exception ends: a plain rejected id, or an excluded node without `expires`, would
 * hold a patch back or leave a node unpatched for ever without anyone answering for it (dev keeps
 * accepting them). Judged here rather than by the config validation, so a stack still evaluates
 * (and `npm run plan` shows what it would build) while its plan is refused.
 */
function undatedInProd({ all, environment }: ReturnType<typeof exceptions>): Exception[] {
    return environment === "prod" ? all.filter((e) => e.expires === undefined || e.reason === undefined) : [];
}

export const patchExceptionExpired: StackValidationPolicy = {
    name: "patch-exception-expired",
    description:
        "No exception is past its expires date (UTC): a rejected patch ({id, reason, expires} in patchGroups[].baselines.<OS>.rejectedPatches) or an excluded node ({id, reason, expires} in patchGroups[].excludedNodes) — renew it with a later date or remove it, so a patch is never held back and a node never left unpatched longer than someone decided; in prod every rejected patch and excluded node is such an exception (a plain id, or a node without expires, is refused).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const estate = exceptions();
        const dated = estate.all.filter((e) => e.expires !== undefined);
        const undated = undatedInProd(estate);
        if (dated.length === 0 && undated.length === 0) {
            return args.notApplicable("no rejected patch or excluded node with an expiry date, and none without one in prod");
        }
        for (const exception of undated) {
            reportViolation(`${describe(exception)} ${exception.undatedInProd}`);
        }
        const today = utcToday();
        for (const exception of dated) {
            const left = daysLeft(exception.expires as string, today);
            if (left !== undefined && left < 0) {
                reportViolation(`${describe(exception)} expired on ${exception.expires as string}: renew it with a later expires or remove it from ${exception.list}`);
            }
        }
    },
};

const EXPIRING_DEFAULTS = { warnDays: 7 };

export const patchExceptionExpiring: StackValidationPolicy = {
    name: "patch-exception-expiring",
    description: "Warns about a rejected-patch or excluded-node exception that expires within warnDays (default 7): renew it, or plan the patch's release or the node's patching, before the plan starts failing.",
    enforcementLevel: "advisory",
    configSchema: { properties: { warnDays: { type: "integer", minimum: 0, maximum: 90, default: EXPIRING_DEFAULTS.warnDays, description: "Days before expires at which the warning starts." } } },
    validateStack: (args, reportViolation) => {
        const dated = exceptions().all.filter((e) => e.expires !== undefined);
        if (dated.length === 0) {
            return args.notApplicable("no rejected patch or excluded node with an expiry date");
        }
        const { warnDays } = settings(args, EXPIRING_DEFAULTS);
        const today = utcToday();
        for (const exception of dated) {
            const left = daysLeft(exception.expires as string, today);
            if (left !== undefined && left >= 0 && left <= warnDays) {
                reportViolation(`${describe(exception)} expires on ${exception.expires as string}, in ${left} day(s): ${exception.plan}`);
            }
        }
    },
};
