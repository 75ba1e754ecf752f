import { policy, type PolicyDocument } from "../identity/iamDocuments";
import { MAX_EXCLUDED_ACCOUNTS } from "../../catalog/organizations";
import { MAX_PER_TARGET_LOCATION, MAX_TARGET_LOCATIONS, type InstallRunbook, type PatchOperation, type RebootOption } from "../../catalog/automation";

/**
 * What an EventBridge Scheduler schedule sends to `ssm:StartAutomationExecution` (the universal
 * target `arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution` takes the API request JSON,
 * PascalCase member names as in the SSM API reference), and the scheduler role's documents.
 * The ops CLI starts on-demand runs with the same builders, so a manual run is exactly a
 * scheduled one.
 */

export const SCHEDULER_TARGET_ARN = "arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution";

export interface LocationRateControl {
    readonly maxConcurrency: string;
    readonly maxErrors: string;
    readonly targetLocationMaxConcurrency: string;
    readonly targetLocationMaxErrors: string;
}

/** An account and the Regions a patch group is patched in there. */
export interface AccountRegions {
    readonly accountId: string;
    readonly regions: readonly string[];
}

export interface TargetLocation {
    readonly Accounts: string[];
    readonly Regions: string[];
    readonly ExecutionRoleName: string;
    readonly TargetLocationMaxConcurrency: string;
    readonly TargetLocationMaxErrors: string;
    /** OU locations only: accounts left out of the OUs' expansion. */
    readonly ExcludeAccounts?: string[];
    /** OU locations only: also run in the OUs' child OUs. */
    readonly IncludeChildOrganizationUnits?: boolean;
}

/** Organization mode (issue 16): organizational units (or the root), their Regions and the accounts left out. */
export interface OrganizationalUnitRegions {
    readonly organizationalUnits: readonly string[];
    readonly regions: readonly string[];
    readonly excludeAccounts: readonly string[];
}

/**
 * TargetLocations for OU targets (SSM API reference, TargetLocation): `Accounts` takes OU (or root)
 * ids, 1-50 per location, so larger lists are chunked; `IncludeChildOrganizationUnits: true` runs
 * in nested OUs too (a patch estate is organised in sub-OUs; the default is false);
 * `ExcludeAccounts` (1-5000 account or OU ids, omitted when empty since an empty list is below the
 * API minimum) leaves out the configured member accounts, which have their own location.
 */
export function organizationTargetLocations(targets: readonly OrganizationalUnitRegions[], executionRoleName: string, rate: LocationRateControl): TargetLocation[] {
    return targets.flatMap((target) => {
        const units = [...new Set(target.organizationalUnits)].sort();
        const excluded = [...new Set(target.excludeAccounts)].sort();
        const entries: TargetLocation[] = [];
        for (let start = 0; start < units.length; start += MAX_PER_TARGET_LOCATION) {
            entries.push({
                Accounts: units.slice(start, start + MAX_PER_TARGET_LOCATION),
                Regions: [...target.regions].sort(),
                ExecutionRoleName: executionRoleName,
                TargetLocationMaxConcurrency: rate.targetLocationMaxConcurrency,
                TargetLocationMaxErrors: rate.targetLocationMaxErrors,
                ...(excluded.length === 0 ? {} : { ExcludeAccounts: excluded }),
                IncludeChildOrganizationUnits: true,
            });
        }
        return entries;
    });
}

/** Problems StartAutomationExecution would reject in OU locations (empty = fine). */
export function organizationTargetLocationProblems(targets: readonly OrganizationalUnitRegions[], configuredLocations = 0): string[] {
    const problems: string[] = [];
    const entries = targets.reduce((sum, t) => sum + Math.ceil(new Set(t.organizationalUnits).size / MAX_PER_TARGET_LOCATION), 0);
    if (entries + configuredLocations > MAX_TARGET_LOCATIONS) {
        problems.push(`${entries} organizational-unit and ${configuredLocations} account locations exceed the ${MAX_TARGET_LOCATIONS} target locations of one Automation execution`);
    }
    for (const target of targets) {
        if (target.organizationalUnits.length === 0) {
            problems.push("a target location needs at least one organizational unit");
        }
        if (target.regions.length === 0 || target.regions.length > MAX_PER_TARGET_LOCATION) {
            problems.push(`${target.organizationalUnits.join(", ")}: ${target.regions.length} Regions; a target location takes 1-${MAX_PER_TARGET_LOCATION}`);
        }
        if (new Set(target.excludeAccounts).size > MAX_EXCLUDED_ACCOUNTS) {
            problems.push(`${target.organizationalUnits.join(", ")}: more than ${MAX_EXCLUDED_ACCOUNTS} excluded accounts`);
        }
    }
    return problems;
}

/**
 * TargetLocations runs every listed account in every listed Region, so accounts with the same
 * Region set share one entry; accounts with different Region sets get their own (never a Region
 * an account is not configured for). Chunked to the 50-account limit per entry.
 */
export function targetLocations(locations: readonly AccountRegions[], executionRoleName: string, rate: LocationRateControl): TargetLocation[] {
    const byRegions = new Map<string, string[]>();
    for (const location of locations) {
        const key = [...location.regions].sort().join(",");
        byRegions.set(key, [...(byRegions.get(key) ?? []), location.accountId]);
    }
    const entries: TargetLocation[] = [];
    for (const [regions, accounts] of [...byRegions.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const sorted = [...new Set(accounts)].sort();
        for (let start = 0; start < sorted.length; start += MAX_PER_TARGET_LOCATION) {
            entries.push({
                Accounts: sorted.slice(start, start + MAX_PER_TARGET_LOCATION),
                Regions: regions.split(","),
                ExecutionRoleName: executionRoleName,
                TargetLocationMaxConcurrency: rate.targetLocationMaxConcurrency,
                TargetLocationMaxErrors: rate.targetLocationMaxErrors,
            });
        }
    }
    return entries;
}

/** Problems StartAutomationExecution would reject (empty = fine). */
export function targetLocationProblems(locations: readonly AccountRegions[]): string[] {
    const problems: string[] = [];
    const count = locations.reduce((sum, location) => sum + location.regions.length, 0);
    if (count === 0) {
        problems.push("there is no (account, Region) to run in");
    }
    if (count > MAX_TARGET_LOCATIONS) {
        problems.push(`${count} (account, Region) locations exceed the ${MAX_TARGET_LOCATIONS} one Automation execution may target`);
    }
    for (const location of locations) {
        if (location.regions.length > MAX_PER_TARGET_LOCATION) {
            problems.push(`account ${location.accountId} has ${location.regions.length} Regions; a target location takes at most ${MAX_PER_TARGET_LOCATION}`);
        }
    }
    return problems;
}

export interface PatchRunRequest {
    readonly documentName: string;
    /** Which runbook: the per-node wrapper fans out over the resource group; the workflow runs once per location. */
    readonly runbook: InstallRunbook;
    readonly patchGroup: string;
    /** Resource group name (the patch group's, same in every location). */
    readonly resourceGroup: string;
    readonly operation: PatchOperation;
    readonly rebootOption: RebootOption;
    readonly administrationRoleArn: string;
    readonly executionRoleName: string;
    readonly locations: readonly AccountRegions[];
    /** Organization mode: OU locations run besides the configured ones (absent = none). */
    readonly organizationTargets?: readonly OrganizationalUnitRegions[];
    readonly rateControl: LocationRateControl;
}

/**
 * Which runbook a patch run of a group starts. Install uses the group's installRunbook. Scan uses
 * it too when that is the stopped-instances workflow (Operation=Scan): the workflow starts the
 * group's stopped instances, so they are scanned as well; through the per-node runbook they would
 * only be skipped. Other groups scan with the per-node runbook.
 */
export function runbookFor(installRunbook: InstallRunbook, operation: PatchOperation): InstallRunbook {
    // Stryker disable next-line all: equivalent — InstallRunbook has two values, so the per-node branch is reached only when installRunbook already is "RunPatchBaseline"; the rule is spelt out for the reader.
    return operation === "Install" || installRunbook === "PatchWithStoppedInstances" ? installRunbook : "RunPatchBaseline";
}

/** The StartAutomationExecution request for one patch run of one patch group. */
export function startAutomationExecutionInput(request: PatchRunRequest): Record<string, unknown> {
    const common = {
        AutomationAssumeRole: [request.administrationRoleArn],
        Operation: [request.operation],
        RebootOption: [request.rebootOption],
    };
    const locations = [
        ...targetLocations(request.locations, request.executionRoleName, request.rateControl),
        // Stryker disable next-line ArrayDeclaration: equivalent — a non-target element has no organizationalUnits, so it yields no location either.
        ...organizationTargetLocations(request.organizationTargets ?? [], request.executionRoleName, request.rateControl),
    ];
    if (request.runbook === "RunPatchBaseline") {
        // Rate control: one child execution per node of the resource group in each location.
        return {
            DocumentName: request.documentName,
            Parameters: common,
            TargetParameterName: "InstanceId",
            // Automation's key for a resource group target is "ResourceGroup" (not the
            // "resource-groups:Name" that Run Command and maintenance windows use).
            Targets: [{ Key: "ResourceGroup", Values: [request.resourceGroup] }],
            MaxConcurrency: request.rateControl.maxConcurrency,
            MaxErrors: request.rateControl.maxErrors,
            TargetLocations: locations,
        };
    }
    // The stopped-instances workflow runs once per location and applies rate control to its own
    // Run Command steps.
    return {
        DocumentName: request.documentName,
        Parameters: { ...common, PatchGroup: [request.patchGroup], MaxConcurrency: [request.rateControl.maxConcurrency], MaxErrors: [request.rateControl.maxErrors] },
        TargetLocations: locations,
    };
}

/** Scheduler execution role: trusted by EventBridge Scheduler for this account's schedule group only. */
export function schedulerRoleTrust(accountId: string, region: string, scheduleGroupName: string): PolicyDocument {
    return policy({
        Sid: "EventBridgeSchedulerForPatchSchedules",
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnEquals: { "aws:SourceArn": `arn:aws:scheduler:${region}:${accountId}:schedule-group/${scheduleGroupName}` },
        },
    });
}

/**
 * The scheduler may start only the patch runbooks (any version), pass only the administration
 * role and only to Systems Manager, and put failed invocations on its dead-letter queue (the
 * scheduler delivers to the DLQ with this role).
 */
export function schedulerRolePolicy(
    accountId: string,
    region: string,
    documentNames: readonly string[],
    administrationRoleArn: string,
    deadLetterQueueArn: string,
    // Safe rollout: the gate and cutoff runbooks (in documentNames) run as the rollout role, which
    // the scheduler passes as their AutomationAssumeRole. Absent: exactly the pre-rollout policy.
    rolloutRoleArn?: string,
): PolicyDocument {
    return policy(
        {
            Sid: "StartPatchRunbooks",
            Effect: "Allow",
            Action: "ssm:StartAutomationExecution",
            // The action is authorized against the document (a required resource type in the
            // Service Authorization Reference for SSM), the definition version and the execution
            // it creates (AWS's identity-based policy examples for Automation list the latter two).
            Resource: [
                ...[...documentNames].sort().flatMap((name) => [`arn:aws:ssm:${region}:${accountId}:automation-definition/${name}:*`, `arn:aws:ssm:${region}:${accountId}:document/${name}`]),
                `arn:aws:ssm:${region}:${accountId}:automation-execution/*`,
            ],
        },
        {
            Sid: "PassAdministrationRoleToSystemsManager",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: rolloutRoleArn === undefined ? administrationRoleArn : [administrationRoleArn, rolloutRoleArn].sort(),
            Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } },
        },
        { Sid: "DeadLetterFailedInvocations", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
    );
}
