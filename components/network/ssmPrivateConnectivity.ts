import * as aws from "@pulumi/aws";
import { Vpc } from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";
import { interfaceEndpointPolicy, listProblem, MAX_ENDPOINT_POLICY_CHARS, s3GatewayEndpointPolicy, type EndpointPrincipals } from "./connectivityPolicies";
import { cidrProblem, idOf, type ConnectivityNetwork } from "../../catalog/vpc";
import { ENDPOINT_POLICY_SUPPORTED, endpointServiceName, OPTIONAL_INTERFACE_ENDPOINTS, PATCH_MANAGER_BUCKET_SUFFIXES, PATCHING_REGIONS, REQUIRED_INTERFACE_ENDPOINTS, type InterfaceEndpointService, type OptionalInterfaceEndpoint } from "../../catalog/vpcEndpoints";

export const SSM_PRIVATE_CONNECTIVITY_DEFAULTS = {
    /**
     * For `network.natGateways` (config default): one NAT gateway is the cheapest layout in which
     * Ubuntu, RHEL and Windows nodes still reach their package/update servers, which are not in
     * S3. "None" suits only Amazon Linux, whose repositories are S3 buckets behind the gateway
     * endpoint. "OnePerAz" survives an AZ outage at twice the NAT cost.
     */
    natGateways: "Single",
    optionalEndpoints: [] as readonly OptionalInterfaceEndpoint[],
} as const;

/** A new VPC always spans two AZs: the interface endpoints are billed per AZ, two is enough for HA. */
export const NEW_VPC_AVAILABILITY_ZONES = 2;

export interface SsmPrivateConnectivityArgs {
    /** Region of every resource here (AWS provider v7 `region` input); needs a Patch Manager bucket entry. */
    readonly region: string;
    /** The account the provider targets; the gateway endpoint lets only its principals write logs. */
    readonly accountId: string;
    /** A new awsx VPC, or an existing VPC by id. */
    readonly network: ConnectivityNetwork;
    /**
     * Interface endpoints beyond ssm, ssmmessages and ec2messages.
     * @default SSM_PRIVATE_CONNECTIVITY_DEFAULTS.optionalEndpoints (none)
     */
    readonly optionalEndpoints?: readonly OptionalInterfaceEndpoint[];
    /** The account's log buckets in this Region (patch + inventory), which instances write to through the S3 gateway endpoint. */
    readonly logBucketNames: readonly string[];
    /**
     * Whose principals may use the interface endpoints (their endpoint policy, where the service
     * supports one): the estate's account ids, or its organization id.
     */
    readonly endpointPrincipals: EndpointPrincipals;
}

export function validateSsmPrivateConnectivityArgs(args: SsmPrivateConnectivityArgs): void {
    const problems: (string | undefined)[] = [];
    if (PATCH_MANAGER_BUCKET_SUFFIXES[args.region] === undefined) {
        problems.push(`region "${args.region}" has no Patch Manager buckets in catalog/vpcEndpoints.ts (known: ${PATCHING_REGIONS.join(", ")})`);
    }
    if (!/^\d{12}$/.test(args.accountId)) {
        problems.push(`accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
    const network = args.network;
    if (network.kind === "new") {
        const problem = cidrProblem(network.cidrBlock);
        problems.push(problem && `network.cidrBlock "${network.cidrBlock}" ${problem}`);
    } else {
        const vpc = idOf("vpc", "VPC");
        problems.push(vpc.valid(network.vpcId) ? undefined : `network.vpcId "${network.vpcId}" is not ${vpc.allowed}`);
        if (network.subnetIds.length < 1 || network.subnetIds.length > 6) {
            problems.push(`network.subnetIds has ${network.subnetIds.length} entries; give 1 to 6, one per Availability Zone (an interface endpoint takes one subnet per AZ)`);
        }
        const lists = [["subnetIds", "subnet", "subnet"], ["routeTableIds", "rtb", "route table"], ["instanceSecurityGroupIds", "sg", "security group"]] as const;
        for (const [key, kind, noun] of lists) {
            const check = idOf(kind, noun);
            problems.push(listProblem(`network.${key}`, network[key], check.valid, check.allowed));
        }
    }
    const known = (value: string) => (OPTIONAL_INTERFACE_ENDPOINTS as readonly string[]).includes(value);
    problems.push(listProblem("optionalEndpoints", args.optionalEndpoints ?? [], known, `one of ${OPTIONAL_INTERFACE_ENDPOINTS.join(", ")}`));
    if (args.logBucketNames.length === 0) {
        problems.push("logBucketNames is empty; instances need the account's log buckets to write command output to");
    }
    const bucket = (value: string) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value);
    problems.push(listProblem("logBucketNames", args.logBucketNames, bucket, "a valid S3 bucket name (3-63 of a-z 0-9 . -)"));
    const principals = args.endpointPrincipals;
    if (principals.kind === "organization") {
        problems.push(/^o-[a-z0-9]{10,32}$/.test(principals.organizationId) ? undefined : `endpointPrincipals.organizationId "${principals.organizationId}" is not an AWS Organizations id (o- followed by 10-32 lowercase letters or digits)`);
    } else if (principals.accountIds.length === 0) {
        problems.push("endpointPrincipals.accountIds is empty; the endpoint policy would admit no one, not even this account's instances");
    } else {
        problems.push(listProblem("endpointPrincipals.accountIds", principals.accountIds, (id) => /^\d{12}$/.test(id), "a 12-digit AWS account id"));
        problems.push(principals.accountIds.includes(args.accountId) ? undefined : `endpointPrincipals.accountIds does not include accountId ${args.accountId}; this account's instances could not use their own endpoints`);
        const size = JSON.stringify(interfaceEndpointPolicy(principals)).length;
        problems.push(size <= MAX_ENDPOINT_POLICY_CHARS ? undefined : `endpointPrincipals.accountIds (${principals.accountIds.length} accounts) renders a ${size}-character endpoint policy, over the ${MAX_ENDPOINT_POLICY_CHARS} AWS allows; use the organization instead`);
    }
    const first = problems.find((problem) => problem !== undefined);
    if (first !== undefined) {
        throw new Error(`SsmPrivateConnectivity: ${first}`);
    }
}

/** awsx.ec2.Vpc is a remote component: its own provider must be explicit when default providers are off. */
export const MISSING_AWSX_PROVIDER =
    'network.kind "new" builds an awsx.ec2.Vpc, and the stacks disable default providers, so pass an awsx provider next to the aws one: ' +
    "{ providers: [awsProvider, new awsx.Provider(...)] } (pulumi/pulumi#13071)";

interface ResolvedNetwork {
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Output<string[]>;
    /** Route tables for the S3 gateway endpoint, or undefined for none. */
    readonly routeTableIds?: pulumi.Output<string[]>;
    readonly azCount: number;
}

/**
 * Lets managed nodes without internet access reach Systems Manager in one (account, Region):
 * interface endpoints for the agent, an S3 gateway endpoint for the AWS-owned buckets patching
 * reads and the account's log buckets, and security groups that allow only HTTPS from the nodes.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
 */
export class SsmPrivateConnectivity extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    /** The subnets the interface endpoints live in (the new VPC's private subnets). */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Security groups managed instances should carry (created, or the ones given). */
    readonly instanceSecurityGroupIds: pulumi.Output<string[]>;
    readonly endpointSecurityGroupId: pulumi.Output<string>;
    readonly interfaceEndpointIds: Readonly<Partial<Record<InterfaceEndpointService, pulumi.Output<string>>>>;
    /** Undefined when no route tables were given for an existing VPC. */
    readonly s3GatewayEndpointId?: pulumi.Output<string>;
    /** Interface endpoints × AZs: what is billed per hour (see endpointAzHoursPerMonth). */
    readonly interfaceEndpointAzCount: number;

    constructor(name: string, args: SsmPrivateConnectivityArgs, opts?: pulumi.ComponentResourceOptions) {
        validateSsmPrivateConnectivityArgs(args);
        super("patching:connectivity:SsmPrivateConnectivity", name, {}, opts);
        const region = args.region;
        const network = args.network.kind === "new" ? this.newVpc(name, region, args.network) : existingVpc(args.network);
        const vpcId = network.vpcId;

        // SG rules as separate aws.vpc.SecurityGroup{In,E}gressRule resources, the AWS provider's
        // current recommendation: each rule has its own id, and adding an instance group adds one
        // keyed rule instead of rewriting an inline list. Never mix with inline rules on these groups.
        // The provider removes AWS's default allow-all egress rule from groups it creates.
        let instanceGroups: { key: string; id: pulumi.Input<string> }[];
        if (args.network.kind === "existing" && args.network.instanceSecurityGroupIds.length > 0) {
            instanceGroups = args.network.instanceSecurityGroupIds.map((id) => ({ key: id, id }));
        } else {
            const instances = new aws.ec2.SecurityGroup(
                `${name}-instances`,
                { region, vpcId, description: "Managed instances: HTTPS to Systems Manager endpoints, HTTP(S) to package repositories" },
                { parent: this },
            );
            // 443: the endpoints, S3 (gateway endpoint) and, via NAT, non-S3 repositories. 80: the agent
            // fetches the AWS-owned buckets over HTTP by default (ssm-agent-technical-details.html), and
            // Ubuntu archives and Windows Update serve over HTTP. DNS (VPC resolver), instance metadata and
            // time sync are never filtered by security groups. No ingress: Systems Manager needs none.
            for (const [role, port] of [["https", 443], ["http", 80]] as const) {
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-instances-${role}`,
                    { region, securityGroupId: instances.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", description: `${role.toUpperCase()} out` },
                    { parent: this },
                );
            }
            instanceGroups = [{ key: "instances", id: instances.id }];
        }

        // Interface endpoints only answer: SGs are stateful, so the endpoint group needs no egress.
        const endpointGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoints`,
            { region, vpcId, description: "Systems Manager interface endpoints: HTTPS from managed instances only" },
            { parent: this },
        );
        for (const group of instanceGroups) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-from-${group.key}`,
                { region, securityGroupId: endpointGroup.id, referencedSecurityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS from managed instances" },
                { parent: this },
            );
        }

        // Private DNS makes the agent's default endpoints (ssm.<region>.amazonaws.com, …) resolve to
        // these interfaces; it needs DNS hostnames and DNS support on the VPC (set for a new VPC; an
        // existing one must have them).
        const services: InterfaceEndpointService[] = [...REQUIRED_INTERFACE_ENDPOINTS, ...(args.optionalEndpoints ?? SSM_PRIVATE_CONNECTIVITY_DEFAULTS.optionalEndpoints)];
        const interfaceEndpointIds: Partial<Record<InterfaceEndpointService, pulumi.Output<string>>> = {};
        // Only the estate's principals may use an endpoint (issue 14, Low); set only where the
        // service supports endpoint policies (catalog: ENDPOINT_POLICY_SUPPORTED), the others keep
        // AWS's default full-access policy.
        const estateOnly = JSON.stringify(interfaceEndpointPolicy(args.endpointPrincipals));
        for (const service of services) {
            const endpoint = new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    region,
                    vpcId,
                    serviceName: endpointServiceName(region, service),
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: network.subnetIds,
                    securityGroupIds: [endpointGroup.id],
                    ...(ENDPOINT_POLICY_SUPPORTED[service] ? { policy: estateOnly } : {}),
                },
                { parent: this },
            );
            interfaceEndpointIds[service] = endpoint.id;
        }

        if (network.routeTableIds !== undefined) {
            // The policy decides what ALL S3 traffic from these route tables may reach (see the builder).
            const policy = JSON.stringify(s3GatewayEndpointPolicy(region, args.accountId, args.logBucketNames));
            const gateway = new aws.ec2.VpcEndpoint(
                `${name}-s3`,
                { region, vpcId, serviceName: endpointServiceName(region, "s3"), vpcEndpointType: "Gateway", routeTableIds: network.routeTableIds, policy },
                { parent: this },
            );
            this.s3GatewayEndpointId = gateway.id;
        }

        this.vpcId = vpcId;
        this.privateSubnetIds = network.subnetIds;
        this.instanceSecurityGroupIds = pulumi.output(instanceGroups.map((group) => group.id));
        this.endpointSecurityGroupId = endpointGroup.id;
        this.interfaceEndpointIds = interfaceEndpointIds;
        this.interfaceEndpointAzCount = services.length * network.azCount;
        this.registerOutputs({
            vpcId, privateSubnetIds: network.subnetIds, instanceSecurityGroupIds: this.instanceSecurityGroupIds,
            endpointSecurityGroupId: endpointGroup.id, interfaceEndpointIds, s3GatewayEndpointId: this.s3GatewayEndpointId,
        });
    }

    private newVpc(name: string, region: string, network: Extract<ConnectivityNetwork, { kind: "new" }>): ResolvedNetwork {
        if (this.getProvider("awsx:ec2:Vpc") === undefined) {
            throw new Error(`SsmPrivateConnectivity ${name}: ${MISSING_AWSX_PROVIDER}`);
        }
        const vpc = new Vpc(
            `${name}-vpc`,
            {
                region,
                cidrBlock: network.cidrBlock,
                numberOfAvailabilityZones: NEW_VPC_AVAILABILITY_ZONES,
                // Pinned: awsx's default strategy ("Legacy") is announced to change to "Auto" in its next
                // major version, which would re-lay out (replace) the subnets on an upgrade.
                subnetStrategy: "Auto",
                subnetSpecs: [{ type: "Private" }, { type: "Public" }],
                natGateways: { strategy: network.natGateways },
                enableDnsHostnames: true,
                enableDnsSupport: true,
            },
            { parent: this },
        );
        // awsx exposes route tables only as resource references without their subnet, so the private
        // subnets' tables are looked up. Sound under the real engine: a remote component's outputs
        // resolve only after its construct call returns, i.e. after every child (route tables and
        // their associations) has been created; in a preview of a new VPC the ids are unknown and the
        // lookup is skipped. Sorted: the API returns them in no particular order.
        const tables = aws.ec2.getRouteTablesOutput({ region, vpcId: vpc.vpcId, filters: [{ name: "association.subnet-id", values: vpc.privateSubnetIds }] }, { parent: this });
        return { vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds, routeTableIds: tables.ids.apply((ids) => [...ids].sort()), azCount: NEW_VPC_AVAILABILITY_ZONES };
    }
}

/**
 * An existing VPC: the S3 gateway endpoint only where route tables are given. A route table can
 * carry only one endpoint per service (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html),
 * and existing VPCs often already have an S3 gateway endpoint (whose policy may serve other
 * workloads), so an empty routeTableIds leaves S3 routing alone.
 */
function existingVpc(network: Extract<ConnectivityNetwork, { kind: "existing" }>): ResolvedNetwork {
    return {
        vpcId: pulumi.output(network.vpcId),
        subnetIds: pulumi.output([...network.subnetIds]),
        ...(network.routeTableIds.length > 0 ? { routeTableIds: pulumi.output([...network.routeTableIds]) } : {}),
        azCount: network.subnetIds.length,
    };
}
