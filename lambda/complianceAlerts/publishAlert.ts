import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { ALERT_KIND_ATTRIBUTE, type AlertKind } from "./settings";

/**
 * One message to the compliance topic, carrying the `alertKind` message attribute that the
 * subscriptions' filter policies select on (FilterPolicyScope MessageAttributes; a message without
 * it reaches no filtered subscriber). Shared by both publishers: this function (`immediate`) and
 * the daily digest (`digest`). Subject: ASCII, no line breaks, under 100 characters (API_Publish).
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export async function publishAlert(sns: SNSClient, topicArn: string, subject: string, message: string, kind: AlertKind): Promise<string> {
    const { MessageId } = await sns.send(
        new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message, MessageAttributes: { [ALERT_KIND_ATTRIBUTE]: { DataType: "String", StringValue: kind } } }),
    );
    if (MessageId === undefined) {
        throw new Error(`SNS Publish to ${topicArn} returned no MessageId`);
    }
    return MessageId;
}
