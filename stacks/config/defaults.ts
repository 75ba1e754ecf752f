import { INVENTORY_DEFAULTS } from "../../catalog/inventoryAssociation";
import { STACK_SET_OPERATION_DEFAULTS } from "../../catalog/organizations";

/** Defaults shared by the schema, the docs (README, Pulumi.yaml) and the tests. */
export const CONFIG_DEFAULTS = {
    patchGroupTagKey: "Patch Group",
    automationAdministrationRoleName: "AWS-SystemsManager-AutomationAdministrationRole",
    automationExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
    deploymentRoleName: "multicloud-patching-deployer",
    accountMember: true,
    approveAfterDays: { dev: 0, prod: 7 },
    scan: { expression: "cron(0 3 ? * SUN *)", timeZone: "UTC", flexibleWindowMinutes: 0 },
    patchGroupOptions: { installRunbook: "RunPatchBaseline", rebootOption: "RebootIfNeeded", flexibleWindowMinutes: 0 },
    scheduleRetry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 },
    notifications: { emails: [] as string[], httpsEndpoints: [] as string[], patchRunSuccess: false },
    compliance: { configRecorder: false },
    /** `compliance.remediation: true` (or an object): an Install that reboots if needed, 3 attempts a day (components/compliance explains why). */
    remediation: { mode: "install", maximumAutomaticAttempts: 3, retryAttemptSeconds: 86400 },
    reporting: { notReportingDays: 7 },
    enforcer: { enabled: true, optOutTagKey: "patching:ssm-enforcer-opt-out", schedule: "rate(1 day)", instanceRoleTagKey: "patching:ssm-instance-role" },
    hybrid: { rotationDays: 14 },
    logAccess: { enforcerAttach: true },
    azureTags: { ownerTagKey: "Owner", environmentTagKey: "Environment" },
    /**
     * Automatic registration (issue 18). registrationLimit: how many VMs one group's activation may
     * register before it rotates — headroom for a rotation period's new, rebuilt and moved VMs, while
     * a leaked code registers at most this many rogue nodes (each announced by the registration alert).
     */
    azureAutoRegister: { registrationLimit: 100, remediateExisting: true, keyVaultResourceGroup: "patching-registration" },
    rateControl: { maxConcurrency: "10%", maxErrors: "10%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" },
    logStorage: { encryption: "SSE-S3", transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 90 },
    inventory: {
        schedule: INVENTORY_DEFAULTS.schedule,
        maxConcurrency: INVENTORY_DEFAULTS.maxConcurrency,
        maxErrors: INVENTORY_DEFAULTS.maxErrors,
        dataSyncPrefix: "inventory",
        bucketAccess: "accounts",
    },
    connectivity: { natGateways: "Single" },
    organization: { callAs: "SELF", operationPreferences: STACK_SET_OPERATION_DEFAULTS },
} as const;
