/**
 * Patching: baselines approve with rules and bounded delays, prod never ahead of dev, fan-out
 * with rate control, hybrid activations short-lived, limited and tagged with their patch group.
 */
import * as ssm from "@pulumi/aws/ssm";
import { validateResourceOfType, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { readEstate } from "./lib/estate";
import { asList, known, ofType, PATCH_GROUP_TAG_KEYS, peek, quoted, referenced, tagValue, TYPES, UNKNOWN } from "./lib/graph";
import { settings } from "./lib/settings";

export const patchBaselineApprovalRules: ResourceValidationPolicy = {
    name: "patch-baseline-approval-rules",
    description: "Every patch baseline has at least one approval rule (otherwise it approves only its explicit patch list).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(ssm.PatchBaseline, (baseline, args, reportViolation) => {
        const rules = peek(() => baseline.approvalRules);
        if (rules !== UNKNOWN && asList(rules).length === 0) {
            reportViolation(`patch baseline ${known(() => baseline.name) ?? args.name} has no approval rules: nodes would get only the patches listed by hand`);
        }
    }),
};

/** Days each approval rule waits, in rule order (undefined: the rule sets none, e.g. Ubuntu). */
function ruleDelays(approvalRules: unknown): (number | undefined)[] {
    return asList(approvalRules).map((rule) => known(() => (rule as { approveAfterDays?: number }).approveAfterDays));
}

const DAYS_DEFAULTS = { maxApproveAfterDays: 360 };

export const patchBaselineApproveAfterDays: ResourceValidationPolicy = {
    name: "patch-baseline-approve-after-days",
    description: "No approval rule waits longer than maxApproveAfterDays before approving patches (AWS accepts 0-360).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { maxApproveAfterDays: { type: "integer", minimum: 0, maximum: 360, default: DAYS_DEFAULTS.maxApproveAfterDays } } },
    validateResource: validateResourceOfType(ssm.PatchBaseline, (baseline, args, reportViolation) => {
        const { maxApproveAfterDays } = settings(args, DAYS_DEFAULTS);
        ruleDelays(known(() => baseline.approvalRules)).forEach((days, index) => {
            if (days !== undefined && (days < 0 || days > maxApproveAfterDays)) {
                reportViolation(`approval rule ${index + 1} of patch baseline ${known(() => baseline.name) ?? args.name} approves after ${days} days; allowed: 0-${maxApproveAfterDays}`);
            }
        });
    }),
};

const ORDER_DEFAULTS = { minimumProdApproveAfterDays: 0 };

export const patchBaselineProdNotBeforeDev: StackValidationPolicy = {
    name: "patch-baseline-prod-not-before-dev",
    description:
        "Prod never approves a patch before dev has had it: per patch group (stack config) prod approveAfterDays ≥ dev; a prod stack's baselines wait at least the group's dev delay (and minimumProdApproveAfterDays), a dev stack's at most its prod delay.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { minimumProdApproveAfterDays: { type: "integer", minimum: 0, maximum: 360, default: ORDER_DEFAULTS.minimumProdApproveAfterDays } } },
    validateStack: (args, reportViolation) => {
        const estate = readEstate();
        if (estate === undefined || estate.patchGroups.length === 0) {
            return args.notApplicable("the stack config names no patch groups");
        }
        const { minimumProdApproveAfterDays } = settings(args, ORDER_DEFAULTS);
        for (const group of estate.patchGroups) {
            const { dev, prod } = group.approveAfterDays;
            if (prod < dev) {
                reportViolation(`patch group ${group.name} approves after ${prod} days in prod but ${dev} in dev: prod would patch before dev has tested`);
            }
        }
        const baselines = ofType(args.resources, TYPES.patchBaseline);
        for (const registration of ofType(args.resources, TYPES.patchGroup)) {
            const group = estate.patchGroups.find((g) => g.name === known(() => registration.props["patchGroup"]));
            if (group === undefined) {
                continue;
            }
            for (const baseline of referenced(registration, "baselineId", baselines)) {
                const name = known(() => baseline.props["name"]) ?? baseline.name;
                ruleDelays(known(() => baseline.props["approvalRules"])).forEach((days, index) => {
                    const where = `approval rule ${index + 1} of ${name} (patch group ${group.name})`;
                    if (days === undefined) {
                        return;
                    }
                    if (estate.environment === "prod" && days < group.approveAfterDays.dev) {
                        reportViolation(`${where} approves after ${days} days in prod, before the group's dev delay of ${group.approveAfterDays.dev} days`, baseline.urn);
                    } else if (estate.environment === "prod" && days < minimumProdApproveAfterDays) {
                        reportViolation(`${where} approves after ${days} days in prod; at least ${minimumProdApproveAfterDays} required`, baseline.urn);
                    } else if (estate.environment === "dev" && days > group.approveAfterDays.prod) {
                        reportViolation(`${where} approves after ${days} days in dev, later than the group's prod delay of ${group.approveAfterDays.prod} days`, baseline.urn);
                    }
                });
            }
        }
    },
};

/** What a fan-out request lacks: top-level rate control with Targets, per-location limits with TargetLocations. */
export function missingRateControl(request: Record<string, unknown>): string[] {
    const missing: string[] = [];
    if (asList(request["Targets"]).length > 0) {
        missing.push(...["MaxConcurrency", "MaxErrors"].filter((key) => typeof request[key] !== "string" || request[key] === ""));
    }
    asList(request["TargetLocations"]).forEach((location, index) => {
        const entry = (location ?? {}) as Record<string, unknown>;
        missing.push(...["TargetLocationMaxConcurrency", "TargetLocationMaxErrors"].filter((key) => typeof entry[key] !== "string" || entry[key] === "").map((key) => `TargetLocations[${index}].${key}`));
    });
    return missing;
}

export const automationRateControl: ResourceValidationPolicy = {
    name: "automation-rate-control",
    description:
        "Schedules that start SSM Automation/Run Command and State Manager associations set rate control: MaxConcurrency and MaxErrors (and per-location limits for multi-account Automation).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === TYPES.association) {
            const missing = ["maxConcurrency", "maxErrors"].filter((key) => {
                const value = peek(() => args.props[key]);
                return value !== UNKNOWN && (typeof value !== "string" || value === "");
            });
            if (missing.length > 0) {
                reportViolation(`association ${args.name} sets no ${missing.join(" or ")}: it would run on every target at once and never stop on errors`);
            }
            return;
        }
        if (args.type !== TYPES.schedule) {
            return args.notApplicable("only EventBridge Scheduler schedules and State Manager associations");
        }
        const target = known(() => args.props["target"]) as { arn?: string; input?: string } | undefined;
        const arn = known(() => target?.arn);
        if (typeof arn !== "string" || !/:ssm:(startAutomationExecution|sendCommand)$/i.test(arn)) {
            return args.notApplicable("only schedules that start SSM Automation or Run Command");
        }
        const input = known(() => target?.input);
        let request: Record<string, unknown>;
        try {
            request = typeof input === "string" ? (JSON.parse(input) as Record<string, unknown>) : {};
        } catch {
            reportViolation(`schedule ${args.name}: the target input is not JSON`);
            return;
        }
        const missing = missingRateControl(request);
        if (missing.length > 0) {
            reportViolation(`schedule ${args.name} fans out without ${missing.join(", ")}`);
        }
    },
};

const ACTIVATION_DEFAULTS = { maxExpirationDays: 30 };
const DAY_MS = 24 * 60 * 60 * 1000;

export const ssmActivationLimited: ResourceValidationPolicy = {
    name: "ssm-activation-limited",
    description: "Every SSM hybrid activation sets a registration limit and expires within maxExpirationDays (AWS allows at most 30).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { maxExpirationDays: { type: "integer", minimum: 1, maximum: 30, default: ACTIVATION_DEFAULTS.maxExpirationDays } } },
    validateResource: validateResourceOfType(ssm.Activation, (activation, args, reportViolation) => {
        const { maxExpirationDays } = settings(args, ACTIVATION_DEFAULTS);
        const limit = peek(() => activation.registrationLimit);
        if (limit !== UNKNOWN && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1)) {
            reportViolation(`activation ${args.name} sets no registrationLimit: its code could register any number of nodes`);
        }
        const expiry = peek(() => activation.expirationDate);
        const at = typeof expiry === "string" ? Date.parse(expiry) : NaN;
        if (expiry === UNKNOWN) {
            return;
        } else if (expiry === undefined || expiry === null) {
            reportViolation(`activation ${args.name} sets no expirationDate`);
        } else if (Number.isNaN(at)) {
            reportViolation(`activation ${args.name}: expirationDate "${expiry}" is not a date`);
        } else if (at > Date.now() + maxExpirationDays * DAY_MS) {
            reportViolation(`activation ${args.name} expires ${expiry}, more than ${maxExpirationDays} days ahead`);
        }
    }),
};

const TAG_DEFAULTS = { tagKeys: PATCH_GROUP_TAG_KEYS };

export const ssmActivationPatchGroupTag: ResourceValidationPolicy = {
    name: "ssm-activation-patch-group-tag",
    description: "Every SSM hybrid activation carries a Patch Group tag, so the nodes it registers join a patch group.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { tagKeys: { type: "array", items: { type: "string" }, minItems: 1, default: TAG_DEFAULTS.tagKeys } } },
    validateResource: validateResourceOfType(ssm.Activation, (activation, args, reportViolation) => {
        const { tagKeys } = settings(args, TAG_DEFAULTS);
        const tags = peek(() => activation.tags);
        if (tags !== UNKNOWN && tagValue(tags, tagKeys) === undefined) {
            reportViolation(`activation ${args.name} has no ${quoted(tagKeys)} tag: the hybrid nodes it registers would join no patch group`);
        }
    }),
};
