/**
 * The policy part of `npm run plan`: resolve the pack's config for the stack, run the pack over
 * the evaluated program, print the violations per policy with resource name and scope.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel } from "@pulumi/policy";
import type { ResourceRecorder } from "../mock/recorder";
import { readStackConfig } from "../mock/stackConfig";
import { UsageError } from "./evaluate";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";
import { PACK_POLICIES, runPolicies, type PolicyViolation } from "./policyRun";
import type { Scope } from "./scopes";

export interface PolicyReport {
    /** The policy config file, relative to the working directory. */
    readonly config: string;
    readonly enforcement: Record<string, EnforcementLevel>;
    readonly violations: readonly PolicyViolation[];
}

/** `--policy-config`, else `policies/config.<environment>.json` by the stack's `environment`. */
export function policyConfigFile(directory: string, stack: string, explicit: string | undefined): string {
    if (explicit !== undefined) {
        if (!existsSync(explicit)) {
            throw new UsageError(`--policy-config ${explicit}: no such file`);
        }
        return explicit;
    }
    const config = readStackConfig(directory, stack);
    const environment = config.values[`${config.project}:environment`];
    const file = path.join(directory, "policies", `config.${environment}.json`);
    if (environment === undefined || !existsSync(file)) {
        throw new UsageError(`no policy config for environment "${environment ?? "(unset)"}": ${path.relative(directory, file)} does not exist (pass --policy-config <file>)`);
    }
    return file;
}

export async function checkPolicies(recorder: ResourceRecorder, scopes: ReadonlyMap<string, Scope>, file: string): Promise<PolicyReport> {
    const relative = path.relative(process.cwd(), path.resolve(file));
    const label = relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(file) : relative;
    const config = resolvePolicyConfig(PACK_POLICIES, readPolicyConfigFile(file), label);
    const violations = await runPolicies(recorder, { config, scopes });
    const enforcement = Object.fromEntries([...config].map(([name, resolved]) => [name, resolved.enforcementLevel]));
    return { config: label, enforcement, violations };
}

export function mandatoryCount(report: PolicyReport): number {
    return report.violations.filter((violation) => violation.level === "mandatory").length;
}

/** How many resources a grouped line names, and how many distinct messages a policy prints. */
export const POLICY_REPORT_LIMITS = { names: 3, messages: 5 } as const;

/**
 * Violations per policy, then per message: one wrong value that breaks 36 resources is one line
 * (`36 resources: a, b, c and 33 more`), not 36. Every violation stays in the JSON plan.
 */
export function renderPolicyReport(report: PolicyReport): string {
    const total = Object.keys(report.enforcement).length;
    const enabled = Object.values(report.enforcement).filter((level) => level !== "disabled").length;
    const mandatory = mandatoryCount(report);
    const advisory = report.violations.length - mandatory;
    const head = `Policies: ${enabled} of ${total} enabled (${report.config})`;
    if (report.violations.length === 0) {
        return `${head}: no violations`;
    }
    const lines = [`${head}: ${mandatory} mandatory and ${advisory} advisory violation(s)`];
    for (const [policy, violations] of groupBy(report.violations, (v) => v.policy)) {
        const levels = [...new Set(violations.map((v) => v.level))].join("/");
        lines.push(`  [${levels}] ${policy} (${violations.length})`);
        const byMessage = [...groupBy(violations, (v) => v.message)];
        for (const [message, group] of byMessage.slice(0, POLICY_REPORT_LIMITS.messages)) {
            lines.push(`    ${group.length === 1 ? `${where(group[0])}: ${message}` : `${message} — ${group.length} resources: ${names(group)}`}`);
        }
        const rest = byMessage.slice(POLICY_REPORT_LIMITS.messages);
        if (rest.length > 0) {
            const count = rest.reduce((sum, [, group]) => sum + group.length, 0);
            lines.push(`    … and ${rest.length} more message(s) for ${count} violation(s): all of them are in the JSON plan (policies.violations)`);
        }
    }
    return lines.join("\n");
}

const where = (violation: PolicyViolation) => `${violation.name ?? "(stack)"} — ${violation.scope}`;

function names(group: readonly PolicyViolation[]): string {
    const shown = group.slice(0, POLICY_REPORT_LIMITS.names).map((v) => `${v.name ?? "(stack)"} (${v.scope})`);
    const more = group.length - shown.length;
    return `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
    }
    return groups;
}
