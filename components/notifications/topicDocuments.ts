import { policy, type PolicyDocument } from "../identity/iamDocuments";

/**
 * Policies of the encrypted SNS topics EventBridge publishes to (the NON_COMPLIANT topic and the
 * patch-run topic): who may publish, and the topic key that lets EventBridge encrypt.
 */

/**
 * Only EventBridge may publish, and only for the given rules of this account (confused-deputy
 * keys, SNS developer guide "Amazon SNS access control": aws:SourceArn / aws:SourceAccount). No
 * owner statement: in the owning account, IAM policies alone grant topic management. Shared by
 * the NON_COMPLIANT and the patch-run topics.
 */
export function eventBridgeTopicPolicy(sid: string, topicArn: string, ruleArns: readonly string[], accountId: string): PolicyDocument {
    return policy({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArns.length === 1 ? ruleArns[0] : [...ruleArns].sort() }, StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/**
 * Key policy of the topic key. EventBridge cannot publish to a topic encrypted with the AWS
 * managed alias/aws/sns key (its policy cannot be changed); a customer managed key must let
 * events.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt (SNS developer guide, "Enable
 * compatibility between event sources from AWS services and encrypted topics":
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 */
export function topicKeyPolicy(accountId: string): PolicyDocument {
    return policy(
        { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
        {
            Sid: "EventBridgePublishesToEncryptedTopic",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
    );
}
