import { strict as assert } from "node:assert";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { MemberStackSets, validateMemberStackSetsArgs, type MemberStackSetsArgs } from "../../../components/organization/stackSets";
import { templateBody, accountTemplate, regionalTemplate } from "../../../components/organization/templates";
import { organizationPatchGroups, organizationRegions, stackSetTargets, templateContext } from "../../../stacks/awsOrganization";
import { stackEstate } from "./templateContext";
import { templateObjectKey, templateUrl } from "../../../components/organization/artifactDocuments";

const estate = stackEstate("org");
const ARGS: MemberStackSetsArgs = {
    region: "us-east-1",
    callAs: "DELEGATED_ADMIN",
    context: templateContext(estate, { regions: organizationRegions(estate), patchGroups: organizationPatchGroups(estate) }),
    targets: stackSetTargets(estate),
    configuredAccountIds: ["111111111111"],
    operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 10, regionConcurrencyType: "SEQUENTIAL" },
};

/** The org context with n copies of its first patch group: a Regional template of any size. */
const manyGroups = (n: number) => ({ ...ARGS.context, patchGroups: Array.from({ length: n }, (_, i) => ({ ...ARGS.context.patchGroups[0], name: `Group${i}` })) });

describe("MemberStackSets argument validation", () => {
    const CASES: [Partial<MemberStackSetsArgs>, RegExp][] = [
        [{ targets: [] }, /MemberStackSets: targets is empty/],
        [{ targets: [{ organizationalUnits: ["ou-bad"], regions: ["eu-west-2"], excludeAccounts: [] }] }, /"ou-bad" is not an organizational unit/],
        [{ configuredAccountIds: ["1234"] }, /"1234" is not a 12-digit account id/],
        [{ context: manyGroups(40) }, /the Regional template is \d+ bytes, over CreateStackSet's 51200-byte TemplateBody limit, and no templateBucketName is given to pass it as TemplateURL/],
        [{ context: manyGroups(1200), templateBucketName: "patching-artifacts-111111111111-us-east-1" }, /the Regional template is \d+ bytes, over CloudFormation's 1048576-byte TemplateURL limit/],
    ];
    for (const [change, message] of CASES) {
        it(`rejects ${Object.keys(change).join(", ")}: ${message.source.slice(0, 60)}`, () => assert.throws(() => validateMemberStackSetsArgs({ ...ARGS, ...change }), message));
    }
    it("accepts the org example estate", () => assert.doesNotThrow(() => validateMemberStackSetsArgs({ ...ARGS, templateBucketName: "patching-artifacts-111111111111-us-east-1" })));
    it("accepts a template over 51,200 bytes when it can go through TemplateURL", () =>
        assert.doesNotThrow(() => validateMemberStackSetsArgs({ ...ARGS, context: manyGroups(40), templateBucketName: "patching-artifacts-111111111111-us-east-1" })));
});

describe("MemberStackSets under the mock runtime (Pulumi.org.yaml's estate)", () => {
    let recorder: ResourceRecorder;
    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching", stack: "org", config: {} });
        new MemberStackSets("security-member-stack-sets", ARGS);
        await settle();
    });

    it("creates two service-managed StackSets with auto-deployment, managed execution, named-IAM capability and callAs", () => {
        const sets = recorder.find("aws:cloudformation/stackSet:StackSet");
        assert.deepEqual(sets.map((s) => s.inputs.name).sort(), ["patching-member-account", "patching-member-regional"]);
        for (const set of sets) {
            assert.equal(set.inputs.permissionModel, "SERVICE_MANAGED");
            assert.equal(set.inputs.callAs, "DELEGATED_ADMIN");
            assert.deepEqual(set.inputs.capabilities, ["CAPABILITY_NAMED_IAM"]);
            assert.deepEqual(set.inputs.managedExecution, { active: true });
            assert.equal((set.inputs.autoDeployment as Record<string, unknown>).enabled, true);
            assert.equal((set.inputs.autoDeployment as Record<string, unknown>).retainStacksOnAccountRemoval, false);
            assert.deepEqual(set.inputs.operationPreferences, { maxConcurrentPercentage: 25, failureTolerancePercentage: 10, regionConcurrencyType: "SEQUENTIAL" });
            assert.equal(set.inputs.region, "us-east-1");
        }
        const byName = Object.fromEntries(sets.map((s) => [s.inputs.name as string, s]));
        assert.equal(byName["patching-member-account"].inputs.templateBody, templateBody(accountTemplate(ARGS.context)));
        assert.equal(byName["patching-member-regional"].inputs.templateBody, templateBody(regionalTemplate(ARGS.context)));
        // A new account's Regional stacks wait for its account-wide one.
        assert.equal(((byName["patching-member-regional"].inputs.autoDeployment as Record<string, unknown>).dependsOnStackSets as unknown[]).length, 1);
    });

    it("deploys the account-wide StackSet in ONE Region (the central one) over every target OU, minus the excluded and configured accounts", () => {
        const instances = recorder.find("aws:cloudformation/stackSetInstance:StackSetInstance").filter((i) => i.name.includes("-account-"));
        assert.deepEqual(
            instances.map((i) => [i.inputs.stackSetInstanceRegion, i.inputs.callAs, i.inputs.deploymentTargets]),
            [["us-east-1", "DELEGATED_ADMIN", { organizationalUnitIds: ["ou-a1b2-4ppa0000", "ou-a1b2-5h4r3d00", "ou-a1b2-w0rk10ad"], accountFilterType: "DIFFERENCE", accounts: ["111111111111", "999999999999"] }]],
        );
    });

    it("deploys the Regional StackSet once per target Region, to the OUs of the targets that list the Region", () => {
        const instances = recorder.find("aws:cloudformation/stackSetInstance:StackSetInstance").filter((i) => i.name.includes("-regional-"));
        const shared = ["ou-a1b2-5h4r3d00", "ou-a1b2-w0rk10ad"];
        const excluded = { accountFilterType: "DIFFERENCE", accounts: ["111111111111", "999999999999"] };
        assert.deepEqual(
            Object.fromEntries(instances.map((i) => [i.inputs.stackSetInstanceRegion, [i.inputs.callAs, i.inputs.deploymentTargets]])),
            {
                "eu-central-1": ["DELEGATED_ADMIN", { organizationalUnitIds: ["ou-a1b2-4ppa0000", ...shared], ...excluded }],
                "eu-west-2": ["DELEGATED_ADMIN", { organizationalUnitIds: ["ou-a1b2-4ppa0000", ...shared], ...excluded }],
                "us-east-1": ["DELEGATED_ADMIN", { organizationalUnitIds: shared, ...excluded }],
                "us-west-2": ["DELEGATED_ADMIN", { organizationalUnitIds: shared, ...excluded }],
            },
        );
    });

    it("the org estate's Regional template carries every organization patch group (AppA by OU included)", () => {
        assert.deepEqual(ARGS.context.patchGroups.map((g) => g.name), ["Linux", "Windows", "AppA"]);
        assert.deepEqual(ARGS.context.regions, ["eu-central-1", "eu-west-2", "us-east-1", "us-west-2"]);
    });
});

describe("MemberStackSets: a template over the TemplateBody limit goes through TemplateURL", () => {
    let recorder: ResourceRecorder;
    const BUCKET = "patching-artifacts-111111111111-us-east-1";
    const big = { ...ARGS, context: manyGroups(40), templateBucketName: BUCKET };
    before(async () => {
        recorder = await startMockRuntime({ project: "multicloud-patching", stack: "org", config: {} });
        new MemberStackSets("big", big);
        await settle();
    });

    it("uploads the Regional template under a content-hashed key and passes its https URL, no TemplateBody", () => {
        const body = templateBody(regionalTemplate(big.context));
        assert.ok(Buffer.byteLength(body) > 51_200, "the fixture must exceed the limit");
        const [object] = recorder.find("aws:s3/bucketObjectv2:BucketObjectv2");
        const key = templateObjectKey("patching-member-regional", body);
        assert.deepEqual([object.name, object.inputs.bucket, object.inputs.key, object.inputs.content, object.inputs.region], ["big-regional-template", BUCKET, key, body, "us-east-1"]);
        const regional = recorder.find("aws:cloudformation/stackSet:StackSet").find((s) => s.inputs.name === "patching-member-regional");
        assert.deepEqual([regional?.inputs.templateUrl, regional?.inputs.templateBody], [templateUrl(BUCKET, "us-east-1", key), undefined]);
    });

    it("keeps TemplateBody for the template that fits (no object for it)", () => {
        const account = recorder.find("aws:cloudformation/stackSet:StackSet").find((s) => s.inputs.name === "patching-member-account");
        assert.deepEqual([account?.inputs.templateBody, account?.inputs.templateUrl], [templateBody(accountTemplate(big.context)), undefined]);
        assert.equal(recorder.find("aws:s3/bucketObjectv2:BucketObjectv2").length, 1);
    });
});
