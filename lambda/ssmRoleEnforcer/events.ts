/**
 * The two EventBridge events the enforcer is invoked with, and what each one asks for.
 * Event shapes: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html
 * and https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-events.html (scheduled rules).
 */

export const ENFORCER_EVENTS = {
    stateChange: { source: "aws.ec2", detailType: "EC2 Instance State-change Notification", state: "running" },
    scheduled: { source: "aws.events", detailType: "Scheduled Event" },
} as const;

/** Every instance in the Region, or the listed ones. */
export type EnforcementTarget = "all" | readonly string[];

/** The fields of an EventBridge event the handler reads (no @types/aws-lambda dependency). */
export interface EnforcerEvent {
    readonly source?: string;
    readonly "detail-type"?: string;
    readonly detail?: { readonly "instance-id"?: string; readonly state?: string };
}

/**
 * `running` state change → that instance; scheduled sweep → every instance; anything else →
 * undefined (the handler logs and ignores it rather than guessing).
 */
export function targetOf(event: unknown): EnforcementTarget | undefined {
    if (event === null || typeof event !== "object") {
        return undefined;
    }
    const { source, "detail-type": detailType, detail } = event as EnforcerEvent;
    const { stateChange, scheduled } = ENFORCER_EVENTS;
    if (source === stateChange.source && detailType === stateChange.detailType) {
        const instanceId = detail?.["instance-id"];
        return detail?.state === stateChange.state && typeof instanceId === "string" && /^i-[0-9a-f]{8,17}$/.test(instanceId) ? [instanceId] : undefined;
    }
    if (source === scheduled.source && detailType === scheduled.detailType) {
        return "all";
    }
    return undefined;
}
