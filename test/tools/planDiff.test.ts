import { strict as assert } from "node:assert";
import { diffPlans, isEmptyDiff, renderDiff, type PlanResource } from "../../tools/plan/diff";

const urn = (type: string, name: string) => `urn:pulumi:prod::multicloud-patching::${type}::${name}`;
const BUCKET: PlanResource = { urn: urn("aws:s3/bucket:Bucket", "logs"), type: "aws:s3/bucket:Bucket", name: "logs", provider: "p1", inputs: { bucket: "logs", tags: { a: "1" } } };
const ROLE: PlanResource = { urn: urn("aws:iam/role:Role", "exec"), type: "aws:iam/role:Role", name: "exec", provider: "p1", inputs: { name: "exec" } };

describe("tools/plan/diff: what a real stack would act on between two plans", () => {
    it("finds nothing between a plan and itself", () => {
        const diff = diffPlans([BUCKET, ROLE], [ROLE, BUCKET]);
        assert.ok(isEmptyDiff(diff));
        assert.equal(renderDiff(diff), "no differences: same URNs, parents, providers and inputs");
    });

    it("reports a renamed resource as one removed and one added URN (a replacement)", () => {
        const renamed = { ...ROLE, urn: urn("aws:iam/role:Role", "execution"), name: "execution" };
        const diff = diffPlans([BUCKET, ROLE], [BUCKET, renamed]);
        assert.deepEqual([diff.added, diff.removed, diff.changed.size], [[renamed.urn], [ROLE.urn], 0]);
    });

    it("names the inputs, provider and parent that changed, deeply", () => {
        const moved = { ...BUCKET, provider: "p2", parent: "x", inputs: { bucket: "logs", tags: { a: "2" } } };
        const diff = diffPlans([BUCKET], [moved]);
        assert.deepEqual(diff.changed.get(BUCKET.urn), ["parent", "provider", "inputs.tags"]);
        assert.match(renderDiff(diff), /0 added, 0 removed, 1 changed$/);
    });

    it("sees an input that appears or disappears", () => {
        assert.deepEqual(diffPlans([ROLE], [{ ...ROLE, inputs: { name: "exec", permissionsBoundary: "b" } }]).changed.get(ROLE.urn), ["inputs.permissionsBoundary"]);
    });
});
