import { alertKey, alertMessage, alertSubject, nonCompliantChange } from "./events";
import type { AlertPorts } from "./ports";
import type { AlertSettings } from "./settings";

export type AlertOutcome =
    | { readonly action: "ignored" }
    | { readonly action: "suppressed"; readonly key: string }
    | { readonly action: "published"; readonly key: string; readonly messageId: string };

/**
 * One event: ignored unless it is a well-formed NON_COMPLIANT change; otherwise claim the
 * (account, Region, rule, resource) window and publish only when the claim wins. EventBridge
 * cannot de-duplicate (it delivers every matching event, at least once), hence the table.
 * When publishing fails the claim is given back before the error propagates, so Lambda's retry
 * (or a later change) can still announce it: the failure mode is a late alert, never a lost one.
 */
export async function handleEvent(event: unknown, settings: AlertSettings, ports: AlertPorts, now: Date): Promise<AlertOutcome> {
    const change = nonCompliantChange(event);
    if (change === undefined) {
        return { action: "ignored" };
    }
    const key = alertKey(change);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const until = nowSeconds + settings.dedupeSeconds;
    if (!(await ports.claim(key, nowSeconds, until))) {
        return { action: "suppressed", key };
    }
    try {
        const messageId = await ports.publish(alertSubject(change), alertMessage(change, settings.dedupeSeconds), "immediate");
        return { action: "published", key, messageId };
    } catch (error) {
        await ports.release(key, until);
        throw error;
    }
}
