import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { publishAlert } from "./publishAlert";
import { DEDUPE_TABLE, type AlertKind } from "./settings";

/**
 * The function's two side effects, behind an interface so the logic is tested with the real
 * calls (against the emulator) and without them.
 */
export interface AlertPorts {
    /**
     * Claims the window for `key` until `untilSeconds`: true when no window was open (no item, or
     * its window ended at or before `nowSeconds`), false when another alert holds it. Atomic: of
     * any number of concurrent claims for one key exactly one wins (conditional PutItem).
     */
    claim(key: string, nowSeconds: number, untilSeconds: number): Promise<boolean>;
    /** Gives a claim back (publishing failed, so the retry must be able to claim again); only our own claim. */
    release(key: string, untilSeconds: number): Promise<void>;
    /** Publishes one message with the `alertKind` attribute; returns the message id. */
    publish(subject: string, message: string, kind: AlertKind): Promise<string>;
}

export interface AlertClients {
    readonly dynamodb: DynamoDBClient;
    readonly sns: SNSClient;
}

/**
 * Time budget: the function may run 30 s (complianceAlertsDocuments COMPLIANCE_ALERTS_DEFAULTS)
 * and makes up to three calls (claim, publish, give-back). Each call is one attempt of at most
 * 5 s, so a slow publish still leaves time to give the claim back: a timeout in between would
 * hold the window with nothing announced (a lost alert). Lambda's asynchronous retries re-run the
 * whole event instead. `throwOnRequestTimeout`: without it the SDK's requestTimeout only logs a
 * warning (@smithy/node-http-handler).
 */
export const ALERT_CLIENT_CONFIG = { maxAttempts: 1, requestHandler: { requestTimeout: 5000, throwOnRequestTimeout: true } } as const;

/**
 * Clients in the function's Region (AWS_REGION) with the execution role's credentials (the SDK's
 * default chain). The endpoints follow the SDK's AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SNS /
 * AWS_ENDPOINT_URL (service-specific endpoints; the tests point them at moto_server).
 */
export function alertClients(): AlertClients {
    return { dynamodb: new DynamoDBClient(ALERT_CLIENT_CONFIG), sns: new SNSClient(ALERT_CLIENT_CONFIG) };
}

/** The ports over DynamoDB (conditional PutItem / DeleteItem) and SNS Publish. */
export function awsPorts(tableName: string, topicArn: string, clients: AlertClients): AlertPorts {
    const { key, expiresAt } = DEDUPE_TABLE;
    return {
        async claim(alertKey, nowSeconds, untilSeconds) {
            try {
                await clients.dynamodb.send(
                    new PutItemCommand({
                        TableName: tableName,
                        Item: { [key]: { S: alertKey }, [expiresAt]: { N: String(untilSeconds) } },
                        // TTL deletes expired items only eventually (DynamoDB developer guide, "Time to
                        // Live": typically within a few days), so an expired window is checked here too.
                        ConditionExpression: "attribute_not_exists(#key) OR #expiresAt <= :now",
                        ExpressionAttributeNames: { "#key": key, "#expiresAt": expiresAt },
                        ExpressionAttributeValues: { ":now": { N: String(nowSeconds) } },
                    }),
                );
                return true;
            } catch (error) {
                if (error instanceof ConditionalCheckFailedException) {
                    return false;
                }
                throw error;
            }
        },
        async release(alertKey, untilSeconds) {
            try {
                await clients.dynamodb.send(
                    new DeleteItemCommand({
                        TableName: tableName,
                        Key: { [key]: { S: alertKey } },
                        ConditionExpression: "#expiresAt = :until",
                        ExpressionAttributeNames: { "#expiresAt": expiresAt },
                        ExpressionAttributeValues: { ":until": { N: String(untilSeconds) } },
                    }),
                );
            } catch (error) {
                // Someone else's (later) claim: not ours to give back.
                if (!(error instanceof ConditionalCheckFailedException)) {
                    throw error;
                }
            }
        },
        publish: (subject, message, kind) => publishAlert(clients.sns, topicArn, subject, message, kind),
    };
}
