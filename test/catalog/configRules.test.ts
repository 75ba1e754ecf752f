import { strict as assert } from "node:assert";
import { availableRules, COMPLIANCE_RULES, recordedResourceTypes } from "../../catalog/configRules";

const NAMES = ["patching-patch-compliance", "patching-association-compliance", "patching-instance-managed-by-ssm"];

describe("catalog/configRules: where AWS offers each Config rule", () => {
    it("skips rules a Region does not offer and records exactly the rules' resource types", () => {
        assert.deepEqual(availableRules("eu-west-2").map((rule) => rule.name), NAMES);
        assert.deepEqual(availableRules("ap-northeast-3").map((rule) => rule.name), [NAMES[2]]);
        assert.deepEqual(availableRules("mx-central-1").map((rule) => rule.name), [NAMES[0], NAMES[2]]);
        assert.deepEqual(availableRules("ap-east-2"), []);
        assert.deepEqual(recordedResourceTypes(COMPLIANCE_RULES), ["AWS::EC2::Instance", "AWS::SSM::AssociationCompliance", "AWS::SSM::ManagedInstanceInventory", "AWS::SSM::PatchCompliance"]);
    });
});
