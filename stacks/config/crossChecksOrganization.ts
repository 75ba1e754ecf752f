import { availableRules } from "../../catalog/configRules";
import { MAX_PER_TARGET_LOCATION, MAX_TARGET_LOCATIONS } from "../../catalog/automation";
import { isRootId } from "../../catalog/organizations";
import type { ConfigProblem } from "./errors";
import { duplicates } from "./duplicates";
import type { ParsedEstateConfig } from "./schema";
import { configuredLocationCount } from "./crossChecksPatchGroups";

/**
 * Organization mode (issue 16): the `organization` block, the patch groups that target
 * organizational units, and how a group's OUs resolve into (OUs, Regions, excluded accounts).
 * OU membership is not known offline, so "within a target" means listed in a target, or under a
 * target that is the root (the root contains every OU).
 */

type ParsedGroup = ParsedEstateConfig["patchGroups"][number];
type ParsedTarget = NonNullable<ParsedEstateConfig["organization"]>["targets"][number];

/** One source of truth: `organization.id`, else the top-level `organizationId` (checkOrganization refuses a conflict). */
export function organizationIdOf(config: ParsedEstateConfig): string | undefined {
    return config.organization?.id ?? config.organizationId;
}

/** What one patch group runs in through the organization: per target, the group's OUs there. */
export interface ResolvedOrganizationTarget {
    readonly organizationalUnits: readonly string[];
    readonly regions: readonly string[];
    /**
     * The target's excludeAccounts plus every configured member account: those are patched through
     * their own (account, Region) location, so an OU location must not run them a second time.
     */
    readonly excludeAccounts: readonly string[];
}

/**
 * A group's organization targets: none for a group that lists `accounts`; every target for a group
 * that lists neither; for a group with `organizationalUnits`, each target's share of them (an OU
 * not listed in any target falls under a root target).
 */
export function groupOrganizationTargets(config: ParsedEstateConfig, group: ParsedGroup): ResolvedOrganizationTarget[] {
    const organization = config.organization;
    if (organization === undefined || group.accounts !== undefined) {
        return [];
    }
    const members = config.accounts.filter((a) => a.member).map((a) => a.id);
    const listed = new Set(organization.targets.flatMap((t) => t.organizationalUnits));
    return organization.targets.flatMap((target) => {
        // Stryker disable next-line MethodExpression: equivalent on every accepted configuration — a target holding the root holds nothing else (checkTargets).
        const hasRoot = target.organizationalUnits.some(isRootId);
        const units =
            group.organizationalUnits === undefined
                ? target.organizationalUnits
                : group.organizationalUnits.filter((ou) => target.organizationalUnits.includes(ou) || (hasRoot && !listed.has(ou)));
        if (units.length === 0) {
            return [];
        }
        return [{ organizationalUnits: [...units], regions: [...target.regions], excludeAccounts: [...new Set([...target.excludeAccounts, ...members])].sort() }];
    });
}

export function checkOrganization(config: ParsedEstateConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const organization = config.organization;
    config.patchGroups.forEach((group, i) => {
        const at = `patchGroups[${i}].organizationalUnits`;
        if (group.organizationalUnits === undefined) {
            return;
        }
        if (organization === undefined) {
            problems.push({ path: at, value: group.organizationalUnits, message: "needs an organization block (organization.targets) to deploy to and run in organizational units" });
        }
        if (group.accounts !== undefined) {
            problems.push({ path: at, message: `is set together with patchGroups[${i}].accounts; a patch group targets either configured accounts or organizational units, not both` });
        }
        problems.push(...duplicates(group.organizationalUnits, (ou) => ou, (k) => `${at}[${k}]`, "a patch group's organizational units"));
    });
    if (organization === undefined) {
        return problems;
    }
    if (organization.id !== undefined && config.organizationId !== undefined && organization.id !== config.organizationId) {
        problems.push({ path: "organization.id", value: organization.id, message: `conflicts with organizationId ("${config.organizationId}"); set the organization id once (organization.id, or organizationId)` });
    }
    if (organizationIdOf(config) === undefined) {
        problems.push({ path: "organization.id", message: "missing; expected an AWS Organizations id (o-…), here or as organizationId" });
    }
    problems.push(...checkTargets(config, organization.targets));
    const listed = new Set(organization.targets.flatMap((t) => t.organizationalUnits));
    const rootTargeted = [...listed].some(isRootId);
    config.patchGroups.forEach((group, i) => {
        (group.organizationalUnits ?? []).forEach((ou, k) => {
            if (!listed.has(ou) && !rootTargeted) {
                problems.push({
                    path: `patchGroups[${i}].organizationalUnits[${k}]`,
                    value: ou,
                    message: `is not in any organization target (${[...listed].join(", ")}); the member side is deployed only there, so list it in organization.targets (or target the root)`,
                });
            }
        });
        problems.push(...checkLocationCount(config, group, i));
    });
    return problems;
}

function checkTargets(config: ParsedEstateConfig, targets: readonly ParsedTarget[]): ConfigProblem[] {
    const members = new Map(config.accounts.filter((a) => a.member).map((a) => [a.id, a.alias]));
    const units = targets.flatMap((t, i) => t.organizationalUnits.map((ou, k) => ({ ou, path: `organization.targets[${i}].organizationalUnits[${k}]` })));
    const problems = duplicates(units, (u) => u.ou, (n) => units[n].path, "organizational units across organization targets");
    targets.forEach((target, i) => {
        const at = `organization.targets[${i}]`;
        problems.push(
            ...duplicates(target.regions, (r) => r, (k) => `${at}.regions[${k}]`, "a target's Regions"),
            ...duplicates(target.excludeAccounts, (a) => a, (k) => `${at}.excludeAccounts[${k}]`, "a target's excluded accounts"),
        );
        // SSM TargetLocation: Regions 1-50 per location. Kept for when AWS has more Regions: today the
        // catalog's commercial Regions (catalog/awsRegions.ts) are fewer than 50 and duplicates are refused.
        // Stryker disable all: unreachable while fewer than 51 distinct Regions exist
        if (target.regions.length > MAX_PER_TARGET_LOCATION) {
            problems.push({ path: `${at}.regions`, value: target.regions, message: `has ${target.regions.length} Regions; one Automation target location takes at most ${MAX_PER_TARGET_LOCATION}` });
        }
        // Stryker restore all
        if (target.organizationalUnits.some(isRootId) && target.organizationalUnits.length > 1) {
            problems.push({ path: `${at}.organizationalUnits`, value: target.organizationalUnits, message: "lists the root together with other ids; the root already contains every organizational unit" });
        }
        target.excludeAccounts.forEach((id, k) => {
            const alias = members.get(id);
            if (alias !== undefined) {
                problems.push({
                    path: `${at}.excludeAccounts[${k}]`,
                    value: id,
                    message: `is the configured member account ${alias}; configured member accounts are patched through accounts and always left out of organization targets, so excluding it contradicts member: true (remove it here, or set member: false)`,
                });
            }
        });
        target.regions.forEach((region, k) => {
            if (availableRules(region).length === 0) {
                problems.push({ path: `${at}.regions[${k}]`, value: region, message: "offers none of the AWS Config rules that report patch compliance (catalog/configRules.ts lists where each is offered)" });
            }
        });
    });
    // A root target runs every OU; another target in an overlapping Region would patch its accounts twice.
    targets.forEach((target, i) => {
        if (!target.organizationalUnits.some(isRootId)) {
            return;
        }
        targets.forEach((other, j) => {
            const shared = other.regions.filter((r) => target.regions.includes(r));
            if (j !== i && shared.length > 0) {
                problems.push({ path: `organization.targets[${j}]`, message: `overlaps the root target organization.targets[${i}] in ${shared.join(", ")}; its accounts would be patched twice there` });
            }
        });
    });
    return problems;
}

/** StartAutomationExecution: at most 100 TargetLocations; OU locations take 50 OUs each. */
function checkLocationCount(config: ParsedEstateConfig, group: ParsedGroup, i: number): ConfigProblem[] {
    const ouLocations = groupOrganizationTargets(config, group).reduce((sum, t) => sum + Math.ceil(t.organizationalUnits.length / MAX_PER_TARGET_LOCATION), 0);
    const configured = configuredLocationCount(config, group);
    if (ouLocations + configured > MAX_TARGET_LOCATIONS) {
        return [{ path: `patchGroups[${i}]`, message: `needs ${configured} account and ${ouLocations} organizational-unit locations; one multi-account Automation run reaches at most ${MAX_TARGET_LOCATIONS}, so split the group` }];
    }
    return [];
}
