import { strict as assert } from "node:assert";
import { ConfigError, parseEstateConfig } from "../../../stacks/config/estateConfig";
import { hybridHome } from "../../../stacks/config/crossChecksAzure";
import { groupOrganizationTargets } from "../../../stacks/config/crossChecksOrganization";
import type { ParsedEstateConfig } from "../../../stacks/config/schema";
import { TEST_CONTEXT, validOrganizationRawConfig, validRawConfig } from "../../fixtures/estateConfig";

/**
 * Cross-checks at their edges (issue 21): what must still be accepted right at a limit, which
 * accounts count (members only), and the exact line each refusal prints. config.test.ts holds the
 * one-mistake-per-case table; these cases need more than one change to the fixture.
 */
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const parse = (raw: unknown) => parseEstateConfig(raw, TEST_CONTEXT);

function errorLines(raw: unknown): string[] {
    try {
        parse(raw);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.message.split("\n");
    }
    return [];
}

/** The fixture with `count` member accounts, each in `regions`, and nothing else that depends on accounts. */
function manyAccounts(count: number, regions = ["us-west-2", "eu-west-2"]): Raw {
    const raw: Raw = validRawConfig();
    raw.accounts = Array.from({ length: count }, (_, i) => ({ alias: `a${i}`, id: String(100000000000 + i), regions }));
    raw.centralAccount = "a0";
    raw.azureSubscriptions = [];
    raw.patchGroups.pop();
    raw.organizationId = "o-abcdefghij";
    raw.inventory = { bucketAccess: "organization" };
    return raw;
}

const ou = (i: number) => `ou-ab12-${String(i).padStart(8, "0")}`;

describe("stacks/config cross-checks: limits are inclusive (issue 21)", () => {
    it("accepts prod waiting exactly as long as dev", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[0].approveAfterDays = { dev: 7, prod: 7 };
        assert.deepEqual(errorLines(raw), []);
    });

    it("accepts a patch group of exactly 100 (account, Region) locations, counting member accounts only", () => {
        assert.deepEqual(errorLines(manyAccounts(50)), []);
        const withNonMember = manyAccounts(50);
        withNonMember.accounts.push({ alias: "audit", id: "999999999999", regions: ["us-west-2", "eu-west-2"], member: false });
        assert.deepEqual(errorLines(withNonMember), [], "a non-member account is not patched, so its Regions are no locations");
    });

    it("accepts exactly 100 locations with OU targets, and counts no account location for a group that targets OUs", () => {
        // The fixture's configured accounts give 3 (account, Region) locations.
        const raw: Raw = validOrganizationRawConfig();
        raw.organization.targets = Array.from({ length: 97 }, (_, i) => ({ organizationalUnits: [ou(i)], regions: ["us-east-1"] }));
        assert.deepEqual(errorLines(raw), []);
        raw.organization.targets.push({ organizationalUnits: [ou(97)], regions: ["us-east-1"] });
        assert.deepEqual(errorLines(raw), [0, 1].map((i) => `patchGroups[${i}]: needs 3 account and 98 organizational-unit locations; one multi-account Automation run reaches at most 100, so split the group`));
        // A group that lists OUs runs in no configured account: 100 OU locations are within the limit.
        const onlyOus: Raw = validOrganizationRawConfig();
        onlyOus.organization.targets = Array.from({ length: 100 }, (_, i) => ({ organizationalUnits: [ou(i)], regions: ["us-east-1"] }));
        onlyOus.patchGroups[0].accounts = ["security"];
        onlyOus.patchGroups[1].organizationalUnits = onlyOus.organization.targets.map((t: Raw) => t.organizationalUnits[0]);
        onlyOus.hybrid = { account: "security" };
        assert.deepEqual(errorLines(onlyOus), []);
    });

    it("gives a group that names accounts no OU locations, however many targets there are", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.organization.targets = Array.from({ length: 101 }, (_, i) => ({ organizationalUnits: [ou(i)], regions: ["us-east-1"] }));
        raw.patchGroups.forEach((group: Raw) => (group.accounts = ["security", "apps"]));
        assert.deepEqual(errorLines(raw), []);
        assert.deepEqual(groupOrganizationTargets({ organization: undefined, accounts: [] } as unknown as ParsedEstateConfig, {} as ParsedEstateConfig["patchGroups"][number]), []);
    });
});

describe("stacks/config cross-checks: member accounts only", () => {
    const withNonMemberSecurity = (): Raw => {
        const raw: Raw = validRawConfig();
        raw.accounts[0].member = false;
        return raw;
    };

    it("refuses Default Host Management, private connectivity and EBS keys for an account (or Region) no member patches", () => {
        const dhmc = withNonMemberSecurity();
        dhmc.logAccess = { defaultHostManagement: [{ account: "security" }] };
        assert.deepEqual(errorLines(dhmc), ['logAccess.defaultHostManagement[0].account: "security" is not a member account alias; allowed: apps']);
        const vpc = withNonMemberSecurity();
        vpc.privateConnectivity = [{ account: "security", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/16" } }];
        assert.deepEqual(errorLines(vpc), ['privateConnectivity[0].account: "security" is not a member account alias; allowed: apps']);
        const ebs = withNonMemberSecurity();
        ebs.ebsKmsKeyArns = ["arn:aws:kms:eu-west-2:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"];
        assert.deepEqual(errorLines(ebs), [
            'ebsKmsKeyArns[0]: "arn:aws:kms:eu-west-2:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b" is a key in eu-west-2, where no member account runs; EBS volumes use a key of their own Region (us-west-2)',
        ]);
    });

    it("does not require the Config rules in a Region only a non-member account uses, nor the patch rule without remediation", () => {
        const raw = withNonMemberSecurity();
        raw.accounts[0].regions = ["us-west-2", "ap-east-2"];
        assert.deepEqual(errorLines(raw), []);
        const noRemediation: Raw = validRawConfig();
        noRemediation.accounts[1].regions = ["us-west-2", "eu-south-1"];
        assert.deepEqual(errorLines(noRemediation), []);
    });

    it("lists only members as the Azure VMs' possible home, and registers them with a central account that is a member", () => {
        const raw = withNonMemberSecurity();
        raw.hybrid = { account: "security" };
        assert.deepEqual(errorLines(raw), ['hybrid.account: "security" is not a member account alias; Azure VMs must register where their patch groups are patched (members: apps)']);
        const home = (accounts: Raw[], centralAccount: string, centralRegion: string, hybrid: Raw = {}) =>
            hybridHome({ accounts, centralAccount, centralRegion, hybrid } as unknown as ParsedEstateConfig);
        const apps = { alias: "apps", regions: ["us-west-2"], member: true };
        const security = { alias: "security", regions: ["eu-west-2", "us-east-1"], member: true };
        assert.deepEqual(home([apps, security], "security", "us-east-1"), { account: "security", region: "us-east-1" });
        assert.deepEqual(home([apps, security], "security", "ap-south-1"), { account: "security", region: "eu-west-2" });
        assert.deepEqual(home([apps, { ...security, member: false }], "security", "us-east-1"), { account: "apps", region: "us-west-2" });
        assert.deepEqual(home([apps], "apps", "us-east-1", { account: "audit" }), { account: "audit", region: "" });
    });

    it("leaves out of OU targets, and lets a target exclude, only configured member accounts", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.accounts[0].member = false;
        raw.organization.targets[1].excludeAccounts = ["111111111111"];
        const windows = parse(raw).patchGroups[1];
        assert.deepEqual(windows.organizationTargets?.map((t) => t.excludeAccounts), [
            ["222222222222", "333333333333"],
            ["111111111111", "222222222222"],
        ]);
    });
});

describe("stacks/config cross-checks: Azure and hybrid", () => {
    it("needs no hybrid home and no Azure owner tag without Azure VMs", () => {
        const raw: Raw = validRawConfig();
        raw.azureSubscriptions = [];
        raw.tags = {};
        raw.hybrid = { account: "audit" };
        assert.deepEqual(errorLines(raw), []);
    });

    it("takes the Azure owner from azureTags.owner when the stack tags have none", () => {
        const raw: Raw = validRawConfig();
        raw.tags = {};
        raw.azureTags = { owner: "platform" };
        assert.deepEqual(errorLines(raw), []);
    });

    it("matches a VM with any of its group's operating systems", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[1].operatingSystems = ["WINDOWS", "UBUNTU"];
        raw.azureSubscriptions[0].resourceGroups[0].vms[0].patchGroup = "Windows";
        assert.deepEqual(errorLines(raw), []);
    });

    it("refuses fewer registrations than a group's Azure VMs, and accepts exactly as many", () => {
        const raw: Raw = validRawConfig();
        raw.hybrid = { registrationLimit: 1 };
        assert.deepEqual(errorLines(raw), []);
        raw.azureSubscriptions[0].resourceGroups[0].vms.push({ name: "vm-lin-02", os: "linux", patchGroup: "Linux" });
        assert.deepEqual(errorLines(raw), ["hybrid.registrationLimit: 1 is below the 2 Azure VMs of patch group Linux"]);
    });

    it("reports a group's unknown account once, not also as a hybrid home outside the group", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[0].accounts = ["apps", "payments"];
        assert.deepEqual(errorLines(raw), ['patchGroups[0].accounts[1]: "payments" is not a member account alias; allowed: security, apps']);
    });

    it("lists every account and Region in its messages", () => {
        const raw: Raw = validRawConfig();
        raw.accounts.push({ alias: "ops", id: "333333333333", regions: ["us-west-2"] });
        raw.patchGroups[0].accounts = ["apps", "ops"];
        assert.deepEqual(errorLines(raw), ['hybrid.account: "security" is not in patch group Linux\'s accounts (apps, ops), so its Azure VMs would never be patched']);
        const region: Raw = validRawConfig();
        region.hybrid = { account: "security", region: "us-east-1" };
        region.logAccess = { defaultHostManagement: [{ account: "security", regions: ["us-east-1"] }] };
        region.privateConnectivity = [{ account: "security", region: "us-east-1", newVpc: { cidrBlock: "10.0.0.0/16" } }];
        region.patchGroups[0].baselines = { WINDOWS: { complianceLevel: "HIGH" } };
        assert.deepEqual(errorLines(region), [
            'patchGroups[0].baselines.WINDOWS: "WINDOWS" is not one of this group\'s operatingSystems (AMAZON_LINUX_2023, UBUNTU)',
            'privateConnectivity[0].region: "us-east-1" is not one of security\'s regions (us-west-2, eu-west-2)',
            'hybrid.region: "us-east-1" is not one of security\'s regions (us-west-2, eu-west-2)',
            'logAccess.defaultHostManagement[0].regions[0]: "us-east-1" is not one of security\'s regions (us-west-2, eu-west-2)',
        ]);
    });
});

describe("stacks/config cross-checks: each list's duplicates, named", () => {
    const cases: [string, (raw: Raw) => void, string][] = [
        ["Default Host Management Regions", (c) => (c.logAccess = { defaultHostManagement: [{ account: "security", regions: ["us-west-2", "us-west-2"] }] }), 'logAccess.defaultHostManagement[0].regions[1]: "us-west-2" duplicates logAccess.defaultHostManagement[0].regions[0]; Regions must be unique'],
        ["HTTPS endpoints", (c) => (c.notifications = { httpsEndpoints: ["https://a.example.com/hook", "https://A.example.com/hook"] }), 'notifications.httpsEndpoints[1]: "https://A.example.com/hook" duplicates notifications.httpsEndpoints[0]; subscriptions must be unique'],
        ["subnets of an existing VPC", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-01234567", "subnet-01234567"] } }]), 'privateConnectivity[0].existingVpc.subnetIds[1]: "subnet-01234567" duplicates privateConnectivity[0].existingVpc.subnetIds[0]; subnet ids must be unique'],
        ["optional endpoints", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/16" }, optionalEndpoints: ["kms", "kms"] }]), 'privateConnectivity[0].optionalEndpoints[1]: "kms" duplicates privateConnectivity[0].optionalEndpoints[0]; optional endpoints must be unique'],
        ["subscription aliases", (c) => c.azureSubscriptions.push({ ...c.azureSubscriptions[0], subscriptionId: "6f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a", resourceGroups: [{ name: "rg-b", location: "westeurope", vms: [{ name: "vm-b", os: "linux", patchGroup: "Linux" }] }] }), 'azureSubscriptions[1].alias: "corp" duplicates azureSubscriptions[0].alias; subscription aliases must be unique'],
        ["resource groups of a subscription", (c) => c.azureSubscriptions[0].resourceGroups.push({ name: "RG-APP", location: "westeurope", vms: [{ name: "vm-b", os: "linux", patchGroup: "Linux" }] }), 'azureSubscriptions[0].resourceGroups[1].name: "RG-APP" duplicates azureSubscriptions[0].resourceGroups[0].name; resource group names in a subscription must be unique'],
        ["a patch group's accounts", (c) => (c.patchGroups[1].accounts = ["apps", "apps"]), 'patchGroups[1].accounts[1]: "apps" duplicates patchGroups[1].accounts[0]; a patch group\'s accounts must be unique'],
    ];
    for (const [what, change, expected] of cases) {
        it(`reports duplicate ${what}`, () => {
            const raw: Raw = validRawConfig();
            change(raw);
            assert.deepEqual(errorLines(raw), [expected]);
        });
    }
});

describe("stacks/config cross-checks: defaults, schedules and organization targets", () => {
    it("lets one group own an OS's default baseline while others set baselines for it too", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[1].operatingSystems = ["WINDOWS", "UBUNTU"];
        raw.patchGroups[0].baselines = { UBUNTU: { complianceLevel: "HIGH" } };
        raw.patchGroups[1].baselines = { UBUNTU: { setAsDefault: true } };
        assert.deepEqual(errorLines(raw), []);
        raw.patchGroups[0].baselines = { UBUNTU: { setAsDefault: false } };
        assert.deepEqual(errorLines(raw), []);
    });

    it("needs a startDate for rate(n days) only, not for hourly rates", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[0].install = { expression: "rate(12 hours)" };
        assert.deepEqual(errorLines(raw), []);
    });

    it("assigns a group's OU to the target listing it, never also to a root target elsewhere", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.organization.targets = [
            { organizationalUnits: ["ou-ab12-11111111"], regions: ["us-west-2"] },
            { organizationalUnits: ["r-ab12"], regions: ["us-east-1"] },
        ];
        raw.patchGroups[1].organizationalUnits = ["ou-ab12-11111111"];
        assert.deepEqual(parse(raw).patchGroups[1].organizationTargets, [{ organizationalUnits: ["ou-ab12-11111111"], regions: ["us-west-2"], excludeAccounts: ["111111111111", "222222222222"] }]);
    });

    it("names every Region a root target shares with another target", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.organization.targets[1] = { organizationalUnits: ["r-ab12"], regions: ["us-west-2", "eu-west-2"] };
        assert.deepEqual(errorLines(raw), ["organization.targets[0]: overlaps the root target organization.targets[1] in us-west-2, eu-west-2; its accounts would be patched twice there"]);
    });

    it("still sees the root in a target that wrongly lists it with OUs: overlap reported, its OUs covered", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.organization.targets[1] = { organizationalUnits: ["r-ab12", "ou-ab12-33333333"], regions: ["eu-west-2"] };
        raw.patchGroups[1].organizationalUnits = ["ou-ab12-77777777"];
        assert.deepEqual(errorLines(raw), [
            'organization.targets[1].organizationalUnits: ["r-ab12","ou-ab12-33333333"] lists the root together with other ids; the root already contains every organizational unit',
            "organization.targets[0]: overlaps the root target organization.targets[1] in eu-west-2; its accounts would be patched twice there",
        ]);
    });
});
