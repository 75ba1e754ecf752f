import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { permissionsBoundaryArn, resourceGroupName } from "../../catalog/naming";
import {
    organizationTargetLocationProblems,
    runbookFor,
    SCHEDULER_TARGET_ARN,
    schedulerRolePolicy,
    schedulerRoleTrust,
    startAutomationExecutionInput,
    targetLocationProblems,
    type AccountRegions,
    type LocationRateControl,
    type OrganizationalUnitRegions,
} from "./scheduleDocuments";
import { type InstallRunbook, type PatchOperation, type RebootOption } from "../../catalog/automation";
import { gateStartInput } from "../rollout/gateDocument";
import { cutoffStartInput } from "../rollout/cutoffDocument";
import { withHaltAlarm, type GroupRollout } from "../rollout/rolloutPlan";
import { withInstallSafety, type InstallSafety } from "../runbooks/installSafety";
import { withExcludedNodes, type NodeExclusion } from "../runbooks/checkNode";

export interface ScheduleTiming {
    /** EventBridge Scheduler cron() or rate() expression. */
    readonly expression: string;
    /** IANA time zone of cron() expressions. */
    readonly timeZone: string;
    /** ISO 8601 start, at most 5 minutes in the past (the caller moves a configured anchor forward). */
    readonly startDate?: string;
    /** 0 = FlexibleTimeWindow OFF; else FLEXIBLE with this maximum (1-1440). */
    readonly flexibleWindowMinutes: number;
}

export interface ScheduledPatchGroup {
    readonly name: string;
    readonly scan: ScheduleTiming;
    readonly install: ScheduleTiming;
    readonly installRunbook: InstallRunbook;
    readonly rebootOption: RebootOption;
    readonly rateControl: LocationRateControl;
    /** Member accounts and the Regions the group is patched in there. */
    readonly locations: readonly AccountRegions[];
    /** Organization mode: organizational units (with their Regions and excluded accounts) the group runs in. */
    readonly organizationTargets?: readonly OrganizationalUnitRegions[];
    /**
     * Safe rollout: the install schedule starts the gate runbook with the patch run as its request.
     * @default - the install schedule starts the patch run directly (no gate)
     */
    readonly gate?: GroupRollout;
    /**
     * The window end: a `<group>-cutoff` schedule starting the cutoff runbook (needs `gate`).
     * @default - no cutoff
     */
    readonly cutoff?: ScheduleTiming;
    /**
     * Snapshots before install and hooks (issue 17 items 6-7), passed to the per-node runbook on
     * Install only (config allows them only with installRunbook RunPatchBaseline).
     * @default - neither: the install request is unchanged
     */
    readonly installSafety?: InstallSafety;
    /**
     * Issue 19: nodes the per-node runbook skips on Install, each until its expiry (`ExcludedNodes`); scans still
     * reach them, so their compliance stays reported. Config allows them only with installRunbook
     * RunPatchBaseline (the stopped-instances workflow targets the whole tag).
     * @default - none: the install request is unchanged
     */
    readonly excludedNodes?: readonly NodeExclusion[];
}

/** The central rollout runbooks and the role they run as (RolloutControls). */
export interface ScheduleRolloutControls {
    readonly gateDocumentName: string;
    readonly cutoffDocumentName: string;
    readonly roleArn: pulumi.Input<string>;
}

export interface PatchSchedulesArgs {
    /** Central Region: the schedules and the parent Automation executions run here. */
    readonly region: string;
    readonly accountId: string;
    /** Schedule group `patching-<environment>`. */
    readonly environment: string;
    readonly administrationRoleArn: pulumi.Input<string>;
    readonly executionRoleName: string;
    /** Names of the runbooks (same in every location). */
    readonly documentNames: Readonly<Record<InstallRunbook, string>>;
    readonly patchGroups: readonly ScheduledPatchGroup[];
    readonly retry: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
    /**
     * Required when a group has `gate`.
     * @default - no group is gated
     */
    readonly rollout?: ScheduleRolloutControls;
}

const SCHEDULE_NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

export function validatePatchSchedulesArgs(args: PatchSchedulesArgs): void {
    const problems: string[] = [];
    for (const group of args.patchGroups) {
        for (const operation of ["scan", "install"] as const) {
            const name = scheduleName(group.name, operation);
            if (!SCHEDULE_NAME.test(name)) {
                problems.push(`schedule name "${name}" is not 1-64 of letters, digits and -_.`);
            }
            const window = group[operation].flexibleWindowMinutes;
            if (!Number.isInteger(window) || window < 0 || window > 1440) {
                problems.push(`${group.name}.${operation}.flexibleWindowMinutes ${window} is not an integer from 0 to 1440`);
            }
        }
        if ((group.gate !== undefined || group.cutoff !== undefined) && args.rollout === undefined) {
            problems.push(`${group.name}: gated, but no rollout controls (gate document, role) were given`);
        }
        if (group.cutoff !== undefined && group.gate === undefined) {
            problems.push(`${group.name}: a cutoff cancels only gated runs; the group needs a gate`);
        }
                const ouTargets = group.organizationTargets ?? [];
        const configured = group.locations.reduce((sum, location) => sum + location.regions.length, 0);
        // A group runs in configured (account, Region) locations, organizational units, or both;
        // one that runs only in OUs has no configured location and that is not a problem.
        const runsOnlyInOus = ouTargets.length > 0 && configured === 0;
        const locationProblems = [
            ...(runsOnlyInOus ? [] : targetLocationProblems(group.locations)),
            ...(ouTargets.length === 0 ? [] : organizationTargetLocationProblems(ouTargets, configured)),
        ];
        problems.push(...locationProblems.map((problem) => `${group.name}: ${problem}`));
    }
    const { maximumRetryAttempts, maximumEventAgeSeconds } = args.retry;
    if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
        problems.push(`retry.maximumRetryAttempts ${maximumRetryAttempts} is not an integer from 0 to 185`);
    }
    if (!Number.isInteger(maximumEventAgeSeconds) || maximumEventAgeSeconds < 60 || maximumEventAgeSeconds > 86400) {
        problems.push(`retry.maximumEventAgeSeconds ${maximumEventAgeSeconds} is not an integer from 60 to 86400`);
    }
    if (problems.length > 0) {
        throw new Error(`PatchSchedules: ${problems.join("; ")}`);
    }
}

export function scheduleName(patchGroup: string, operation: "scan" | "install" | "cutoff"): string {
    return `${patchGroup}-${operation}`;
}

/**
 * SPEC capability 9, in the central account: per patch group an EventBridge Scheduler schedule
 * for Scan and one for Install, each starting the multi-account Automation across that group's
 * member accounts and Regions. The scheduler's role may start only the patch runbooks and pass
 * only the administration role; invocations that still fail after the retries land on an
 * encrypted dead-letter queue.
 */
export class PatchSchedules extends pulumi.ComponentResource {
    readonly scheduleGroupName: pulumi.Output<string>;
    readonly deadLetterQueueArn: pulumi.Output<string>;
    readonly schedulerRoleArn: pulumi.Output<string>;
    /** Schedule ARN per `<group>-scan` / `<group>-install`. */
    readonly scheduleArns: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: PatchSchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchSchedulesArgs(args);
        super("patching:schedules:PatchSchedules", name, {}, opts);
        const { region, accountId } = args;
        const groupName = `patching-${args.environment}`;
        const group = new aws.scheduler.ScheduleGroup(`${name}-group`, { region, name: groupName }, { parent: this });
        const deadLetters = new aws.sqs.Queue(
            `${name}-dead-letters`,
            { region, name: `patching-${args.environment}-schedule-dead-letters`, sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 86400 },
            { parent: this },
        );
        // A run the scheduler could not start (after its retries) sits in the dead-letter queue;
        // this alarm turns that into a message on the patch-run topic (its EventBridge rule takes
        // every `patching-…` alarm), so a broken schedule is not silent.
        new aws.cloudwatch.MetricAlarm(
            `${name}-dead-letters-alarm`,
            {
                region,
                name: `patching-${args.environment}-schedule-failures`,
                alarmDescription: "Patch schedules whose Automation could not be started (messages in the schedules' dead-letter queue)",
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: deadLetters.name },
                statistic: "Maximum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `patching-scheduler-${args.environment}-${region}`,
                permissionsBoundary: permissionsBoundaryArn(accountId),
                description: "EventBridge Scheduler starting the patch runbooks (multicloud-patching)",
                assumeRolePolicy: JSON.stringify(schedulerRoleTrust(accountId, region, groupName)),
            },
            { parent: this },
        );
        const rollout = args.rollout;
        // With rollout controls the scheduler also starts the gate and cutoff runbooks and passes the rollout role.
        const documentNames = [...Object.values(args.documentNames), ...(rollout === undefined ? [] : [rollout.gateDocumentName, rollout.cutoffDocumentName])];
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.name,
                name: "start-patch-runbooks",
                policy: pulumi
                    .all([args.administrationRoleArn, deadLetters.arn, rollout?.roleArn])
                    .apply(([adminArn, queueArn, rolloutArn]) => JSON.stringify(schedulerRolePolicy(accountId, region, documentNames, adminArn, queueArn, rolloutArn))),
            },
            { parent: this },
        );
        const schedule = (patchGroup: ScheduledPatchGroup, operation: "scan" | "install" | "cutoff", timing: ScheduleTiming, input: pulumi.Input<string>, description: string) => {
            const created = new aws.scheduler.Schedule(
                `${name}-${patchGroup.name}-${operation}`,
                {
                    region,
                    name: scheduleName(patchGroup.name, operation),
                    groupName: group.name,
                    description,
                    scheduleExpression: timing.expression,
                    scheduleExpressionTimezone: timing.timeZone,
                    ...(timing.startDate === undefined ? {} : { startDate: timing.startDate }),
                    flexibleTimeWindow: timing.flexibleWindowMinutes === 0 ? { mode: "OFF" } : { mode: "FLEXIBLE", maximumWindowInMinutes: timing.flexibleWindowMinutes },
                    state: "ENABLED",
                    target: {
                        arn: SCHEDULER_TARGET_ARN,
                        roleArn: role.arn,
                        input,
                        retryPolicy: { maximumRetryAttempts: args.retry.maximumRetryAttempts, maximumEventAgeInSeconds: args.retry.maximumEventAgeSeconds },
                        deadLetterConfig: { arn: deadLetters.arn },
                    },
                },
                // The role must carry its policy before the first invocation.
                { parent: this, dependsOn: [rolePolicy] },
            );
            this.scheduleArns[scheduleName(patchGroup.name, operation)] = created.arn;
        };

        for (const patchGroup of args.patchGroups) {
            for (const operation of ["scan", "install"] as const) {
                const input = pulumi
                    .all([args.administrationRoleArn, rollout?.roleArn])
                    .apply(([administrationRoleArn, rolloutRoleArn]) => JSON.stringify(scheduleInput(args, patchGroup, operation, administrationRoleArn, rolloutRoleArn)));
                const verb = operation === "scan" ? "Scan" : "Install";
                schedule(patchGroup, operation, patchGroup[operation], input, `${verb} patch group ${patchGroup.name} in ${patchGroup.locations.length} account(s)${operation === "install" && patchGroup.gate !== undefined ? " through the rollout gate" : ""}`);
            }
            if (patchGroup.cutoff !== undefined && rollout !== undefined) {
                const input = pulumi.output(rollout.roleArn).apply((roleArn) =>
                    JSON.stringify(cutoffStartInput({ cutoffDocumentName: rollout.cutoffDocumentName, roleArn, patchGroup: patchGroup.name, documentNames: Object.values(args.documentNames) })),
                );
                schedule(patchGroup, "cutoff", patchGroup.cutoff, input, `Window end of patch group ${patchGroup.name}: cancel its patch runs still running`);
            }
        }
        this.scheduleGroupName = group.name;
        this.deadLetterQueueArn = deadLetters.arn;
        this.schedulerRoleArn = role.arn;
        this.registerOutputs({ scheduleGroupName: this.scheduleGroupName, deadLetterQueueArn: this.deadLetterQueueArn, schedulerRoleArn: this.schedulerRoleArn, scheduleArns: this.scheduleArns });
    }
}

/**
 * What a schedule sends: the patch run (startAutomationExecutionInput), or for a gated group's
 * install the gate's request carrying exactly that patch run (plus the halt alarm, if any).
 */
export function scheduleInput(args: PatchSchedulesArgs, patchGroup: ScheduledPatchGroup, operation: "scan" | "install", administrationRoleArn: string, rolloutRoleArn?: string): Record<string, unknown> {
    const runbook: InstallRunbook = runbookFor(patchGroup.installRunbook, operation === "scan" ? "Scan" : "Install");
    const request = startAutomationExecutionInput({
        documentName: args.documentNames[runbook],
        runbook,
        patchGroup: patchGroup.name,
        resourceGroup: resourceGroupName(patchGroup.name),
        operation: (operation === "scan" ? "Scan" : "Install") as PatchOperation,
        rebootOption: operation === "scan" ? "NoReboot" : patchGroup.rebootOption,
        administrationRoleArn,
        executionRoleName: args.executionRoleName,
        locations: patchGroup.locations,
        ...(patchGroup.organizationTargets === undefined ? {} : { organizationTargets: patchGroup.organizationTargets }),
        rateControl: patchGroup.rateControl,
    });
    const patchRun = operation === "install" && runbook === "RunPatchBaseline" ? withExcludedNodes(withInstallSafety(request, patchGroup.installSafety), patchGroup.excludedNodes) : request;
    const gate = patchGroup.gate;
    if (operation === "scan" || gate === undefined || args.rollout === undefined || rolloutRoleArn === undefined) {
        return patchRun;
    }
    return gateStartInput({
        gateDocumentName: args.rollout.gateDocumentName,
        gateRoleArn: rolloutRoleArn,
        patchGroup: patchGroup.name,
        patchRun: gate.halt === undefined ? patchRun : withHaltAlarm(patchRun, gate.halt),
        ...(gate.ring === undefined ? {} : { ring: gate.ring }),
        ...(gate.patchTuesdayOffsetDays === undefined ? {} : { patchTuesdayOffsetDays: gate.patchTuesdayOffsetDays }),
        // The offset day and the ring's minDays are counted in the install's time zone.
        timeZone: patchGroup.install.timeZone,
        ...(gate.calendarName === undefined ? {} : { changeCalendarName: gate.calendarName }),
    });
}
