import { strict as assert } from "node:assert";
import { decodeProviderInput, type ResourceRecorder } from "../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../tools/mock/runtime";
import { flatConfig, TEST_CONTEXT, validRawConfig } from "../fixtures/estateConfig";

describe("stacks/providers: the provider fabric", () => {
    let recorder: ResourceRecorder;

    before(async () => {
        recorder = await startMockRuntime({ project: TEST_CONTEXT.project, stack: TEST_CONTEXT.stack, config: flatConfig(validRawConfig()) });
        const { loadEstateConfig } = await import("../../stacks/config/estateConfig");
        const { createProviders } = await import("../../stacks/providers");
        createProviders(loadEstateConfig());
        await settle();
    });

    const awsProvider = (alias: string) => recorder.get("pulumi:providers:aws", `aws-${alias}`).inputs;

    it("creates exactly one AWS provider per account", () => {
        assert.deepEqual(recorder.find("pulumi:providers:aws").map((p) => p.name).sort(), ["aws-apps", "aws-security"]);
    });

    it("pins each AWS provider to its own account", () => {
        assert.deepEqual(decodeProviderInput(awsProvider("security").allowedAccountIds), ["111111111111"]);
        assert.deepEqual(decodeProviderInput(awsProvider("apps").allowedAccountIds), ["222222222222"]);
    });

    it("assumes the account's deployment role (explicit ARN, or the default role name in that account)", () => {
        assert.deepEqual(decodeProviderInput(awsProvider("security").assumeRoles), [
            { roleArn: "arn:aws:iam::111111111111:role/multicloud-patching-deployer", sessionName: "multicloud-patching-test" },
        ]);
        assert.deepEqual(decodeProviderInput(awsProvider("apps").assumeRoles), [
            { roleArn: "arn:aws:iam::222222222222:role/deployer", sessionName: "multicloud-patching-test" },
        ]);
    });

    it("defaults the central account's provider to the central Region and others to their first Region", () => {
        assert.equal(awsProvider("security").region, "us-east-1");
        assert.equal(awsProvider("apps").region, "us-west-2");
    });

    it("applies the standard tags through defaultTags (transforms do not run under mocks, and tags must not depend on them)", () => {
        assert.deepEqual(decodeProviderInput(awsProvider("apps").defaultTags), {
            tags: { Owner: "platform", Project: "multicloud-patching", Stack: "test", Environment: "prod", ManagedBy: "pulumi" },
        });
    });

    it("creates one azure-native provider per subscription, pinned to subscription and tenant", () => {
        const azure = recorder.find("pulumi:providers:azure-native");
        assert.equal(azure.length, 1);
        assert.equal(azure[0].name, "azure-corp");
        assert.equal(azure[0].inputs.subscriptionId, "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a");
        assert.equal(azure[0].inputs.tenantId, "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f");
    });
});

describe("stacks/providers: session names", () => {
    it("keeps STS RoleSessionName within 64 of [\\w+=,.@-]", async () => {
        const { sessionName } = await import("../../stacks/providers");
        assert.equal(sessionName("multicloud-patching", "org/prod"), "multicloud-patching-org-prod");
        assert.equal(sessionName("p", "x".repeat(100)).length, 64);
    });
});
