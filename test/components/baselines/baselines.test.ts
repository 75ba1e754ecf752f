import { strict as assert } from "node:assert";
import { approvalRules, ruleProblems } from "../../../components/baselines/baselineRules";
import { PATCH_FILTER_KEYS } from "../../../catalog/patchBaselines";
import { baselineName, logBucketName } from "../../../catalog/naming";
import { OPERATING_SYSTEM_NAMES, OPERATING_SYSTEMS } from "../../../catalog/operatingSystems";
import { baselineInputs } from "../../../components/baselines/patchBaselines";
import { resourceGroupDescription, resourceGroupQuery } from "../../../components/baselines/patchResourceGroups";

describe("components/baselineRules and baseline inputs", () => {
    for (const os of OPERATING_SYSTEM_NAMES) {
        it(`${os}: default rules use only the filter keys valid for its family`, () => {
            const rules = approvalRules(os, { approveAfterDays: 7 });
            assert.deepEqual(ruleProblems(os, rules), []);
            const family = OPERATING_SYSTEMS[os].family;
            for (const rule of rules) {
                assert.equal(rule.approveAfterDays, family === "debian" ? undefined : 7);
                assert.ok(rule.patchFilters.every((f) => PATCH_FILTER_KEYS[family].includes(f.key)));
            }
        });
    }

    it("ruleProblems catches a key from the wrong family, a delay on Ubuntu and a delay over 360", () => {
        assert.match(ruleProblems("WINDOWS", [{ approveAfterDays: 1, complianceLevel: "HIGH", patchFilters: [{ key: "SEVERITY", values: ["Critical"] }] }])[0], /SEVERITY is not valid for windows/);
        assert.match(ruleProblems("UBUNTU", [{ approveAfterDays: 1, complianceLevel: "HIGH", patchFilters: [{ key: "PRIORITY", values: ["Required"] }] }])[0], /take no approveAfterDays/);
        assert.match(ruleProblems("AMAZON_LINUX_2", [{ approveAfterDays: 400, complianceLevel: "HIGH", patchFilters: [{ key: "CLASSIFICATION", values: ["Security"] }] }])[0], /0-360/);
    });

    it("custom rules replace the defaults and keep the environment's delay", () => {
        const rules = approvalRules("AMAZON_LINUX_2", { approveAfterDays: 5, customRules: [{ filters: { CLASSIFICATION: ["Security"] }, complianceLevel: "HIGH" }] });
        assert.deepEqual(rules, [{ approveAfterDays: 5, complianceLevel: "HIGH", enableNonSecurity: false, patchFilters: [{ key: "CLASSIFICATION", values: ["Security"] }] }]);
    });

    it("a compliance level override applies to every rule", () => {
        assert.ok(approvalRules("AMAZON_LINUX_2023", { approveAfterDays: 0, complianceLevel: "LOW" }).every((rule) => rule.complianceLevel === "LOW"));
    });

    it("baseline names fit CreatePatchBaseline's Name pattern", () => {
        for (const os of OPERATING_SYSTEM_NAMES) {
            assert.match(baselineName("App-A.1_x", os), /^[a-zA-Z0-9_\-.]{3,128}$/);
        }
    });

    it("log bucket names fit S3's naming rules even in the longest Region", () => {
        const name = logBucketName("inventory", "123456789012", "ap-southeast-7");
        assert.match(name, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    });

    it("approved patches bring a compliance level; EnableNonSecurity only on Linux", () => {
        const group = { name: "G", operatingSystems: ["WINDOWS", "UBUNTU"] as const, approveAfterDays: 3, baselines: { WINDOWS: { approvedPatches: ["KB5000001"] }, UBUNTU: { approvedPatches: ["openssl"], rejectedPatches: ["telnet"] } } };
        const windows = baselineInputs({ ...group, operatingSystems: [...group.operatingSystems] }, "WINDOWS", "eu-west-2");
        assert.deepEqual(windows.approvedPatches, ["KB5000001"]);
        assert.equal(windows.approvedPatchesComplianceLevel, "HIGH");
        assert.equal(windows.approvedPatchesEnableNonSecurity, undefined);
        const ubuntu = baselineInputs({ ...group, operatingSystems: [...group.operatingSystems] }, "UBUNTU", "eu-west-2");
        assert.equal(ubuntu.approvedPatchesEnableNonSecurity, false);
        assert.deepEqual(ubuntu.rejectedPatches, ["telnet"]);
        assert.equal(ubuntu.rejectedPatchesAction, "BLOCK");
        assert.equal(ubuntu.region, "eu-west-2");
        assert.equal(ubuntu.operatingSystem, "UBUNTU");
    });

    it("the resource-group query selects instances and managed nodes by the patch tag", () => {
        assert.deepEqual(JSON.parse(resourceGroupQuery("Patch Group", "Linux")), {
            ResourceTypeFilters: ["AWS::EC2::Instance", "AWS::SSM::ManagedInstance"],
            TagFilters: [{ Key: "Patch Group", Values: ["Linux"] }],
        });
    });

    it("resource group descriptions fit CreateGroup's Description pattern", () => {
        for (const group of ["Linux", "App-A.1_x", "w".repeat(56)]) {
            assert.match(resourceGroupDescription(group), /^[\sa-zA-Z0-9_.-]{0,1024}$/);
        }
    });
});
