import { strict as assert } from "node:assert";
import { ssmInterfaceEndpointHttpsOnly, ssmInterfaceEndpointPrivateDns } from "../../policies/network";
import type { RecordedResource } from "../../tools/mock/recorder";
import { awsProvider, idOf, MEMBER, messages, resource } from "./helpers";

const provider = awsProvider("apps", MEMBER);

/** An endpoint, its security group and one ingress rule, as SsmPrivateConnectivity builds them. */
function endpointWithGroup(rule: Record<string, unknown> = {}, endpoint: Record<string, unknown> = {}, group: Record<string, unknown> = {}): RecordedResource[] {
    const sg = resource("aws:ec2/securityGroup:SecurityGroup", "endpoints", { vpcId: "vpc-1", region: "us-west-2", ...group }, { provider });
    const ingress = resource(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "endpoints-from-instances",
        { securityGroupId: idOf(sg), ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-instances", region: "us-west-2", ...rule },
        { provider, dependsOn: [sg] },
    );
    const ssm = resource(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "ssm",
        { vpcEndpointType: "Interface", serviceName: "com.amazonaws.us-west-2.ssm", privateDnsEnabled: true, securityGroupIds: [idOf(sg)], subnetIds: ["subnet-1"], region: "us-west-2", ...endpoint },
        { provider, dependsOn: [sg] },
    );
    return [provider, sg, ingress, ssm];
}

describe("policies/network", () => {
    describe("ssm-interface-endpoint-private-dns", () => {
        it("passes private DNS on", async () => assert.deepEqual(await messages(ssmInterfaceEndpointPrivateDns, endpointWithGroup()), []));
        it("fails private DNS off", async () => {
            assert.deepEqual(await messages(ssmInterfaceEndpointPrivateDns, endpointWithGroup({}, { privateDnsEnabled: false })), [
                "interface endpoint ssm (com.amazonaws.us-west-2.ssm) has private DNS off: the agent would keep resolving the public endpoint",
            ]);
        });
        it("ignores gateway endpoints and other services", async () => {
            assert.deepEqual(await messages(ssmInterfaceEndpointPrivateDns, endpointWithGroup({}, { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-west-2.s3", privateDnsEnabled: false })), []);
            assert.deepEqual(await messages(ssmInterfaceEndpointPrivateDns, endpointWithGroup({}, { serviceName: "com.amazonaws.us-west-2.sqs", privateDnsEnabled: false })), []);
        });
    });

    describe("ssm-interface-endpoint-https-only", () => {
        it("passes a group whose only ingress is TCP 443", async () => assert.deepEqual(await messages(ssmInterfaceEndpointHttpsOnly, endpointWithGroup()), []));
        it("fails a separate ingress rule on another port", async () => {
            assert.deepEqual(await messages(ssmInterfaceEndpointHttpsOnly, endpointWithGroup({ fromPort: 22, toPort: 22 })), [
                "security group endpoints of interface endpoint ssm: endpoints-from-instances allows TCP 22-22; only TCP 443 is allowed",
            ]);
        });
        it("fails an all-traffic rule", async () => {
            assert.match((await messages(ssmInterfaceEndpointHttpsOnly, endpointWithGroup({ ipProtocol: "-1", fromPort: undefined, toPort: undefined })))[0], /allows all traffic/);
        });
        it("fails inline ingress on the group", async () => {
            const inline = { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }] };
            assert.deepEqual(await messages(ssmInterfaceEndpointHttpsOnly, endpointWithGroup({}, {}, inline)), [
                "security group endpoints of interface endpoint ssm: inline rule of endpoints allows TCP 0-65535; only TCP 443 is allowed",
            ]);
        });
        it("fails an endpoint without a security group, or with one this stack does not manage", async () => {
            const resources = endpointWithGroup({}, { securityGroupIds: [] });
            assert.deepEqual(await messages(ssmInterfaceEndpointHttpsOnly, resources), ["interface endpoint ssm names no security group, so it gets the VPC's default group"]);
            const foreign = endpointWithGroup({}, { securityGroupIds: ["sg-0123456789abcdef0"] });
            assert.deepEqual(await messages(ssmInterfaceEndpointHttpsOnly, foreign), ["interface endpoint ssm uses security groups not managed in this stack (sg-0123456789abcdef0); their rules cannot be checked"]);
        });
    });
});
