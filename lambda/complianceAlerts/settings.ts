/**
 * The contract between the ComplianceAlerts component and its handler (issue 19 item 2):
 * environment variable names, the SNS message attribute that tells immediate alerts from the
 * daily digest, and the de-duplication window. Pure and dependency-free: both the Lambda bundle
 * and the Pulumi program import it.
 */

/** Environment variables the component sets and the handler reads. */
export const ALERTS_ENV = {
    tableName: "DEDUPE_TABLE_NAME",
    topicArn: "ALERT_TOPIC_ARN",
    dedupeSeconds: "DEDUPE_SECONDS",
} as const;

/**
 * The message attribute every publisher to the compliance topic sets, and its values: this
 * handler publishes `immediate`, the daily digest `digest`. Subscription filter policies select on
 * it (SNS message filtering, attribute-based policies, FilterPolicyScope MessageAttributes).
 */
export const ALERT_KIND_ATTRIBUTE = "alertKind";
export const ALERT_KINDS = ["immediate", "digest"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** DynamoDB item layout of the de-duplication table: one item per (account, Region, rule, resource). */
export const DEDUPE_TABLE = {
    /** Partition key (S). */
    key: "alertKey",
    /** Epoch seconds when the window ends (N); also the table's TTL attribute, so items clean themselves up. */
    expiresAt: "expiresAt",
} as const;

export interface AlertSettings {
    readonly tableName: string;
    readonly topicArn: string;
    /** Length of the de-duplication window. */
    readonly dedupeSeconds: number;
}

/** Settings from the Lambda environment; anything missing or malformed is a deployment error. */
export function readAlertSettings(env: Readonly<Record<string, string | undefined>>): AlertSettings {
    const tableName = env[ALERTS_ENV.tableName]?.trim() ?? "";
    const topicArn = env[ALERTS_ENV.topicArn]?.trim() ?? "";
    const dedupeSeconds = Number(env[ALERTS_ENV.dedupeSeconds]);
    const problems = [
        ...(tableName === "" ? [`${ALERTS_ENV.tableName} is not set`] : []),
        ...(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(topicArn) ? [] : [`${ALERTS_ENV.topicArn} "${topicArn}" is not an SNS topic ARN`]),
        ...(Number.isInteger(dedupeSeconds) && dedupeSeconds > 0 ? [] : [`${ALERTS_ENV.dedupeSeconds} "${env[ALERTS_ENV.dedupeSeconds] ?? ""}" is not a positive whole number of seconds`]),
    ];
    if (problems.length > 0) {
        throw new Error(`compliance alerts: ${problems.join("; ")}`);
    }
    return { tableName, topicArn, dedupeSeconds };
}
