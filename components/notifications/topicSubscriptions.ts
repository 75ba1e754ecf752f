import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/**
 * Stable child-name suffix for a subscription: readable slug + hash of the normalised address.
 * An https endpoint's path and query usually carry a credential (a PagerDuty integration key, a
 * webhook token), and names end up in URNs, state and logs: its slug is the host alone.
 */
export function subscriptionKey(endpoint: string): string {
    const normalised = endpoint.toLowerCase();
    const visible = normalised.startsWith("https://") ? normalised.slice("https://".length).split(/[/?#]/)[0] : normalised;
    const slug = visible.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
    return `${slug}-${createHash("sha256").update(normalised).digest("hex").slice(0, 8)}`;
}

/**
 * E-mail and https subscriptions of a topic, as children of `parent` named
 * `<name>-<protocol>-<subscriptionKey>`: keyed by address, never by position, so removing one
 * subscriber does not replace the others. Each subscriber must confirm.
 */
export function subscribeTopic(
    parent: pulumi.Resource,
    name: string,
    region: string,
    topicArn: pulumi.Input<string>,
    emails: readonly string[],
    httpsEndpoints: readonly string[],
    /**
     * The subscription filter policy of an endpoint (MessageAttributes scope), e.g. the
     * compliance topic's `alertKind` choice. @default - no filter policy: every message
     */
    filterPolicyOf?: (endpoint: string) => object | undefined,
): void {
    const subscriptions: [string, readonly string[]][] = [
        ["email", emails],
        ["https", httpsEndpoints],
    ];
    for (const [protocol, endpoints] of subscriptions) {
        for (const endpoint of endpoints) {
            // https endpoints are secrets wherever they come from (see subscriptionKey): state keeps them encrypted.
            const filterPolicy = filterPolicyOf?.(endpoint);
            new aws.sns.TopicSubscription(
                `${name}-${protocol}-${subscriptionKey(endpoint)}`,
                {
                    region,
                    topic: topicArn,
                    protocol,
                    endpoint: protocol === "https" ? pulumi.secret(endpoint) : endpoint,
                    ...(filterPolicy === undefined ? {} : { filterPolicy: JSON.stringify(filterPolicy), filterPolicyScope: "MessageAttributes" }),
                },
                { parent },
            );
        }
    }
}
