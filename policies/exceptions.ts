/**
 * Exceptions that expire (issue 19 item 5): a rejected patch written as `{id, reason, expires}`
 * in patchGroups[].baselines.<OS>.rejectedPatches is a time-boxed exception. Read from the stack
 * config (lib/estate.ts readEstate, as estate-coverage reads the estate): reason and expiry are
 * intent that no AWS resource carries — the baseline's RejectedPatches holds only the ids, and a
 * tag could not (tag keys refuse the `*` of package patterns).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { readEstate, type EstatePatchException } from "./lib/estate";
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

function describe(exception: EstatePatchException): string {
    const reason = exception.reason === undefined ? "" : ` (reason: ${exception.reason})`;
    return `rejected patch ${exception.id} of patch group ${exception.group} (${exception.os})${reason}`;
}

const dated = (): EstatePatchException[] => (readEstate()?.patchExceptions ?? []).filter((e) => e.expires !== undefined);

/**
 * In prod a rejected patch must be an exception that expires: a plain id would hold a patch back
 * for ever without anyone answering for it (dev keeps accepting plain ids). Judged here rather than
 * by the config validation, so a stack still evaluates (and `npm run plan` shows what it would
 * build) while its plan is refused.
 */
function undatedInProd(): EstatePatchException[] {
    const estate = readEstate();
    return estate?.environment === "prod" ? estate.patchExceptions.filter((e) => e.expires === undefined || e.reason === undefined) : [];
}

export const patchExceptionExpired: StackValidationPolicy = {
    name: "patch-exception-expired",
    description:
        "No rejected-patch exception ({id, reason, expires} in patchGroups[].baselines.<OS>.rejectedPatches) is past its expires date (UTC) — renew it with a later date or remove it, so a patch is never held back longer than someone decided; in prod every rejected patch is such an exception (a plain id is refused).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const exceptions = dated();
        const undated = undatedInProd();
        if (exceptions.length === 0 && undated.length === 0) {
            return args.notApplicable("no rejected patch with an expiry date, and none without one in prod");
        }
        for (const exception of undated) {
            reportViolation(`${describe(exception)} has no reason and expires: in prod a rejected patch is an exception that expires; write {id, reason, expires}`);
        }
        const today = utcToday();
        for (const exception of exceptions) {
            const left = daysLeft(exception.expires as string, today);
            if (left !== undefined && left < 0) {
                reportViolation(`${describe(exception)} expired on ${exception.expires as string}: renew it with a later expires or remove it from rejectedPatches`);
            }
        }
    },
};

const EXPIRING_DEFAULTS = { warnDays: 7 };

export const patchExceptionExpiring: StackValidationPolicy = {
    name: "patch-exception-expiring",
    description: "Warns about a rejected-patch exception that expires within warnDays (default 7): renew it or plan the patch's release before the plan starts failing.",
    enforcementLevel: "advisory",
    configSchema: { properties: { warnDays: { type: "integer", minimum: 0, maximum: 90, default: EXPIRING_DEFAULTS.warnDays, description: "Days before expires at which the warning starts." } } },
    validateStack: (args, reportViolation) => {
        const exceptions = dated();
        if (exceptions.length === 0) {
            return args.notApplicable("no rejected patch with an expiry date");
        }
        const { warnDays } = settings(args, EXPIRING_DEFAULTS);
        const today = utcToday();
        for (const exception of exceptions) {
            const left = daysLeft(exception.expires as string, today);
            if (left !== undefined && left >= 0 && left <= warnDays) {
                reportViolation(`${describe(exception)} expires on ${exception.expires as string}, in ${left} day(s): renew it or plan the patch's release`);
            }
        }
    },
};
