import type { QuickSightDashboardSettings } from "./schemaQuickSight";
import type { OperatingSystem } from "../../catalog/operatingSystems";
import type { BaselineOptions } from "../../catalog/patchBaselines";
import type { BucketEncryption, ObjectLockSpec } from "../../catalog/s3";
import type { InstallRunbook, RebootOption } from "../../catalog/automation";
import type { RetentionSpec } from "../../catalog/s3";
import type { OptionalInterfaceEndpoint } from "../../catalog/vpcEndpoints";
import type { ConnectivityNetwork } from "../../catalog/vpc";
import type { CallAs, StackSetRegionConcurrency } from "../../catalog/organizations";
import type { PatchSlaDays } from "./schemaSla";
import type { ComplianceAlertSettings } from "./schemaAlerts";
import type { AzureAutoRegistration, AzureSubscription, AzureTagSettings } from "./estateModelAzure";

export type { AzureAutoRegistration, AzureResourceGroup, AzureSubscription, AzureTagSettings, AzureVm } from "./estateModelAzure";

/**
 * The validated, resolved estate the rest of the program is built from. Everything is a plain
 * value (never an Output): it decides which resources exist and what they are called.
 */
export type Environment = "dev" | "prod";

export interface AwsAccount {
    readonly alias: string;
    readonly id: string;
    /** Role the account's Pulumi provider assumes (configured, or `deploymentRoleName` in this account). */
    readonly deploymentRoleArn: string;
    readonly regions: readonly string[];
    /** Whether this account's instances are patched (the central account usually is). */
    readonly member: boolean;
}

export interface ScheduleSpec {
    readonly expression: string;
    readonly timeZone: string;
    readonly startDate?: string;
    /** Scheduler flexible time window; 0 = off. */
    readonly flexibleWindowMinutes: number;
}

export interface RateControl {
    readonly maxConcurrency: string;
    readonly maxErrors: string;
    readonly targetLocationMaxConcurrency: string;
    readonly targetLocationMaxErrors: string;
}

export interface PatchGroup {
    readonly name: string;
    readonly operatingSystems: readonly OperatingSystem[];
    readonly approveAfterDays: { readonly dev: number; readonly prod: number };
    /** Aliases of the member accounts this group is patched in (all members unless configured). */
    readonly accounts: readonly string[];
    readonly scan: ScheduleSpec;
    readonly install: ScheduleSpec;
    readonly rateControl: RateControl;
    /** The runbook Install runs: the per-node wrapper, or the stopped-instances workflow. */
    readonly installRunbook: InstallRunbook;
    readonly rebootOption: RebootOption;
    /** Per-OS baseline options (only for OSes the group lists). */
    readonly baselines: Readonly<Partial<Record<OperatingSystem, BaselineOptions>>>;
    /**
     * Organization mode only (absent otherwise): the organizational units this group runs in, per
     * target, with the target's Regions and excluded accounts (configured members always excluded).
     */
    readonly organizationTargets?: readonly OrganizationTarget[];
    /** Safe rollout (issue 17): present only when the group uses a safety setting; then its install goes through the gate. */
    readonly rollout?: RolloutSettings;
    /** Issue 17 item 6: snapshot EC2 instances' volumes before install, kept this many days (absent: no snapshots). */
    readonly snapshotBeforeInstall?: { readonly retainDays: number };
    /** Issue 17 item 7: AWS-RunPatchBaselineWithHooks hook document names (absent: AWS-RunPatchBaseline). */
    readonly hooks?: { readonly preInstall?: string; readonly postInstall?: string; readonly onExit?: string };
    /** Issue 19: nodes the group's installs skip, each an exception with a reason and (prod: required) expiry (absent: none). */
    readonly excludedNodes?: readonly ExcludedNode[];
    /** Issue 19: the rejected patches written as `{id, reason, expires}`, per OS (absent: none); the baselines get their ids only. */
    readonly rejectedPatchExceptions?: readonly RejectedPatchException[];
}

/** A rejected patch held back as an exception (README "Exceptions that expire"). */
export interface RejectedPatchException {
    readonly os: OperatingSystem;
    readonly id: string;
    readonly reason: string;
    /** ISO date YYYY-MM-DD, the last day (UTC) the exception holds. */
    readonly expires: string;
}

/** A node left out of its patch group's installs (README "Exceptions that expire"). */
export interface ExcludedNode {
    /** i-… or mi-… */
    readonly id: string;
    readonly reason: string;
    /** ISO date YYYY-MM-DD, the last day (UTC) the exclusion holds; absent: no end (refused in prod by the policy pack). */
    readonly expires?: string;
}

/** A patch group's safety settings (README "Safe rollout"); every member optional but `blackouts`. */
export interface RolloutSettings {
    /** Ring: the earlier group, days since its latest install, and what it must have achieved. */
    readonly after?: { readonly group: string; readonly minDays: number; readonly require: "success" | { readonly compliancePercent: number } };
    /** The alarm NAME (an ARN is resolved to its name) whose ALARM state stops the patch run. */
    readonly haltOnAlarm?: { readonly alarmName: string; readonly ignorePollAlarmFailure: boolean };
    /** Install on the second Tuesday + N days (the install schedule is then a daily cron at the time of day). */
    readonly patchTuesdayOffsetDays?: number;
    /** Window cutoff, minutes after each install start. */
    readonly maxDurationMinutes?: number;
    /** Names of the blackouts this group honours (empty: none). */
    readonly blackouts: readonly string[];
}

/** A change freeze (catalog/blackouts.ts), with the patch groups that honour it resolved. */
export interface EstateBlackout {
    readonly name: string;
    readonly start: string;
    readonly end: string;
    readonly recurrence?: "yearly" | "monthly";
    readonly groups: readonly string[];
}

/** Organizational units (or the root) and the Regions the member side is deployed to there. */
export interface OrganizationTarget {
    readonly organizationalUnits: readonly string[];
    readonly regions: readonly string[];
    readonly excludeAccounts: readonly string[];
}

/** Organization mode (issue 16): member side as service-managed StackSets, runs targeting OUs. */
export interface OrganizationSettings {
    readonly id: string;
    /** SELF: the central account is the management account; DELEGATED_ADMIN: a registered delegated administrator. */
    readonly callAs: CallAs;
    readonly targets: readonly OrganizationTarget[];
    readonly operationPreferences: {
        readonly maxConcurrentPercentage: number;
        readonly failureTolerancePercentage: number;
        readonly regionConcurrencyType: StackSetRegionConcurrency;
    };
}

/** Encryption and lifecycle of every log and inventory bucket. */
export interface LogStorage extends RetentionSpec {
    readonly encryption: BucketEncryption;
    /** S3 Object Lock default retention on the patch-log buckets; absent = off (issue 14). */
    readonly objectLock?: ObjectLockSpec;
}

export interface InventorySettings {
    /** State Manager rate expression of the gather-inventory association. */
    readonly schedule: string;
    readonly maxConcurrency: string;
    readonly maxErrors: string;
    /** Key prefix of every Resource Data Sync in the central bucket. */
    readonly dataSyncPrefix: string;
    /** Who the central bucket policy lets write: the configured accounts, or the organization. */
    readonly bucketAccess: "accounts" | "organization";
}

export interface PrivateConnectivity {
    readonly account: string;
    readonly region: string;
    readonly network: ConnectivityNetwork;
    readonly optionalEndpoints: readonly OptionalInterfaceEndpoint[];
}

export interface Notifications {
    readonly emails: readonly string[];
    readonly httpsEndpoints: readonly string[];
    /** Also announce successful patch runs (one message per node and location). */
    readonly patchRunSuccess: boolean;
    /** The compliance topic: immediate / digest / both per subscriber, and the de-duplication window (schemaAlerts.ts). */
    readonly complianceAlerts: ComplianceAlertSettings;
}

export interface ComplianceSettings {
    /** Create an AWS Config recorder + delivery channel per member location (only where none exists). */
    readonly configRecorder: boolean;
    /** Run the patch runbook automatically on patch non-compliance; absent = off. */
    readonly remediation?: RemediationSettings;
    /** Days a missing patch may stay missing, per compliance severity (schemaSla.ts); a severity without an entry has no SLA. */
    readonly sla: PatchSlaDays;
}

/** AWS Config automatic remediation (README "Compliance"): install (default) or refresh-compliance. */
export interface RemediationSettings {
    readonly mode: "install" | "refresh-compliance";
    /** Install only; absent = RebootIfNeeded (NoReboot is refused by the cross-checks). */
    readonly rebootOption?: RebootOption;
    readonly maximumAutomaticAttempts: number;
    readonly retryAttemptSeconds: number;
}

export interface EnforcerSettings {
    readonly enabled: boolean;
    readonly optOutTagKey: string;
    /** EventBridge rule schedule of the full sweep. */
    readonly schedule: string;
    /** Roles tagged `<key>=true` may receive AmazonSSMManagedInstanceCore (if trusted by EC2 only). */
    readonly instanceRoleTagKey: string;
    /** Roles under this IAM path are in scope too; unset = only tagged roles. */
    readonly instanceRolePath?: string;
}

/**
 * How nodes that do not use the program's instance profile can upload command output (issue 15):
 * the enforcer attaches patching-log-writer to the roles it fixes, and/or Default Host Management
 * Configuration is set in these (account, Region) pairs with a role that carries it.
 */
export interface LogAccessSettings {
    readonly enforcerAttach: boolean;
    /** Resolved: every listed Region (or every Region of the account when none are listed). */
    readonly defaultHostManagement: readonly { readonly account: string; readonly regions: readonly string[] }[];
}

/** Where Azure VMs register with SSM, and how often their activations rotate. */
export interface HybridSettings {
    readonly account: AwsAccount;
    readonly region: string;
    /** Configured limit, or undefined: exactly the group's configured VMs (issue 14 M1). */
    readonly registrationLimit?: number;
    readonly rotationDays: number;
}

export interface Estate {
    readonly project: string;
    readonly stack: string;
    readonly environment: Environment;
    /** `organization.id` or `organizationId` (one value; a conflict is refused). */
    readonly organizationId?: string;
    /** Present only when the `organization` block is configured. */
    readonly organization?: OrganizationSettings;
    readonly central: { readonly account: AwsAccount; readonly region: string };
    readonly accounts: readonly AwsAccount[];
    /** Accounts whose instances are patched, in configuration order. */
    readonly members: readonly AwsAccount[];
    readonly patchGroups: readonly PatchGroup[];
    /** Change freezes, each with the patch groups that honour it (empty: none). */
    readonly blackouts: readonly EstateBlackout[];
    readonly azureSubscriptions: readonly AzureSubscription[];
    readonly patchGroupTagKey: string;
    readonly automationAdministrationRoleName: string;
    readonly automationExecutionRoleName: string;
    readonly logStorage: LogStorage;
    readonly inventory: InventorySettings;
    readonly scheduleRetry: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
    readonly notifications: Notifications;
    readonly compliance: ComplianceSettings;
    readonly reporting: { readonly notReportingDays: number; readonly quickSightPrincipalArn?: string; readonly quickSight?: QuickSightDashboardSettings };
    readonly enforcer: EnforcerSettings;
    readonly logAccess: LogAccessSettings;
    readonly hybrid: HybridSettings;
    readonly azureTags: AzureTagSettings;
    /** Present only when `azure.autoRegister` is configured (with `azure.scope`). */
    readonly azureAutoRegistration?: AzureAutoRegistration;
    /** KMS keys of EBS volumes the stopped-instances runbook may start instances with (kms:CreateGrant). */
    readonly ebsKmsKeyArns: readonly string[];
    /** Private SSM connectivity, only for the (account, Region) pairs configured. */
    readonly privateConnectivity: readonly PrivateConnectivity[];
    /** Tags every resource carries (AWS provider `defaultTags`, explicit tags on Azure). */
    readonly standardTags: Readonly<Record<string, string>>;
}

/** The tags this program puts on everything; configured `tags` may add to but not replace them. */
export function standardTags(project: string, stack: string, environment: Environment): Record<string, string> {
    return { Project: project, Stack: stack, Environment: environment, ManagedBy: "pulumi" };
}

export const STANDARD_TAG_KEYS = Object.keys(standardTags("p", "s", "dev"));
