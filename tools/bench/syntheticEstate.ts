/**
 * A synthetic estate of a given size for the benchmark: `pairs` (account, Region) locations,
 * two Regions per account (one for the smallest), every account a member, patch groups of at
 * most 50 accounts (one multi-account Automation run reaches at most 100 locations), one Azure
 * subscription with a VM per group. Valid configuration, built like a real stack file.
 */
export function syntheticEstateConfig(pairs: number): Record<string, unknown> {
    const regions = pairs < 4 ? ["us-west-2"] : ["us-west-2", "eu-west-2"];
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
