import { cidrProblem, RESOURCE_IDS } from "../../catalog/vpc";
import { associationScheduleProblems } from "../../catalog/inventoryAssociation";
import { EMAIL_PATTERN, HTTPS_URL_PATTERN } from "../../catalog/sns";
import { checked, text, type Phrase } from "./vocabulary";
import { AWS_REGIONS, isAwsRegion, isOtherPartitionRegion } from "../../catalog/awsRegions";
import { parseScheduleExpression } from "../../catalog/scheduleExpressions";
import { timeZoneProblem } from "../../catalog/timeZones";
import { IAM_ROLE_SUBPATH as IAM_ROLE_SUBPATH_PATTERN, IAM_TAG_KEY as IAM_TAG_KEY_PATTERN } from "../../catalog/iam";
import { KMS_ALIAS_ARN_PATTERN, KMS_KEY_ARN_PATTERN } from "../../catalog/kms";
import { ORGANIZATIONAL_UNIT_ID_PATTERN, ROOT_ID_PATTERN } from "../../catalog/organizations";
import { KEY_VAULT_NAME_PATTERN, keyVaultIpRuleProblem } from "../../catalog/keyVault";
import { PATCH_GROUP_NAME_PATTERN } from "../../catalog/naming";

/**
 * The value vocabularies of the stack configuration: each field type with the sentence that names
 * what is allowed (AWS/Azure API patterns and limits, cited where they come from).
 */

export const ACCOUNT_ID = text(/^\d{12}$/, "a 12-digit AWS account id");
/** Aliases appear in resource names and ARNs-to-be, so they stay short and DNS-like. */
export const ALIAS = text(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, "an alias of 2-32 lowercase letters, digits and hyphens, starting with a letter");
export const REGION = checked("an AWS Region", (value) => {
    if (isAwsRegion(value)) {
        return undefined;
    }
    if (isOtherPartitionRegion(value)) {
        return "is in another AWS partition; only commercial aws-partition Regions are supported";
    }
    return `is not an AWS Region; allowed: ${AWS_REGIONS.join(", ")}`;
});
/** IAM role names: 1-64 of [\w+=,.@-] (IAM CreateRole `RoleName`). */
export const ROLE_NAME = text(/^[\w+=,.@-]{1,64}$/, "an IAM role name (1-64 of letters, digits and +=,.@_-)");
export const ROLE_ARN = text(
    /^arn:aws:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/,
    "an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)",
);
export const UUID = text(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
export const ORGANIZATION_ID = text(/^o-[a-z0-9]{10,32}$/, "an AWS Organizations id (o- followed by 10-32 lowercase letters or digits)");
/** An organizational unit or the organization's root (catalog/organizations.ts cites the patterns). */
export const ORGANIZATION_TARGET_ID = checked("an organizational unit or root id", (value) =>
    ORGANIZATIONAL_UNIT_ID_PATTERN.test(value) || ROOT_ID_PATTERN.test(value)
        ? undefined
        : "is not an organizational unit id (ou-<4-32 lowercase letters or digits>-<8-32 lowercase letters or digits>) or a root id (r-<4-32 lowercase letters or digits>)",
);
/** Patch group names: catalog/naming.ts explains the rule. */
export const PATCH_GROUP_NAME = text(
    PATCH_GROUP_NAME_PATTERN,
    "a patch group name (1-56 of letters, digits and _.-, starting with a letter or digit, not with AWS, which resource groups reserve)",
);
/** Patch names in approved/rejected lists (PatchBaseline ApprovedPatches: 1-100 characters each). */
export const PATCH_NAME = text(/^\S.{0,99}$/, "a patch name or KB/CVE/package pattern (1-100 characters)");
/** IANA tz database names only (catalog/timeZones.ts): `PST` or `BST` would pass Node's Intl. */
export const TIME_ZONE = checked("an IANA time zone", timeZoneProblem);
export const SCHEDULE_EXPRESSION = checked("a schedule expression", (value) => {
    const parsed = parseScheduleExpression(value);
    return parsed.ok ? undefined : parsed.reason;
});
export const ISO_DATE_TIME = text(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/,
    "an ISO 8601 date-time with offset (e.g. 2026-12-06T02:00:00Z)",
);
/** SSM `MaxConcurrency` pattern: ^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$ */
export const MAX_CONCURRENCY = text(/^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/, "an SSM MaxConcurrency (a count ≥ 1 like \"5\" or a percentage 1%-100% like \"10%\")");
/** SSM `MaxErrors` pattern: ^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$ */
export const MAX_ERRORS = text(/^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/, "an SSM MaxErrors (a count ≥ 0 like \"1\" or a percentage 0%-100% like \"10%\")");
/**
 * Tag keys must be valid for both clouds: AWS (1-128 chars, not `aws:`-prefixed) and Azure
 * (no < > % & \ ? /, at most 512).
 */
export const TAG_KEY = text(/^(?!aws:)[^<>%&\\?/]{1,128}$/i, "a tag key (1-128 characters, none of <>%&\\?/, not starting with aws:)");
/** IAM tag keys (IAM `Tag.Key`): 1-128 of letters, digits, spaces and _.:/=+-@, not `aws:`-prefixed. */
export const IAM_TAG_KEY = text(IAM_TAG_KEY_PATTERN, "an IAM tag key (1-128 of letters, digits, spaces and _.:/=+-@, not starting with aws:)");
/**
 * An IAM path below the root (CreateRole `Path`: `/` or `/seg/…/`, 1-512 of \u0021-\u007E), without
 * `*` and `?`, which would be wildcards in the role ARN the enforcer's policy is scoped to. "/" is
 * refused: every role's path starts with it, so it would put every role in scope.
 */
export const IAM_ROLE_SUBPATH = text(
    IAM_ROLE_SUBPATH_PATTERN,
    'an IAM path below the root (/<segment>/…/, 3-512 printable ASCII characters without * or ?; "/" would put every role in scope)',
);
/**
 * A KMS key ARN (`key/<uuid>`, or `key/mrk-<32 hex>` for a multi-Region key). Not an alias ARN:
 * kms:CreateGrant is authorized on the key itself, so a policy naming the alias grants nothing.
 */
export const KMS_KEY_ARN = checked("a KMS key ARN", (value) => {
    if (KMS_ALIAS_ARN_PATTERN.test(value)) {
        return "is a KMS alias ARN; kms:CreateGrant is authorized on the key, so give the key ARN (arn:aws:kms:<region>:<account>:key/<key id>)";
    }
    const match = KMS_KEY_ARN_PATTERN.exec(value);
    if (match === null) {
        return "is not a KMS key ARN (arn:aws:kms:<region>:<12-digit account>:key/<key id or mrk- id>)";
    }
    return isAwsRegion(match[1]) ? undefined : `is not a KMS key ARN: "${match[1]}" is not an AWS Region`;
});
export const TAG_VALUE = text(/^[^<>%&\\?/]{0,256}$/, "a tag value (0-256 characters, none of <>%&\\?/)");
/** Azure resource group names: 1-90 of letters, digits, _ ( ) - . and not ending in a period. */
export const AZURE_RESOURCE_GROUP = text(/^[-\w.()]{0,89}[-\w()]$/u, "an Azure resource group name (1-90 of letters, digits, _()-. not ending in .)");
/** Azure VM names: 1-64, no spaces or \/"[]:|<>+=;,?*@&, not starting with _ nor ending with . or -. */
export const AZURE_VM_NAME = text(/^(?!_)[^\s\\/"[\]:|<>+=;,?*@&~!#$%^'{}]{1,64}(?<![.-])$/, "an Azure VM name (1-64 characters without spaces or \\/\"[]:|<>+=;,?*@&, not starting with _ or ending with . or -)");

/** A VPC CIDR from /16 to /24 without host bits: room for public + private subnets in two AZs. */
export const VPC_CIDR = checked("an IPv4 CIDR block from /16 to /24 (e.g. 10.20.0.0/16)", cidrProblem);
const awsId = (kind: keyof typeof RESOURCE_IDS, noun: Phrase) => text(RESOURCE_IDS[kind], `a ${noun} id (${kind}- followed by 8 or 17 hex digits)`);
export const VPC_ID = awsId("vpc", "VPC");
export const SUBNET_ID = awsId("subnet", "subnet");
export const ROUTE_TABLE_ID = awsId("rtb", "route table");
export const SECURITY_GROUP_ID = awsId("sg", "security group");
/** S3 key prefix of the data sync: part of the bucket-policy ARN and the Athena table locations. */
export const DATA_SYNC_PREFIX = text(/^[a-zA-Z0-9_-]{1,64}$/, "a key prefix of 1-64 letters, digits, _ and -");
export const ASSOCIATION_SCHEDULE = checked("a State Manager rate expression", (value) => {
    const problems = associationScheduleProblems(value);
    return problems.length === 0 ? undefined : `${problems[0]}; e.g. rate(12 hours)`;
});

/** Azure location names as ARM uses them (lowercase, no spaces): westeurope, eastus2, uksouth. */
export const AZURE_LOCATION = text(/^[a-z][a-z0-9]{2,30}$/, "an Azure location name (lowercase letters and digits, e.g. westeurope)");

/**
 * Management group ids (Microsoft.Management/managementGroups, tenant scope): 1-90 of letters,
 * digits, hyphens, underscores, periods and parentheses, starting with a letter or digit, not
 * ending with a period (Azure resource naming rules). The tenant root group's id is the tenant id.
 */
export const MANAGEMENT_GROUP_ID = text(
    /^[A-Za-z0-9](?:[\w.()-]{0,88}[\w()-])?$/,
    "a management group id (1-90 of letters, digits and -_.(), starting with a letter or digit, not ending with .)",
);
export const KEY_VAULT_NAME = text(
    KEY_VAULT_NAME_PATTERN,
    "a Key Vault name (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no consecutive hyphens)",
);
/**
 * A subnet's ARM id. Names per the Azure naming rules: resource group 1-90 of letters, digits and
 * -_.() not ending with .; virtual network 2-64 and subnet 1-80 of letters, digits and _.-,
 * starting with a letter or digit, ending with a letter, digit or _. ARM compares ids without case.
 */
export const AZURE_SUBNET_ID = text(
    /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{0,89}[-\w()]\/providers\/Microsoft\.Network\/virtualNetworks\/[a-z0-9][\w.-]{0,62}\w\/subnets\/[a-z0-9](?:[\w.-]{0,78}\w)?$/i,
    "a subnet ARM id (/subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)",
);
/** A Key Vault firewall IP rule: a public IPv4 address or CIDR range (catalog/keyVault.ts). */
export const KEY_VAULT_IP_RANGE = checked("a public IPv4 address or CIDR range", keyVaultIpRuleProblem);

/** EventBridge rule schedules: cron() or rate(), no one-time at(). */
export const RULE_SCHEDULE = checked("an EventBridge rule schedule", (value) => {
    const parsed = parseScheduleExpression(value);
    if (!parsed.ok) {
        return parsed.reason;
    }
    return parsed.expression.kind === "at" ? "is a one-time at() expression; EventBridge rules take cron() or rate()" : undefined;
});

// The same patterns the notification components validate their subscriptions with.
export const EMAIL = text(EMAIL_PATTERN, "an email address");
export const HTTPS_URL = text(HTTPS_URL_PATTERN, "an https:// URL");
