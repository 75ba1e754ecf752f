import { strict as assert } from "node:assert";
import { POLICY_REPORT_LIMITS, renderPolicyReport, type PolicyReport } from "../../tools/plan/policyReport";
import type { PolicyViolation } from "../../tools/plan/policyRun";

const violation = (policy: string, name: string, message: string): PolicyViolation => ({ policy, level: "mandatory", message, name, type: "aws:s3/bucketV2:BucketV2", urn: `urn:${name}`, scope: "aws security (111111111111) us-east-1" });

const report = (violations: PolicyViolation[]): PolicyReport => ({ config: "policies/config.prod.json", enforcement: { "required-tags": "mandatory", other: "mandatory" }, violations });

describe("plan: policy violations grouped per policy and message (issue 20, item 2)", () => {
    it("one wrong value that breaks 36 resources is one line with the count and a few names", () => {
        const violations = Array.from({ length: 36 }, (_, i) => violation("required-tags", `bucket-${i}`, 'tag CostCenter "cc 1" is not allowed'));
        const lines = renderPolicyReport(report(violations)).split("\n");
        assert.deepEqual(lines, [
            "Policies: 2 of 2 enabled (policies/config.prod.json): 36 mandatory and 0 advisory violation(s)",
            "  [mandatory] required-tags (36)",
            '    tag CostCenter "cc 1" is not allowed — 36 resources: bucket-0 (aws security (111111111111) us-east-1), bucket-1 (aws security (111111111111) us-east-1), bucket-2 (aws security (111111111111) us-east-1) and 33 more',
        ]);
    });

    it("a single violation keeps its own line: resource — scope: message", () => {
        assert.deepEqual(renderPolicyReport(report([violation("other", "key", "no rotation")])).split("\n").slice(1), ["  [mandatory] other (1)", "    key — aws security (111111111111) us-east-1: no rotation"]);
    });

    it("many distinct messages: the first few, then one line counting the rest", () => {
        const violations = Array.from({ length: 12 }, (_, i) => violation("other", `r${i}`, `message ${i}`));
        const lines = renderPolicyReport(report(violations)).split("\n");
        assert.equal(lines.length, 2 + POLICY_REPORT_LIMITS.messages + 1);
        assert.equal(lines.at(-1), `    … and ${12 - POLICY_REPORT_LIMITS.messages} more message(s) for ${12 - POLICY_REPORT_LIMITS.messages} violation(s): all of them are in the JSON plan (policies.violations)`);
    });
});
