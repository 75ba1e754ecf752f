/**
 * Private SSM connectivity: interface endpoints resolve the public service names privately and
 * accept HTTPS only. The program adds ingress as separate SecurityGroupIngressRule resources, so
 * the 443-only check is a stack policy joining endpoint → security groups → rules.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { validateResourceOfType, type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { asList, known, ofType, peek, referenced, TYPES, UNKNOWN } from "./lib/graph";
import { settings } from "./lib/settings";

/** The services the SSM agent talks to, and the optional ones SsmPrivateConnectivity adds. */
const SSM_SERVICES = ["ssm", "ssmmessages", "ec2messages", "kms", "logs", "ec2"];
const ENDPOINT_DEFAULTS = { services: SSM_SERVICES };
const SERVICES_SCHEMA = { type: "array", items: { type: "string" }, default: SSM_SERVICES, description: "Short service names (com.amazonaws.<region>.<service>)." } as const;

/** `com.amazonaws.us-west-2.ssm` → `ssm` */
export function serviceOf(serviceName: unknown): string | undefined {
    return typeof serviceName === "string" ? /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(serviceName)?.[1] : undefined;
}

function isSsmInterfaceEndpoint(props: Record<string, unknown>, services: readonly string[]): boolean {
    const service = serviceOf(known(() => props["serviceName"]));
    return known(() => props["vpcEndpointType"]) === "Interface" && service !== undefined && services.includes(service);
}

export const ssmInterfaceEndpointPrivateDns: ResourceValidationPolicy = {
    name: "ssm-interface-endpoint-private-dns",
    description: "SSM interface endpoints enable private DNS, so the agent's calls to the public service names stay inside the VPC.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { services: SERVICES_SCHEMA } },
    validateResource: validateResourceOfType(ec2.VpcEndpoint, (endpoint, args, reportViolation) => {
        const { services } = settings(args, ENDPOINT_DEFAULTS);
        if (!isSsmInterfaceEndpoint(args.props, services)) {
            return args.notApplicable("only interface endpoints of the SSM services");
        }
        const privateDns = peek(() => endpoint.privateDnsEnabled);
        if (privateDns !== UNKNOWN && privateDns !== true) {
            reportViolation(`interface endpoint ${args.name} (${endpoint.serviceName}) has private DNS off: the agent would keep resolving the public endpoint`);
        }
    }),
};

/** Why one ingress rule opens more than TCP 443, or undefined. */
export function ingressProblem(rule: { protocol: unknown; fromPort: unknown; toPort: unknown }): string | undefined {
    const protocol = String(rule.protocol).toLowerCase();
    if (protocol === "-1" || protocol === "all") {
        return "allows all traffic";
    }
    if (protocol !== "tcp" && protocol !== "6") {
        return `allows protocol ${protocol}`;
    }
    return rule.fromPort === 443 && rule.toPort === 443 ? undefined : `allows TCP ${String(rule.fromPort)}-${String(rule.toPort)}`;
}

type IngressRule = { readonly source: string; readonly protocol: unknown; readonly fromPort: unknown; readonly toPort: unknown };

/** Inline ingress of a security group plus every separate rule resource attached to it. */
function ingressRules(group: PolicyResource, resources: readonly PolicyResource[]): IngressRule[] | typeof UNKNOWN {
    const inline = peek(() => asList(group.props["ingress"]).map((rule) => JSON.parse(JSON.stringify(rule)) as Record<string, unknown>));
    if (inline === UNKNOWN) {
        return UNKNOWN;
    }
    const rules: IngressRule[] = inline.map((rule) => ({ source: `inline rule of ${group.name}`, protocol: rule["protocol"], fromPort: rule["fromPort"], toPort: rule["toPort"] }));
    const separate = [
        ...ofType(resources, TYPES.ingressRule),
        ...ofType(resources, TYPES.securityGroupRule).filter((rule) => known(() => rule.props["type"]) === "ingress"),
    ].filter((rule) => referenced(rule, "securityGroupId", [group], "id").length > 0);
    for (const rule of separate) {
        const protocol = peek(() => rule.props[rule.type === TYPES.ingressRule ? "ipProtocol" : "protocol"]);
        const fromPort = peek(() => rule.props["fromPort"]);
        const toPort = peek(() => rule.props["toPort"]);
        if (protocol !== UNKNOWN && fromPort !== UNKNOWN && toPort !== UNKNOWN) {
            rules.push({ source: rule.name, protocol, fromPort, toPort });
        }
    }
    return rules;
}

export const ssmInterfaceEndpointHttpsOnly: StackValidationPolicy = {
    name: "ssm-interface-endpoint-https-only",
    description: "SSM interface endpoints have their own security groups (managed in this stack) whose ingress allows TCP 443 only.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { services: SERVICES_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const { services } = settings(args, ENDPOINT_DEFAULTS);
        const groups = ofType(args.resources, TYPES.securityGroup);
        for (const endpoint of ofType(args.resources, TYPES.vpcEndpoint).filter((e) => isSsmInterfaceEndpoint(e.props, services))) {
            const attached = referenced(endpoint, "securityGroupIds", groups, "id");
            const ids = peek(() => asList(endpoint.props["securityGroupIds"]));
            if (attached.length === 0 && ids !== UNKNOWN && ids.length === 0) {
                reportViolation(`interface endpoint ${endpoint.name} names no security group, so it gets the VPC's default group`, endpoint.urn);
            } else if (attached.length === 0 && ids !== UNKNOWN) {
                reportViolation(`interface endpoint ${endpoint.name} uses security groups not managed in this stack (${ids.join(", ")}); their rules cannot be checked`, endpoint.urn);
            }
            for (const group of attached) {
                const rules = ingressRules(group, args.resources);
                for (const rule of rules === UNKNOWN ? [] : rules) {
                    const problem = ingressProblem(rule);
                    if (problem !== undefined) {
                        reportViolation(`security group ${group.name} of interface endpoint ${endpoint.name}: ${rule.source} ${problem}; only TCP 443 is allowed`, group.urn);
                    }
                }
            }
        }
    },
};
