import { strict as assert } from "node:assert";
import { autoRegisterActivationLimit, MAX_ACTIVATION_REGISTRATIONS } from "../../../catalog/hybridActivationLimits";
import { keyVaultIpRuleProblem } from "../../../catalog/keyVault";
import { CONFIG_DEFAULTS } from "../../../stacks/config/defaults";
import { ConfigError, estateFromConfigValues, parseEstateConfig } from "../../../stacks/config/estateConfig";
import * as field from "../../../stacks/config/fields";
import { readStackConfig } from "../../../tools/mock/stackConfig";
import { TEST_CONTEXT, validOrganizationRawConfig, validRawConfig } from "../../fixtures/estateConfig";

/**
 * Issue 18 item 1: the `azure` key (automatic registration of tagged Azure VMs). Each bad case is
 * one change to a valid configuration and asserts the one line it prints; the resolution cases
 * assert what the components receive (Estate.azureAutoRegistration).
 */
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TENANT = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const OTHER_TENANT = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const VAULT_SUBSCRIPTION = "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a";
const SCOPE_SUBSCRIPTION = "7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a";
const SUBNET = `/subscriptions/${VAULT_SUBSCRIPTION}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-vms`;

/** The fixture plus a valid `azure` block: one management group and one subscription, both groups. */
function validAzureConfig(): Raw {
    const raw: Raw = validRawConfig();
    raw.azure = {
        scope: { managementGroups: [{ id: "corp-prod", tenantId: TENANT }], subscriptions: [{ subscriptionId: SCOPE_SUBSCRIPTION, tenantId: TENANT }] },
        autoRegister: {
            groups: ["Linux", "Windows"],
            keyVault: { name: "kv-patching-test", subscriptionId: VAULT_SUBSCRIPTION, tenantId: TENANT, location: "westeurope", allowedSubnetIds: [SUBNET] },
        },
    };
    return raw;
}

function errorLines(raw: unknown): string[] {
    try {
        parseEstateConfig(raw, TEST_CONTEXT);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.message.split("\n");
    }
    return [];
}

/** A long value as the error line shows it: its JSON cut to 79 characters and an ellipsis (errors.ts). */
const clipped = (value: string) => `${JSON.stringify(value).slice(0, 79)}…`;

const MG_RULE = "is not a management group id (1-90 of letters, digits and -_.(), starting with a letter or digit, not ending with .)";
const VAULT_RULE = "is not a Key Vault name (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no consecutive hyphens)";
const NO_NETWORK =
    "azure.autoRegister.keyVault: admits no network: the vault denies every network not listed, so VMs could not fetch their activation; list the VMs' subnets (with the Microsoft.KeyVault service endpoint) in allowedSubnetIds or their public egress ranges in allowedIpRanges";

/** [description, one change to the valid config, the exact line]. */
const BAD: readonly [string, (c: Raw) => void, string][] = [
    ["management group id ending in a period", (c) => (c.azure.scope.managementGroups[0].id = "corp-prod."), `azure.scope.managementGroups[0].id: "corp-prod." ${MG_RULE}`],
    ["management group id of 91 characters", (c) => (c.azure.scope.managementGroups[0].id = "m".repeat(91)), `azure.scope.managementGroups[0].id: ${clipped("m".repeat(91))} ${MG_RULE}`],
    ["management group id with a slash", (c) => (c.azure.scope.managementGroups[0].id = "corp/prod"), `azure.scope.managementGroups[0].id: "corp/prod" ${MG_RULE}`],
    ["management group id starting with a hyphen", (c) => (c.azure.scope.managementGroups[0].id = "-corp"), `azure.scope.managementGroups[0].id: "-corp" ${MG_RULE}`],
    ["management group tenant not a UUID", (c) => (c.azure.scope.managementGroups[0].tenantId = "contoso"), 'azure.scope.managementGroups[0].tenantId: "contoso" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)'],
    ["duplicate management group (case-insensitive)", (c) => c.azure.scope.managementGroups.push({ id: "CORP-PROD", tenantId: TENANT }), 'azure.scope.managementGroups[1].id: "CORP-PROD" duplicates azure.scope.managementGroups[0].id; management groups must be unique'],
    ["duplicate subscription scope", (c) => c.azure.scope.subscriptions.push({ subscriptionId: SCOPE_SUBSCRIPTION, tenantId: TENANT }), `azure.scope.subscriptions[1].subscriptionId: "${SCOPE_SUBSCRIPTION}" duplicates azure.scope.subscriptions[0].subscriptionId; subscriptions must be unique`],
    ["scope with no management group or subscription", (c) => (c.azure.scope = {}), "azure.scope: has neither managementGroups nor subscriptions; list at least one"],
    ["scope without autoRegister", (c) => delete c.azure.autoRegister, "azure.autoRegister: missing; scope needs autoRegister (the patch groups VMs may join by tag, and the Key Vault holding their activations)"],
    ["autoRegister without scope", (c) => delete c.azure.scope, "azure.scope: missing; autoRegister needs the management groups and/or subscriptions whose VMs register themselves"],
    ["azure with neither", (c) => (c.azure = {}), "azure: sets neither scope nor autoRegister; set both (where VMs register themselves, and which patch groups may) or remove azure"],
    ["misspelt scope key", (c) => (c.azure.scope.managmentGroups = []), "azure.scope.managmentGroups: is not a known key; allowed keys: managementGroups, subscriptions"],
    [
        "scope in another tenant than the vault",
        (c) => (c.azure.scope.subscriptions[0].tenantId = OTHER_TENANT),
        `azure.scope.subscriptions[0].tenantId: "${OTHER_TENANT}" is not the Key Vault's tenant (${TENANT}); the VMs' managed identities can read a vault of their own tenant only, so use one tenant (azure.autoRegister.keyVault.tenantId)`,
    ],
    ["unknown group", (c) => c.azure.autoRegister.groups.push("AppB"), 'azure.autoRegister.groups[2]: "AppB" is not a configured patch group; allowed: Linux, Windows'],
    ["group listed twice", (c) => c.azure.autoRegister.groups.push("linux"), 'azure.autoRegister.groups[2]: "linux" duplicates azure.autoRegister.groups[0]; patch groups must be unique'],
    ["no groups", (c) => (c.azure.autoRegister.groups = []), "azure.autoRegister.groups: [] is not a non-empty list of patch group names"],
    ["registration limit 0", (c) => (c.azure.autoRegister.registrationLimit = 0), "azure.autoRegister.registrationLimit: 0 is not an integer from 1 to 1000 (VMs one patch group's activation may register)"],
    ["registration limit 1001", (c) => (c.azure.autoRegister.registrationLimit = 1001), "azure.autoRegister.registrationLimit: 1001 is not an integer from 1 to 1000 (VMs one patch group's activation may register)"],
    ["remediateExisting as text", (c) => (c.azure.autoRegister.remediateExisting = "yes"), 'azure.autoRegister.remediateExisting: "yes" is not a boolean (start a remediation task for VMs that exist before the assignment)'],
    ["tag key with a slash", (c) => (c.azure.autoRegister.patchGroupTagKey = "patch/group"), 'azure.autoRegister.patchGroupTagKey: "patch/group" is not a tag key (1-128 characters, none of <>%&\\?/, not starting with aws:)'],
    ["vault name with consecutive hyphens", (c) => (c.azure.autoRegister.keyVault.name = "kv--patching"), `azure.autoRegister.keyVault.name: "kv--patching" ${VAULT_RULE}`],
    ["vault name of 25 characters", (c) => (c.azure.autoRegister.keyVault.name = `kv${"a".repeat(23)}`), `azure.autoRegister.keyVault.name: "kv${"a".repeat(23)}" ${VAULT_RULE}`],
    ["vault name starting with a digit", (c) => (c.azure.autoRegister.keyVault.name = "1kv-patching"), `azure.autoRegister.keyVault.name: "1kv-patching" ${VAULT_RULE}`],
    ["vault name ending with a hyphen", (c) => (c.azure.autoRegister.keyVault.name = "kv-patching-"), `azure.autoRegister.keyVault.name: "kv-patching-" ${VAULT_RULE}`],
    ["vault without location", (c) => delete c.azure.autoRegister.keyVault.location, "azure.autoRegister.keyVault.location: missing; expected an Azure location name (lowercase letters and digits, e.g. westeurope)"],
    ["vault resource group ending in a period", (c) => (c.azure.autoRegister.keyVault.resourceGroup = "rg."), 'azure.autoRegister.keyVault.resourceGroup: "rg." is not an Azure resource group name (1-90 of letters, digits, _()-. not ending in .)'],
    ["vault reachable from nowhere", (c) => (c.azure.autoRegister.keyVault.allowedSubnetIds = []), NO_NETWORK],
    [
        "subnet id of a virtual network",
        (c) => (c.azure.autoRegister.keyVault.allowedSubnetIds = [SUBNET.replace(/\/subnets\/.*$/, "")]),
        `azure.autoRegister.keyVault.allowedSubnetIds[0]: ${clipped(SUBNET.replace(/\/subnets\/.*$/, ""))} is not a subnet ARM id (/subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)`,
    ],
    ["subnet listed twice (case-insensitive)", (c) => c.azure.autoRegister.keyVault.allowedSubnetIds.push(SUBNET.toLowerCase()), `azure.autoRegister.keyVault.allowedSubnetIds[1]: ${clipped(SUBNET.toLowerCase())} duplicates azure.autoRegister.keyVault.allowedSubnetIds[0]; subnets must be unique`],
    ["private IP range", (c) => (c.azure.autoRegister.keyVault.allowedIpRanges = ["10.1.0.0/16"]), 'azure.autoRegister.keyVault.allowedIpRanges[0]: "10.1.0.0/16" is (or overlaps) a private RFC 1918 range, which Key Vault IP rules refuse; VMs reaching the vault from a virtual network go in allowedSubnetIds'],
    ["IP range with host bits", (c) => (c.azure.autoRegister.keyVault.allowedIpRanges = ["203.0.113.7/24"]), 'azure.autoRegister.keyVault.allowedIpRanges[0]: "203.0.113.7/24" has host bits set; did you mean "203.0.113.0/24"?'],
    ["IP range listed twice", (c) => (c.azure.autoRegister.keyVault.allowedIpRanges = ["203.0.113.0/24", "203.0.113.0/24"]), 'azure.autoRegister.keyVault.allowedIpRanges[1]: "203.0.113.0/24" duplicates azure.autoRegister.keyVault.allowedIpRanges[0]; IP ranges must be unique'],
    ["misspelt vault key", (c) => (c.azure.autoRegister.keyVault.allowedIps = []), "azure.autoRegister.keyVault.allowedIps: is not a known key; allowed keys: name, subscriptionId, tenantId, resourceGroup, location, allowedSubnetIds, allowedIpRanges"],
];

describe("stacks/config azure (issue 18): one line per mistake", () => {
    it("accepts the valid block", () => {
        assert.deepEqual(errorLines(validAzureConfig()), []);
    });

    for (const [description, mutate, expected] of BAD) {
        it(`refuses ${description}`, () => {
            const raw = validAzureConfig();
            mutate(raw);
            assert.deepEqual(errorLines(raw), [expected]);
        });
    }

    it("accepts a vault reached only through public egress ranges", () => {
        const raw = validAzureConfig();
        raw.azure.autoRegister.keyVault.allowedSubnetIds = [];
        raw.azure.autoRegister.keyVault.allowedIpRanges = ["203.0.113.0/24", "198.51.100.7"];
        assert.deepEqual(errorLines(raw), []);
    });

    it("accepts management groups only, and subscriptions only", () => {
        const groupsOnly = validAzureConfig();
        groupsOnly.azure.scope = { managementGroups: groupsOnly.azure.scope.managementGroups };
        const subscriptionsOnly = validAzureConfig();
        subscriptionsOnly.azure.scope = { subscriptions: subscriptionsOnly.azure.scope.subscriptions };
        assert.deepEqual([errorLines(groupsOnly), errorLines(subscriptionsOnly)], [[], []]);
    });
});

describe("stacks/config azure: the hybrid home serves the auto-registered groups too", () => {
    /** Automatic registration only: no explicitly listed VM, so the old checks would not run. */
    function autoOnly(): Raw {
        const raw = validAzureConfig();
        raw.azureSubscriptions = [];
        return raw;
    }

    it("refuses a home account outside an auto-registered group's accounts", () => {
        const raw = autoOnly();
        raw.patchGroups[1].accounts = ["apps"];
        assert.deepEqual(errorLines(raw), ['hybrid.account: "security" is not in patch group Windows\'s accounts (apps), so its Azure VMs would never be patched']);
    });

    it("leaves a group that is not auto-registered alone", () => {
        const raw = autoOnly();
        raw.patchGroups[1].accounts = ["apps"];
        raw.azure.autoRegister.groups = ["Linux"];
        assert.deepEqual(errorLines(raw), []);
    });

    it("refuses a missing owner tag value with only auto-registered VMs", () => {
        const raw = autoOnly();
        raw.tags = {};
        assert.deepEqual(errorLines(raw), ["azureTags.owner: missing; Azure VMs need a value for the required Owner tag (or set tags.Owner)"]);
    });

    it("refuses a home that is no member account with only auto-registered VMs", () => {
        const raw = autoOnly();
        raw.hybrid = { account: "audit" };
        assert.deepEqual(errorLines(raw), ['hybrid.account: "audit" is not a member account alias; Azure VMs must register where their patch groups are patched (members: security, apps)']);
    });

    it("refuses an auto-registered group that targets organizational units only", () => {
        const raw: Raw = { ...validOrganizationRawConfig(), azure: validAzureConfig().azure, azureSubscriptions: [] };
        raw.patchGroups[1].organizationalUnits = ["ou-ab12-33333333"];
        assert.deepEqual(errorLines(raw), [
            'hybrid.account: "security" is not in patch group Windows\'s accounts (it targets organizational units only), so its Azure VMs would never be patched; add accounts: [security] to the group',
        ]);
    });
});

describe("stacks/config azure: resolved into Estate.azureAutoRegistration", () => {
    it("resolves scopes with their kind, the defaults, and each group's OS families", () => {
        const raw = validAzureConfig();
        raw.patchGroups.push({ name: "Mixed", operatingSystems: ["UBUNTU", "WINDOWS"], install: { expression: "cron(0 4 ? * SAT *)" } });
        raw.azure.autoRegister.groups = ["Windows", "Linux", "Mixed"];
        const estate = parseEstateConfig(raw, TEST_CONTEXT);
        assert.deepEqual(estate.azureAutoRegistration, {
            scopes: [
                { kind: "managementGroup", id: "corp-prod", tenantId: TENANT },
                { kind: "subscription", id: SCOPE_SUBSCRIPTION, tenantId: TENANT },
            ],
            patchGroupTagKey: "Patch Group",
            groups: [
                { patchGroup: "Windows", osFamilies: ["windows"] },
                { patchGroup: "Linux", osFamilies: ["linux"] },
                { patchGroup: "Mixed", osFamilies: ["linux", "windows"] },
            ],
            registrationLimit: CONFIG_DEFAULTS.azureAutoRegister.registrationLimit,
            remediateExisting: true,
            keyVault: {
                name: "kv-patching-test",
                subscriptionId: VAULT_SUBSCRIPTION,
                tenantId: TENANT,
                resourceGroup: "patching-registration",
                location: "westeurope",
                allowedSubnetIds: [SUBNET],
                allowedIpRanges: [],
            },
        });
        assert.equal(CONFIG_DEFAULTS.azureAutoRegister.registrationLimit, 100);
    });

    it("defaults the tag key to the estate's, and keeps a configured one", () => {
        const raw = validAzureConfig();
        raw.patchGroupTagKey = "PatchGroup";
        assert.equal(parseEstateConfig(raw, TEST_CONTEXT).azureAutoRegistration?.patchGroupTagKey, "PatchGroup");
        raw.azure.autoRegister.patchGroupTagKey = "patching-group";
        assert.equal(parseEstateConfig(raw, TEST_CONTEXT).azureAutoRegistration?.patchGroupTagKey, "patching-group");
    });

    it("keeps configured values over the defaults", () => {
        const raw = validAzureConfig();
        Object.assign(raw.azure.autoRegister, { registrationLimit: 250, remediateExisting: false });
        raw.azure.autoRegister.keyVault.resourceGroup = "rg-kv";
        const resolved = parseEstateConfig(raw, TEST_CONTEXT).azureAutoRegistration;
        assert.deepEqual([resolved?.registrationLimit, resolved?.remediateExisting, resolved?.keyVault.resourceGroup], [250, false, "rg-kv"]);
    });

    it("has no azureAutoRegistration without the azure key, and keeps the explicit VMs either way", () => {
        const without = parseEstateConfig(validRawConfig(), TEST_CONTEXT);
        assert.equal("azureAutoRegistration" in without, false);
        assert.deepEqual(parseEstateConfig(validAzureConfig(), TEST_CONTEXT).azureSubscriptions, without.azureSubscriptions);
    });

    it("reads azure as a structured key from the flat config the CLI passes", () => {
        const raw = validAzureConfig();
        const values = Object.fromEntries(Object.entries(raw).map(([key, value]) => [`multicloud-patching:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
        assert.equal(estateFromConfigValues(values, TEST_CONTEXT).azureAutoRegistration?.scopes.length, 2);
    });
});

describe("catalog: how explicit and automatic registrations share an activation", () => {
    it("adds the explicitly listed VMs to the automatic limit, capped at the API's 1000", () => {
        assert.deepEqual(
            [autoRegisterActivationLimit(0, 100), autoRegisterActivationLimit(5, 100), autoRegisterActivationLimit(950, 100), autoRegisterActivationLimit(0, 1000)],
            [100, 105, MAX_ACTIVATION_REGISTRATIONS, 1000],
        );
    });
});

describe("stacks/config fields for Azure automatic registration", () => {
    const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: string) => schema.safeParse(value).success;

    it("management group ids: 1-90, -_.() inside, no trailing period", () => {
        assert.deepEqual(
            ["a", "m".repeat(90), "Corp_(Prod).eu-1", TENANT, "corp.", "m".repeat(91), "", "_corp", "corp prod"].map((v) => ok(field.MANAGEMENT_GROUP_ID, v)),
            [true, true, true, true, false, false, false, false, false],
        );
    });

    it("Key Vault names: 3-24, letter first, letter or digit last, no --", () => {
        assert.deepEqual(
            ["kv1", `k${"v".repeat(23)}`, "kv-patch-1", "kv", `k${"v".repeat(24)}`, "kv--1", "kv-", "1kv", "kv_1"].map((v) => ok(field.KEY_VAULT_NAME, v)),
            [true, true, true, false, false, false, false, false, false],
        );
    });

    it("subnet ARM ids, case-insensitive, names within Azure's rules", () => {
        const vnet = `/subscriptions/${VAULT_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks`;
        assert.deepEqual(
            [SUBNET, SUBNET.toLowerCase(), `${vnet}/v_/subnets/s`, `${vnet}/v/subnets/s`, `${vnet}/vnet/subnets/s-`, `${vnet}/vnet/subnets/${"s".repeat(81)}`, `${vnet}/vnet`, SUBNET.replace(VAULT_SUBSCRIPTION, "sub")].map((v) =>
                ok(field.AZURE_SUBNET_ID, v),
            ),
            [true, true, true, false, false, false, false, false],
        );
    });

    it("Key Vault IP rules: public IPv4 only, bare addresses for single hosts", () => {
        const cases: [string, string | undefined][] = [
            ["203.0.113.7", undefined],
            ["203.0.113.0/24", undefined],
            ["172.32.0.0/16", undefined],
            ["8.0.0.0/8", undefined],
            ["172.31.255.0/24", "is (or overlaps) a private RFC 1918 range, which Key Vault IP rules refuse; VMs reaching the vault from a virtual network go in allowedSubnetIds"],
            ["192.168.0.1", "is (or overlaps) a private RFC 1918 range, which Key Vault IP rules refuse; VMs reaching the vault from a virtual network go in allowedSubnetIds"],
            ["8.0.0.0/7", "is wider than /8: the vault would admit a large part of the internet; list the VMs' egress ranges only"],
            ["203.0.113.7/32", "is a /32 range, which Key Vault does not take; list single addresses without a prefix"],
            ["203.0.113.6/31", "is a /31 range, which Key Vault does not take; list single addresses without a prefix"],
            ["203.0.113.0/33", "is not an IPv4 CIDR range (prefix /0 to /32)"],
            ["2001:db8::/32", "is not an IPv4 address or CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24); Key Vault IP rules take IPv4 only"],
        ];
        assert.deepEqual(
            cases.map(([value]) => [value, keyVaultIpRuleProblem(value)]),
            cases,
        );
    });
});

describe("the stack files still validate with the azure key known", () => {
    for (const stack of ["dev", "prod", "org"]) {
        it(`Pulumi.${stack}.yaml`, () => {
            const estate = estateFromConfigValues(readStackConfig(process.cwd(), stack).values, { project: "multicloud-patching", stack });
            assert.equal(estate.stack, stack);
        });
    }
});
