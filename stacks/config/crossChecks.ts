import { availableRules, PATCH_RULE } from "../../catalog/configRules";
import { PATCHING_REGIONS } from "../../catalog/vpcEndpoints";
import { objectLockProblems, retentionProblems } from "../../catalog/s3";
import type { ConfigProblem } from "./errors";
import type { ParsedEstateConfig } from "./schema";
import { checkAzure, checkHybrid } from "./crossChecksAzure";
import { duplicates } from "./duplicates";
import { STANDARD_TAG_KEYS } from "./estateModel";
import { checkOrganization, organizationIdOf } from "./crossChecksOrganization";
import { checkPatchGroups } from "./crossChecksPatchGroups";
import { checkRollout } from "./crossChecksRollout";
import { checkQuickSightBoundary } from "./crossChecksReporting";

/**
 * Rules that relate one value to another (uniqueness, references, prod ≥ dev, …). They run only
 * on a structurally valid configuration, so every problem found here is a real one and never an
 * echo of a malformed field.
 */
export function crossCheck(config: ParsedEstateConfig): ConfigProblem[] {
    return [
        ...checkTags(config),
        ...checkAccounts(config),
        ...checkCentral(config),
        ...checkPatchGroups(config),
        ...checkRollout(config),
        ...checkAzure(config),
        ...checkStorage(config),
        ...checkConnectivity(config),
        ...checkComplianceRegions(config),
        ...checkRemediation(config),
        ...checkHybrid(config),
        ...checkEbsKeys(config),
        ...checkLogAccess(config),
        ...checkOrganization(config),
        ...checkQuickSightBoundary(config),
    ];
}

/** Default Host Management is set per member (account, Region): each at most once, in its Regions. */
function checkLogAccess(config: ParsedEstateConfig): ConfigProblem[] {
    const members = new Map(config.accounts.filter((a) => a.member).map((a) => [a.alias, a]));
    const entries = config.logAccess.defaultHostManagement;
    const problems = duplicates(entries, (e) => e.account, (i) => `logAccess.defaultHostManagement[${i}]`, "accounts");
    entries.forEach((entry, i) => {
        const at = `logAccess.defaultHostManagement[${i}]`;
        const account = members.get(entry.account);
        if (account === undefined) {
            problems.push({ path: `${at}.account`, value: entry.account, message: `is not a member account alias; allowed: ${[...members.keys()].join(", ")}` });
            return;
        }
        (entry.regions ?? []).forEach((region, k) => {
            if (!account.regions.includes(region)) {
                problems.push({ path: `${at}.regions[${k}]`, value: region, message: `is not one of ${entry.account}'s regions (${account.regions.join(", ")})` });
            }
        });
        problems.push(...duplicates(entry.regions ?? [], (r) => r, (k) => `${at}.regions[${k}]`, "Regions"));
    });
    return problems;
}

/** An EBS volume is encrypted with a key of its own Region, so a key elsewhere could never be used. */
function checkEbsKeys(config: ParsedEstateConfig): ConfigProblem[] {
    const memberRegions = [...new Set(config.accounts.filter((a) => a.member).flatMap((a) => a.regions))];
    const problems = duplicates(config.ebsKmsKeyArns, (arn) => arn, (i) => `ebsKmsKeyArns[${i}]`, "KMS key ARNs");
    config.ebsKmsKeyArns.forEach((arn, i) => {
        const region = arn.split(":")[3];
        if (!memberRegions.includes(region)) {
            problems.push({ path: `ebsKmsKeyArns[${i}]`, value: arn, message: `is a key in ${region}, where no member account runs; EBS volumes use a key of their own Region (${memberRegions.join(", ")})` });
        }
    });
    return problems;
}

/**
 * The longest one remediation attempt runs: the wrapper runbook's step timeouts (60 s + 7500 s,
 * components/compliance remediationAttemptMaxSeconds; test/stacks/awsCompliance.test.ts ties the two).
 */
export const REMEDIATION_ATTEMPT_MAX_SECONDS = 7560;

/**
 * Remediation that converges or stops. A NoReboot install leaves patches InstalledPendingReboot,
 * which the patch-compliance rule reports NON_COMPLIANT, so Config would start the install again
 * and again: refused. A refresh (Scan) never reboots, so a reboot option there would do nothing:
 * refused too. Config adds a remediation exception (stops) only when maximumAutomaticAttempts
 * attempts fall within retryAttemptSeconds (API_RemediationConfiguration), so the window must hold
 * that many back-to-back attempts.
 */
function checkRemediation(config: ParsedEstateConfig): ConfigProblem[] {
    const remediation = config.compliance.remediation;
    if (remediation === undefined) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    const path = "compliance.remediation.rebootOption";
    if (remediation.rebootOption !== undefined && remediation.mode === "refresh-compliance") {
        problems.push({ path, value: remediation.rebootOption, message: "applies only to mode install; refresh-compliance scans and never reboots" });
    } else if (remediation.rebootOption === "NoReboot") {
        problems.push({
            path,
            value: "NoReboot",
            message: "is refused for mode install: patches installed without a reboot stay InstalledPendingReboot, which the patch-compliance rule reports NON_COMPLIANT, so AWS Config would start the install again; use RebootIfNeeded, or mode refresh-compliance",
        });
    }
    const needed = remediation.maximumAutomaticAttempts * REMEDIATION_ATTEMPT_MAX_SECONDS;
    if (remediation.retryAttemptSeconds < needed) {
        problems.push({
            path: "compliance.remediation.retryAttemptSeconds",
            value: remediation.retryAttemptSeconds,
            message: `cannot hold maximumAutomaticAttempts (${remediation.maximumAutomaticAttempts}) attempts of up to ${REMEDIATION_ATTEMPT_MAX_SECONDS} s each; AWS Config stops (adds a remediation exception) only when that many attempts fall within the window, so a node that never turns COMPLIANT would be remediated forever; use at least ${needed}`,
        });
    }
    return problems;
}

/** Every member Region gets the Config rules; some Regions offer none, or not the patch rule. */
function checkComplianceRegions(config: ParsedEstateConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    config.accounts.forEach((account, i) => {
        if (!account.member) {
            return;
        }
        account.regions.forEach((region, k) => {
            const rules = availableRules(region);
            if (rules.length === 0) {
                problems.push({ path: `accounts[${i}].regions[${k}]`, value: region, message: "offers none of the AWS Config rules that report patch compliance (catalog/configRules.ts lists where each is offered)" });
            } else if (config.compliance.remediation !== undefined && !rules.includes(PATCH_RULE)) {
                problems.push({ path: "compliance.remediation", value: config.compliance.remediation.mode, message: `needs the patch-compliance Config rule, which ${region} (${account.alias}) does not offer` });
            }
        });
    });
    return problems;
}

function checkTags(config: ParsedEstateConfig): ConfigProblem[] {
    const reserved = [...STANDARD_TAG_KEYS, config.patchGroupTagKey];
    return Object.keys(config.tags)
        .filter((key) => reserved.some((taken) => taken.toLowerCase() === key.toLowerCase()))
        .map((key) => ({ path: `tags.${key}`, value: key, message: `is set by the program itself; choose a key other than ${reserved.join(", ")}` }));
}

function checkAccounts(config: ParsedEstateConfig): ConfigProblem[] {
    const problems = [
        ...duplicates(config.accounts, (a) => a.alias, (i) => `accounts[${i}].alias`, "account aliases"),
        ...duplicates(config.accounts, (a) => a.id, (i) => `accounts[${i}].id`, "account ids"),
    ];
    config.accounts.forEach((account, i) => {
        problems.push(...duplicates(account.regions, (r) => r, (k) => `accounts[${i}].regions[${k}]`, "an account's Regions"));
        const roleAccount = account.deploymentRoleArn?.split(":")[4];
        if (roleAccount !== undefined && roleAccount !== account.id) {
            problems.push({
                path: `accounts[${i}].deploymentRoleArn`,
                value: account.deploymentRoleArn,
                message: `is a role in account ${roleAccount}, not in this account (${account.id}); the provider must assume a role inside the account it manages`,
            });
        }
    });
    if (!config.accounts.some((account) => account.member)) {
        problems.push({ path: "accounts", message: "has no member account (member: true); there would be nothing to patch" });
    }
    return problems;
}

function checkCentral(config: ParsedEstateConfig): ConfigProblem[] {
    const aliases = config.accounts.map((a) => a.alias);
    if (!aliases.includes(config.centralAccount)) {
        return [{ path: "centralAccount", value: config.centralAccount, message: `is not an alias from accounts; allowed: ${aliases.join(", ")}` }];
    }
    return [];
}

function checkStorage(config: ParsedEstateConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = retentionProblems(config.logStorage).map(({ field, message }) => ({ path: `logStorage.${field}`, value: config.logStorage[field], message }));
    const lock = config.logStorage.objectLock;
    if (lock !== undefined) {
        problems.push(...objectLockProblems(lock, config.logStorage).map(({ field, message }) => ({ path: `logStorage.objectLock.${field}`, value: lock[field], message })));
    }
    problems.push(
        ...duplicates(config.notifications.emails, (e) => e, (i) => `notifications.emails[${i}]`, "subscriptions"),
        ...duplicates(config.notifications.httpsEndpoints, (e) => e, (i) => `notifications.httpsEndpoints[${i}]`, "subscriptions"),
    );
    if (config.inventory.bucketAccess === "organization" && organizationIdOf(config) === undefined) {
        problems.push({ path: "inventory.bucketAccess", value: "organization", message: "needs organizationId (o-…) to restrict the central bucket to the organization's accounts" });
    }
    return problems;
}

function checkConnectivity(config: ParsedEstateConfig): ConfigProblem[] {
    const members = new Map(config.accounts.filter((a) => a.member).map((a) => [a.alias, a]));
    const problems = duplicates(config.privateConnectivity, (c) => `${c.account} ${c.region}`, (i) => `privateConnectivity[${i}]`, "(account, region) pairs");
    config.privateConnectivity.forEach((entry, i) => {
        const at = `privateConnectivity[${i}]`;
        const account = members.get(entry.account);
        if (account === undefined) {
            problems.push({ path: `${at}.account`, value: entry.account, message: `is not a member account alias; allowed: ${[...members.keys()].join(", ")}` });
        } else if (!account.regions.includes(entry.region)) {
            problems.push({ path: `${at}.region`, value: entry.region, message: `is not one of ${entry.account}'s regions (${account.regions.join(", ")})` });
        } else if (!PATCHING_REGIONS.includes(entry.region)) {
            problems.push({
                path: `${at}.region`,
                value: entry.region,
                message: "has no documented Patch Manager bucket names for the S3 gateway endpoint policy yet (add them to catalog/vpcEndpoints.ts)",
            });
        }
        if ((entry.newVpc === undefined) === (entry.existingVpc === undefined)) {
            problems.push({ path: at, message: "needs exactly one of newVpc ({cidrBlock}) or existingVpc ({vpcId, subnetIds})" });
        }
        if (entry.existingVpc !== undefined) {
            problems.push(...duplicates(entry.existingVpc.subnetIds, (id) => id, (k) => `${at}.existingVpc.subnetIds[${k}]`, "subnet ids"));
        }
        problems.push(...duplicates(entry.optionalEndpoints, (e) => e, (k) => `${at}.optionalEndpoints[${k}]`, "optional endpoints"));
    });
    return problems;
}
