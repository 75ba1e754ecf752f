import { strict as assert } from "node:assert";
import { adoptionTemplate, resourcesToImport } from "../../../components/organization/adoption";
import type { CfnResource, CfnTemplate } from "../../../components/organization/cloudFormation";

/**
 * The import change set (issue 16) on a small template of the Regional template's shapes, without
 * cfn-lint (adoption.test.ts lints the real one; this file is the fast one `npm run mutation` runs).
 * Identifiers per CloudFormation's "Resource type support" table for imports (the type schemas'
 * primaryIdentifier): AWS::S3::Bucket BucketName, AWS::S3::BucketPolicy Bucket, AWS::KMS::Key KeyId,
 * AWS::KMS::Alias AliasName.
 */

const ACCOUNT = "444444444444";
const REGION = "eu-west-2";
const KEY_ID = "11111111-2222-3333-4444-555555555555";
const retain = (resource: Omit<CfnResource, "DeletionPolicy" | "UpdateReplacePolicy">): CfnResource => ({ ...resource, DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });

function template(): CfnTemplate {
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "member Regional resources",
        Conditions: { IsUsEast1: { "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] } },
        Resources: {
            LogKey: retain({ Type: "AWS::KMS::Key", Properties: { EnableKeyRotation: true } }),
            LogKeyAlias: retain({ Type: "AWS::KMS::Alias", Properties: { AliasName: "alias/patching-logs", TargetKeyId: { Ref: "LogKey" } } }),
            PatchLogs: retain({ Type: "AWS::S3::Bucket", Properties: { BucketName: { "Fn::Sub": "patching-patch-logs-${AWS::AccountId}-${AWS::Region}" } } }),
            PatchLogsPolicy: retain({ Type: "AWS::S3::BucketPolicy", Properties: { Bucket: { Ref: "PatchLogs" }, PolicyDocument: {} } }),
            // JSON null (a template read back from JSON may hold one) is passed through, not dereferenced.
            Archive: retain({ Type: "AWS::S3::Bucket", Properties: { BucketName: "fixed-archive-name", NotificationConfiguration: null } }),
            Deleted: { Type: "AWS::S3::Bucket", DeletionPolicy: "Delete", Properties: { BucketName: "scratch" } },
            Default: { Type: "AWS::SSM::Association", Properties: { Name: "AWS-GatherSoftwareInventory" } },
        },
    };
}

const identifiers = (t: CfnTemplate, withKeyId = true) =>
    Object.fromEntries(resourcesToImport(t, { accountId: ACCOUNT, region: REGION, ...(withKeyId ? { logKeyId: KEY_ID } : {}) }).map((e) => [e.LogicalResourceId, [e.ResourceType, e.ResourceIdentifier]]));

describe("components/organization/adoption (identifiers, fast)", () => {
    it("the import template holds exactly the retained resources, unchanged, and no other section (an IMPORT change set creates nothing)", () => {
        const source = template();
        const adoption = adoptionTemplate(source);
        assert.deepEqual(adoption, {
            AWSTemplateFormatVersion: "2010-09-09",
            Description: "member Regional resources (adoption of retained resources)",
            Resources: { LogKey: source.Resources.LogKey, LogKeyAlias: source.Resources.LogKeyAlias, PatchLogs: source.Resources.PatchLogs, PatchLogsPolicy: source.Resources.PatchLogsPolicy, Archive: source.Resources.Archive },
        });
    });

    it("one entry per retained resource, by its primary identifier, Subs resolved and a policy's bucket Ref resolved to the bucket's name", () => {
        assert.deepEqual(identifiers(template()), {
            LogKey: ["AWS::KMS::Key", { KeyId: KEY_ID }],
            LogKeyAlias: ["AWS::KMS::Alias", { AliasName: "alias/patching-logs" }],
            PatchLogs: ["AWS::S3::Bucket", { BucketName: `patching-patch-logs-${ACCOUNT}-${REGION}` }],
            PatchLogsPolicy: ["AWS::S3::BucketPolicy", { Bucket: `patching-patch-logs-${ACCOUNT}-${REGION}` }],
            Archive: ["AWS::S3::Bucket", { BucketName: "fixed-archive-name" }],
        });
    });

    it("a template without a retained key needs no key id", () => {
        const t = template();
        const withoutKey = Object.fromEntries(Object.entries(t.Resources).filter(([, resource]) => !resource.Type.startsWith("AWS::KMS::")));
        assert.deepEqual(Object.keys(identifiers({ ...t, Resources: withoutKey }, false)), ["PatchLogs", "PatchLogsPolicy", "Archive"]);
    });

    it("refuses a KMS key without its key id, naming the command that finds it", () => {
        assert.throws(() => identifiers(template(), false), {
            message: "adoption: LogKey is a KMS key; give its key id (aws kms describe-key --key-id alias/patching-logs --query KeyMetadata.KeyId)",
        });
    });

    it("refuses a retained type it has no identifier for", () => {
        const t = { ...template(), Resources: { Queue: retain({ Type: "AWS::SQS::Queue", Properties: { QueueName: "q" } }) } };
        assert.throws(() => identifiers(t), { message: "adoption: Queue is a retained AWS::SQS::Queue, which has no import identifier here" });
    });

    it("refuses identifiers the template does not spell out (a generated bucket name, a policy of a bucket outside the import)", () => {
        const unnamed = { ...template(), Resources: { Logs: retain({ Type: "AWS::S3::Bucket", Properties: {} }) } };
        assert.throws(() => identifiers(unnamed), { message: "adoption: Logs (AWS::S3::Bucket) has no BucketName the template names (missing); only resources with explicit names can be adopted" });
        const dangling = {
            ...template(),
            Resources: {
                Logs: { Type: "AWS::S3::Bucket", Properties: { BucketName: "not-retained" } },
                LogsPolicy: retain({ Type: "AWS::S3::BucketPolicy", Properties: { Bucket: { Ref: "Logs" } } }),
            },
        };
        assert.throws(() => identifiers(dangling), { message: 'adoption: LogsPolicy (AWS::S3::BucketPolicy) has no Bucket the template names ({"Ref":"Logs"}); only resources with explicit names can be adopted' });
    });
});
