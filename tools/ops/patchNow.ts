import type { StartAutomationExecutionCommandInput } from "@aws-sdk/client-ssm";
import { roleArn } from "../../components/identity/iamDocuments";
import { resourceGroupName } from "../../catalog/naming";
import { AUTOMATION_DOCUMENT_NAMES } from "../../components/runbooks/patchAutomationDocuments";
import { runbookFor, targetLocationProblems, type AccountRegions, type PatchRunRequest } from "../../components/schedules/scheduleDocuments";
import { type InstallRunbook, type PatchOperation, type RebootOption } from "../../catalog/automation";
import type { AwsAccount, Estate } from "../../stacks/config/estateModel";
import type { OpsDeps } from "./clients";
import { describeAccount, describeAccounts, loadEstate, UsageError } from "./estate";

export interface PatchNowOptions {
    readonly stack: string;
    readonly group: string;
    readonly operation: PatchOperation;
    readonly reboot?: RebootOption;
    /** Aliases or 12-digit ids of the group's accounts. @default - every account of the group */
    readonly accounts?: readonly string[];
    /** Regions of those accounts. @default - every Region each account is configured for */
    readonly regions?: readonly string[];
    readonly dryRun: boolean;
    readonly profile?: string;
    /** Gated groups: run during a Change Calendar blackout; the gate records it as the patching:override-reason tag. */
    readonly overrideBlackout?: string;
}

/** The runbook names, as stacks/awsAutomation.ts hands them to PatchSchedules. */
export const RUNBOOK_DOCUMENTS: Readonly<Record<InstallRunbook, string>> = {
    RunPatchBaseline: AUTOMATION_DOCUMENT_NAMES.runPatchBaseline,
    PatchWithStoppedInstances: AUTOMATION_DOCUMENT_NAMES.patchWithStoppedInstances,
};

/** Accounts the group is patched in, as stacks/awsAutomation.ts resolves them (aliases → members). */
function groupAccounts(estate: Estate, groupName: string, stack: string): { accounts: AwsAccount[]; group: Estate["patchGroups"][number] } {
    const group = estate.patchGroups.find((g) => g.name === groupName);
    if (group === undefined) {
        throw new UsageError(`--group: patch group "${groupName}" is not in Pulumi.${stack}.yaml (patch groups: ${estate.patchGroups.map((g) => g.name).join(", ")})`);
    }
    const members = new Map(estate.members.map((member) => [member.alias, member]));
    return { group, accounts: group.accounts.flatMap((alias) => members.get(alias) ?? []) };
}

function selectAccounts(estate: Estate, groupName: string, inGroup: AwsAccount[], values: readonly string[], stack: string): AwsAccount[] {
    const selected = values.map((value) => {
        const account = estate.accounts.find((a) => a.alias === value || a.id === value);
        if (account === undefined) {
            throw new UsageError(`--accounts: "${value}" is not an account of stack ${stack} (accounts: ${describeAccounts(estate.accounts)})`);
        }
        if (!inGroup.includes(account)) {
            throw new UsageError(`--accounts: ${describeAccount(account)} is not patched by group ${groupName} (its accounts: ${describeAccounts(inGroup)})`);
        }
        return account;
    });
    return inGroup.filter((account) => selected.includes(account));
}

/**
 * Each selected account runs in the listed Regions it is configured for; a listed Region that no
 * selected account has is an error (so a typo never silently shrinks the run).
 */
function selectRegions(accounts: AwsAccount[], regions: readonly string[]): AccountRegions[] {
    const configured = [...new Set(accounts.flatMap((account) => account.regions))].sort();
    for (const region of regions) {
        if (!configured.includes(region)) {
            throw new UsageError(`--regions: "${region}" is not configured for ${describeAccounts(accounts)} (their Regions: ${configured.join(", ")})`);
        }
    }
    return accounts
        .map((account) => ({ accountId: account.id, regions: account.regions.filter((region) => regions.includes(region)) }))
        .filter((location) => location.regions.length > 0);
}

/** What the schedule of this group and operation sends, narrowed to the chosen accounts/Regions. */
export function patchRunRequest(estate: Estate, options: PatchNowOptions): PatchRunRequest {
    const { group, accounts: inGroup } = groupAccounts(estate, options.group, options.stack);
    const accounts = options.accounts === undefined ? inGroup : selectAccounts(estate, group.name, inGroup, options.accounts, options.stack);
    const locations = options.regions === undefined ? accounts.map((account) => ({ accountId: account.id, regions: account.regions })) : selectRegions(accounts, options.regions);
    const problems = targetLocationProblems(locations);
    if (problems.length > 0) {
        throw new UsageError(`patch group ${group.name}: ${problems.join("; ")}`);
    }
    if (options.operation === "Scan" && options.reboot !== undefined && options.reboot !== "NoReboot") {
        throw new UsageError(`--reboot: "${options.reboot}" with --operation Scan; a scan installs nothing and runs with NoReboot, as the scan schedule does`);
    }
    const runbook: InstallRunbook = runbookFor(group.installRunbook, options.operation);
    return {
        documentName: RUNBOOK_DOCUMENTS[runbook],
        runbook,
        patchGroup: group.name,
        resourceGroup: resourceGroupName(group.name),
        operation: options.operation,
        // As PatchSchedules: scans never reboot; installs use the group's option unless overridden.
        rebootOption: options.operation === "Scan" ? "NoReboot" : (options.reboot ?? group.rebootOption),
        administrationRoleArn: roleArn(estate.central.account.id, estate.automationAdministrationRoleName),
        executionRoleName: estate.automationExecutionRoleName,
        locations,
        rateControl: group.rateControl,
    };
}

/**
 * `patch-now`: validates everything before any call, then either prints the request (--dry-run) or
 * starts it in the central account and Region (a gated install: after checking its Change
 * Calendar). The execution id alone goes to stdout.
 */
export async function patchNow(options: PatchNowOptions, deps: OpsDeps): Promise<number> {
    const estate = loadEstate(deps.directory, options.stack);
    const request = patchRunRequest(estate, options);
    // Loaded here: the schedule builders bring the Pulumi AWS types, which `status` (importing this module) does not need.
    const { checkBlackout, gateOf, scheduledRequest } = await import("./scheduledRequest");
    // Only a gated group's Install goes through the gate, as its schedule does; scans never do.
    const gate = options.operation === "Install" ? gateOf(estate, request.patchGroup) : undefined;
    if (options.overrideBlackout !== undefined && gate?.calendarName === undefined) {
        throw new UsageError(`--override-blackout: ${options.operation} of patch group ${request.patchGroup} honours no Change Calendar; there is no blackout to override`);
    }
    const input = scheduledRequest(estate, gate, request, RUNBOOK_DOCUMENTS, deps.now(), options.overrideBlackout) as unknown as StartAutomationExecutionCommandInput;
    if (options.dryRun) {
        deps.stdout.write(`${JSON.stringify(input, null, 2)}\n`);
        return 0;
    }
    const central = estate.central;
    const ssm = deps.ssm({ region: central.region, ...(options.profile === undefined ? {} : { profile: options.profile }) });
    if (gate?.calendarName !== undefined) {
        // The gate checks the calendar too; checking first refuses at once instead of a held run.
        deps.stderr.write((await checkBlackout(ssm, request.patchGroup, gate.calendarName, options.overrideBlackout)) ?? "");
    }
    const { AutomationExecutionId: id } = await ssm.startAutomationExecution(input);
    if (id === undefined) {
        throw new Error("StartAutomationExecution returned no AutomationExecutionId");
    }
    const pairs = request.locations.reduce((sum, location) => sum + location.regions.length, 0);
    const through = gate === undefined ? "" : ` through the rollout gate ${input.DocumentName} (it may hold the run; status shows why)`;
    deps.stderr.write(
        `Started ${request.documentName} (${request.operation})${through} for patch group ${request.patchGroup} in ${pairs} account/Region location(s) from ${describeAccount(central.account)} ${central.region}.\n` +
            `Follow it: npm run ops -- status --stack ${options.stack} --execution ${id} --watch\n`,
    );
    deps.stdout.write(`${id}\n`);
    return 0;
}
