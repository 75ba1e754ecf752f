import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { MAX_TEMPLATE_BODY_BYTES } from "../../components/organization/templates";
import { organizationPlan, renderOrganization, STACK_SET_INSTANCE_TYPE, STACK_SET_TYPE } from "../../tools/plan/organization";
import type { RecordedResource } from "../../tools/mock/recorder";
import { UNKNOWN_MARK } from "../../tools/mock/plainValues";

function registration(type: string, name: string, inputs: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): RecordedResource {
    return { urn: `urn:pulumi:s::p::${type}::${name}`, type, name, custom: true, inputs, options: {}, propertyDependencies } as unknown as RecordedResource;
}

/** Issue 16, item 6: the StackSets, their instances and template sizes in `npm run plan`. */
describe("tools/plan/organization: StackSets in the plan (issue 16)", () => {
    it("org stack: both StackSets with their recorded TemplateBody size, and one instance per (StackSet, Region)", async () => {
        const evaluation = await evaluatedStack("org");
        const plan = organizationPlan(evaluation.recorder.resources);
        assert.ok(plan !== undefined);
        const bodies = new Map(evaluation.recorder.find(STACK_SET_TYPE).map((s) => [s.inputs.name, Buffer.byteLength(String(s.inputs.templateBody), "utf8")]));
        assert.deepEqual(
            plan.stackSets.map((s) => [s.name, s.region, s.permissionModel, s.callAs, s.autoDeployment, s.templateBytes, s.withinTemplateBodyLimit, s.instances]),
            [
                ["patching-member-account", "us-east-1", "SERVICE_MANAGED", "DELEGATED_ADMIN", true, bodies.get("patching-member-account"), true, 1],
                ["patching-member-regional", "us-east-1", "SERVICE_MANAGED", "DELEGATED_ADMIN", true, bodies.get("patching-member-regional"), true, 4],
            ],
        );
        assert.ok(plan.stackSets.every((s) => (s.templateBytes ?? 0) > 1000 && s.templateBodyLimit === 51_200));
        // Pulumi.org.yaml: targets [shared, workloads] in 4 Regions (excluding 999999999999), [AppA] in eu-west-2 + eu-central-1;
        // the configured account 111111111111 is excluded everywhere.
        const all = ["ou-a1b2-4ppa0000", "ou-a1b2-5h4r3d00", "ou-a1b2-w0rk10ad"];
        const two = ["ou-a1b2-5h4r3d00", "ou-a1b2-w0rk10ad"];
        const excluded = ["111111111111", "999999999999"];
        assert.deepEqual(
            plan.instances.map((i) => [i.stackSet, i.region, i.organizationalUnits, i.excludeAccounts]),
            [
                ["patching-member-account", "us-east-1", all, excluded],
                ["patching-member-regional", "eu-central-1", all, excluded],
                ["patching-member-regional", "eu-west-2", all, excluded],
                ["patching-member-regional", "us-east-1", two, excluded],
                ["patching-member-regional", "us-west-2", two, excluded],
            ],
        );
        const text = renderOrganization(plan, false);
        for (const expected of ["patching-member-account", "patching-member-regional", "SERVICE_MANAGED / DELEGATED_ADMIN", `of 51,200 B`, "ou-a1b2-4ppa0000", "eu-central-1"]) {
            assert.ok(text.includes(expected), `missing ${expected} in:\n${text}`);
        }
    });

    it("configured-accounts stacks (prod) have no organization section", async () => {
        assert.equal(organizationPlan((await evaluatedStack("prod")).recorder.resources), undefined);
    });

    it("says 'unknown until deploy' for a TemplateBody not known at plan time, and flags one over the limit", () => {
        const plan = organizationPlan([
            registration(STACK_SET_TYPE, "unknown", { name: "set-unknown", templateBody: UNKNOWN_MARK, permissionModel: "SERVICE_MANAGED" }),
            registration(STACK_SET_TYPE, "big", { name: "set-big", templateBody: "é".repeat(MAX_TEMPLATE_BODY_BYTES / 2 + 1), autoDeployment: { enabled: false } }),
            // An instance whose stackSetName is unknown is attributed through its property dependency.
            registration(STACK_SET_INSTANCE_TYPE, "i", { stackSetName: UNKNOWN_MARK, stackSetInstanceRegion: "eu-west-1", deploymentTargets: { organizationalUnitIds: ["r-ab12"] } }, { stackSetName: [`urn:pulumi:s::p::${STACK_SET_TYPE}::big`] }),
        ]);
        assert.ok(plan !== undefined);
        const [unknown, big] = plan.stackSets;
        assert.equal(unknown.templateBytes, null);
        assert.equal(unknown.withinTemplateBodyLimit, null);
        // Bytes, not characters: "é" is two bytes in UTF-8.
        assert.equal(big.templateBytes, MAX_TEMPLATE_BODY_BYTES + 2);
        assert.equal(big.withinTemplateBodyLimit, false);
        assert.equal(big.instances, 1);
        assert.deepEqual(plan.instances, [{ stackSet: "set-big", name: "i", region: "eu-west-1", organizationalUnits: ["r-ab12"], excludeAccounts: [] }]);
        const text = renderOrganization(plan, false);
        assert.match(text, /set-unknown .*unknown until deploy/);
        assert.match(text, /set-big .*OVER: needs TemplateURL/);
    });

    it("sizes a template passed by TemplateURL from the uploaded object the URL was computed from", () => {
        const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
        const content = "x".repeat(60_000);
        const plan = organizationPlan([
            registration(OBJECT, "other", { content: "{}" }),
            registration(OBJECT, "regional-template", { content }),
            registration(STACK_SET_TYPE, "regional", { name: "set-url", templateUrl: "https://b.s3.us-east-1.amazonaws.com/templates/k.json" }, { templateUrl: [`urn:pulumi:s::p::${OBJECT}::regional-template`] }),
        ]);
        assert.ok(plan !== undefined);
        assert.deepEqual([plan.stackSets[0].templateSource, plan.stackSets[0].templateBytes], ["TemplateURL", 60_000]);
        assert.match(renderOrganization(plan, false), /set-url .*60,000 B by TemplateURL \(over the 51,200 B body limit\)/);
    });
});
