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

export function scheduleName(patchGroup: string, operation: "scan" | "install"): string {
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
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.name,
                name: "start-patch-runbooks",
                policy: pulumi
                    .all([args.administrationRoleArn, deadLetters.arn])
                    .apply(([adminArn, queueArn]) => JSON.stringify(schedulerRolePolicy(accountId, region, Object.values(args.documentNames), adminArn, queueArn))),
            },
            { parent: this },
        );

        for (const patchGroup of args.patchGroups) {
            for (const operation of ["scan", "install"] as const) {
                const timing = patchGroup[operation];
                const runbook: InstallRunbook = runbookFor(patchGroup.installRunbook, operation === "scan" ? "Scan" : "Install");
                const input = pulumi.output(args.administrationRoleArn).apply((administrationRoleArn) =>
                    JSON.stringify(
                        startAutomationExecutionInput({
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
                        }),
                    ),
                );
                const schedule = new aws.scheduler.Schedule(
                    `${name}-${patchGroup.name}-${operation}`,
                    {
                        region,
                        name: scheduleName(patchGroup.name, operation),
                        groupName: group.name,
                        description: `${operation === "scan" ? "Scan" : "Install"} patch group ${patchGroup.name} in ${patchGroup.locations.length} account(s)`,
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
                this.scheduleArns[scheduleName(patchGroup.name, operation)] = schedule.arn;
            }
        }
        this.scheduleGroupName = group.name;
        this.deadLetterQueueArn = deadLetters.arn;
        this.schedulerRoleArn = role.arn;
        this.registerOutputs({ scheduleGroupName: this.scheduleGroupName, deadLetterQueueArn: this.deadLetterQueueArn, schedulerRoleArn: this.schedulerRoleArn, scheduleArns: this.scheduleArns });
    }
}
