import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AUTOMATION_DOCUMENT_NAMES, PatchAutomationDocuments } from "../components/runbooks/patchAutomationDocuments";
import { PatchSchedules, type ScheduleTiming } from "../components/schedules/patchSchedules";
import type { AwsAccount, Estate, ScheduleSpec } from "./config/estateModel";
import { effectiveStartDate } from "../catalog/scheduleExpressions";

export interface AwsAutomationOutputs {
    /** Document ARNs per location (`<alias>-<region>`). */
    readonly documents: Record<string, Record<string, pulumi.Output<string>>>;
    readonly scheduleGroupName: pulumi.Output<string>;
    readonly scheduleArns: Record<string, pulumi.Output<string>>;
    readonly scheduleDeadLetterQueueArn: pulumi.Output<string>;
}

/**
 * Every (account, Region) the patch runbooks must exist in, under the same names: each member
 * location (the child executions run there) and the central account's Region (where the
 * schedules start the parent execution). The schedules name the document, not an ARN, and a name
 * resolves in the account a child runs in; AWS runs another account's shared document only by its
 * ARN (StartAutomationExecution DocumentName), so a copy per location, not a share (issue 15 item 7).
 */
export function runbookLocations(estate: Estate): { account: AwsAccount; region: string }[] {
    const locations = estate.members.flatMap((account) => account.regions.map((region) => ({ account, region })));
    const central = estate.central;
    if (!locations.some((l) => l.account.alias === central.account.alias && l.region === central.region)) {
        locations.push({ account: central.account, region: central.region });
    }
    return locations;
}

/** A configured schedule as Scheduler gets it: the start-date anchor moved forward to `now`. */
export function scheduleTiming(spec: ScheduleSpec, now: Date): ScheduleTiming {
    const startDate = effectiveStartDate(spec.expression, spec.startDate, now);
    return {
        expression: spec.expression,
        timeZone: spec.timeZone,
        flexibleWindowMinutes: spec.flexibleWindowMinutes,
        // RFC 3339 without milliseconds, as the Scheduler API examples write it.
        ...(startDate === undefined ? {} : { startDate: startDate.replace(/\.000Z$/, "Z") }),
    };
}

/**
 * SPEC capabilities 8-9: the patch Automation documents in every location that runs them, and
 * the central schedules that start them across each patch group's accounts and Regions.
 */
export function buildAwsAutomation(
    estate: Estate,
    providerOf: (account: AwsAccount) => AwsProvider,
    administrationRoleArn: pulumi.Output<string>,
    now: Date,
): AwsAutomationOutputs {
    const documents: AwsAutomationOutputs["documents"] = {};
    const centralRunbooks: pulumi.Resource[] = [];
    for (const { account, region } of runbookLocations(estate)) {
        const scope = `${account.alias}-${region}`;
        const runbooks = new PatchAutomationDocuments(`${scope}-runbooks`, { region, patchGroupTagKey: estate.patchGroupTagKey }, { provider: providerOf(account) });
        documents[scope] = runbooks.documentArns;
        if (account.alias === estate.central.account.alias && region === estate.central.region) {
            centralRunbooks.push(runbooks);
        }
    }
    const central = estate.central;
    const accountsByAlias = new Map(estate.members.map((member) => [member.alias, member]));
    const schedules = new PatchSchedules(
        `${central.account.alias}-patch-schedules`,
        {
            region: central.region,
            accountId: central.account.id,
            environment: estate.environment,
            administrationRoleArn,
            executionRoleName: estate.automationExecutionRoleName,
            documentNames: { RunPatchBaseline: AUTOMATION_DOCUMENT_NAMES.runPatchBaseline, PatchWithStoppedInstances: AUTOMATION_DOCUMENT_NAMES.patchWithStoppedInstances },
            retry: estate.scheduleRetry,
            patchGroups: estate.patchGroups.map((group) => ({
                name: group.name,
                scan: scheduleTiming(group.scan, now),
                install: scheduleTiming(group.install, now),
                installRunbook: group.installRunbook,
                rebootOption: group.rebootOption,
                rateControl: group.rateControl,
                locations: group.accounts.map((alias) => {
                    const account = accountsByAlias.get(alias);
                    if (account === undefined) {
                        throw new Error(`patch group ${group.name}: ${alias} is not a member account`);
                    }
                    return { accountId: account.id, regions: account.regions };
                }),
                // Organization mode: the group's OU locations (absent in configured-accounts mode).
                ...(group.organizationTargets === undefined ? {} : { organizationTargets: group.organizationTargets }),
            })),
        },
        // A schedule may fire as soon as it exists; the runbook it starts must already be there.
        { provider: providerOf(central.account), dependsOn: centralRunbooks },
    );
    return { documents, scheduleGroupName: schedules.scheduleGroupName, scheduleArns: schedules.scheduleArns, scheduleDeadLetterQueueArn: schedules.deadLetterQueueArn };
}
