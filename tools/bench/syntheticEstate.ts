import { copyFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

/**
 * A synthetic estate of a given size for the benchmark: `pairs` (account, Region) locations,
 * two Regions per account (one for the smallest; or the `regions` given), every account a member, patch groups of at
 * most 50 accounts (one multi-account Automation run reaches at most 100 locations), one Azure
 * subscription with a VM per group. Valid configuration, built like a real stack file.
 */
export function syntheticEstateConfig(pairs: number, regions: readonly string[] = pairs < 4 ? ["us-west-2"] : ["us-west-2", "eu-west-2"]): Record<string, unknown> {
    const accountCount = Math.max(1, Math.ceil(pairs / regions.length));
    const accounts = Array.from({ length: accountCount }, (_, i) => ({ alias: `acct-${i}`, id: String(100000000000 + i), regions }));
    const groupSize = Math.floor(100 / regions.length);
    const groups = Array.from({ length: Math.ceil(accountCount / groupSize) }, (_, g) => accounts.slice(g * groupSize, (g + 1) * groupSize).map((a) => a.alias));
    return {
        environment: "prod",
        centralAccount: "acct-0",
        centralRegion: "us-west-2",
        tags: { Owner: "bench" },
        // Past ~40 accounts the per-account statements outgrow S3's 20 KB bucket-policy limit.
        ...(accountCount > 30 ? { organizationId: "o-abcdefghij", inventory: { bucketAccess: "organization" } } : {}),
        accounts,
        patchGroups: groups.flatMap((members, g) => [
            { name: `Linux-${g}`, operatingSystems: ["AMAZON_LINUX_2023", "UBUNTU"], accounts: members, install: { expression: "cron(0 2 ? * WED *)" } },
            { name: `Windows-${g}`, operatingSystems: ["WINDOWS"], accounts: members, install: { expression: "cron(0 3 ? * WED *)" } },
        ]),
        hybrid: { account: "acct-0", region: "us-west-2" },
        azureSubscriptions: [
            {
                alias: "bench-azure",
                subscriptionId: "0b7c6d5e-4f3a-4b2c-8d1e-6f5a4b3c2d1e",
                tenantId: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
                resourceGroups: [{ name: "rg-bench", location: "westeurope", vms: [{ name: "vm-lin-0", os: "linux", patchGroup: "Linux-0" }] }],
            },
        ],
    };
}

/** The organization-mode series: 20 organizational units × 17 Regions (issue 16, item 7). */
export const ORGANIZATION_BENCH_SHAPE = { organizationalUnits: 20, targets: 4 } as const;

/**
 * 17 Regions that offer every patch-compliance Config rule (catalog/configRules.ts): the 16
 * Regions enabled by default that do (ap-northeast-3 is left out: no patch-compliance rule there)
 * and one opt-in Region, il-central-1.
 */
export const ORGANIZATION_BENCH_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "il-central-1",
];

/** Share of the organization's accounts excluded (suspended, waiting for closure): 1 %, at least one. */
const EXCLUDED_SHARE = 0.01;

export interface SyntheticOrganizationEstate {
    /** Pulumi config (without the project prefix). */
    readonly config: Record<string, unknown>;
    /**
     * How many accounts the target OUs hold. In organization mode the stack never lists them: the
     * figure appears in the config only through the excluded accounts, and otherwise feeds the
     * estimate of the stack instances CloudFormation manages.
     */
    readonly accountsInOrganization: number;
    readonly excludedAccounts: number;
    /** Stack instances CloudFormation (not the Pulumi engine) manages: the account-wide one + one per Region, per enrolled account. */
    readonly estimatedStackInstances: number;
}

/**
 * An organization-mode estate for the benchmark: a central configured account (security) and
 * `accountsInOrganization` accounts spread over 20 OUs (4 targets of 5 OUs), all in 17 Regions.
 * The accounts are not in the configuration — the StackSets reach them through their OUs — except
 * the 1 % that are excluded (suspended accounts), so the account count does reach the config, and
 * the resource count must still not depend on it. Valid configuration, built like Pulumi.org.yaml.
 */
export function syntheticOrganizationEstate(accountsInOrganization: number): SyntheticOrganizationEstate {
    const { organizationalUnits, targets } = ORGANIZATION_BENCH_SHAPE;
    const ous = Array.from({ length: organizationalUnits }, (_, i) => `ou-b3nc-${String(i).padStart(8, "0")}`);
    const excludedAccounts = Math.max(1, Math.floor(accountsInOrganization * EXCLUDED_SHARE));
    // Member account ids well away from the central account's.
    const excluded = Array.from({ length: excludedAccounts }, (_, i) => String(200000000000 + i));
    const perTarget = organizationalUnits / targets;
    const organization = {
        id: "o-b3nchm4rk0",
        callAs: "DELEGATED_ADMIN",
        targets: Array.from({ length: targets }, (_, t) => ({
            organizationalUnits: ous.slice(t * perTarget, (t + 1) * perTarget),
            regions: [...ORGANIZATION_BENCH_REGIONS],
            excludeAccounts: excluded.filter((_, i) => i % targets === t),
        })),
    };
    const config = {
        environment: "prod",
        centralAccount: "security",
        centralRegion: "us-east-1",
        tags: { Owner: "bench" },
        accounts: [{ alias: "security", id: "111111111111", regions: ["us-east-1"] }],
        organization,
        patchGroups: [
            { name: "Linux", operatingSystems: ["AMAZON_LINUX_2023", "UBUNTU"], install: { expression: "cron(0 2 ? * WED *)" } },
            { name: "Windows", operatingSystems: ["WINDOWS"], install: { expression: "cron(0 3 ? * WED *)" } },
            { name: "AppA", operatingSystems: ["AMAZON_LINUX_2023"], organizationalUnits: organization.targets[0].organizationalUnits, install: { expression: "cron(0 4 ? * WED *)" } },
        ],
        logStorage: { encryption: "SSE-KMS" },
        inventory: { bucketAccess: "organization" },
    };
    return {
        config,
        accountsInOrganization,
        excludedAccounts,
        estimatedStackInstances: (accountsInOrganization - excludedAccounts) * (1 + ORGANIZATION_BENCH_REGIONS.length),
    };
}

/**
 * A stack folder for a synthetic estate, as a real one looks: the project's Pulumi.yaml and
 * Pulumi.<stack>.yaml with the estate under the project's namespace.
 */
export function writeSyntheticStack(root: string, directory: string, stack: string, estate: Record<string, unknown>): void {
    copyFileSync(path.join(root, "Pulumi.yaml"), path.join(directory, "Pulumi.yaml"));
    const config = Object.fromEntries(Object.entries(estate).map(([key, value]) => [`multicloud-patching:${key}`, value]));
    // No YAML anchors: every account shares one Regions list, and readers cap alias counts.
    writeFileSync(path.join(directory, `Pulumi.${stack}.yaml`), stringify({ config: { "pulumi:disable-default-providers": ["*"], ...config } }, { aliasDuplicateObjects: false }));
}
