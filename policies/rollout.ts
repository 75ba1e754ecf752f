/**
 * Safe rollout (issue 17): a prod patch group's installs go through the rollout gate with at least
 * one brake — a ring (it waits for an earlier group), a halt alarm, or a window cutoff. Read from
 * the schedules the program deploys, not from the config, so it checks what would really run.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readEstate } from "./lib/estate";
import { known, ofType, TYPES } from "./lib/graph";

/** The gate runbook's name (components/rollout/rolloutPlan.ts ROLLOUT_DOCUMENT_NAMES; the pack imports nothing outside policies/). */
const GATE_DOCUMENT = "patching-RolloutGate";

function scheduleRequest(schedule: PolicyResource): Record<string, unknown> | undefined {
    const input = known(() => (schedule.props["target"] as { input?: unknown } | undefined)?.input);
    if (typeof input !== "string") return undefined;
    try {
        return JSON.parse(input) as Record<string, unknown>;
    } catch {
        return undefined;
    }
}

/** Which brakes a gated install request carries: the ring (Ring parameter) and the halt alarm (AlarmConfiguration in the patch run). */
function brakes(request: Record<string, unknown>): string[] {
    if (request["DocumentName"] !== GATE_DOCUMENT) return [];
    const parameters = (request["Parameters"] ?? {}) as Record<string, unknown>;
    const patchRun = Array.isArray(parameters["PatchRunRequest"]) ? parameters["PatchRunRequest"].join("") : "";
    return [...(Array.isArray(parameters["Ring"]) ? ["ring"] : []), ...(patchRun.includes('"AlarmConfiguration"') ? ["halt alarm"] : [])];
}

export const rolloutProdInstallsGated: StackValidationPolicy = {
    name: "rollout-prod-installs-gated",
    description:
        "In a prod stack every patch group's install goes through the safe-rollout gate with a ring (after), a halt alarm (haltOnAlarm) or a window cutoff (install.maxDurationMinutes). Advisory by default; set its enforcementLevel to mandatory in policies/config.prod.json to require it.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        if (readEstate()?.environment !== "prod") {
            return args.notApplicable("only prod stacks");
        }
        const schedules = ofType(args.resources, TYPES.schedule);
        const names = new Set(schedules.map((s) => known(() => s.props["name"])).filter((n): n is string => typeof n === "string"));
        for (const schedule of schedules) {
            const name = known(() => schedule.props["name"]);
            if (typeof name !== "string" || !name.endsWith("-install")) continue;
            const group = name.slice(0, -"-install".length);
            const request = scheduleRequest(schedule);
            // An unknown input (preview before the roles exist) is not judged.
            if (request === undefined) continue;
            const found = [...brakes(request), ...(names.has(`${group}-cutoff`) ? ["window cutoff"] : [])];
            if (found.length === 0) {
                reportViolation(`patch group ${group} installs in prod with no ring (after), halt alarm (haltOnAlarm) or window cutoff (install.maxDurationMinutes): a bad patch would roll on unchecked`);
            }
        }
    },
};
