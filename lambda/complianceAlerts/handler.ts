/**
 * Immediate compliance alerts (issue 19 item 2). Entry point `index.handler` of the bundle the
 * ComplianceAlerts component builds from this file. Invoked asynchronously by the central
 * EventBridge rules with one AWS Config compliance-change event per invocation; publishes at most
 * one message per (node, rule) per window to the central compliance topic.
 *
 * Errors propagate: Lambda retries asynchronous invocations (two retries) and then hands the event
 * to the on-failure destination (the component's queue).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import { handleEvent, type AlertOutcome } from "./alert";
import { alertClients, awsPorts, type AlertClients } from "./ports";
import { readAlertSettings } from "./settings";

/** Created on the first invocation and reused by warm ones (connections and credentials stay cached). */
let clients: AlertClients | undefined;

export async function handler(event: unknown, context?: { readonly awsRequestId?: string }): Promise<AlertOutcome> {
    const settings = readAlertSettings(process.env);
    clients ??= alertClients();
    const outcome = await handleEvent(event, settings, awsPorts(settings.tableName, settings.topicArn, clients), new Date());
    // One JSON line per invocation (the log group's only content): what happened to which key.
    const { source, "detail-type": detailType } = (event ?? {}) as { source?: unknown; "detail-type"?: unknown };
    console.log(JSON.stringify({ ...outcome, ...(outcome.action === "ignored" ? { source, detailType } : {}), requestId: context?.awsRequestId }));
    return outcome;
}
