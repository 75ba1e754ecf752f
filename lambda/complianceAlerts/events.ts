/**
 * Which EventBridge events are immediate compliance alerts: AWS Config "Config Rules Compliance
 * Change" events (messageType ComplianceChangeNotification) whose new result is NON_COMPLIANT,
 * as the central rules deliver them (the member's own event, forwarded unchanged through the
 * central patch-run bus). Event shape: AWS Config developer guide, "Monitoring AWS Config with
 * Amazon EventBridge" (monitor-config-with-cloudwatchevents.html). Everything else is ignored.
 */

export interface NonCompliantChange {
    /** The envelope's `account` / `region`: where the rule evaluated (kept when an event is forwarded). */
    readonly account: string;
    readonly region: string;
    readonly rule: string;
    readonly resourceType: string;
    /** The evaluated resource (the node, e.g. `AWS::SSM::ManagedInstanceInventory/i-…` or `i-…`). */
    readonly resourceId: string;
    readonly time: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);

/** The change an event announces, or undefined when it is not a well-formed NON_COMPLIANT change. */
export function nonCompliantChange(event: unknown): NonCompliantChange | undefined {
    if (typeof event !== "object" || event === null) {
        return undefined;
    }
    const envelope = event as Record<string, unknown>;
    const detail = (typeof envelope.detail === "object" && envelope.detail !== null ? envelope.detail : {}) as Record<string, unknown>;
    const result = (typeof detail.newEvaluationResult === "object" && detail.newEvaluationResult !== null ? detail.newEvaluationResult : {}) as Record<string, unknown>;
    if (envelope.source !== "aws.config" || envelope["detail-type"] !== "Config Rules Compliance Change" || detail.messageType !== "ComplianceChangeNotification" || result.complianceType !== "NON_COMPLIANT") {
        return undefined;
    }
    const fields = { account: text(envelope.account), region: text(envelope.region), rule: text(detail.configRuleName), resourceType: text(detail.resourceType), resourceId: text(detail.resourceId), time: text(envelope.time) };
    if (Object.values(fields).some((value) => value === undefined) || !/^\d{12}$/.test(fields.account ?? "")) {
        return undefined;
    }
    return fields as NonCompliantChange;
}

/** The de-duplication key: one alert per (account, Region, rule, resource) per window. */
export function alertKey(change: NonCompliantChange): string {
    return [change.account, change.region, change.rule, change.resourceId].join("|");
}

/**
 * SNS Subject: ASCII text starting with a letter, number or punctuation, no line breaks or control
 * characters, "less than 100 characters long" (Publish API, Subject): at most 99.
 */
export function alertSubject(change: NonCompliantChange): string {
    const node = change.resourceId.split("/").pop() ?? change.resourceId;
    return `Patching NON_COMPLIANT: ${node} (${change.rule}, ${change.account} ${change.region})`.replace(/[^\x20-\x7e]/g, "?").slice(0, 99);
}

/** The message body: what, where, when, and that repeats are held back for the window. */
export function alertMessage(change: NonCompliantChange, dedupeSeconds: number): string {
    const hours = Math.round((dedupeSeconds / 3600) * 10) / 10;
    return (
        `${change.resourceType} ${change.resourceId} is NON_COMPLIANT with AWS Config rule ${change.rule} in account ${change.account}, Region ${change.region} (${change.time}). ` +
        `Further NON_COMPLIANT changes of this resource and rule are not announced for ${hours} h; the daily digest lists every non-compliant node.`
    );
}
