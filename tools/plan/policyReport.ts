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

/** Violations grouped per policy: `[level] policy`, then `resource (scope): message` lines. */
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
    const byPolicy = new Map<string, PolicyViolation[]>();
    for (const violation of report.violations) {
        byPolicy.set(violation.policy, [...(byPolicy.get(violation.policy) ?? []), violation]);
    }
    for (const [policy, violations] of byPolicy) {
        const levels = [...new Set(violations.map((v) => v.level))].join("/");
        lines.push(`  [${levels}] ${policy} (${violations.length})`);
        for (const violation of violations) {
            lines.push(`    ${violation.name ?? "(stack)"} — ${violation.scope}: ${violation.message}`);
        }
    }
    return lines.join("\n");
}
