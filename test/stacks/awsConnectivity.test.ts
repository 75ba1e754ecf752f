import { strict as assert } from "node:assert";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

describe("private SSM connectivity wired from the stack config", () => {
    const evaluations: Record<string, Evaluation> = {};
    const providerName = (stack: string, r: RecordedResource) => evaluations[stack].recorder.providerOf(r)?.name;

    before(async () => {
        for (const stack of ["dev", "prod"]) {
            evaluations[stack] = await evaluatedStack(stack);
        }
    });

    it("dev: builds a two-AZ awsx VPC in dev-apps eu-west-2 with one NAT gateway and the three SSM endpoints", () => {
        const { recorder } = evaluations.dev;
        const vpc = recorder.get("awsx:ec2:Vpc", "dev-apps-eu-west-2-connectivity-vpc");
        assert.equal(vpc.inputs.region, "eu-west-2");
        assert.equal(vpc.inputs.cidrBlock, "10.20.0.0/16");
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 2);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
        const endpoints = recorder.find(ENDPOINT);
        const interfaces = endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface");
        assert.deepEqual(interfaces.map((e) => e.inputs.serviceName).sort(), ["ec2messages", "ssm", "ssmmessages"].map((s) => `com.amazonaws.eu-west-2.${s}`));
        for (const endpoint of endpoints) {
            assert.equal(providerName("dev", endpoint), "aws-dev-apps");
            assert.equal(endpoint.inputs.region, "eu-west-2");
        }
        assert.ok(interfaces.every((e) => e.inputs.privateDnsEnabled === true));
        assert.equal(endpoints.filter((e) => e.inputs.vpcEndpointType === "Gateway").length, 1);
    });

    it("limits the interface endpoints that support a policy to the estate's accounts (no organizationId configured)", () => {
        const estateAccounts: Record<string, string[]> = { dev: ["444444444444", "555555555555"], prod: ["111111111111", "222222222222", "333333333333"] };
        for (const stack of ["dev", "prod"]) {
            const interfaces = evaluations[stack].recorder.find(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
            const policyOf = (service: string) => interfaces.find((e) => String(e.inputs.serviceName).endsWith(`.${service}`))?.inputs.policy;
            const expected = { Version: "2012-10-17", Statement: [{ Sid: "EstatePrincipalsOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: ["*"], Condition: { StringEquals: { "aws:PrincipalAccount": estateAccounts[stack] } } }] };
            assert.deepEqual(JSON.parse(String(policyOf("ssm"))), expected, `${stack} ssm`);
            assert.deepEqual([policyOf("ssmmessages"), policyOf("ec2messages")], [undefined, undefined], `${stack}: no policy where the service supports none`);
        }
        const prod = evaluations.prod.recorder.find(ENDPOINT).filter((e) => /\.(kms|logs)$/.test(String(e.inputs.serviceName)));
        assert.equal(prod.filter((e) => e.inputs.policy !== undefined).length, 2, "prod's optional kms and logs endpoints carry it too");
    });

    it("prod: uses the application account's existing VPC, its subnets and route tables, and no awsx", () => {
        const { recorder } = evaluations.prod;
        assert.equal(recorder.find("awsx:ec2:Vpc").length, 0);
        assert.equal(recorder.find("pulumi:providers:awsx").length, 0, "no awsx provider unless a VPC is built");
        const interfaces = recorder.find(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        assert.deepEqual(interfaces.map((e) => String(e.inputs.serviceName).split(".").pop()).sort(), ["ec2messages", "kms", "logs", "ssm", "ssmmessages"]);
        for (const endpoint of interfaces) {
            assert.equal(providerName("prod", endpoint), "aws-application");
            assert.equal(endpoint.inputs.vpcId, "vpc-0a1b2c3d4e5f60718");
            assert.deepEqual(endpoint.inputs.subnetIds, ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]);
        }
        const gateway = recorder.find(ENDPOINT).find((e) => e.inputs.vpcEndpointType === "Gateway");
        assert.ok(gateway);
        assert.deepEqual(gateway.inputs.routeTableIds, ["rtb-0a1b2c3d4e5f60733", "rtb-0a1b2c3d4e5f60744"]);
        const resources = JSON.parse(String(gateway.inputs.policy)).Statement.flatMap((s: { Resource: string | string[] }) => s.Resource);
        for (const bucket of ["patching-patch-logs-333333333333-us-west-2", "patching-inventory-logs-333333333333-us-west-2", "aws-ssm-us-west-2", "patch-baseline-snapshot-us-west-2"]) {
            assert.ok(resources.includes(`arn:aws:s3:::${bucket}/*`), bucket);
        }
    });
});
