import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** Stable child-name suffix for a subscription: readable slug + hash of the normalised address. */
export function subscriptionKey(endpoint: string): string {
    const normalised = endpoint.toLowerCase();
    const slug = normalised.replace(/^https:\/\//, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
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
): void {
    const subscriptions: [string, readonly string[]][] = [
        ["email", emails],
        ["https", httpsEndpoints],
    ];
    for (const [protocol, endpoints] of subscriptions) {
        for (const endpoint of endpoints) {
            new aws.sns.TopicSubscription(`${name}-${protocol}-${subscriptionKey(endpoint)}`, { region, topic: topicArn, protocol, endpoint }, { parent });
        }
    }
}
