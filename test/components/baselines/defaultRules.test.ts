import { strict as assert } from "node:assert";
import { approvalRules, ruleProblems, type ApprovalRule } from "../../../components/baselines/baselineRules";
import { MAX_APPROVAL_RULES, MAX_APPROVE_AFTER_DAYS } from "../../../catalog/patchBaselines";
import { OPERATING_SYSTEM_NAMES, type OperatingSystem } from "../../../catalog/operatingSystems";

/**
 * The default approval rules of every OS, pinned as data (issue 21): the values follow AWS's
 * predefined baselines ("Predefined and custom patch baselines", Patch Manager user guide) with the
 * filter vocabularies of the PatchFilter API reference. A changed classification or severity is a
 * behaviour change a reviewer must see here, not a silent edit.
 */
const yum = (severities: string[], delay: number): ApprovalRule[] => [
    {
        approveAfterDays: delay,
        complianceLevel: "CRITICAL",
        enableNonSecurity: false,
        patchFilters: [
            { key: "CLASSIFICATION", values: ["Security"] },
            { key: "SEVERITY", values: severities },
        ],
    },
    { approveAfterDays: delay, complianceLevel: "MEDIUM", enableNonSecurity: false, patchFilters: [{ key: "CLASSIFICATION", values: ["Bugfix"] }] },
];
// Debian/Ubuntu rules take no ApproveAfterDays (PatchRule reference) and no EnableNonSecurity here.
const debian: ApprovalRule[] = [{ complianceLevel: "HIGH", patchFilters: [{ key: "PRIORITY", values: ["Required", "Important", "Standard"] }] }];

const EXPECTED: Record<OperatingSystem, (delay: number) => ApprovalRule[]> = {
    WINDOWS: (delay) => [
        {
            approveAfterDays: delay,
            complianceLevel: "CRITICAL",
            patchFilters: [
                { key: "CLASSIFICATION", values: ["CriticalUpdates", "SecurityUpdates"] },
                { key: "MSRC_SEVERITY", values: ["Critical", "Important"] },
            ],
        },
        { approveAfterDays: delay, complianceLevel: "MEDIUM", patchFilters: [{ key: "CLASSIFICATION", values: ["UpdateRollups", "Updates"] }] },
    ],
    AMAZON_LINUX_2: (delay) => yum(["Critical", "Important"], delay),
    AMAZON_LINUX_2023: (delay) => yum(["Critical", "Important"], delay),
    REDHAT_ENTERPRISE_LINUX: (delay) => yum(["Critical", "Important"], delay),
    ROCKY_LINUX: (delay) => yum(["Critical", "Important"], delay),
    ALMA_LINUX: (delay) => yum(["Critical", "Important"], delay),
    // Oracle rates errata Important/Moderate (AWS's predefined Oracle Linux baseline).
    ORACLE_LINUX: (delay) => yum(["Important", "Moderate"], delay),
    SUSE: (delay) => [
        {
            approveAfterDays: delay,
            complianceLevel: "CRITICAL",
            enableNonSecurity: false,
            patchFilters: [
                { key: "CLASSIFICATION", values: ["Security"] },
                { key: "SEVERITY", values: ["Critical", "Important"] },
            ],
        },
        { approveAfterDays: delay, complianceLevel: "MEDIUM", enableNonSecurity: false, patchFilters: [{ key: "CLASSIFICATION", values: ["Recommended"] }] },
    ],
    UBUNTU: () => debian,
    DEBIAN: () => debian,
};

describe("components/baselineRules: every OS's default rules, pinned as data", () => {
    it("covers every operating system the program supports", () => {
        assert.deepEqual(Object.keys(EXPECTED).sort(), [...OPERATING_SYSTEM_NAMES].sort());
    });

    for (const os of OPERATING_SYSTEM_NAMES) {
        it(`${os}: the documented classifications, severities, levels and delays`, () => {
            assert.deepEqual(approvalRules(os, { approveAfterDays: 11 }), EXPECTED[os](11));
        });
    }
});

describe("components/baselineRules: the API's limits, at their boundaries", () => {
    const rule = (approveAfterDays: number): ApprovalRule => ({ approveAfterDays, complianceLevel: "HIGH", enableNonSecurity: false, patchFilters: [{ key: "CLASSIFICATION", values: ["Security"] }] });

    it(`accepts approveAfterDays 0 and ${MAX_APPROVE_AFTER_DAYS}, refuses -1 and ${MAX_APPROVE_AFTER_DAYS + 1}`, () => {
        assert.deepEqual(ruleProblems("AMAZON_LINUX_2", [rule(0)]), []);
        assert.deepEqual(ruleProblems("AMAZON_LINUX_2", [rule(MAX_APPROVE_AFTER_DAYS)]), []);
        assert.deepEqual(ruleProblems("AMAZON_LINUX_2", [rule(-1)]), [`AMAZON_LINUX_2: approveAfterDays must be 0-${MAX_APPROVE_AFTER_DAYS}`]);
        assert.deepEqual(ruleProblems("AMAZON_LINUX_2", [rule(MAX_APPROVE_AFTER_DAYS + 1)]), [`AMAZON_LINUX_2: approveAfterDays must be 0-${MAX_APPROVE_AFTER_DAYS}`]);
    });

    it(`accepts 1 and ${MAX_APPROVAL_RULES} rules, refuses 0 and ${MAX_APPROVAL_RULES + 1}`, () => {
        const rules = (count: number) => Array.from({ length: count }, () => rule(7));
        assert.deepEqual(ruleProblems("REDHAT_ENTERPRISE_LINUX", rules(1)), []);
        assert.deepEqual(ruleProblems("REDHAT_ENTERPRISE_LINUX", rules(MAX_APPROVAL_RULES)), []);
        assert.deepEqual(ruleProblems("REDHAT_ENTERPRISE_LINUX", rules(0)), ["REDHAT_ENTERPRISE_LINUX: a baseline needs 1-10 approval rules, has 0"]);
        assert.deepEqual(ruleProblems("REDHAT_ENTERPRISE_LINUX", rules(MAX_APPROVAL_RULES + 1)), ["REDHAT_ENTERPRISE_LINUX: a baseline needs 1-10 approval rules, has 11"]);
    });

    it("names the keys the family allows when a filter key is wrong (PatchFilter reference)", () => {
        const rule: ApprovalRule = { approveAfterDays: 1, complianceLevel: "HIGH", patchFilters: [{ key: "PRIORITY", values: ["Required"] }] };
        assert.deepEqual(ruleProblems("WINDOWS", [rule]), ["WINDOWS: patch filter key PRIORITY is not valid for windows (allowed: PATCH_SET, PRODUCT, PRODUCT_FAMILY, CLASSIFICATION, MSRC_SEVERITY)"]);
    });

    it("requires a delay on yum and Windows rules", () => {
        const noDelay: ApprovalRule = { complianceLevel: "HIGH", patchFilters: [{ key: "CLASSIFICATION", values: ["Updates"] }] };
        assert.deepEqual(ruleProblems("WINDOWS", [noDelay]), [`WINDOWS: approveAfterDays must be 0-${MAX_APPROVE_AFTER_DAYS}`]);
    });

    it("sets EnableNonSecurity on yum-family rules only (custom rules too)", () => {
        for (const os of ["WINDOWS", "UBUNTU", "DEBIAN"] as const) {
            const custom = approvalRules(os, { approveAfterDays: 3, customRules: [{ filters: { PRODUCT: ["*"] } }] });
            assert.ok(custom.every((r) => !("enableNonSecurity" in r)), os);
        }
        assert.ok(approvalRules("SUSE", { approveAfterDays: 3, customRules: [{ filters: { PRODUCT: ["*"] } }] }).every((r) => r.enableNonSecurity === false));
    });

    it("gives custom rules without a level UNSPECIFIED, and the level override wins over it", () => {
        assert.equal(approvalRules("WINDOWS", { approveAfterDays: 3, customRules: [{ filters: { PRODUCT: ["*"] } }] })[0].complianceLevel, "UNSPECIFIED");
        assert.equal(approvalRules("WINDOWS", { approveAfterDays: 3, complianceLevel: "LOW", customRules: [{ filters: { PRODUCT: ["*"] }, complianceLevel: "HIGH" }] })[0].complianceLevel, "LOW");
    });
});
