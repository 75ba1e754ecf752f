import { strict as assert } from "node:assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { interfaceEndpointPolicy, s3GatewayEndpointPolicy, type EndpointPolicyDocument, type EndpointPrincipals } from "../../../components/network/connectivityPolicies";
import { ENDPOINT_POLICY_SUPPORTED, endpointAzHoursPerMonth, PATCH_BASELINE_SNAPSHOT_SUFFIXES } from "../../../catalog/vpcEndpoints";
import type { SsmPrivateConnectivity, SsmPrivateConnectivityArgs } from "../../../components/network/ssmPrivateConnectivity";
import type { ConnectivityNetwork } from "../../../catalog/vpc";
import { PROGRAM_INVOKES, type InvokeHandler } from "../../../tools/mock/invokes";
import { mockAwsxVpcOutputs } from "../../../tools/mock/mockState";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

const ACCOUNT = "222222222222";
const LOGS = [`patching-patch-logs-${ACCOUNT}-eu-west-2`, `patching-inventory-logs-${ACCOUNT}-eu-west-2`];
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const ROUTE_TABLES = "aws:ec2/getRouteTables:getRouteTables";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"];
const GIVEN_GROUPS = ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"];

const ESTATE: EndpointPrincipals = { kind: "accounts", accountIds: ["111111111111", ACCOUNT] };
const ORGANIZATION: EndpointPrincipals = { kind: "organization", organizationId: "o-abcdefghij" };
const NEW: SsmPrivateConnectivityArgs = { region: "eu-west-2", accountId: ACCOUNT, network: { kind: "new", cidrBlock: "10.20.0.0/20", natGateways: "Single" }, logBucketNames: LOGS, endpointPrincipals: ESTATE };
const EXISTING_NETWORK: Extract<ConnectivityNetwork, { kind: "existing" }> = {
    kind: "existing",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: SUBNETS,
    routeTableIds: ["rtb-0123456789abcdef0"],
    instanceSecurityGroupIds: GIVEN_GROUPS,
};
const EXISTING: SsmPrivateConnectivityArgs = { region: "eu-west-2", accountId: ACCOUNT, network: EXISTING_NETWORK, logBucketNames: LOGS, endpointPrincipals: ORGANIZATION };

/**
 * One request through an interface endpoint, evaluated by iam-simulate with the endpoint policy in
 * play (`vpcEndpointPolicies`) and a caller whose own policy allows everything, so the endpoint
 * policy alone decides.
 */
async function throughEndpoint(endpointPolicy: EndpointPolicyDocument, caller: string, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
    const callerAccount = caller.split(":")[4];
    const result = await runSimulation(
        {
            request: { principal: caller, action, resource: { resource, accountId: resource.split(":")[4] || callerAccount }, contextVariables: context },
            identityPolicies: [{ name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            vpcEndpointPolicies: [{ name: "endpoint", policy: endpointPolicy }],
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(JSON.stringify(result.errors));
    }
    return result.overallResult;
}

describe("components/connectivityPolicies: the interface endpoint policy (issue 14, Low)", () => {
    it("admits principals of the estate's accounts, sorted and unique, or of the organization", () => {
        assert.deepEqual(interfaceEndpointPolicy({ kind: "accounts", accountIds: [ACCOUNT, "111111111111", ACCOUNT] }), {
            Version: "2012-10-17",
            Statement: [{ Sid: "EstatePrincipalsOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: ["*"], Condition: { StringEquals: { "aws:PrincipalAccount": ["111111111111", ACCOUNT] } } }],
        });
        assert.deepEqual(interfaceEndpointPolicy(ORGANIZATION).Statement[0].Condition, { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } });
    });

    it("is set only where the service supports endpoint policies: ssm, kms, logs, ec2, not ssmmessages / ec2messages", () => {
        assert.deepEqual(ENDPOINT_POLICY_SUPPORTED, { ssm: true, ssmmessages: false, ec2messages: false, kms: true, logs: true, ec2: true });
    });

    it("under the simulator: the estate's instance roles pass, outside credentials are stopped at the endpoint", async () => {
        const accounts = interfaceEndpointPolicy(ESTATE);
        const instanceRole = `arn:aws:iam::${ACCOUNT}:role/patching-managed-node`;
        const outsider = "arn:aws:iam::999999999999:role/exfiltration";
        const decisions = {
            agentHeartbeat: await throughEndpoint(accounts, instanceRole, "ssm:UpdateInstanceInformation", `arn:aws:ec2:eu-west-2:${ACCOUNT}:instance/i-0123456789abcdef0`, { "aws:PrincipalAccount": ACCOUNT }),
            centralAccount: await throughEndpoint(accounts, "arn:aws:iam::111111111111:role/ops", "ssm:GetParameter", "arn:aws:ssm:eu-west-2:111111111111:parameter/x", { "aws:PrincipalAccount": "111111111111" }),
            outsiderWritesOwnParameter: await throughEndpoint(accounts, outsider, "ssm:PutParameter", "arn:aws:ssm:eu-west-2:999999999999:parameter/loot", { "aws:PrincipalAccount": "999999999999" }),
            outsiderLogs: await throughEndpoint(accounts, outsider, "logs:PutLogEvents", "arn:aws:logs:eu-west-2:999999999999:log-group:loot:log-stream:x", { "aws:PrincipalAccount": "999999999999" }),
        };
        assert.deepEqual(decisions, { agentHeartbeat: "Allowed", centralAccount: "Allowed", outsiderWritesOwnParameter: "ImplicitlyDenied", outsiderLogs: "ImplicitlyDenied" });
        const organization = interfaceEndpointPolicy(ORGANIZATION);
        const inOrg = { "aws:PrincipalAccount": ACCOUNT, "aws:PrincipalOrgID": "o-abcdefghij" };
        // (Not kms: KMS also needs the key policy's consent, which would hide the endpoint's part.)
        assert.equal(await throughEndpoint(organization, instanceRole, "logs:PutLogEvents", `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:patching:log-stream:i-0123456789abcdef0`, inOrg), "Allowed");
        assert.equal(await throughEndpoint(organization, outsider, "logs:PutLogEvents", "arn:aws:logs:eu-west-2:999999999999:log-group:loot:log-stream:x", { "aws:PrincipalAccount": "999999999999", "aws:PrincipalOrgID": "o-zzzzzzzzzz" }), "ImplicitlyDenied");
    });
});

describe("components/connectivityPolicies: the S3 gateway endpoint policy", () => {
    it("allows exactly the patching buckets, the Amazon Linux repositories and this account's log writes (us-west-2)", () => {
        const expected: EndpointPolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "SystemsManagerAndPatchManagerBuckets",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:GetObject",
                    Resource: [
                        "arn:aws:s3:::amazon-ssm-us-west-2/*",
                        "arn:aws:s3:::aws-patch-manager-us-west-2-34d7f99f8/*",
                        "arn:aws:s3:::aws-ssm-us-west-2/*",
                        "arn:aws:s3:::aws-windows-downloads-us-west-2/*",
                        "arn:aws:s3:::patch-baseline-snapshot-us-west-2/*",
                    ],
                },
                {
                    Sid: "AmazonLinuxRepositories",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:GetObject",
                    Resource: ["arn:aws:s3:::al2023-repos-us-west-2-de612dc2/*", "arn:aws:s3:::amazonlinux-2-repos-us-west-2/*", "arn:aws:s3:::amazonlinux.us-west-2.amazonaws.com/*"],
                },
                {
                    Sid: "WriteCommandOutputToLogBuckets",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:PutObject",
                    Resource: ["arn:aws:s3:::inv/*", "arn:aws:s3:::patch/*"],
                    Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
                },
                {
                    Sid: "ReadLogBucketEncryption",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:GetEncryptionConfiguration",
                    Resource: ["arn:aws:s3:::inv", "arn:aws:s3:::patch"],
                    Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
                },
            ],
        };
        assert.deepEqual(s3GatewayEndpointPolicy("us-west-2", ACCOUNT, ["patch", "inv"]), expected);
        assert.equal(JSON.stringify(s3GatewayEndpointPolicy("us-west-2", ACCOUNT, ["inv", "patch"])), JSON.stringify(expected), "input order does not matter");
    });

    const EXCEPTIONS: [string, string, string][] = [
        ["me-south-1", "patch-baseline-snapshot-me-south-1-uduvl7q8", "aws-patch-manager-me-south-1-a53fc9dce"],
        ["af-south-1", "patch-baseline-snapshot-af-south-1-tbxdb5b9", "aws-patch-manager-af-south-1-bdd5f65a9"],
        ["eu-south-2", "patch-baseline-snapshot-eu-south-2-df2c9d70", "aws-patch-manager-eu-south-2-a4cf248b1"],
    ];
    for (const [region, snapshot, patchManager] of EXCEPTIONS) {
        it(`uses the documented bucket names in ${region}`, () => {
            const resources = s3GatewayEndpointPolicy(region, ACCOUNT, ["b"]).Statement[0].Resource;
            assert.ok(resources.includes(`arn:aws:s3:::${snapshot}/*`), resources.join());
            assert.ok(resources.includes(`arn:aws:s3:::${patchManager}/*`), resources.join());
            assert.ok(!resources.includes(`arn:aws:s3:::patch-baseline-snapshot-${region}/*`), "no unsuffixed snapshot bucket");
        });
    }

    it("knows all six Regions with a suffixed snapshot bucket and refuses a Region it has no table entry for", () => {
        assert.deepEqual(Object.keys(PATCH_BASELINE_SNAPSHOT_SUFFIXES).sort(), ["af-south-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "eu-south-2", "me-south-1"]);
        assert.throws(() => s3GatewayEndpointPolicy("xx-nowhere-1", ACCOUNT, ["b"]), /no Patch Manager buckets known for Region "xx-nowhere-1"/);
    });

    it("restricts every statement by resource and never grants ACL writes or wildcards", () => {
        for (const statement of s3GatewayEndpointPolicy("eu-west-2", ACCOUNT, LOGS).Statement) {
            assert.ok(statement.Resource.length > 0 && statement.Resource.every((arn) => /^arn:aws:s3:::[a-z0-9.-]+(\/\*)?$/.test(arn)), statement.Sid);
            assert.doesNotMatch(statement.Action, /\*|Acl/);
        }
    });

    it("prices interface endpoints per AZ-hour at 730 hours a month", () => {
        assert.equal(endpointAzHoursPerMonth(3, 2), 4380);
        assert.equal(endpointAzHoursPerMonth(0, 2), 0);
    });
});

describe("SsmPrivateConnectivity argument validation", () => {
    let validate: (args: SsmPrivateConnectivityArgs) => void;
    before(async () => ({ validateSsmPrivateConnectivityArgs: validate } = await import("../../../components/network/ssmPrivateConnectivity")));

    const network = (change: Partial<typeof EXISTING_NETWORK>): SsmPrivateConnectivityArgs => ({ ...EXISTING, network: { ...EXISTING_NETWORK, ...change } });
    const CASES: [string, SsmPrivateConnectivityArgs, string][] = [
        ["a prefix too long for 4 subnets", { ...NEW, network: { kind: "new", cidrBlock: "10.0.0.0/25", natGateways: "Single" } }, 'network.cidrBlock "10.0.0.0/25" is not an IPv4 CIDR block with a /16 to /24 prefix (a public and a private subnet in each of 2 Availability Zones)'],
        ["an octet above 255", { ...NEW, network: { kind: "new", cidrBlock: "10.300.0.0/16", natGateways: "None" } }, 'network.cidrBlock "10.300.0.0/16" is not an IPv4 CIDR block'],
        ["host bits", { ...NEW, network: { kind: "new", cidrBlock: "10.0.1.0/16", natGateways: "None" } }, 'network.cidrBlock "10.0.1.0/16" has host bits set; did you mean "10.0.0.0/16"?'],
        ["a bad VPC id", network({ vpcId: "vpc-xyz" }), 'network.vpcId "vpc-xyz" is not a VPC id (vpc- and 8 or 17 hex digits)'],
        ["a route table id in subnetIds", network({ subnetIds: [SUBNETS[0], "rtb-0123456789abcdef0"] }), 'network.subnetIds[1] "rtb-0123456789abcdef0" is not a subnet id (subnet- and 8 or 17 hex digits)'],
        ["a repeated subnet", network({ subnetIds: [SUBNETS[0], SUBNETS[1], SUBNETS[0]] }), `network.subnetIds[2] "${SUBNETS[0]}" duplicates network.subnetIds[0]`],
        ["no subnets", network({ subnetIds: [] }), "network.subnetIds has 0 entries; give 1 to 6, one per Availability Zone"],
        ["seven subnets", network({ subnetIds: Array.from({ length: 7 }, (_, i) => `subnet-0000000${i}`) }), "network.subnetIds has 7 entries"],
        ["a bad route table id", network({ routeTableIds: ["rtb-1"] }), 'network.routeTableIds[0] "rtb-1" is not a route table id (rtb- and 8 or 17 hex digits)'],
        ["a bad security group id", network({ instanceSecurityGroupIds: ["default"] }), 'network.instanceSecurityGroupIds[0] "default" is not a security group id (sg- and 8 or 17 hex digits)'],
        ["a duplicate optional endpoint", { ...NEW, optionalEndpoints: ["kms", "logs", "kms"] }, 'optionalEndpoints[2] "kms" duplicates optionalEndpoints[0]'],
        ["an unknown optional endpoint", { ...NEW, optionalEndpoints: ["sts" as "kms"] }, 'optionalEndpoints[0] "sts" is not one of kms, logs, ec2'],
        ["no log buckets", { ...NEW, logBucketNames: [] }, "logBucketNames is empty; instances need the account's log buckets to write command output to"],
        ["a bad log bucket name", { ...NEW, logBucketNames: ["Logs_Bucket"] }, 'logBucketNames[0] "Logs_Bucket" is not a valid S3 bucket name'],
        ["a Region without Patch Manager buckets", { ...NEW, region: "cn-north-1" }, 'region "cn-north-1" has no Patch Manager buckets in catalog/vpcEndpoints.ts (known: af-south-1, '],
        ["a short account id", { ...NEW, accountId: "2222" }, 'accountId "2222" is not a 12-digit AWS account id'],
        ["no endpoint principals", { ...NEW, endpointPrincipals: { kind: "accounts", accountIds: [] } }, "endpointPrincipals.accountIds is empty; the endpoint policy would admit no one, not even this account's instances"],
        ["a bad principal account", { ...NEW, endpointPrincipals: { kind: "accounts", accountIds: [ACCOUNT, "1111"] } }, 'endpointPrincipals.accountIds[1] "1111" is not a 12-digit AWS account id'],
        ["principals without this account", { ...NEW, endpointPrincipals: { kind: "accounts", accountIds: ["111111111111"] } }, `endpointPrincipals.accountIds does not include accountId ${ACCOUNT}; this account's instances could not use their own endpoints`],
        [
            "an endpoint policy over 20,480 characters",
            { ...NEW, endpointPrincipals: { kind: "accounts", accountIds: [ACCOUNT, ...Array.from({ length: 1400 }, (_, i) => String(100000000000 + i))] } },
            "endpointPrincipals.accountIds (1401 accounts) renders a 21203-character endpoint policy, over the 20480 AWS allows; use the organization instead",
        ],
        ["a bad organization id", { ...NEW, endpointPrincipals: { kind: "organization", organizationId: "o-1" } }, 'endpointPrincipals.organizationId "o-1" is not an AWS Organizations id (o- followed by 10-32 lowercase letters or digits)'],
    ];
    for (const [description, args, message] of CASES) {
        it(`rejects ${description}`, () => {
            assert.throws(() => validate(args), (error: Error) => error.message.startsWith(`SsmPrivateConnectivity: ${message}`) || assert.fail(error.message));
        });
    }

    it("accepts both network kinds as given", () => {
        validate(NEW);
        validate(EXISTING);
        validate({ ...NEW, network: { kind: "new", cidrBlock: "172.16.0.0/24", natGateways: "OnePerAz" }, optionalEndpoints: ["kms", "logs", "ec2"] });
    });
});

/** The component under the mock runtime, both network kinds, with the invoke's provider recorded. */
async function runComponents(preview: boolean) {
    const invokedWith: { accountId?: string; region?: string }[] = [];
    const routeTables: InvokeHandler = (inputs, provider) => (invokedWith.push(provider), PROGRAM_INVOKES[ROUTE_TABLES](inputs, provider));
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview, invokes: { [ROUTE_TABLES]: routeTables } });
    const { SsmPrivateConnectivity } = await import("../../../components/network/ssmPrivateConnectivity");
    const { Provider } = await import("@pulumi/aws/provider");
    const { Provider: AwsxProvider } = await import("@pulumi/awsx/provider");
    const aws = new Provider("aws-member", { region: "us-west-2", allowedAccountIds: [ACCOUNT] });
    const awsx = new AwsxProvider("awsx");
    const components = {
        fresh: new SsmPrivateConnectivity("fresh", { ...NEW, optionalEndpoints: ["kms", "logs"] }, { providers: [aws, awsx] }),
        existing: new SsmPrivateConnectivity("existing", EXISTING, { provider: aws }),
        bare: new SsmPrivateConnectivity("bare", { ...EXISTING, network: { ...EXISTING_NETWORK, routeTableIds: [], instanceSecurityGroupIds: [] } }, { provider: aws }),
    };
    await settle();
    return { recorder, invokedWith, components, aws, SsmPrivateConnectivity };
}

describe("SsmPrivateConnectivity under the mock runtime", () => {
    let run: Awaited<ReturnType<typeof runComponents>>;
    let recorder: ResourceRecorder;
    const providerName = (resource: RecordedResource) => recorder.providerOf(resource)?.name;
    const ingressTo = (groupId: unknown) => recorder.find(INGRESS).filter((rule) => rule.inputs.securityGroupId === groupId);

    before(async () => {
        run = await runComponents(false);
        recorder = run.recorder;
    });

    it("new: an awsx VPC with DNS on, 2 AZs, public + private subnets and the NAT choice, through the awsx provider", () => {
        const vpc = recorder.get("awsx:ec2:Vpc", "fresh-vpc");
        const { region, cidrBlock, numberOfAvailabilityZones, natGateways, enableDnsHostnames, enableDnsSupport, subnetStrategy, subnetSpecs } = vpc.inputs;
        assert.deepEqual(
            { region, cidrBlock, numberOfAvailabilityZones, natGateways, enableDnsHostnames, enableDnsSupport, subnetStrategy, subnetSpecs },
            { region: "eu-west-2", cidrBlock: "10.20.0.0/20", numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" }, enableDnsHostnames: true, enableDnsSupport: true, subnetStrategy: "Auto", subnetSpecs: [{ type: "Private" }, { type: "Public" }] },
        );
        assert.equal(providerName(vpc), "awsx");
    });

    it("new: one interface endpoint per service with private DNS in the private subnets, on the account's provider", async () => {
        const vpc = mockAwsxVpcOutputs("fresh-vpc", recorder.get("awsx:ec2:Vpc", "fresh-vpc").inputs);
        assert.deepEqual(await promiseOf(run.components.fresh.privateSubnetIds), vpc["privateSubnetIds"]);
        const endpointGroup = await promiseOf(run.components.fresh.endpointSecurityGroupId);
        for (const service of ["ssm", "ssmmessages", "ec2messages", "kms", "logs"]) {
            const endpoint = recorder.get(ENDPOINT, `fresh-${service}`);
            const { vpcEndpointType, privateDnsEnabled, region, serviceName, subnetIds, securityGroupIds, vpcId } = endpoint.inputs;
            assert.deepEqual(
                { vpcEndpointType, privateDnsEnabled, region, serviceName, subnetIds, securityGroupIds, vpcId },
                { vpcEndpointType: "Interface", privateDnsEnabled: true, region: "eu-west-2", serviceName: `com.amazonaws.eu-west-2.${service}`, subnetIds: vpc["privateSubnetIds"], securityGroupIds: [endpointGroup], vpcId: vpc["vpcId"] },
            );
            assert.equal(providerName(endpoint), "aws-member");
        }
        assert.equal(recorder.find(ENDPOINT, "fresh-ec2").length, 0, "ec2 was not asked for");
        assert.deepEqual(Object.keys(run.components.fresh.interfaceEndpointIds).sort(), ["ec2messages", "kms", "logs", "ssm", "ssmmessages"]);
    });

    it("gives every interface endpoint whose service supports it the estate-only policy, and leaves ssmmessages / ec2messages on the default", () => {
        const policies = Object.fromEntries(recorder.find(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface").map((e) => [e.name, e.inputs.policy === undefined ? undefined : JSON.parse(e.inputs.policy as string)]));
        const accounts = interfaceEndpointPolicy(ESTATE);
        const organization = interfaceEndpointPolicy(ORGANIZATION);
        assert.deepEqual(policies, {
            "fresh-ssm": accounts,
            "fresh-ssmmessages": undefined,
            "fresh-ec2messages": undefined,
            "fresh-kms": accounts,
            "fresh-logs": accounts,
            "existing-ssm": organization,
            "existing-ssmmessages": undefined,
            "existing-ec2messages": undefined,
            "bare-ssm": organization,
            "bare-ssmmessages": undefined,
            "bare-ec2messages": undefined,
        });
        assert.equal(run.components.fresh.interfaceEndpointAzCount, 10);
    });

    it("new: the endpoint group admits only TCP 443 from the created instance group, which has no ingress and egress 443/80 only", async () => {
        const [instances] = await promiseOf(run.components.fresh.instanceSecurityGroupIds);
        const endpointGroup = await promiseOf(run.components.fresh.endpointSecurityGroupId);
        const rules = ingressTo(endpointGroup);
        assert.deepEqual(
            rules.map(({ name, inputs: { ipProtocol, fromPort, toPort, referencedSecurityGroupId, cidrIpv4 } }) => ({ name, ipProtocol, fromPort, toPort, referencedSecurityGroupId, cidrIpv4 })),
            [{ name: "fresh-endpoints-from-instances", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: instances, cidrIpv4: undefined }],
        );
        assert.equal(recorder.get(GROUP, "fresh-instances").inputs.vpcId, mockAwsxVpcOutputs("fresh-vpc", recorder.get("awsx:ec2:Vpc", "fresh-vpc").inputs)["vpcId"]);
        assert.deepEqual(ingressTo(instances), []);
        const egress = recorder.find(EGRESS).filter((rule) => rule.inputs.securityGroupId === instances);
        assert.deepEqual(egress.map((rule) => [rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.cidrIpv4]).sort(), [["tcp", 443, 443, "0.0.0.0/0"], ["tcp", 80, 80, "0.0.0.0/0"]]);
        assert.deepEqual(recorder.find(EGRESS).filter((rule) => rule.inputs.securityGroupId === endpointGroup), [], "endpoints need no egress");
        for (const group of ["fresh-endpoints", "fresh-instances"]) {
            const { ingress, egress: inline } = recorder.get(GROUP, group).inputs;
            assert.deepEqual([ingress, inline], [undefined, undefined], `${group} carries no inline rules`);
        }
    });

    it("new: an S3 gateway endpoint on the private route tables, looked up through the account's provider, with the patching policy", () => {
        const vpc = mockAwsxVpcOutputs("fresh-vpc", recorder.get("awsx:ec2:Vpc", "fresh-vpc").inputs);
        const filters = [{ name: "association.subnet-id", values: vpc["privateSubnetIds"] }];
        const tables = (PROGRAM_INVOKES[ROUTE_TABLES]({ region: "eu-west-2", vpcId: vpc["vpcId"], filters }, {}).ids as string[]).sort();
        const gateway = recorder.get(ENDPOINT, "fresh-s3");
        assert.deepEqual(
            { type: gateway.inputs.vpcEndpointType, service: gateway.inputs.serviceName, tables: gateway.inputs.routeTableIds, region: gateway.inputs.region },
            { type: "Gateway", service: "com.amazonaws.eu-west-2.s3", tables, region: "eu-west-2" },
        );
        assert.deepEqual(JSON.parse(gateway.inputs.policy as string), s3GatewayEndpointPolicy("eu-west-2", ACCOUNT, LOGS));
        assert.equal(providerName(gateway), "aws-member");
        assert.deepEqual(run.invokedWith, [{ accountId: ACCOUNT, region: "us-west-2" }], "the route-table lookup went to the member account's provider");
    });

    it("existing: endpoints in the given subnets, 443 from each given group, gateway on the given route tables, no group created", async () => {
        const existing = run.components.existing;
        assert.deepEqual(recorder.get(ENDPOINT, "existing-ssm").inputs.subnetIds, SUBNETS);
        assert.equal(recorder.get(ENDPOINT, "existing-ssm").inputs.vpcId, "vpc-0123456789abcdef0");
        assert.equal(existing.interfaceEndpointAzCount, 9);
        const rules = ingressTo(await promiseOf(existing.endpointSecurityGroupId));
        assert.deepEqual(rules.map((rule) => [rule.name, rule.inputs.referencedSecurityGroupId, rule.inputs.fromPort, rule.inputs.toPort]), GIVEN_GROUPS.map((id) => [`existing-endpoints-from-${id}`, id, 443, 443]));
        assert.equal(recorder.find(GROUP, "existing-instances").length, 0);
        assert.deepEqual(await promiseOf(existing.instanceSecurityGroupIds), GIVEN_GROUPS);
        assert.deepEqual(recorder.get(ENDPOINT, "existing-s3").inputs.routeTableIds, ["rtb-0123456789abcdef0"]);
    });

    it("existing without route tables: no S3 gateway endpoint; without groups: creates the instances' group", async () => {
        assert.equal(recorder.find(ENDPOINT, "bare-s3").length, 0);
        assert.equal(run.components.bare.s3GatewayEndpointId, undefined);
        const [instances] = await promiseOf(run.components.bare.instanceSecurityGroupIds);
        assert.equal(instances, "bare-instances-id");
        assert.deepEqual(ingressTo(await promiseOf(run.components.bare.endpointSecurityGroupId)).map((rule) => rule.inputs.referencedSecurityGroupId), [instances]);
    });

    it("registers every (type, name, parent) once", () => {
        const keys = recorder.resources.map((r) => `${r.type} ${r.name} ${r.parent ?? ""}`);
        assert.deepEqual(keys.filter((key, index) => keys.indexOf(key) !== index), []);
    });

    it("refuses a new VPC without an explicit awsx provider (default providers are disabled in the stacks)", () => {
        const orphan = () => new run.SsmPrivateConnectivity("no-awsx", NEW, { provider: run.aws }) as SsmPrivateConnectivity;
        assert.throws(orphan, /SsmPrivateConnectivity no-awsx: network.kind "new" builds an awsx.ec2.Vpc, .* pass an awsx provider/);
    });
});

describe("SsmPrivateConnectivity in preview mode", () => {
    it("evaluates both network kinds without errors", async () => {
        const failures: unknown[] = [];
        const onRejection = (reason: unknown) => failures.push(reason);
        process.on("unhandledRejection", onRejection);
        try {
            const { recorder } = await runComponents(true);
            assert.equal(recorder.find(ENDPOINT).filter((endpoint) => endpoint.inputs.vpcEndpointType === "Interface").length, 11, "5 + 3 + 3");
            assert.equal(recorder.find(ENDPOINT, "fresh-s3").length, 1);
            assert.deepEqual([recorder.invokeFailures, failures], [[], []]);
        } finally {
            process.off("unhandledRejection", onRejection);
        }
    });
});
