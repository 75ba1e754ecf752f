import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { AUTOMATION_DOCUMENT_NAMES, PatchAutomationDocuments } from "../components/runbooks/patchAutomationDocuments";
import { PatchSchedules, type ScheduleTiming } from "../components/schedules/patchSchedules";
import type { AwsAccount, Estate, ScheduleSpec } from "./config/estateModel";
import { effectiveStartDate } from "../catalog/scheduleExpressions";
import { windowEnd } from "../catalog/rolloutSchedules";
import { RolloutControls } from "../components/rollout/rolloutControls";
import { ROLLOUT_DOCUMENT_NAMES as ROLLOUT_NAMES, rolloutPlan, type GroupRollout, type RolloutPlan } from "../components/rollout/rolloutPlan";
import type { RingCondition } from "../components/rollout/gateDocument";
import type { PatchGroup } from "./config/estateModel";
import type { InstallSafety } from "../components/runbooks/installSafety";
import { excludedNodesOf } from "./exceptions";

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
 * Safe rollout (issue 17): each gated group's settings as the gate takes them, and the Change
 * Calendars. Groups without `rollout` are not in it. Exported for the plan's rollout table and ops.
 */
export function estateRolloutPlan(estate: Estate): RolloutPlan {
    const gated = estate.patchGroups.flatMap((group) => (group.rollout === undefined ? [] : [{ group, rollout: group.rollout }]));
    return rolloutPlan(
        estate.environment,
        gated.map(({ group, rollout }) => ({
            group: group.name,
            ...(rollout.after === undefined ? {} : { ring: ringOf(estate, rollout.after) }),
            ...(rollout.haltOnAlarm === undefined ? {} : { halt: { alarmName: rollout.haltOnAlarm.alarmName, ignorePollAlarmFailure: rollout.haltOnAlarm.ignorePollAlarmFailure } }),
            ...(rollout.patchTuesdayOffsetDays === undefined ? {} : { patchTuesdayOffsetDays: rollout.patchTuesdayOffsetDays }),
            ...(rollout.maxDurationMinutes === undefined ? {} : { maxDurationMinutes: rollout.maxDurationMinutes }),
            blackouts: rollout.blackouts,
        })),
        estate.blackouts.map(({ groups: _groups, ...blackout }) => blackout),
    );
}

/**
 * The gate's ring condition. `documentName` is the EARLIER group's install runbook: the gate
 * searches that document's runs (by default it would search this group's own runbook, and AppA's
 * stopped-instances workflow would never find Linux's RunPatchBaseline runs).
 */
function ringOf(estate: Estate, after: NonNullable<NonNullable<PatchGroup["rollout"]>["after"]>): RingCondition {
    const earlier = estate.patchGroups.find((g) => g.name === after.group);
    const documentName = earlier?.installRunbook === "PatchWithStoppedInstances" ? AUTOMATION_DOCUMENT_NAMES.patchWithStoppedInstances : AUTOMATION_DOCUMENT_NAMES.runPatchBaseline;
    return { after: after.group, minDays: after.minDays, require: after.require, documentName };
}

/** Snapshots before install and hooks (issue 17 items 6-7); nothing for a group without them, so its schedules stay as they were. */
export function installSafetyOf(group: PatchGroup): { installSafety?: InstallSafety } {
    if (group.snapshotBeforeInstall === undefined && group.hooks === undefined) {
        return {};
    }
    return { installSafety: { ...(group.snapshotBeforeInstall === undefined ? {} : { snapshotRetainDays: group.snapshotBeforeInstall.retainDays }), ...(group.hooks === undefined ? {} : { hooks: group.hooks }) } };
}

/** A gated group's schedule settings (none for an ungated group: its schedules stay as they were). */
function gateOf(gate: GroupRollout | undefined, cutoff: ScheduleTiming | undefined): { gate?: GroupRollout; cutoff?: ScheduleTiming } {
    return { ...(gate === undefined ? {} : { gate }), ...(cutoff === undefined ? {} : { cutoff }) };
}

/** The window end schedule of a group with maxDurationMinutes (the config has checked it can be written). */
export function cutoffTiming(group: PatchGroup, now: Date): ScheduleTiming | undefined {
    const minutes = group.rollout?.maxDurationMinutes;
    if (minutes === undefined) return undefined;
    const end = windowEnd(group.install.expression, group.install.startDate, minutes);
    if ("problem" in end) {
        throw new Error(`patch group ${group.name}: install.maxDurationMinutes ${end.problem}`);
    }
    // Exactly at the window end: no flexible window.
    return scheduleTiming({ expression: end.expression, timeZone: group.install.timeZone, ...(end.startDate === undefined ? {} : { startDate: end.startDate }), flexibleWindowMinutes: 0 }, now);
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
    const plan = estateRolloutPlan(estate);
    const gates = new Map(plan.groups.map((g) => [g.group, g]));
    const patchDocumentNames = { RunPatchBaseline: AUTOMATION_DOCUMENT_NAMES.runPatchBaseline, PatchWithStoppedInstances: AUTOMATION_DOCUMENT_NAMES.patchWithStoppedInstances };
    // Only when some group uses a safety setting: every other estate deploys exactly as before.
    const controls =
        plan.groups.length === 0
            ? undefined
            : new RolloutControls(
                  `${central.account.alias}-rollout`,
                  { region: central.region, accountId: central.account.id, environment: estate.environment, administrationRoleArn, patchDocumentNames: Object.values(patchDocumentNames), calendars: plan.calendars },
                  // The gate starts the patch runbooks, which must exist first.
                  { provider: providerOf(central.account), dependsOn: centralRunbooks },
              );
    const accountsByAlias = new Map(estate.members.map((member) => [member.alias, member]));
    const schedules = new PatchSchedules(
        `${central.account.alias}-patch-schedules`,
        {
            region: central.region,
            accountId: central.account.id,
            environment: estate.environment,
            administrationRoleArn,
            executionRoleName: estate.automationExecutionRoleName,
            documentNames: patchDocumentNames,
            retry: estate.scheduleRetry,
            ...(controls === undefined ? {} : { rollout: { gateDocumentName: ROLLOUT_NAMES.gate, cutoffDocumentName: ROLLOUT_NAMES.cutoff, roleArn: controls.roleArn } }),
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
                ...gateOf(gates.get(group.name), cutoffTiming(group, now)),
                ...installSafetyOf(group),
                ...excludedNodesOf(group),
            })),
        },
        // A schedule may fire as soon as it exists; the runbook it starts must already be there.
        { provider: providerOf(central.account), dependsOn: [...centralRunbooks, ...(controls === undefined ? [] : [controls])] },
    );
    return { documents, scheduleGroupName: schedules.scheduleGroupName, scheduleArns: schedules.scheduleArns, scheduleDeadLetterQueueArn: schedules.deadLetterQueueArn };
}
