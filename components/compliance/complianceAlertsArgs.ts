import type * as pulumi from "@pulumi/pulumi";
import { ALERT_RECEIVE_VALUES, COMPLIANCE_ALERT_DEFAULTS, type AlertReceive } from "./complianceAlertsDocuments";
import { LOG_RETENTION_DAYS } from "../enforcer/ssmRoleEnforcer";
import { listProblems, subscriptionProblems } from "../notifications/subscriptionChecks";

export interface ComplianceAlertsArgs {
    /** The central Region (topic, table, function, rules). */
    readonly region: string;
    /** The central account. */
    readonly accountId: string;
    /** The patch-run bus (PatchRunNotifications.eventBusName) that the other locations forward to. */
    readonly forwardedEventBusName: pulumi.Input<string>;
    /**
     * Accounts whose forwarded changes alert (the estate's). Undefined = any account: organization
     * mode, where the bus policy admits only the organization's forwarder roles.
     * @default - any account
     */
    readonly forwardingAccountIds?: readonly string[];
    /** E-mail subscribers (each must confirm). @default - none */
    readonly emailSubscriptions?: readonly string[];
    /** https subscribers (each must confirm). @default - none */
    readonly httpsSubscriptions?: readonly string[];
    /** What every subscriber receives unless `receiveBy` names it. @default COMPLIANCE_ALERT_DEFAULTS.receive */
    readonly receive?: AlertReceive;
    /** Per-endpoint choice (exact address; must be one of the subscriptions). @default - none */
    readonly receiveBy?: Readonly<Record<string, AlertReceive>>;
    /** At most one immediate alert per (node, rule) within this many hours, 1-720. @default COMPLIANCE_ALERT_DEFAULTS.dedupeHours */
    readonly dedupeHours?: number;
    /** Retention of the function's log group; one of LOG_RETENTION_DAYS. @default COMPLIANCE_ALERT_DEFAULTS.logRetentionDays */
    readonly logRetentionDays?: number;
}

/** An https endpoint's path and query usually carry a credential: messages show its host only. */
const shown = (endpoint: string) => endpoint.replace(/^(https:\/\/[^/?#]+).*/, "$1/…");

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** 30 days: beyond that the daily digest has long repeated it; DynamoDB TTL needs no bound, the message does. */
export const MAX_DEDUPE_HOURS = 720;

/** Throws one error listing every problem, each naming the argument, the value and what is allowed. */
export function validateComplianceAlertsArgs(args: ComplianceAlertsArgs): void {
    const emails = args.emailSubscriptions ?? [];
    const https = args.httpsSubscriptions ?? [];
    const dedupeHours = args.dedupeHours ?? COMPLIANCE_ALERT_DEFAULTS.dedupeHours;
    const retention = args.logRetentionDays ?? COMPLIANCE_ALERT_DEFAULTS.logRetentionDays;
    const receiveOk = (value: string) => (ALERT_RECEIVE_VALUES as readonly string[]).includes(value);
    const problems = [
        ...(REGION.test(args.region) ? [] : [`region "${args.region}" is not an AWS Region code`]),
        ...(ACCOUNT_ID.test(args.accountId) ? [] : [`accountId "${args.accountId}" is not a 12-digit AWS account id`]),
        ...listProblems("forwardingAccountIds", args.forwardingAccountIds ?? [], (id) => ACCOUNT_ID.test(id), "a 12-digit AWS account id"),
        ...subscriptionProblems(emails, https),
        ...(receiveOk(args.receive ?? COMPLIANCE_ALERT_DEFAULTS.receive) ? [] : [`receive "${args.receive}" is not one of ${ALERT_RECEIVE_VALUES.join(", ")}`]),
        ...Object.entries(args.receiveBy ?? {}).flatMap(([endpoint, receive]) => [
            ...([...emails, ...https].includes(endpoint) ? [] : [`receiveBy names "${shown(endpoint)}", which is not one of the subscriptions`]),
            ...(receiveOk(receive) ? [] : [`receiveBy of "${shown(endpoint)}": "${receive}" is not one of ${ALERT_RECEIVE_VALUES.join(", ")}`]),
        ]),
        ...(Number.isInteger(dedupeHours) && dedupeHours >= 1 && dedupeHours <= MAX_DEDUPE_HOURS ? [] : [`dedupeHours ${dedupeHours} is not a whole number of hours from 1 to ${MAX_DEDUPE_HOURS}`]),
        ...((LOG_RETENTION_DAYS as readonly number[]).includes(retention) ? [] : [`logRetentionDays ${retention} is not a CloudWatch Logs retention; allowed: ${LOG_RETENTION_DAYS.join(", ")}`]),
    ];
    if (problems.length > 0) {
        throw new Error(`ComplianceAlerts: ${problems.join("; ")}`);
    }
}
