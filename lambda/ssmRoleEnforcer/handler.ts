/**
 * SSM-role enforcement Lambda (SPEC capability 10). Entry point `index.handler` of the bundle the
 * SsmRoleEnforcer component builds from this file.
 *
 * Invoked asynchronously by EventBridge. When any instance fails, the handler throws after
 * logging the summary: the invocation then shows in the function's Errors metric, and Lambda's
 * asynchronous retries (two by default) run it again, which is safe because enforcement is
 * idempotent. https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { emptySummary, enforce, jsonLineLogger, type EnforcementSummary, type EnforcerClients, type Logger } from "./enforce";
import { targetOf } from "./events";
import { readSettings } from "./settings";

let clients: EnforcerClients | undefined;

/**
 * Clients for the function's own Region (AWS_REGION, set by Lambda) with the default credential
 * chain (the execution role). They also honour AWS_ENDPOINT_URL, which SDK v3 reads natively
 * (service-specific endpoints, @smithy/core getEndpointUrlConfig): that is how the tests point
 * the real handler at the emulator. Built once per execution environment and reused by warm
 * invocations, as Lambda recommends.
 */
export function createClients(): EnforcerClients {
    clients ??= { ec2: new EC2Client({}), iam: new IAMClient({}) };
    return clients;
}

/** Forgets the cached clients (tests that change the environment between invocations). */
export function resetClients(): void {
    clients = undefined;
}

/**
 * @param context Lambda's invocation context; its request id is added to every log line (plain
 * stdout lines carry none of their own).
 */
export async function handler(event: unknown, context?: { readonly awsRequestId?: string }): Promise<EnforcementSummary> {
    const log: Logger = context?.awsRequestId === undefined ? jsonLineLogger : (entry) => jsonLineLogger({ ...entry, requestId: context.awsRequestId });
    const target = targetOf(event);
    if (target === undefined) {
        const { source, "detail-type": detailType } = (event ?? {}) as { source?: unknown; "detail-type"?: unknown };
        log({ action: "ignore-event", source, detailType });
        return emptySummary();
    }
    const settings = readSettings(process.env);
    const summary = await enforce(createClients(), settings, target, log);
    log({ action: "summary", target, ...summary });
    if (summary.errors.length > 0) {
        const failed = summary.errors.map((error) => error.instanceId).join(", ");
        throw new Error(`SSM-role enforcement failed for ${summary.errors.length} instance(s): ${failed}`);
    }
    return summary;
}
