import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { plainValue, SECRET_MASK, UNKNOWN_MARK } from "../../tools/mock/plainValues";
import { PROGRAM_INVOKES } from "../../tools/mock/invokes";
import { mockArn, mockAwsxVpcOutputs } from "../../tools/mock/mockState";
import { settle, startMockRuntime } from "../../tools/mock/runtime";
import { promiseOf } from "../../tools/mock/promiseOf";

describe("tools/mock: the shared mock harness", () => {
    it("masks secrets, marks unknowns and turns resource references into URNs", () => {
        const wire = {
            plain: "x",
            secret: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "activation-code" },
            nested: [{ deeper: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: { a: 1 } } }],
            unknown: pulumi.runtime.unknownValue,
            ref: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialResourceSig, urn: "urn:pulumi:s::p::t::n" },
        };
        const plain = plainValue(wire);
        assert.deepEqual(plain, { plain: "x", secret: SECRET_MASK, nested: [{ deeper: SECRET_MASK }], unknown: UNKNOWN_MARK, ref: { $ref: "urn:pulumi:s::p::t::n" } });
        assert.doesNotMatch(JSON.stringify(plain), /activation-code/);
    });

    it("summarises assets by size and digest instead of copying their contents into the plan", () => {
        const archive = {
            [pulumi.runtime.specialSigKey]: pulumi.runtime.specialArchiveSig,
            assets: { "index.js": { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialAssetSig, text: "exports.handler = 1;" } },
        };
        assert.deepEqual(plainValue(archive), {
            $archive: { "index.js": { $asset: "text", bytes: 20, sha256: "b44ee8d43accd441bb0793e1a2d41f32801b142ee64ebd8a980dfc77670eafb5" } },
        });
    });

    it("builds account- and Region-specific ARNs", () => {
        assert.equal(mockArn("aws:iam/role:Role", "r", "111111111111", "us-west-2"), "arn:aws:iam::111111111111:role/r");
        assert.equal(mockArn("aws:s3/bucketV2:BucketV2", "b", "111111111111", "us-west-2"), "arn:aws:s3:::b");
        assert.equal(mockArn("aws:sns/topic:Topic", "t", "111111111111", "eu-west-2"), "arn:aws:sns:eu-west-2:111111111111:topic/t");
    });

    it("records parent and provider of every registration and throws on unmocked invokes", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, invokes: { "test:index:answer": () => ({ value: 42 }) } });
        const { Provider } = await import("@pulumi/aws/provider");
        const provider = new Provider("aws-x", { region: "us-west-2", allowedAccountIds: ["111111111111"] });
        const component = new pulumi.ComponentResource("test:index:Box", "box", {}, { provider });
        const { Topic } = await import("@pulumi/aws/sns/topic");
        const topic = new Topic("box-topic", { region: "eu-west-2" }, { parent: component });
        assert.equal(await promiseOf(topic.arn), "arn:aws:sns:eu-west-2:111111111111:topic/box-topic");
        const answered = await pulumi.runtime.invoke("test:index:answer", {}, { provider });
        assert.equal(answered.value, 42);
        await assert.rejects(() => pulumi.runtime.invoke("aws:index/getRegion:getRegion", {}, { provider }));
        assert.deepEqual(recorder.invokeFailures, ["unmocked invoke aws:index/getRegion:getRegion: add an answer to tools/mock/invokes.ts"]);
        await settle();
        const recorded = recorder.get("aws:sns/topic:Topic", "box-topic");
        assert.equal(recorded.parent, recorder.get("test:index:Box", "box").urn);
        assert.equal(recorder.providerOf(recorded)?.name, "aws-x");
    });

    it("answers awsx.ec2.Vpc (one remote registration, no children) with AWS-shaped subnet ids per AZ", async () => {
        const recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const { Vpc } = await import("@pulumi/awsx/ec2");
        const vpc = new Vpc("net-vpc", { region: "eu-west-2", numberOfAvailabilityZones: 2, subnetSpecs: [{ type: "Private" }, { type: "Public" }, { type: "Private" }] });
        const privateIds = await promiseOf(vpc.privateSubnetIds);
        assert.equal(privateIds.length, 4, "two private specs × two AZs");
        assert.ok([...privateIds, await promiseOf(vpc.vpcId)].every((id) => /^(subnet|vpc)-[0-9a-f]{17}$/.test(id)), privateIds.join());
        assert.equal(new Set(privateIds).size, 4);
        assert.equal((await promiseOf(vpc.publicSubnetIds)).length, 2);
        assert.deepEqual(await promiseOf(vpc.isolatedSubnetIds), []);
        assert.deepEqual(mockAwsxVpcOutputs("net-vpc", { numberOfAvailabilityZones: 2, subnetSpecs: [{ type: "Private" }, { type: "Public" }, { type: "Private" }] })["privateSubnetIds"], privateIds, "deterministic");
        assert.equal((mockAwsxVpcOutputs("other", {})["publicSubnetIds"] as string[]).length, 3, "awsx defaults: private + public in 3 AZs");
        await settle();
        const recorded = recorder.get("awsx:ec2:Vpc", "net-vpc");
        assert.equal(recorded.custom, false, "a remote component registers as a component");
        assert.equal(recorder.resources.filter((r) => r.parent === recorded.urn).length, 0, "its children live in the awsx plugin, not in the mock engine");
    });

    it("answers getRouteTables with one table per associated subnet", () => {
        const answer = PROGRAM_INVOKES["aws:ec2/getRouteTables:getRouteTables"];
        const filters = [{ name: "association.subnet-id", values: ["subnet-a", "subnet-b"] }];
        const first = answer({ region: "eu-west-2", vpcId: "vpc-1", filters }, {});
        assert.equal((first.ids as string[]).length, 2);
        assert.ok((first.ids as string[]).every((id) => /^rtb-[0-9a-f]{17}$/.test(id)));
        assert.deepEqual(answer({ vpcId: "vpc-1", filters }, { region: "us-west-2" }), { ...first, id: "us-west-2", region: "us-west-2" }, "same ids for the same subnets");
        assert.equal((answer({ vpcId: "vpc-1" }, {}).ids as string[]).length, 1, "no filter: the main table");
    });
});
