import { roleArn } from "../../components/identity/iamDocuments";
import { gateDocument } from "../../components/rollout/gateDocument";
import { ROLLOUT_DOCUMENT_NAMES, type GroupRollout } from "../../components/rollout/rolloutPlan";
import { scheduleInput, type PatchSchedulesArgs, type ScheduledPatchGroup } from "../../components/schedules/patchSchedules";
import type { PatchRunRequest } from "../../components/schedules/scheduleDocuments";
import { estateRolloutPlan, installSafetyOf, scheduleTiming } from "../../stacks/awsAutomation";
import type { Estate } from "../../stacks/config/estateModel";
import { excludedNodesOf } from "../../stacks/exceptions";
import type { SsmApi } from "./clients";
import { rolloutRoleName } from "../../components/rollout/rolloutControls";
import { UsageError } from "./errors";

/**
 * What `patch-now` starts: exactly what the group's schedule sends (PatchSchedules' scheduleInput,
 * the same builder), narrowed to the chosen accounts/Regions. For a gated group's Install that is
 * the rollout gate (issue 17), so the run it starts is tagged `patching:gate:<group>` (later rings
 * see it, the window cutoff stops it); a run started directly would be neither.
 */

/** The group's gate settings, or undefined for an ungated group (patch-now then runs as before). */
export function gateOf(estate: Estate, group: string): GroupRollout | undefined {
    return estateRolloutPlan(estate).groups.find((g) => g.group === group);
}

/** The gate's AutomationAssumeRole: RolloutControls' role in the central account. */
export function rolloutRoleArn(estate: Estate): string {
    return roleArn(estate.central.account.id, rolloutRoleName(estate.environment, estate.central.region));
}

/** The gate's own OverrideReason allowedPattern: AWS rejects any other value (and it becomes a tag value). */
function checkOverrideReason(reason: string): void {
    const pattern = gateDocument().parameters.OverrideReason?.allowedPattern;
    if (reason === "" || (pattern !== undefined && !new RegExp(pattern).test(reason))) {
        throw new UsageError(`--override-blackout: "${reason}" is not a reason the gate accepts: 1-200 of letters, digits, space and _.:/=+@- (it is recorded as the patching:override-reason tag)`);
    }
}

/**
 * The schedule's request for `request`'s group and operation, with `request`'s narrowed locations
 * and reboot option; for a gated Install the gate's request, plus its OverrideReason when given.
 */
export function scheduledRequest(estate: Estate, gate: GroupRollout | undefined, request: PatchRunRequest, documentNames: PatchSchedulesArgs["documentNames"], now: Date, overrideReason?: string): Record<string, unknown> {
    const group = estate.patchGroups.find((g) => g.name === request.patchGroup);
    if (group === undefined) {
        throw new UsageError(`--group: patch group "${request.patchGroup}" is not in the stack`);
    }
    const rolloutRole = gate === undefined ? undefined : rolloutRoleArn(estate);
    const args: PatchSchedulesArgs = {
        region: estate.central.region,
        accountId: estate.central.account.id,
        environment: estate.environment,
        administrationRoleArn: request.administrationRoleArn,
        executionRoleName: request.executionRoleName,
        documentNames,
        patchGroups: [],
        retry: estate.scheduleRetry,
        ...(rolloutRole === undefined ? {} : { rollout: { gateDocumentName: ROLLOUT_DOCUMENT_NAMES.gate, cutoffDocumentName: ROLLOUT_DOCUMENT_NAMES.cutoff, roleArn: rolloutRole } }),
    };
    const scheduled: ScheduledPatchGroup = {
        name: group.name,
        scan: scheduleTiming(group.scan, now),
        install: scheduleTiming(group.install, now),
        installRunbook: group.installRunbook,
        rebootOption: request.rebootOption,
        rateControl: request.rateControl,
        locations: request.locations,
        ...(request.organizationTargets === undefined ? {} : { organizationTargets: request.organizationTargets }),
        ...(gate === undefined ? {} : { gate }),
        ...installSafetyOf(group),
        ...excludedNodesOf(group),
    };
    const input = scheduleInput(args, scheduled, request.operation === "Scan" ? "scan" : "install", request.administrationRoleArn, rolloutRole);
    if (overrideReason === undefined) {
        return input;
    }
    checkOverrideReason(overrideReason);
    // The gate's OverrideReason parameter: it passes a CLOSED calendar and tags the patch run with the reason.
    return { ...input, Parameters: { ...(input.Parameters as Record<string, string[]>), OverrideReason: [overrideReason] } };
}

/**
 * Refuses (exit 2, one line) while the group's Change Calendar is CLOSED, unless overridden.
 * GetCalendarState: State OPEN | CLOSED, NextTransitionTime = when it changes (ISO 8601).
 * Returns a note for stderr when a blackout is being overridden.
 */
export async function checkBlackout(ssm: SsmApi, group: string, calendarName: string, overrideReason: string | undefined): Promise<string | undefined> {
    const { State: state, NextTransitionTime: next } = await ssm.getCalendarState({ CalendarNames: [calendarName] });
    if (state === "OPEN") {
        return undefined;
    }
    const until = next === undefined ? "" : ` until ${next}`;
    if (overrideReason === undefined) {
        throw new UsageError(`patch group ${group}: Change Calendar ${calendarName} is ${state ?? "not OPEN"} (blackout${until}); nothing started. To run anyway: --override-blackout "<reason>"`);
    }
    return `Change Calendar ${calendarName} is ${state ?? "not OPEN"} (blackout${until}); overriding: ${overrideReason}\n`;
}
