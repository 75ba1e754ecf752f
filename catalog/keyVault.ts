/**
 * Azure Key Vault facts the config validator and the vault's builder share (issue 18: the
 * activations of automatically registered VMs live in a vault secret).
 */

/**
 * Vault names (Microsoft.KeyVault/vaults, global scope): 3-24 letters, digits and hyphens, starting
 * with a letter, ending with a letter or digit, no consecutive hyphens (Azure resource naming rules).
 * The name is also the vault's DNS label (<name>.vault.azure.net), hence globally unique.
 */
export const KEY_VAULT_NAME_PATTERN = /^(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;

/** Key Vault firewall limits (Configure Key Vault networking: "200 virtual network rules and 1000 IPv4 rules"). */
export const MAX_KEY_VAULT_VNET_RULES = 200;
export const MAX_KEY_VAULT_IP_RULES = 1000;

/**
 * Below this prefix an IP rule would admit a large part of the internet, which defeats a vault
 * that is private by default; a NAT gateway's or an office's egress is far narrower.
 */
export const MIN_KEY_VAULT_IP_PREFIX = 8;

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4_RANGE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}(?:/(\\d{1,2}))?$`);

/** RFC 1918 private blocks as [first address, prefix]. */
const PRIVATE_BLOCKS: readonly (readonly [number, number])[] = [
    [10 * 2 ** 24, 8],
    [(172 * 2 ** 8 + 16) * 2 ** 16, 12],
    [(192 * 2 ** 8 + 168) * 2 ** 16, 16],
];

function dotted(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * Why a value cannot be a Key Vault IP rule, or undefined. The rule (`networkAcls.ipRules[].value`)
 * is "an IPv4 address range in CIDR notation, such as '124.56.78.91' (simple IP address) or
 * '124.56.78.0/24'"; only IPv4 and only public addresses ("IP address ranges reserved for private
 * networks (as defined in RFC 1918) aren't allowed in IP rules"); /31 and /32 ranges were refused
 * ("configure these ranges by using individual IP address rules"), so single addresses go bare.
 */
export function keyVaultIpRuleProblem(value: string): string | undefined {
    const match = IPV4_RANGE.exec(value);
    if (match === null) {
        return "is not an IPv4 address or CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24); Key Vault IP rules take IPv4 only";
    }
    const address = match.slice(1, 5).reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const prefix = match[5] === undefined ? 32 : Number(match[5]);
    if (prefix > 32) {
        return "is not an IPv4 CIDR range (prefix /0 to /32)";
    }
    if (match[5] !== undefined && prefix >= 31) {
        return `is a /${prefix} range, which Key Vault does not take; list single addresses without a prefix`;
    }
    if (prefix < MIN_KEY_VAULT_IP_PREFIX) {
        return `is wider than /${MIN_KEY_VAULT_IP_PREFIX}: the vault would admit a large part of the internet; list the VMs' egress ranges only`;
    }
    const size = 2 ** (32 - prefix);
    if (address % size !== 0) {
        return `has host bits set; did you mean "${dotted(address - (address % size))}/${prefix}"?`;
    }
    const overlapsPrivate = PRIVATE_BLOCKS.some(([first, blockPrefix]) => {
        const blockSize = 2 ** (32 - blockPrefix);
        return address < first + blockSize && first < address + size;
    });
    if (overlapsPrivate) {
        return "is (or overlaps) a private RFC 1918 range, which Key Vault IP rules refuse; VMs reaching the vault from a virtual network go in allowedSubnetIds";
    }
    return undefined;
}
