/**
 * The estate as a whole: every AWS provider is pinned to one account through an assumed role, and
 * every configured (account, Region) got the patching essentials.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { readEstate, type Estate, type EstateAccount } from "./lib/estate";
import { accountOf, asList, decode, known, ofType, peek, referenced, regionOf, TYPES, UNKNOWN } from "./lib/graph";

export const awsProviderAssumeRole: ResourceValidationPolicy = {
    name: "aws-provider-assume-role",
    description: "Every AWS provider assumes a deployment role (assumeRoles) and is pinned to its account (allowedAccountIds), so nothing lands in whatever account ambient credentials point at.",
    enforcementLevel: "mandatory",
    // Not validateResourceOfType(aws.Provider): a provider class's __pulumiType is "aws", while
    // the engine's type is "pulumi:providers:aws", so the SDK's type filter would never match.
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.awsProvider) {
            return args.notApplicable("only AWS providers");
        }
        // Provider inputs reach the engine JSON-encoded.
        const roles = peek(() => asList(decode(args.props["assumeRoles"])) as { roleArn?: unknown }[]);
        const allowed = peek(() => asList(decode(args.props["allowedAccountIds"])).filter((id): id is string => typeof id === "string"));
        const arns = roles === UNKNOWN ? [] : roles.map((role) => role?.roleArn).filter((arn): arn is string => typeof arn === "string" && arn !== "");
        if (roles !== UNKNOWN && arns.length === 0) {
            reportViolation(`provider ${args.name} assumes no role (assumeRoles): it would deploy with the caller's own credentials`);
        }
        if (allowed !== UNKNOWN && allowed.length === 0) {
            reportViolation(`provider ${args.name} sets no allowedAccountIds: it would deploy into whichever account its credentials reach`);
        }
        for (const arn of arns) {
            const account = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(arn)?.[1];
            if (allowed !== UNKNOWN && allowed.length > 0 && account !== undefined && !allowed.includes(account)) {
                reportViolation(`provider ${args.name} assumes ${arn} but allows only account(s) ${allowed.join(", ")}`);
            }
        }
    },
};

/** Resources by where they are: `<account>` (IAM, global) and `<account> <region>`. */
function locate(resources: readonly PolicyResource[]): Map<string, PolicyResource[]> {
    const located = new Map<string, PolicyResource[]>();
    const add = (key: string, resource: PolicyResource) => located.set(key, [...(located.get(key) ?? []), resource]);
    for (const resource of resources.filter((r) => r.type.startsWith("aws:"))) {
        const account = accountOf(resource);
        if (account !== undefined) {
            add(account, resource);
            const region = regionOf(resource);
            if (region !== undefined) {
                add(`${account} ${region}`, resource);
            }
        }
    }
    return located;
}

function named(resources: readonly PolicyResource[], type: string, property: string, value: string): PolicyResource[] {
    return ofType(resources, type).filter((resource) => known(() => resource.props[property]) === value);
}

/** What one member (account, Region) lacks. */
function locationGaps(estate: Estate, account: EstateAccount, here: readonly PolicyResource[]): string[] {
    const gaps: string[] = [];
    for (const group of estate.patchGroups.filter((g) => g.accounts.includes(account.alias))) {
        if (named(here, TYPES.resourceGroup, "name", group.name).length === 0) {
            gaps.push(`no resource group ${group.name}`);
        }
        const baselines = named(here, TYPES.patchGroup, "patchGroup", group.name).flatMap((registration) => referenced(registration, "baselineId", ofType(here, TYPES.patchBaseline)));
        const covered = new Set(baselines.map((baseline) => known(() => baseline.props["operatingSystem"])));
        for (const os of group.operatingSystems.filter((os) => !covered.has(os))) {
            gaps.push(`no ${os} baseline registered to patch group ${group.name}`);
        }
    }
    if (named(here, TYPES.association, "name", "AWS-GatherSoftwareInventory").length === 0) {
        gaps.push("no inventory association (AWS-GatherSoftwareInventory)");
    }
    if (ofType(here, TYPES.resourceDataSync).length === 0) {
        gaps.push("no resource data sync");
    }
    return gaps;
}

export const estateCoverage: StackValidationPolicy = {
    name: "estate-coverage",
    description:
        "Every (account, Region) the stack config names got an AWS provider, the automation roles, a baseline per patch group and OS, the patch groups' resource groups, the inventory association and the resource data sync.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        // The expected set comes from the stack config (the CLI passes it to the pack); what the
        // resources themselves show could never reveal a Region that got nothing at all.
        const estate = readEstate();
        if (estate === undefined) {
            return args.notApplicable("the stack config names no accounts");
        }
        const located = locate(args.resources);
        const pinned = new Set(ofType(args.resources, TYPES.awsProvider).map(accountOf));
        const roleIn = (account: EstateAccount, name: string) => named(located.get(account.id) ?? [], TYPES.role, "name", name).length > 0;
        for (const account of estate.accounts.filter((a) => !pinned.has(a.id))) {
            reportViolation(`${account.alias} ${account.id}: no AWS provider pinned to the account (allowedAccountIds)`);
        }
        if (estate.centralAccount !== undefined && !roleIn(estate.centralAccount, estate.administrationRoleName)) {
            reportViolation(`${estate.centralAccount.alias} ${estate.centralAccount.id}: no automation administration role ${estate.administrationRoleName}`);
        }
        for (const account of estate.members) {
            if (!roleIn(account, estate.executionRoleName)) {
                reportViolation(`${account.alias} ${account.id}: no automation execution role ${estate.executionRoleName}`);
            }
            for (const region of account.regions) {
                for (const gap of locationGaps(estate, account, located.get(`${account.id} ${region}`) ?? [])) {
                    reportViolation(`${account.alias} ${account.id} ${region}: ${gap}`);
                }
            }
        }
    },
};
