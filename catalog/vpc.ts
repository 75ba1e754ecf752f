/**
 * EC2/VPC identifiers and address blocks as AWS spells them, and the two shapes of network the
 * private endpoints can live in. Shared by the config validator and the network component.
 */

/** AWS resource ids: prefix and 8 (older) or 17 hex digits. */
export const RESOURCE_IDS = {
    vpc: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
    subnet: /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/,
    rtb: /^rtb-[0-9a-f]{8}([0-9a-f]{9})?$/,
    sg: /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/,
} as const;
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(\\d{1,2})$`);

/** Why a VPC CIDR is unusable, or undefined. awsx needs /24 or larger for 2 public + 2 private subnets. */
export function cidrProblem(cidr: string): string | undefined {
    const match = CIDR.exec(cidr);
    const prefix = Number(match?.[5]);
    if (match === null || prefix < 16 || prefix > 24) {
        return "is not an IPv4 CIDR block with a /16 to /24 prefix (a public and a private subnet in each of 2 Availability Zones)";
    }
    const address = match.slice(1, 5).reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const host = address % 2 ** (32 - prefix);
    if (host !== 0) {
        const network = address - host;
        const dotted = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
        return `has host bits set; did you mean "${dotted}/${prefix}"?`;
    }
    return undefined;
}

/** A check for one kind of AWS id, with the wording of what is allowed. */
export function idOf(kind: keyof typeof RESOURCE_IDS, noun: string): { valid: (value: string) => boolean; allowed: string } {
    return { valid: (value) => RESOURCE_IDS[kind].test(value), allowed: `a ${noun} id (${kind}- and 8 or 17 hex digits)` };
}

/** Where a location's endpoints live: a VPC this program creates (awsx), or an existing one. */
export type ConnectivityNetwork =
    | {
          readonly kind: "new";
          /** IPv4 block of the new VPC, /16 to /24 (room for a public and a private subnet per AZ). */
          readonly cidrBlock: string;
          /** NAT gateway layout; see components/network SSM_PRIVATE_CONNECTIVITY_DEFAULTS.natGateways for the usual choice. */
          readonly natGateways: "None" | "Single" | "OnePerAz";
      }
    | {
          readonly kind: "existing";
          readonly vpcId: string;
          /** The subnets the interface endpoints get a network interface in: at most one per AZ. */
          readonly subnetIds: readonly string[];
          /** Route tables for the S3 gateway endpoint; empty = no gateway endpoint is created. */
          readonly routeTableIds: readonly string[];
          /** The managed instances' security groups; empty = this component creates one. */
          readonly instanceSecurityGroupIds: readonly string[];
      };
