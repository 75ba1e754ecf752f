import { z } from "zod";
import * as field from "./fields";
import { integer, list, oneOf, record } from "./vocabulary";
import { notificationsSchema } from "./schemaSettings";

/**
 * `notifications.complianceAlerts` (issue 19 item 2): what each subscriber of the one central
 * compliance topic `patching-compliance-alerts` receives — the immediate NON_COMPLIANT alerts
 * (at most one per node and rule per `dedupeHours`), the daily digest, or both — and the
 * de-duplication window. Implemented as SNS subscription filter policies on the `alertKind`
 * message attribute. The values equal components/compliance COMPLIANCE_ALERT_DEFAULTS /
 * ALERT_RECEIVE_VALUES (the config may not import components; a test keeps them equal).
 */

export const ALERT_RECEIVE_CHOICES = ["immediate", "digest", "both"] as const;
export type AlertReceiveChoice = (typeof ALERT_RECEIVE_CHOICES)[number];

export const COMPLIANCE_ALERT_CONFIG_DEFAULTS = { receive: "both", dedupeHours: 24, subscribers: [] } as const satisfies { receive: AlertReceiveChoice; dedupeHours: number; subscribers: readonly never[] };

const receive = oneOf(ALERT_RECEIVE_CHOICES);

const subscriberSchema = record(
    {
        endpoint: z.union([field.EMAIL, field.HTTPS_URL], { error: "is not an e-mail address or an https:// URL" }).describe("One of notifications.emails / notifications.httpsEndpoints, written the same way (an https endpoint: set it with --secret --path)."),
        receive: receive.describe("What this subscriber receives from the compliance topic."),
    },
    "a subscriber override ({endpoint, receive})",
);

export const complianceAlertsSchema = record(
    {
        receive: receive.default(COMPLIANCE_ALERT_CONFIG_DEFAULTS.receive).describe("What every notifications subscriber receives from the compliance topic patching-compliance-alerts: immediate (one message per node and rule per dedupeHours), digest (the daily summary) or both."),
        dedupeHours: integer(1, 720, "hours between two immediate alerts for the same node and rule").default(COMPLIANCE_ALERT_CONFIG_DEFAULTS.dedupeHours).describe("At most one immediate alert per (node, rule) within this many hours; later NON_COMPLIANT changes of the pair are held back (the digest still lists the node)."),
        subscribers: list(subscriberSchema, "subscriber overrides", 0).default([]).describe("Per-endpoint choice overriding receive; each endpoint must be one of notifications.emails / httpsEndpoints."),
    },
    "compliance alert settings ({receive?, dedupeHours?, subscribers?})",
);

export type ComplianceAlertSettings = z.output<typeof complianceAlertsSchema>;

/**
 * `notifications` with `complianceAlerts`: every override names a configured subscriber, once
 * (an override for an address nobody subscribes would silently do nothing).
 */
export const notificationsWithAlertsSchema = record(
    {
        ...notificationsSchema.shape,
        complianceAlerts: complianceAlertsSchema.default({ ...COMPLIANCE_ALERT_CONFIG_DEFAULTS, subscribers: [] }).describe("The one central compliance topic: who receives immediate alerts, the daily digest or both, and the de-duplication window."),
    },
    "notification subscriptions ({emails?, httpsEndpoints?, patchRunSuccess?, complianceAlerts?})",
).superRefine((notifications, ctx) => {
    const known = new Set([...notifications.emails, ...notifications.httpsEndpoints]);
    const seen = new Set<string>();
    notifications.complianceAlerts.subscribers.forEach((subscriber, i) => {
        const shown = subscriber.endpoint.replace(/^(https:\/\/[^/?#]+).*/, "$1/…");
        if (!known.has(subscriber.endpoint)) {
            ctx.addIssue({ code: "custom", path: ["complianceAlerts", "subscribers", i, "endpoint"], message: "is not one of notifications.emails / notifications.httpsEndpoints (an override needs a subscriber)", input: shown });
        } else if (seen.has(subscriber.endpoint)) {
            ctx.addIssue({ code: "custom", path: ["complianceAlerts", "subscribers", i, "endpoint"], message: "has an override already", input: shown });
        }
        seen.add(subscriber.endpoint);
    });
});

export const NOTIFICATIONS_CONFIG_DEFAULT = { emails: [] as string[], httpsEndpoints: [] as string[], patchRunSuccess: false, complianceAlerts: { ...COMPLIANCE_ALERT_CONFIG_DEFAULTS, subscribers: [] } };
