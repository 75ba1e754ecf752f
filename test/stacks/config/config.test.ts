import { strict as assert } from "node:assert";
import { SLA_DEFAULT_DAYS } from "../../../stacks/config/schemaSla";
import { ConfigError, parseEstateConfig } from "../../../stacks/config/estateConfig";
import { CONFIG_DEFAULTS } from "../../../stacks/config/defaults";
import { TEST_CONTEXT, validOrganizationRawConfig, validRawConfig } from "../../fixtures/estateConfig";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function parse(raw: unknown) {
    return parseEstateConfig(raw, TEST_CONTEXT);
}

function errorOf(raw: unknown): string {
    try {
        parse(raw);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.message;
    }
    assert.fail("configuration was accepted");
}

type BadConfig = [string, (c: Raw) => void, string];

/** One test per case: the mutated config fails with exactly the expected line (or one starting "… allowed: "). */
function itRejectsEach(cases: readonly BadConfig[], valid: () => Raw): void {
    for (const [description, mutate, expected] of cases) {
        it(description, () => {
            const raw = valid();
            mutate(raw);
            const message = errorOf(raw);
            assert.equal(message.split("\n").length, 1, `expected one line, got:\n${message}`);
            if (expected.endsWith("allowed: ")) {
                assert.ok(message.startsWith(expected), message);
            } else {
                assert.equal(message, expected);
            }
        });
    }
}

const PATCH_GROUP_NAME_RULE = "is not a patch group name (1-56 of letters, digits and _.-, starting with a letter or digit, not with AWS, which resource groups reserve)";

/** [description, mutation of the valid config, the exact one-line message]. */
const BAD_CONFIGS: BadConfig[] = [
    ["short account id", (c) => (c.accounts[1].id = "12345"), 'accounts[1].id: "12345" is not a 12-digit AWS account id'],
    ["numeric account id", (c) => (c.accounts[0].id = 111111111111), "accounts[0].id: 111111111111 is not a 12-digit AWS account id: YAML read a number; quote it (unquoted, a leading 0 is dropped or the number read as octal)"],
    ["missing account id", (c) => delete c.accounts[0].id, "accounts[0].id: missing; expected a 12-digit AWS account id"],
    ["unknown Region", (c) => (c.accounts[0].regions = ["us-west-9"]), 'accounts[0].regions[0]: "us-west-9" is not an AWS Region; allowed: '],
    ["GovCloud Region", (c) => (c.accounts[0].regions = ["us-gov-west-1"]), 'accounts[0].regions[0]: "us-gov-west-1" is in another AWS partition; only commercial aws-partition Regions are supported'],
    ["no Regions", (c) => (c.accounts[0].regions = []), "accounts[0].regions: [] is not a non-empty list of AWS Regions"],
    ["Region listed twice", (c) => (c.accounts[0].regions = ["us-west-2", "us-west-2"]), 'accounts[0].regions[1]: "us-west-2" duplicates accounts[0].regions[0]; an account\'s Regions must be unique'],
    ["alias with capitals", (c) => (c.accounts[0].alias = "Security"), 'accounts[0].alias: "Security" is not an alias of 2-32 lowercase letters, digits and hyphens, starting with a letter'],
    ["duplicate alias", (c) => (c.accounts[1].alias = "security"), 'accounts[1].alias: "security" duplicates accounts[0].alias; account aliases must be unique'],
    ["duplicate account id", (c) => { c.accounts[1].id = "111111111111"; delete c.accounts[1].deploymentRoleArn; }, 'accounts[1].id: "111111111111" duplicates accounts[0].id; account ids must be unique'],
    ["role ARN not an ARN", (c) => (c.accounts[1].deploymentRoleArn = "deployer"), 'accounts[1].deploymentRoleArn: "deployer" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)'],
    ["role ARN in another account", (c) => (c.accounts[1].deploymentRoleArn = "arn:aws:iam::999999999999:role/deployer"), 'accounts[1].deploymentRoleArn: "arn:aws:iam::999999999999:role/deployer" is a role in account 999999999999, not in this account (222222222222); the provider must assume a role inside the account it manages'],
    ["member not a boolean", (c) => (c.accounts[0].member = "yes"), 'accounts[0].member: "yes" is not a boolean (true when this account\'s instances are patched)'],
    ["misspelt account key", (c) => (c.accounts[0].regoins = ["us-west-2"]), "accounts[0].regoins: is not a known key; allowed keys: alias, id, deploymentRoleArn, regions, member"],
    ["no member accounts", (c) => c.accounts.forEach((a: Raw) => (a.member = false)), "accounts: has no member account (member: true); there would be nothing to patch"],
    ["no accounts", (c) => (c.accounts = []), "accounts: [] is not a non-empty list of accounts"],
    ["accounts missing", (c) => delete c.accounts, "accounts: missing; expected a non-empty list of accounts"],
    ["unknown top-level key", (c) => (c.acounts = []), "acounts: is not a known key; allowed keys: environment, centralAccount, centralRegion, organizationId, organization, patchGroupTagKey, automationAdministrationRoleName, automationExecutionRoleName, deploymentRoleName, tags, accounts, patchGroups, blackouts, azureSubscriptions, azure, logStorage, inventory, privateConnectivity, scheduleRetry, notifications, compliance, reporting, enforcer, hybrid, logAccess, azureTags, ebsKmsKeyArns"],
    ["unknown encryption", (c) => (c.logStorage = { encryption: "KMS" }), 'logStorage.encryption: "KMS" is not one of SSE-S3, SSE-KMS'],
    ["IA transition before 30 days", (c) => (c.logStorage = { transitionAfterDays: 7 }), "logStorage.transitionAfterDays: 7 is below 30, the minimum S3 allows before STANDARD_IA"],
    ["expiry before transition", (c) => (c.logStorage = { transitionAfterDays: 90, transitionStorageClass: "GLACIER", expireAfterDays: 60 }), "logStorage.expireAfterDays: 60 must be greater than transitionAfterDays (90)"],
    ["unknown storage class", (c) => (c.logStorage = { transitionStorageClass: "COLD" }), 'logStorage.transitionStorageClass: "COLD" is not one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE'],
    ["Object Lock in compliance mode", (c) => (c.logStorage = { objectLock: { mode: "COMPLIANCE", days: 30 } }), 'logStorage.objectLock.mode: "COMPLIANCE" is not one of GOVERNANCE'],
    ["Object Lock without days", (c) => (c.logStorage = { objectLock: { mode: "GOVERNANCE" } }), "logStorage.objectLock.days: missing; expected an integer from 1 to 36500 (days each patch-log object version stays locked)"],
    ["Object Lock past the logs' expiry", (c) => (c.logStorage = { expireAfterDays: 365, objectLock: { mode: "GOVERNANCE", days: 400 } }), "logStorage.objectLock.days: 400 would lock patch logs past expireAfterDays (365), when the lifecycle deletes them; choose at most 365"],
    ["inventory every 5 minutes", (c) => (c.inventory = { schedule: "rate(5 minutes)" }), 'inventory.schedule: "rate(5 minutes)" runs more often than every 30 minutes, the State Manager minimum; e.g. rate(12 hours)'],
    ["inventory cron", (c) => (c.inventory = { schedule: "cron(0 3 * * ? *)" }), 'inventory.schedule: "cron(0 3 * * ? *)" is not a rate expression (rate(<n> minutes|hours|days)); e.g. rate(12 hours)'],
    ["inventory rate(1 hours)", (c) => (c.inventory = { schedule: "rate(1 hours)" }), 'inventory.schedule: "rate(1 hours)" must say "1 hour" (singular only for 1); e.g. rate(12 hours)'],
    ["data sync prefix with slash", (c) => (c.inventory = { dataSyncPrefix: "a/b" }), 'inventory.dataSyncPrefix: "a/b" is not a key prefix of 1-64 letters, digits, _ and -'],
    ["organization access without org id", (c) => (c.inventory = { bucketAccess: "organization" }), 'inventory.bucketAccess: "organization" needs organizationId (o-…) to restrict the central bucket to the organization\'s accounts'],
    ["connectivity for an unknown account", (c) => (c.privateConnectivity = [{ account: "audit", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/16" } }]), 'privateConnectivity[0].account: "audit" is not a member account alias; allowed: security, apps'],
    ["connectivity in a Region the account lacks", (c) => (c.privateConnectivity = [{ account: "apps", region: "eu-west-2", newVpc: { cidrBlock: "10.0.0.0/16" } }]), 'privateConnectivity[0].region: "eu-west-2" is not one of apps\'s regions (us-west-2)'],
    ["connectivity with both VPC kinds", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/16" }, existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-01234567"] } }]), "privateConnectivity[0]: needs exactly one of newVpc ({cidrBlock}) or existingVpc ({vpcId, subnetIds})"],
    ["connectivity /28 VPC", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/28" } }]), 'privateConnectivity[0].newVpc.cidrBlock: "10.0.0.0/28" is not an IPv4 CIDR block with a /16 to /24 prefix (a public and a private subnet in each of 2 Availability Zones)'],
    ["connectivity CIDR with host bits", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.0.3.0/16" } }]), 'privateConnectivity[0].newVpc.cidrBlock: "10.0.3.0/16" has host bits set; did you mean "10.0.0.0/16"?'],
    ["connectivity bad subnet id", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["sub-1"] } }]), 'privateConnectivity[0].existingVpc.subnetIds[0]: "sub-1" is not a subnet id (subnet- followed by 8 or 17 hex digits)'],
    ["connectivity bad security group id", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-01234567"], instanceSecurityGroupIds: ["sg-xyz"] } }]), 'privateConnectivity[0].existingVpc.instanceSecurityGroupIds[0]: "sg-xyz" is not a security group id (sg- followed by 8 or 17 hex digits)'],
    ["connectivity duplicate location", (c) => (c.privateConnectivity = [0, 1].map(() => ({ account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/16" } }))), 'privateConnectivity[1]: "apps us-west-2" duplicates privateConnectivity[0]; (account, region) pairs must be unique'],
    ["connectivity unknown endpoint", (c) => (c.privateConnectivity = [{ account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.0.0.0/16" }, optionalEndpoints: ["sqs"] }]), 'privateConnectivity[0].optionalEndpoints[0]: "sqs" is not one of kms, logs, ec2'],
    ["connectivity where the gateway bucket names are unknown", (c) => { c.accounts[1].regions = ["us-west-2", "mx-central-1"]; c.privateConnectivity = [{ account: "apps", region: "mx-central-1", newVpc: { cidrBlock: "10.0.0.0/16" } }]; }, 'privateConnectivity[0].region: "mx-central-1" has no documented Patch Manager bucket names for the S3 gateway endpoint policy yet (add them to catalog/vpcEndpoints.ts)'],
    ["patch group over 100 locations", (c) => { c.accounts = Array.from({ length: 51 }, (_, i) => ({ alias: `a${i}`, id: String(100000000000 + i), regions: ["us-west-2", "eu-west-2"] })); c.centralAccount = "a0"; c.azureSubscriptions = []; c.patchGroups.pop(); c.organizationId = "o-abcdefghij"; c.inventory = { bucketAccess: "organization" }; }, "patchGroups[0].accounts: covers 102 (account, Region) locations; one multi-account Automation run reaches at most 100, so split the group"],
    ["not-reporting days 0", (c) => (c.reporting = { notReportingDays: 0 }), "reporting.notReportingDays: 0 is not an integer from 1 to 365 (days without a patch scan or install before a node counts as not reporting)"],
    ["QuickSight owner not an ARN", (c) => (c.reporting = { quickSightPrincipalArn: "admin" }), 'reporting.quickSightPrincipalArn: "admin" is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>)'],
    ["bad notification email", (c) => (c.notifications = { emails: ["ops"] }), 'notifications.emails[0]: "ops" is not an email address'],
    ["http notification endpoint", (c) => (c.notifications = { httpsEndpoints: ["http://x.example.com"] }), 'notifications.httpsEndpoints[0]: "http://x.example.com" is not an https:// URL'],
    ["remediation attempts 30", (c) => (c.compliance = { remediation: { maximumAutomaticAttempts: 30 } }), "compliance.remediation.maximumAutomaticAttempts: 30 is not an integer from 1 to 25 (remediation attempts within retryAttemptSeconds before AWS Config stops and records a remediation exception)"],
    ["remediation window of 0 s", (c) => (c.compliance = { remediation: { retryAttemptSeconds: 0 } }), "compliance.remediation.retryAttemptSeconds: 0 is not an integer from 1 to 2678000 (seconds in which maximumAutomaticAttempts are counted)"],
    ["remediation window over 31 days", (c) => (c.compliance = { remediation: { retryAttemptSeconds: 2678001 } }), "compliance.remediation.retryAttemptSeconds: 2678001 is not an integer from 1 to 2678000 (seconds in which maximumAutomaticAttempts are counted)"],
    ["remediation mode Scan", (c) => (c.compliance = { remediation: { mode: "Scan" } }), 'compliance.remediation.mode: "Scan" is not one of install, refresh-compliance'],
    ["remediation as a string", (c) => (c.compliance = { remediation: "yes" }), 'compliance.remediation: "yes" is not remediation settings ({mode?, rebootOption?, maximumAutomaticAttempts?, retryAttemptSeconds?}), true or false'],
    [
        "remediation install without reboot",
        (c) => (c.compliance = { remediation: { rebootOption: "NoReboot" } }),
        'compliance.remediation.rebootOption: "NoReboot" is refused for mode install: patches installed without a reboot stay InstalledPendingReboot, which the patch-compliance rule reports NON_COMPLIANT, so AWS Config would start the install again; use RebootIfNeeded, or mode refresh-compliance',
    ],
    [
        "remediation window AWS's defaults",
        (c) => (c.compliance = { remediation: { maximumAutomaticAttempts: 5, retryAttemptSeconds: 60 } }),
        "compliance.remediation.retryAttemptSeconds: 60 cannot hold maximumAutomaticAttempts (5) attempts of up to 7560 s each; AWS Config stops (adds a remediation exception) only when that many attempts fall within the window, so a node that never turns COMPLIANT would be remediated forever; use at least 37800",
    ],
    [
        "remediation window one second short",
        (c) => (c.compliance = { remediation: { retryAttemptSeconds: 22679 } }),
        "compliance.remediation.retryAttemptSeconds: 22679 cannot hold maximumAutomaticAttempts (3) attempts of up to 7560 s each; AWS Config stops (adds a remediation exception) only when that many attempts fall within the window, so a node that never turns COMPLIANT would be remediated forever; use at least 22680",
    ],
    ["reboot option on a refresh", (c) => (c.compliance = { remediation: { mode: "refresh-compliance", rebootOption: "RebootIfNeeded" } }), 'compliance.remediation.rebootOption: "RebootIfNeeded" applies only to mode install; refresh-compliance scans and never reboots'],
    ["the replaced remediationOperation key", (c) => (c.compliance = { remediation: true, remediationOperation: "Scan" }), 'compliance.remediationOperation: "Scan" was replaced by compliance.remediation.mode (install, or refresh-compliance for the old Scan)'],
    ["the replaced remediationMaxAttempts key", (c) => (c.compliance = { remediation: true, remediationMaxAttempts: 3 }), "compliance.remediationMaxAttempts: 3 was replaced by compliance.remediation.maximumAutomaticAttempts"],
    ["enforcer one-time schedule", (c) => (c.enforcer = { schedule: "at(2027-01-01T00:00:00)" }), 'enforcer.schedule: "at(2027-01-01T00:00:00)" is a one-time at() expression; EventBridge rules take cron() or rate()'],
    ["enforcer role path /", (c) => (c.enforcer = { instanceRolePath: "/" }), 'enforcer.instanceRolePath: "/" is not an IAM path below the root (/<segment>/…/, 3-512 printable ASCII characters without * or ?; "/" would put every role in scope)'],
    ["enforcer role path with wildcard", (c) => (c.enforcer = { instanceRolePath: "/inst*/" }), 'enforcer.instanceRolePath: "/inst*/" is not an IAM path below the root (/<segment>/…/, 3-512 printable ASCII characters without * or ?; "/" would put every role in scope)'],
    ["enforcer role path without slashes", (c) => (c.enforcer = { instanceRolePath: "instances" }), 'enforcer.instanceRolePath: "instances" is not an IAM path below the root (/<segment>/…/, 3-512 printable ASCII characters without * or ?; "/" would put every role in scope)'],
    ["enforcer role tag key aws:", (c) => (c.enforcer = { instanceRoleTagKey: "aws:ssm" }), 'enforcer.instanceRoleTagKey: "aws:ssm" is not an IAM tag key (1-128 of letters, digits, spaces and _.:/=+-@, not starting with aws:)'],
    ["log access enforcerAttach not a boolean", (c) => (c.logAccess = { enforcerAttach: "yes" }), 'logAccess.enforcerAttach: "yes" is not a boolean (the enforcer also attaches patching-log-writer to the in-scope instance roles it gives Core)'],
    ["DHMC in an unknown account", (c) => (c.logAccess = { defaultHostManagement: [{ account: "audit" }] }), 'logAccess.defaultHostManagement[0].account: "audit" is not a member account alias; allowed: security, apps'],
    ["DHMC in a Region the account lacks", (c) => (c.logAccess = { defaultHostManagement: [{ account: "apps", regions: ["eu-west-2"] }] }), 'logAccess.defaultHostManagement[0].regions[0]: "eu-west-2" is not one of apps\'s regions (us-west-2)'],
    ["DHMC account listed twice", (c) => (c.logAccess = { defaultHostManagement: [{ account: "apps" }, { account: "apps" }] }), 'logAccess.defaultHostManagement[1]: "apps" duplicates logAccess.defaultHostManagement[0]; accounts must be unique'],
    ["DHMC misspelt key", (c) => (c.logAccess = { defaultHostManagement: [{ account: "apps", region: "us-west-2" }] }), "logAccess.defaultHostManagement[0].region: is not a known key; allowed keys: account, regions"],
    ["enforcer role tag key with #", (c) => (c.enforcer = { instanceRoleTagKey: "ssm#role" }), 'enforcer.instanceRoleTagKey: "ssm#role" is not an IAM tag key (1-128 of letters, digits, spaces and _.:/=+-@, not starting with aws:)'],
    ["flexible window over a day", (c) => (c.patchGroups[0].install.flexibleWindowMinutes = 1441), "patchGroups[0].install.flexibleWindowMinutes: 1441 is not an integer from 0 to 1440 (minutes the scheduler may delay a run; 0 = exactly on time)"],
    ["unknown install runbook", (c) => (c.patchGroups[0].installRunbook = "AWS-RunPatchBaseline"), 'patchGroups[0].installRunbook: "AWS-RunPatchBaseline" is not one of RunPatchBaseline, PatchWithStoppedInstances'],
    ["retry attempts 200", (c) => (c.scheduleRetry = { maximumRetryAttempts: 200 }), "scheduleRetry.maximumRetryAttempts: 200 is not an integer from 0 to 185 (scheduler retries of a failed invocation)"],
    ["member Region without the Config rules", (c) => (c.accounts[1].regions = ["us-west-2", "ap-east-2"]), 'accounts[1].regions[1]: "ap-east-2" offers none of the AWS Config rules that report patch compliance (catalog/configRules.ts lists where each is offered)'],
    ["duplicate notification email", (c) => (c.notifications = { emails: ["ops@example.com", "OPS@example.com"] }), 'notifications.emails[1]: "OPS@example.com" duplicates notifications.emails[0]; subscriptions must be unique'],
    ["registration limit 0", (c) => (c.hybrid = { registrationLimit: 0 }), "hybrid.registrationLimit: 0 is not an integer from 1 to 1000 (nodes one patch group's activation may register)"],
    ["registration limit 5000", (c) => (c.hybrid = { registrationLimit: 5000 }), "hybrid.registrationLimit: 5000 is not an integer from 1 to 1000 (nodes one patch group's activation may register)"],
    ["rotation over 30 days", (c) => (c.hybrid = { rotationDays: 45 }), "hybrid.rotationDays: 45 is not an integer from 1 to 30 (days between activation rotations; expiry stays within 30 days)"],
    ["hybrid home not a member", (c) => (c.hybrid = { account: "audit" }), 'hybrid.account: "audit" is not a member account alias; Azure VMs must register where their patch groups are patched (members: security, apps)'],
    ["hybrid Region the account lacks", (c) => (c.hybrid = { account: "apps", region: "eu-west-2" }), 'hybrid.region: "eu-west-2" is not one of apps\'s regions (us-west-2)'],
    ["Azure owner tag value missing", (c) => (c.tags = {}), "azureTags.owner: missing; Azure VMs need a value for the required Owner tag (or set tags.Owner)"],
    ["resource group without location", (c) => delete c.azureSubscriptions[0].resourceGroups[0].location, "azureSubscriptions[0].resourceGroups[0].location: missing; expected an Azure location name (lowercase letters and digits, e.g. westeurope)"],
    ["resource group location with space", (c) => (c.azureSubscriptions[0].resourceGroups[0].location = "West Europe"), 'azureSubscriptions[0].resourceGroups[0].location: "West Europe" is not an Azure location name (lowercase letters and digits, e.g. westeurope)'],
    ["environment staging", (c) => (c.environment = "staging"), 'environment: "staging" is not one of dev, prod'],
    ["environment missing", (c) => delete c.environment, "environment: missing; expected one of dev, prod"],
    ["central account unknown", (c) => (c.centralAccount = "audit"), 'centralAccount: "audit" is not an alias from accounts; allowed: security, apps'],
    ["central Region unknown", (c) => (c.centralRegion = "mars-1"), 'centralRegion: "mars-1" is not an AWS Region; allowed: '],
    ["bad organization id", (c) => (c.organizationId = "org-123"), 'organizationId: "org-123" is not an AWS Organizations id (o- followed by 10-32 lowercase letters or digits)'],
    ["patch tag key Patch Manager ignores", (c) => (c.patchGroupTagKey = "patch-group"), 'patchGroupTagKey: "patch-group" is not one of Patch Group, PatchGroup'],
    ["bad execution role name", (c) => (c.automationExecutionRoleName = "has space"), 'automationExecutionRoleName: "has space" is not an IAM role name (1-64 of letters, digits and +=,.@_-)'],
    ["aws: tag key", (c) => (c.tags = { "aws:owner": "x" }), 'tags.aws:owner: "aws:owner" is not a tag key (1-128 characters, none of <>%&\\?/, not starting with aws:)'],
    ["tag value with slash", (c) => (c.tags = { Owner: "a/b" }), 'tags.Owner: "a/b" is not a tag value (0-256 characters, none of <>%&\\?/)'],
    ["reserved tag key", (c) => (c.tags = { ...c.tags, Environment: "x" }), 'tags.Environment: "Environment" is set by the program itself; choose a key other than Project, Stack, Environment, ManagedBy, Patch Group'],
    ["duplicate patch group", (c) => (c.patchGroups[1].name = "linux"), 'patchGroups[1].name: "linux" duplicates patchGroups[0].name; patch group names must be unique'],
    ["patch group name with space", (c) => (c.patchGroups[0].name = "App A"), `patchGroups[0].name: "App A" ${PATCH_GROUP_NAME_RULE}`],
    ["patch group name starting with AWS", (c) => (c.patchGroups[0].name = "AWSLinux"), `patchGroups[0].name: "AWSLinux" ${PATCH_GROUP_NAME_RULE}`],
    ["baseline options for an OS the group lacks", (c) => (c.patchGroups[1].baselines = { UBUNTU: { complianceLevel: "HIGH" } }), 'patchGroups[1].baselines.UBUNTU: "UBUNTU" is not one of this group\'s operatingSystems (WINDOWS)'],
    ["unknown compliance level", (c) => (c.patchGroups[1].baselines = { WINDOWS: { complianceLevel: "SEVERE" } }), 'patchGroups[1].baselines.WINDOWS.complianceLevel: "SEVERE" is not one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED'],
    ["unknown rejected-patches action", (c) => (c.patchGroups[1].baselines = { WINDOWS: { rejectedPatches: ["KB123"], rejectedPatchesAction: "DROP" } }), 'patchGroups[1].baselines.WINDOWS.rejectedPatchesAction: "DROP" is not one of ALLOW_AS_DEPENDENCY, BLOCK'],
    ["filter key invalid for the OS", (c) => (c.patchGroups[1].baselines = { WINDOWS: { approvalRules: [{ filters: { SEVERITY: ["Critical"] } }] } }), 'patchGroups[1].baselines.WINDOWS.approvalRules[0].filters.SEVERITY: "SEVERITY" is not a patch filter key for WINDOWS; allowed: PATCH_SET, PRODUCT, PRODUCT_FAMILY, CLASSIFICATION, MSRC_SEVERITY'],
    ["Ubuntu rule with a yum key", (c) => (c.patchGroups[0].baselines = { UBUNTU: { approvalRules: [{ filters: { CLASSIFICATION: ["Security"] } }] } }), 'patchGroups[0].baselines.UBUNTU.approvalRules[0].filters.CLASSIFICATION: "CLASSIFICATION" is not a patch filter key for UBUNTU; allowed: PRODUCT, PRIORITY, SECTION'],
    ["rule without filters", (c) => (c.patchGroups[1].baselines = { WINDOWS: { approvalRules: [{ filters: {} }] } }), "patchGroups[1].baselines.WINDOWS.approvalRules[0].filters: is empty; a rule needs at least one patch filter"],
    ["eleven rules", (c) => (c.patchGroups[1].baselines = { WINDOWS: { approvalRules: Array.from({ length: 11 }, () => ({ filters: { CLASSIFICATION: ["Updates"] } })) } }), "patchGroups[1].baselines.WINDOWS.approvalRules: [11 items] has more than 10 rules (the API limit)"],
    ["two default baselines for one OS", (c) => { c.patchGroups[1].operatingSystems = ["WINDOWS", "UBUNTU"]; c.patchGroups[0].baselines = { UBUNTU: { setAsDefault: true } }; c.patchGroups[1].baselines = { UBUNTU: { setAsDefault: true } }; }, "patchGroups[1].baselines.UBUNTU.setAsDefault: true conflicts with patchGroups[0]; only one patch group can own the default UBUNTU baseline"],
    ["unknown OS", (c) => (c.patchGroups[0].operatingSystems = ["LINUX"]), 'patchGroups[0].operatingSystems[0]: "LINUX" is not one of AMAZON_LINUX_2, AMAZON_LINUX_2023, REDHAT_ENTERPRISE_LINUX, ROCKY_LINUX, ALMA_LINUX, ORACLE_LINUX, SUSE, UBUNTU, DEBIAN, WINDOWS'],
    ["patch group without OS", (c) => (c.patchGroups[0].operatingSystems = []), "patchGroups[0].operatingSystems: [] is not a non-empty list of operating systems"],
    ["OS listed twice", (c) => (c.patchGroups[1].operatingSystems = ["WINDOWS", "WINDOWS"]), 'patchGroups[1].operatingSystems[1]: "WINDOWS" duplicates patchGroups[1].operatingSystems[0]; a patch group\'s operating systems must be unique'],
    ["approveAfterDays 400", (c) => (c.patchGroups[0].approveAfterDays = { dev: 1, prod: 400 }), "patchGroups[0].approveAfterDays.prod: 400 is not an integer from 0 to 360 (days after release before a patch is auto-approved)"],
    ["approveAfterDays negative", (c) => (c.patchGroups[0].approveAfterDays = { dev: -1, prod: 7 }), "patchGroups[0].approveAfterDays.dev: -1 is not an integer from 0 to 360 (days after release before a patch is auto-approved)"],
    ["approveAfterDays fractional", (c) => (c.patchGroups[0].approveAfterDays = { dev: 1.5, prod: 7 }), "patchGroups[0].approveAfterDays.dev: 1.5 is not an integer from 0 to 360 (days after release before a patch is auto-approved)"],
    // Issue 21: locations are counted per account (different Region counts), not as the first account's times the count.
    ["patch group over 100 locations with uneven Regions", (c) => { c.accounts = [{ alias: "a0", id: "100000000000", regions: ["us-west-2"] }, ...Array.from({ length: 50 }, (_, i) => ({ alias: `a${i + 1}`, id: String(100000000001 + i), regions: ["us-west-2", "eu-west-2"] }))]; c.centralAccount = "a0"; c.azureSubscriptions = []; c.patchGroups.pop(); c.organizationId = "o-abcdefghij"; c.inventory = { bucketAccess: "organization" }; }, "patchGroups[0].accounts: covers 101 (account, Region) locations; one multi-account Automation run reaches at most 100, so split the group"],
    ["remediation where the Region lacks the patch rule", (c) => { c.accounts[1].regions = ["us-west-2", "eu-south-1"]; c.compliance = { remediation: true }; }, 'compliance.remediation: "install" needs the patch-compliance Config rule, which eu-south-1 (apps) does not offer'],
    ["prod one day shorter than dev", (c) => (c.patchGroups[0].approveAfterDays = { dev: 8, prod: 7 }), "patchGroups[0].approveAfterDays.prod: 7 is less than dev (8); prod must wait at least as long as dev"],
    ["prod shorter than dev", (c) => (c.patchGroups[0].approveAfterDays = { dev: 10, prod: 3 }), "patchGroups[0].approveAfterDays.prod: 3 is less than dev (10); prod must wait at least as long as dev"],
    ["install missing", (c) => delete c.patchGroups[1].install, "patchGroups[1].install: missing; expected an install schedule ({expression | patchTuesdayOffsetDays + timeOfDay, timeZone?, startDate?, flexibleWindowMinutes?, maxDurationMinutes?})"],
    ["cron with both day fields", (c) => (c.patchGroups[1].install.expression = "cron(0 3 * * SAT *)"), 'patchGroups[1].install.expression: "cron(0 3 * * SAT *)" is not a valid AWS cron expression (one of day-of-month and day-of-week must be ?)'],
    ["five-field cron", (c) => (c.patchGroups[1].install.expression = "cron(0 3 ? * SAT)"), 'patchGroups[1].install.expression: "cron(0 3 ? * SAT)" is not a valid AWS cron expression (Expected 6 values, but got 5)'],
    ["cron hour 25", (c) => (c.patchGroups[1].install.expression = "cron(0 25 ? * SAT *)"), "patchGroups[1].install.expression: \"cron(0 25 ? * SAT *)\" is not a valid AWS cron expression (Number '25' of hours field is bigger than upper limit '23')"],
    ["rate with plural 1", (c) => (c.patchGroups[1].install.expression = "rate(1 days)"), 'patchGroups[1].install.expression: "rate(1 days)" must say "1 day"'],
    ["rate in weeks", (c) => (c.patchGroups[1].install.expression = "rate(2 weeks)"), 'patchGroups[1].install.expression: "rate(2 weeks)" is not a schedule expression; expected cron(<6 AWS cron fields>), rate(<n> minute[s]|hour[s]|day[s]) or at(yyyy-mm-ddThh:mm:ss)'],
    ["one-time at()", (c) => (c.patchGroups[1].install.expression = "at(2026-12-01T02:00:00)"), 'patchGroups[1].install.expression: "at(2026-12-01T02:00:00)" is a one-time at() schedule; patching needs a recurring cron() or rate()'],
    ["rate without startDate", (c) => delete c.patchGroups[0].install.startDate, "patchGroups[0].install.startDate: missing; a rate(14 days) schedule needs a startDate to fix its time of day (e.g. 2026-12-06T02:00:00Z)"],
    ["startDate without offset", (c) => (c.patchGroups[0].install.startDate = "2026-12-06 02:00"), 'patchGroups[0].install.startDate: "2026-12-06 02:00" is not an ISO 8601 date-time with offset (e.g. 2026-12-06T02:00:00Z)'],
    ["unknown time zone", (c) => (c.patchGroups[0].install.timeZone = "Mars/Olympus_Mons"), 'patchGroups[0].install.timeZone: "Mars/Olympus_Mons" is not an IANA time zone name (e.g. UTC, Europe/London, America/Los_Angeles)'],
    ["MaxConcurrency 0", (c) => (c.patchGroups[0].rateControl = { maxConcurrency: "0" }), 'patchGroups[0].rateControl.maxConcurrency: "0" is not an SSM MaxConcurrency (a count ≥ 1 like "5" or a percentage 1%-100% like "10%")'],
    ["MaxErrors 101%", (c) => (c.patchGroups[0].rateControl = { maxErrors: "101%" }), 'patchGroups[0].rateControl.maxErrors: "101%" is not an SSM MaxErrors (a count ≥ 0 like "1" or a percentage 0%-100% like "10%")'],
    ["patch group in unknown account", (c) => (c.patchGroups[0].accounts = ["payments"]), 'patchGroups[0].accounts[0]: "payments" is not a member account alias; allowed: security, apps'],
    ["patch group in non-member account", (c) => { c.accounts[1].member = false; c.patchGroups[0].accounts = ["apps"]; }, 'patchGroups[0].accounts[0]: "apps" is not a member account alias; allowed: security'],
    ["subscription id not a UUID", (c) => (c.azureSubscriptions[0].subscriptionId = "corp-sub"), 'azureSubscriptions[0].subscriptionId: "corp-sub" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)'],
    ["tenant missing", (c) => delete c.azureSubscriptions[0].tenantId, "azureSubscriptions[0].tenantId: missing; expected a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"],
    ["duplicate subscription", (c) => c.azureSubscriptions.push({ ...c.azureSubscriptions[0], alias: "corp2" }), 'azureSubscriptions[1].subscriptionId: "5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a" duplicates azureSubscriptions[0].subscriptionId; subscription ids must be unique'],
    ["VM OS unknown", (c) => (c.azureSubscriptions[0].resourceGroups[0].vms[0].os = "bsd"), 'azureSubscriptions[0].resourceGroups[0].vms[0].os: "bsd" is not one of linux, windows'],
    ["VM in unknown patch group", (c) => (c.azureSubscriptions[0].resourceGroups[0].vms[0].patchGroup = "AppB"), 'azureSubscriptions[0].resourceGroups[0].vms[0].patchGroup: "AppB" is not a configured patch group; allowed: Linux, Windows'],
    ["Windows VM in Linux group", (c) => (c.azureSubscriptions[0].resourceGroups[0].vms[0].os = "windows"), 'azureSubscriptions[0].resourceGroups[0].vms[0].os: "windows" does not match patch group Linux, which has no windows baseline (it covers AMAZON_LINUX_2023, UBUNTU)'],
    ["VM name with space", (c) => (c.azureSubscriptions[0].resourceGroups[0].vms[0].name = "vm 01"), 'azureSubscriptions[0].resourceGroups[0].vms[0].name: "vm 01" is not an Azure VM name (1-64 characters without spaces or \\/"[]:|<>+=;,?*@&, not starting with _ or ending with . or -)'],
    ["duplicate VM (case-insensitive)", (c) => c.azureSubscriptions[0].resourceGroups[0].vms.push({ name: "VM-LIN-01", os: "linux", patchGroup: "Linux" }), 'azureSubscriptions[0].resourceGroups[0].vms[1].name: "VM-LIN-01" duplicates azureSubscriptions[0].resourceGroups[0].vms[0].name; VM names in a resource group must be unique'],
    ["EBS key given as an alias ARN", (c) => (c.ebsKmsKeyArns = ["arn:aws:kms:us-west-2:222222222222:alias/ebs"]), 'ebsKmsKeyArns[0]: "arn:aws:kms:us-west-2:222222222222:alias/ebs" is a KMS alias ARN; kms:CreateGrant is authorized on the key, so give the key ARN (arn:aws:kms:<region>:<account>:key/<key id>)'],
    ["EBS key given as a key id", (c) => (c.ebsKmsKeyArns = ["1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"]), 'ebsKmsKeyArns[0]: "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b" is not a KMS key ARN (arn:aws:kms:<region>:<12-digit account>:key/<key id or mrk- id>)'],
    ["EBS key in an unknown Region", (c) => (c.ebsKmsKeyArns = ["arn:aws:kms:us-west-9:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"]), 'ebsKmsKeyArns[0]: "arn:aws:kms:us-west-9:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b" is not a KMS key ARN: "us-west-9" is not an AWS Region'],
    ["EBS key listed twice", (c) => (c.ebsKmsKeyArns = [0, 1].map(() => "arn:aws:kms:us-west-2:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")), 'ebsKmsKeyArns[1]: "arn:aws:kms:us-west-2:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b" duplicates ebsKmsKeyArns[0]; KMS key ARNs must be unique'],
    ["EBS key where no member runs", (c) => (c.ebsKmsKeyArns = ["arn:aws:kms:eu-central-1:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"]), 'ebsKmsKeyArns[0]: "arn:aws:kms:eu-central-1:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b" is a key in eu-central-1, where no member account runs; EBS volumes use a key of their own Region (us-west-2, eu-west-2)'],
    ["resource group ending in a period", (c) => (c.azureSubscriptions[0].resourceGroups[0].name = "rg-app."), 'azureSubscriptions[0].resourceGroups[0].name: "rg-app." is not an Azure resource group name (1-90 of letters, digits, _()-. not ending in .)'],
];

describe("stacks/config: estate configuration", () => {
    it("accepts the valid fixture and resolves defaults", () => {
        const estate = parse(validRawConfig());
        assert.equal(estate.central.account.alias, "security");
        assert.equal(estate.central.region, "us-east-1");
        assert.equal(estate.accounts[0].deploymentRoleArn, `arn:aws:iam::111111111111:role/${CONFIG_DEFAULTS.deploymentRoleName}`);
        assert.equal(estate.accounts[1].deploymentRoleArn, "arn:aws:iam::222222222222:role/deployer");
        assert.deepEqual(estate.members.map((a) => a.alias), ["security", "apps"]);
        const windows = estate.patchGroups[1];
        assert.deepEqual(windows.approveAfterDays, CONFIG_DEFAULTS.approveAfterDays);
        assert.deepEqual(windows.scan, CONFIG_DEFAULTS.scan);
        assert.deepEqual(windows.rateControl, CONFIG_DEFAULTS.rateControl);
        assert.equal(windows.install.timeZone, "UTC");
        assert.deepEqual(windows.accounts, ["security", "apps"], "a patch group without accounts covers every member");
        assert.equal(estate.patchGroupTagKey, CONFIG_DEFAULTS.patchGroupTagKey);
        assert.equal(estate.automationExecutionRoleName, CONFIG_DEFAULTS.automationExecutionRoleName);
        assert.deepEqual(estate.standardTags, { Owner: "platform", Project: "multicloud-patching", Stack: "test", Environment: "prod", ManagedBy: "pulumi" });
        assert.deepEqual(estate.ebsKmsKeyArns, [], "no EBS keys: the execution role gets no kms:CreateGrant");
    });

    it("resolves remediation: off by default, true = the install defaults, an object completed with them", () => {
        const withRemediation = (remediation: unknown) => {
            const raw: Raw = validRawConfig();
            raw.compliance = { remediation };
            return parse(raw).compliance;
        };
        const sla = SLA_DEFAULT_DAYS;
        assert.deepEqual(parse(validRawConfig()).compliance, { configRecorder: false, sla });
        assert.deepEqual(withRemediation(false), { configRecorder: false, sla });
        const defaults = { mode: "install", maximumAutomaticAttempts: 3, retryAttemptSeconds: 86400 };
        assert.deepEqual(withRemediation(true), { configRecorder: false, remediation: defaults, sla });
        assert.deepEqual(withRemediation({ mode: "install", rebootOption: "RebootIfNeeded" }).remediation, { ...defaults, rebootOption: "RebootIfNeeded" });
        assert.deepEqual(withRemediation({ mode: "refresh-compliance", maximumAutomaticAttempts: 2 }).remediation, { ...defaults, mode: "refresh-compliance", maximumAutomaticAttempts: 2 });
        // The boundary: exactly 25 attempts of the longest run.
        assert.equal(withRemediation({ maximumAutomaticAttempts: 25, retryAttemptSeconds: 25 * 7560 }).remediation?.retryAttemptSeconds, 189000);
    });

    it("takes EBS key ARNs, multi-Region keys included", () => {
        const raw: Raw = validRawConfig();
        raw.ebsKmsKeyArns = ["arn:aws:kms:us-west-2:222222222222:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", "arn:aws:kms:eu-west-2:999999999999:key/mrk-0123456789abcdef0123456789abcdef"];
        assert.deepEqual(parse(raw).ebsKmsKeyArns, raw.ebsKmsKeyArns);
    });

    it("scopes the enforcer to tagged instance roles by default, and to a path only when one is configured", () => {
        const estate = parse(validRawConfig());
        assert.equal(estate.enforcer.instanceRoleTagKey, "patching:ssm-instance-role");
        assert.equal(estate.enforcer.instanceRolePath, undefined);
        const raw: Raw = validRawConfig();
        raw.enforcer = { instanceRolePath: "/instances/app/", instanceRoleTagKey: "ssm-instance" };
        assert.deepEqual({ ...parse(raw).enforcer }, { ...CONFIG_DEFAULTS.enforcer, instanceRolePath: "/instances/app/", instanceRoleTagKey: "ssm-instance" });
    });

    it("resolves log access: the enforcer attaches the log writer by default, Default Host Management only where listed (all the account's Regions unless narrowed)", () => {
        assert.deepEqual(parse(validRawConfig()).logAccess, { enforcerAttach: true, defaultHostManagement: [] });
        const raw: Raw = validRawConfig();
        raw.logAccess = { enforcerAttach: false, defaultHostManagement: [{ account: "security" }, { account: "apps", regions: ["us-west-2"] }] };
        assert.deepEqual(JSON.parse(JSON.stringify(parse(raw).logAccess)), {
            enforcerAttach: false,
            defaultHostManagement: [
                { account: "security", regions: ["us-west-2", "eu-west-2"] },
                { account: "apps", regions: ["us-west-2"] },
            ],
        });
    });

    it("resolves storage, inventory and connectivity settings with their defaults", () => {
        const raw: Raw = validRawConfig();
        raw.organizationId = "o-abcdefghij";
        raw.inventory = { schedule: "rate(1 day)", bucketAccess: "organization" };
        raw.privateConnectivity = [
            { account: "apps", region: "us-west-2", newVpc: { cidrBlock: "10.20.0.0/16" } },
            { account: "security", region: "eu-west-2", existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"] }, optionalEndpoints: ["kms"] },
        ];
        const estate = parse(raw);
        assert.deepEqual(estate.logStorage, CONFIG_DEFAULTS.logStorage);
        assert.equal("objectLock" in estate.logStorage && estate.logStorage.objectLock !== undefined, false, "Object Lock is off unless configured");
        assert.deepEqual(parse({ ...validRawConfig(), logStorage: { objectLock: { mode: "GOVERNANCE", days: 90 } } }).logStorage.objectLock, { mode: "GOVERNANCE", days: 90 });
        assert.deepEqual(estate.inventory, { ...CONFIG_DEFAULTS.inventory, schedule: "rate(1 day)", bucketAccess: "organization" });
        assert.deepEqual(estate.privateConnectivity, [
            { account: "apps", region: "us-west-2", network: { kind: "new", cidrBlock: "10.20.0.0/16", natGateways: "Single" }, optionalEndpoints: [] },
            {
                account: "security",
                region: "eu-west-2",
                network: { kind: "existing", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], routeTableIds: [], instanceSecurityGroupIds: [] },
                optionalEndpoints: ["kms"],
            },
        ]);
    });

    it("returns a deeply frozen estate", () => {
        const estate = parse(validRawConfig());
        assert.ok(Object.isFrozen(estate));
        assert.ok(Object.isFrozen(estate.accounts[0].regions));
        assert.ok(Object.isFrozen(estate.patchGroups[0].install));
        assert.throws(() => (estate.accounts as unknown as unknown[]).push({}));
    });

    it("does not mutate its input", () => {
        const raw = validRawConfig();
        const copy = JSON.parse(JSON.stringify(raw));
        parse(raw);
        assert.deepEqual(raw, copy);
    });

    it("accepts custom approval rules with keys valid for the OS", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[1].baselines = { WINDOWS: { approvalRules: [{ filters: { CLASSIFICATION: ["SecurityUpdates"], MSRC_SEVERITY: ["Critical"] }, complianceLevel: "CRITICAL" }] } };
        assert.deepEqual(parse(raw).patchGroups[1].baselines.WINDOWS?.approvalRules?.[0].filters, { CLASSIFICATION: ["SecurityUpdates"], MSRC_SEVERITY: ["Critical"] });
    });

    it("restricts a patch group to the accounts it names", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[0].accounts = ["apps"];
        raw.hybrid = { account: "apps" };
        assert.deepEqual(parse(raw).patchGroups[0].accounts, ["apps"]);
        // The fixture's Azure VM is in that group, so it must register where the group is patched.
        delete raw.hybrid;
        assert.equal(errorOf(raw), 'hybrid.account: "security" is not in patch group Linux\'s accounts (apps), so its Azure VMs would never be patched');
    });

    describe(`rejects bad values with one clear line each (${BAD_CONFIGS.length} cases)`, () => itRejectsEach(BAD_CONFIGS, validRawConfig));

    it("lists every bad value when there are several, one per line", () => {
        const raw: Raw = validRawConfig();
        raw.accounts[0].id = "1";
        raw.environment = "qa";
        assert.deepEqual(errorOf(raw).split("\n"), ['environment: "qa" is not one of dev, prod', 'accounts[0].id: "1" is not a 12-digit AWS account id']);
    });

    it("reports a value that breaks several checks only once", () => {
        const raw: Raw = validRawConfig();
        raw.patchGroups[0].approveAfterDays = { dev: 1, prod: 400.5 };
        assert.equal(errorOf(raw).split("\n").length, 1);
    });

    it("is a RunError, so the Pulumi CLI prints it without a stack trace", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const raw: Raw = validRawConfig();
        raw.environment = "qa";
        assert.throws(() => parse(raw), (error: unknown) => pulumi.RunError.isInstance(error));
    });
});

const OU_RULE = "is not an organizational unit id (ou-<4-32 lowercase letters or digits>-<8-32 lowercase letters or digits>) or a root id (r-<4-32 lowercase letters or digits>)";

/** Organization mode (issue 16): [description, mutation of the valid organization config, the one line]. */
const BAD_ORGANIZATION_CONFIGS: BadConfig[] = [
    ["OU id with capitals", (c) => (c.organization.targets[0].organizationalUnits[0] = "ou-AB12-11111111"), `organization.targets[0].organizationalUnits[0]: "ou-AB12-11111111" ${OU_RULE}`],
    ["OU id with a short second part", (c) => (c.organization.targets[0].organizationalUnits[0] = "ou-ab12-1111"), `organization.targets[0].organizationalUnits[0]: "ou-ab12-1111" ${OU_RULE}`],
    ["root id too short", (c) => (c.organization.targets[1].organizationalUnits = ["r-ab1"]), `organization.targets[1].organizationalUnits[0]: "r-ab1" ${OU_RULE}`],
    ["account id as a target", (c) => (c.organization.targets[1].organizationalUnits = ["444444444444"]), `organization.targets[1].organizationalUnits[0]: "444444444444" ${OU_RULE}`],
    ["no targets", (c) => (c.organization.targets = []), "organization.targets: [] is not a non-empty list of organization targets"],
    ["target without Regions", (c) => (c.organization.targets[1].regions = []), "organization.targets[1].regions: [] is not a non-empty list of AWS Regions"],
    ["unknown target Region", (c) => (c.organization.targets[1].regions = ["us-east-9"]), 'organization.targets[1].regions[0]: "us-east-9" is not an AWS Region; allowed: '],
    ["target Region twice", (c) => (c.organization.targets[1].regions = ["us-east-1", "us-east-1"]), 'organization.targets[1].regions[1]: "us-east-1" duplicates organization.targets[1].regions[0]; a target\'s Regions must be unique'],
    ["target Region without the Config rules", (c) => (c.organization.targets[1].regions = ["ap-east-2"]), 'organization.targets[1].regions[0]: "ap-east-2" offers none of the AWS Config rules that report patch compliance (catalog/configRules.ts lists where each is offered)'],
    ["OU in two targets", (c) => c.organization.targets[1].organizationalUnits.push("ou-ab12-11111111"), 'organization.targets[1].organizationalUnits[1]: "ou-ab12-11111111" duplicates organization.targets[0].organizationalUnits[0]; organizational units across organization targets must be unique'],
    ["root with OUs", (c) => (c.organization.targets[1].organizationalUnits = ["r-ab12", "ou-ab12-33333333"]), 'organization.targets[1].organizationalUnits: ["r-ab12","ou-ab12-33333333"] lists the root together with other ids; the root already contains every organizational unit'],
    ["root overlapping another target's Region", (c) => (c.organization.targets[1] = { organizationalUnits: ["r-ab12"], regions: ["eu-west-2"] }), "organization.targets[0]: overlaps the root target organization.targets[1] in eu-west-2; its accounts would be patched twice there"],
    ["excluded account not 12 digits", (c) => (c.organization.targets[0].excludeAccounts = ["3333"]), 'organization.targets[0].excludeAccounts[0]: "3333" is not a 12-digit AWS account id'],
    ["excluded account twice", (c) => c.organization.targets[0].excludeAccounts.push("333333333333"), 'organization.targets[0].excludeAccounts[1]: "333333333333" duplicates organization.targets[0].excludeAccounts[0]; a target\'s excluded accounts must be unique'],
    ["excluded account is a configured member", (c) => (c.organization.targets[0].excludeAccounts = ["222222222222"]), 'organization.targets[0].excludeAccounts[0]: "222222222222" is the configured member account apps; configured member accounts are patched through accounts and always left out of organization targets, so excluding it contradicts member: true (remove it here, or set member: false)'],
    ["unknown callAs", (c) => (c.organization.callAs = "MANAGEMENT"), 'organization.callAs: "MANAGEMENT" is not one of SELF, DELEGATED_ADMIN'],
    ["max concurrency 0 %", (c) => (c.organization.operationPreferences = { maxConcurrentPercentage: 0 }), "organization.operationPreferences.maxConcurrentPercentage: 0 is not an integer from 1 to 100 (percentage of a Region's accounts a StackSet operation deploys to at once)"],
    ["failure tolerance 101 %", (c) => (c.organization.operationPreferences = { failureTolerancePercentage: 101 }), "organization.operationPreferences.failureTolerancePercentage: 101 is not an integer from 0 to 100 (percentage of a Region's accounts that may fail before the operation stops there)"],
    ["unknown Region concurrency", (c) => (c.organization.operationPreferences = { regionConcurrencyType: "ALL" }), 'organization.operationPreferences.regionConcurrencyType: "ALL" is not one of SEQUENTIAL, PARALLEL'],
    ["organization id conflicting with organizationId", (c) => (c.organizationId = "o-zzzzzzzzzz"), 'organization.id: "o-abcdefghij" conflicts with organizationId ("o-zzzzzzzzzz"); set the organization id once (organization.id, or organizationId)'],
    ["no organization id anywhere", (c) => delete c.organization.id, "organization.id: missing; expected an AWS Organizations id (o-…), here or as organizationId"],
    ["bad organization id", (c) => (c.organization.id = "o-123"), 'organization.id: "o-123" is not an AWS Organizations id (o- followed by 10-32 lowercase letters or digits)'],
    ["group with accounts and OUs", (c) => { c.patchGroups[1].accounts = ["apps"]; c.patchGroups[1].organizationalUnits = ["ou-ab12-11111111"]; }, "patchGroups[1].organizationalUnits: is set together with patchGroups[1].accounts; a patch group targets either configured accounts or organizational units, not both"],
    ["group OU in no target", (c) => (c.patchGroups[1].organizationalUnits = ["ou-ab12-99999999"]), 'patchGroups[1].organizationalUnits[0]: "ou-ab12-99999999" is not in any organization target (ou-ab12-11111111, ou-ab12-22222222, ou-ab12-33333333); the member side is deployed only there, so list it in organization.targets (or target the root)'],
    ["group OU twice", (c) => (c.patchGroups[1].organizationalUnits = ["ou-ab12-11111111", "ou-ab12-11111111"]), 'patchGroups[1].organizationalUnits[1]: "ou-ab12-11111111" duplicates patchGroups[1].organizationalUnits[0]; a patch group\'s organizational units must be unique'],
    ["group OU id malformed", (c) => (c.patchGroups[1].organizationalUnits = ["ou-1"]), `patchGroups[1].organizationalUnits[0]: "ou-1" ${OU_RULE}`],
    ["group OUs without an organization block", (c) => { delete c.organization; c.patchGroups[1].organizationalUnits = ["ou-ab12-11111111"]; }, 'patchGroups[1].organizationalUnits: ["ou-ab12-11111111"] needs an organization block (organization.targets) to deploy to and run in organizational units'],
    ["misspelt target key", (c) => (c.organization.targets[1].excludedAccounts = []), "organization.targets[1].excludedAccounts: is not a known key; allowed keys: organizationalUnits, regions, excludeAccounts"],
];

describe("stacks/config: organization mode (issue 16)", () => {
    it("resolves the organization block with its defaults and the id as the one organizationId", () => {
        const estate = parse(validOrganizationRawConfig());
        assert.equal(estate.organizationId, "o-abcdefghij");
        assert.equal(estate.organization?.id, "o-abcdefghij");
        assert.equal(estate.organization?.callAs, "DELEGATED_ADMIN");
        assert.deepEqual(estate.organization?.operationPreferences, CONFIG_DEFAULTS.organization.operationPreferences);
        assert.deepEqual(estate.organization?.targets[1], { organizationalUnits: ["ou-ab12-33333333"], regions: ["us-east-1"], excludeAccounts: [] });
    });

    it("takes the id from organizationId when the block has none, and accepts the same id twice", () => {
        const raw: Raw = validOrganizationRawConfig();
        delete raw.organization.id;
        raw.organizationId = "o-abcdefghij";
        assert.equal(parse(raw).organization?.id, "o-abcdefghij");
        raw.organization.id = "o-abcdefghij";
        assert.equal(parse(raw).organizationId, "o-abcdefghij");
    });

    it("lets the organization id alone satisfy bucketAccess: organization (one source of truth)", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.inventory = { bucketAccess: "organization" };
        assert.equal(parse(raw).organizationId, "o-abcdefghij");
    });

    it("gives a group without accounts every target, with the configured members excluded from each", () => {
        const windows = parse(validOrganizationRawConfig()).patchGroups[1];
        assert.deepEqual(windows.accounts, ["security", "apps"]);
        assert.deepEqual(windows.organizationTargets, [
            { organizationalUnits: ["ou-ab12-11111111", "ou-ab12-22222222"], regions: ["us-west-2", "eu-west-2"], excludeAccounts: ["111111111111", "222222222222", "333333333333"] },
            { organizationalUnits: ["ou-ab12-33333333"], regions: ["us-east-1"], excludeAccounts: ["111111111111", "222222222222"] },
        ]);
    });

    it("gives a group with organizationalUnits only its OUs, per target, and no configured accounts", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.patchGroups[1].organizationalUnits = ["ou-ab12-22222222"];
        const windows = parse(raw).patchGroups[1];
        assert.deepEqual(windows.accounts, []);
        assert.deepEqual(windows.organizationTargets, [{ organizationalUnits: ["ou-ab12-22222222"], regions: ["us-west-2", "eu-west-2"], excludeAccounts: ["111111111111", "222222222222", "333333333333"] }]);
    });

    it("puts a group's OU that no target lists under a root target", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.organization.targets = [{ organizationalUnits: ["r-ab12"], regions: ["us-east-1"] }];
        raw.patchGroups[1].organizationalUnits = ["ou-ab12-77777777"];
        assert.deepEqual(parse(raw).patchGroups[1].organizationTargets, [{ organizationalUnits: ["ou-ab12-77777777"], regions: ["us-east-1"], excludeAccounts: ["111111111111", "222222222222"] }]);
    });

    it("leaves a group that names accounts out of the organization, and configured mode without organization fields", () => {
        const raw: Raw = validOrganizationRawConfig();
        raw.patchGroups[1].accounts = ["apps"];
        assert.deepEqual(parse(raw).patchGroups[1].organizationTargets, []);
        const configured = parse(validRawConfig());
        assert.equal(configured.organization, undefined);
        assert.equal("organizationTargets" in configured.patchGroups[0], false);
    });

    it("refuses a group whose OU locations exceed what one Automation run reaches", () => {
        const raw: Raw = validOrganizationRawConfig();
        // 101 OUs across 101 Regions-sets: one location each.
        raw.organization.targets = Array.from({ length: 101 }, (_, i) => ({ organizationalUnits: [`ou-ab12-${String(i).padStart(8, "0")}`], regions: ["us-east-1"] }));
        const message = errorOf(raw);
        assert.ok(message.includes("patchGroups[0]: needs 3 account and 101 organizational-unit locations; one multi-account Automation run reaches at most 100, so split the group"), message);
    });

    describe(`rejects bad organization values with one clear line each (${BAD_ORGANIZATION_CONFIGS.length} cases)`, () => itRejectsEach(BAD_ORGANIZATION_CONFIGS, validOrganizationRawConfig));
});
