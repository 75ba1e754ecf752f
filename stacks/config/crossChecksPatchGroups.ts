import { PATCH_FILTER_KEYS } from "../../catalog/patchBaselines";
import { MAX_TARGET_LOCATIONS } from "../../catalog/automation";
import { OPERATING_SYSTEMS, type OperatingSystem } from "../../catalog/operatingSystems";
import { parseScheduleExpression } from "../../catalog/scheduleExpressions";
import type { ConfigProblem } from "./errors";
import type { ParsedEstateConfig } from "./schema";
import { duplicates } from "./duplicates";

/** Patch groups: names, accounts, baselines and their filters, schedules, and the Automation location count. */

type ParsedGroup = ParsedEstateConfig["patchGroups"][number];

/**
 * The (account, Region) locations a patch group runs in through configured accounts: its
 * `accounts` (or every member account) times their Regions; none for a group that targets
 * organizational units instead.
 */
export function configuredLocationCount(config: ParsedEstateConfig, group: ParsedGroup): number {
    if (group.organizationalUnits !== undefined) {
        return 0;
    }
    const aliases = group.accounts ?? config.accounts.filter((a) => a.member).map((a) => a.alias);
    return aliases.reduce((sum, alias) => sum + (config.accounts.find((a) => a.alias === alias)?.regions.length ?? 0), 0);
}

export function checkPatchGroups(config: ParsedEstateConfig): ConfigProblem[] {
    const memberAliases = config.accounts.filter((a) => a.member).map((a) => a.alias);
    const problems = duplicates(config.patchGroups, (g) => g.name, (i) => `patchGroups[${i}].name`, "patch group names");
    config.patchGroups.forEach((group, i) => {
        const at = `patchGroups[${i}]`;
        problems.push(...duplicates(group.operatingSystems, (os) => os, (k) => `${at}.operatingSystems[${k}]`, "a patch group's operating systems"));
        // A longer delay in dev than in prod would let prod install patches dev has not yet seen.
        if (group.approveAfterDays.prod < group.approveAfterDays.dev) {
            problems.push({
                path: `${at}.approveAfterDays.prod`,
                value: group.approveAfterDays.prod,
                message: `is less than dev (${group.approveAfterDays.dev}); prod must wait at least as long as dev`,
            });
        }
        (group.accounts ?? []).forEach((alias, k) => {
            if (!memberAliases.includes(alias)) {
                problems.push({ path: `${at}.accounts[${k}]`, value: alias, message: `is not a member account alias; allowed: ${memberAliases.join(", ")}` });
            }
        });
        problems.push(...duplicates(group.accounts ?? [], (a) => a, (k) => `${at}.accounts[${k}]`, "a patch group's accounts"));
        problems.push(...duplicates(group.excludedNodes ?? [], (n) => n.id, (k) => `${at}.excludedNodes[${k}].id`, "a patch group's excluded nodes"));
        // Config remediation starts the per-node runbook on any NON_COMPLIANT node with static parameters that do not
        // carry the exclusions (yet): in install mode it would patch an excluded node. A refresh only scans, as the schedules do.
        if ((group.excludedNodes ?? []).length > 0 && config.compliance.remediation?.mode === "install") {
            problems.push({ path: `${at}.excludedNodes`, message: "cannot be honoured by compliance.remediation mode install (AWS Config remediation would install on these nodes); use mode refresh-compliance or turn remediation off" });
        }
        for (const [os, options] of Object.entries(group.baselines)) {
            if (!(group.operatingSystems as readonly string[]).includes(os)) {
                problems.push({ path: `${at}.baselines.${os}`, value: os, message: `is not one of this group's operatingSystems (${group.operatingSystems.join(", ")})` });
                continue;
            }
            const allowed = PATCH_FILTER_KEYS[OPERATING_SYSTEMS[os as OperatingSystem].family];
            (options?.approvalRules ?? []).forEach((rule, r) => {
                for (const key of Object.keys(rule.filters)) {
                    if (!allowed.includes(key)) {
                        problems.push({ path: `${at}.baselines.${os}.approvalRules[${r}].filters.${key}`, value: key, message: `is not a patch filter key for ${os}; allowed: ${allowed.join(", ")}` });
                    }
                }
                if (Object.keys(rule.filters).length === 0) {
                    problems.push({ path: `${at}.baselines.${os}.approvalRules[${r}].filters`, message: "is empty; a rule needs at least one patch filter" });
                }
            });
        }
        // Issue 17 items 6-7: only the per-node runbook snapshots and runs hooks (the stopped-instances workflow sends AWS-RunPatchBaseline to the whole group at once).
        // Issue 19: only the per-node runbook can skip a node (the workflow's one Run Command targets the whole patch-group tag).
        for (const key of ["snapshotBeforeInstall", "hooks", "excludedNodes"] as const) if (group[key] !== undefined && group.installRunbook !== "RunPatchBaseline") problems.push({ path: `${at}.${key}`, value: group.installRunbook, message: `needs installRunbook RunPatchBaseline (the per-node runbook); this group uses ${group.installRunbook}` });
        problems.push(...checkRecurringSchedule(group.scan, `${at}.scan`));
        // An install without expression is a Patch Tuesday offset (crossChecksRollout.ts checks it).
        const install = group.install;
        if (install.expression !== undefined) {
            problems.push(...checkRecurringSchedule({ ...install, expression: install.expression }, `${at}.install`));
        }
        // One StartAutomationExecution reaches at most 100 (account, Region) locations; the
        // organizational-unit locations are added in crossChecksOrganization.
        const locations = configuredLocationCount(config, group);
        if (locations > MAX_TARGET_LOCATIONS) {
            problems.push({ path: `${at}.accounts`, message: `covers ${locations} (account, Region) locations; one multi-account Automation run reaches at most ${MAX_TARGET_LOCATIONS}, so split the group` });
        }
    });
    problems.push(...checkDefaultBaselines(config));
    return problems;
}

/** A Region has one default baseline per OS, so at most one patch group may claim it. */
function checkDefaultBaselines(config: ParsedEstateConfig): ConfigProblem[] {
    const claimedBy = new Map<string, number>();
    const problems: ConfigProblem[] = [];
    config.patchGroups.forEach((group, i) => {
        for (const [os, options] of Object.entries(group.baselines)) {
            if (options?.setAsDefault !== true) {
                continue;
            }
            const first = claimedBy.get(os);
            if (first === undefined) {
                claimedBy.set(os, i);
            } else {
                problems.push({ path: `patchGroups[${i}].baselines.${os}.setAsDefault`, value: true, message: `conflicts with patchGroups[${first}]; only one patch group can own the default ${os} baseline` });
            }
        }
    });
    return problems;
}

function checkRecurringSchedule(schedule: ParsedEstateConfig["patchGroups"][number]["scan"], at: string): ConfigProblem[] {
    const parsed = parseScheduleExpression(schedule.expression);
    // Stryker disable all: unreachable — cross-checks run only on a structurally valid configuration, whose expressions parse (the schema reports the others).
    if (!parsed.ok) {
        return [];
    }
    // Stryker restore all
    if (parsed.expression.kind === "at") {
        return [{ path: `${at}.expression`, value: schedule.expression, message: "is a one-time at() schedule; patching needs a recurring cron() or rate()" }];
    }
    // rate() runs are anchored to the schedule's start; without a start date that is whenever
    // `pulumi up` happened to run, i.e. patch reboots at a random time of day.
    if (parsed.expression.kind === "rate" && parsed.expression.unit === "day" && schedule.startDate === undefined) {
        return [{ path: `${at}.startDate`, message: `missing; a ${schedule.expression} schedule needs a startDate to fix its time of day (e.g. 2026-12-06T02:00:00Z)` }];
    }
    return [];
}
