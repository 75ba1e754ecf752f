import type { AutomationDocument } from "../runbooks/documentModel";
import { PATCH_PARAMETERS } from "../runbooks/runPatchBaseline";
import { policy, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";

/**
 * Pure builders for PatchCompliance (SPEC capability 11): the Config rules it creates, the
 * NON_COMPLIANT EventBridge pattern (forwarded to ComplianceAlerts since issue 19), the recorder trust, the delivery
 * bucket statements and the remediation wrapper runbook. Plain objects, fixed key order.
 */

/** Fixed physical names, the same in every member (account, Region). Renaming one replaces it. */
export const COMPLIANCE_NAMES = {
    recorder: "patching-recorder",
    deliveryChannel: "patching-delivery-channel",
    remediationDocument: "patching-RemediatePatchCompliance",
} as const;

/** IAM is global: one recorder role per Region, so the name carries the Region. */
export const recorderRoleName = (region: string): string => `patching-config-recorder-${region}`;

export const CONFIG_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole";

export interface EventPattern {
    readonly source: readonly string[];
    readonly "detail-type": readonly string[];
    readonly detail: {
        readonly messageType: readonly string[];
        readonly configRuleName: readonly string[];
        readonly newEvaluationResult: { readonly complianceType: readonly string[] };
    };
}

/**
 * A resource turning NON_COMPLIANT with one of our rules. The event's `detail` is the compliance
 * change notification (messageType ComplianceChangeNotification, configRuleName,
 * newEvaluationResult.complianceType): https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html
 */
export function nonCompliantEventPattern(ruleNames: readonly string[]): EventPattern {
    return {
        source: ["aws.config"],
        "detail-type": ["Config Rules Compliance Change"],
        detail: { messageType: ["ComplianceChangeNotification"], configRuleName: [...ruleNames], newEvaluationResult: { complianceType: ["NON_COMPLIANT"] } },
    };
}

/** Recorder role trust (Config developer guide, iamrole-permissions.html): this account's Config only. */
export function configRecorderTrust(accountId: string): PolicyDocument {
    return policy({ Sid: "AWSConfigRecorder", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } });
}

/**
 * For the delivery bucket's owner: the three statements of the Config developer guide,
 * "Permissions for the Amazon S3 Bucket for the AWS Config delivery channel" (s3-bucket-policy.html),
 * verbatim including its `AWS:SourceAccount` spelling (condition keys are case-insensitive).
 * Config writes under `<prefix>/AWSLogs/<account>/Config/`; an empty prefix drops that segment.
 */
export function configDeliveryBucketStatements(bucketName: string, keyPrefix: string, accountId: string): PolicyStatement[] {
    const bucket = `arn:aws:s3:::${bucketName}`;
    const forAccount = { StringEquals: { "AWS:SourceAccount": accountId } };
    const service = { Service: "config.amazonaws.com" };
    const prefix = keyPrefix === "" ? "" : `${keyPrefix}/`;
    return [
        { Sid: "AWSConfigBucketPermissionsCheck", Effect: "Allow", Principal: service, Action: "s3:GetBucketAcl", Resource: bucket, Condition: forAccount },
        { Sid: "AWSConfigBucketExistenceCheck", Effect: "Allow", Principal: service, Action: "s3:ListBucket", Resource: bucket, Condition: forAccount },
        {
            Sid: "AWSConfigBucketDelivery",
            Effect: "Allow",
            Principal: service,
            Action: "s3:PutObject",
            Resource: `${bucket}/${prefix}AWSLogs/${accountId}/Config/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceAccount": accountId } },
        },
    ];
}

/**
 * The recorder role's own delivery permissions. For a bucket in the same account Config writes
 * as the recorder's role (the `config.amazonaws.com` bucket statements serve cross-account
 * delivery and the service-linked role), and AWS_ConfigRole grants no S3 writes (Config developer
 * guide, "Permissions for the IAM role assigned to AWS Config": IAM Role Policy for your S3
 * bucket / KMS key).
 */
export function recorderDeliveryPolicy(bucketName: string, keyPrefix: string, accountId: string, kmsKeyArn?: string): PolicyDocument {
    const bucket = `arn:aws:s3:::${bucketName}`;
    const prefix = keyPrefix === "" ? "" : `${keyPrefix}/`;
    const statements: PolicyStatement[] = [
        {
            Sid: "DeliverConfigurationSnapshots",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:PutObjectAcl"],
            Resource: `${bucket}/${prefix}AWSLogs/${accountId}/*`,
            Condition: { StringLike: { "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        { Sid: "CheckDeliveryBucket", Effect: "Allow", Action: "s3:GetBucketAcl", Resource: bucket },
    ];
    if (kmsKeyArn !== undefined) {
        statements.push({ Sid: "EncryptDeliveries", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: kmsKeyArn });
    }
    return policy(...statements);
}

/**
 * For an SSE-KMS delivery bucket's key: Config (the service principal, for this account only)
 * encrypts what it delivers with the channel's `s3KmsKeyArn` (Config developer guide,
 * "Permissions for the KMS Key", s3-kms-key-policy.html).
 */
export function configDeliveryKeyStatement(accountId: string): PolicyStatement {
    return {
        Sid: "AWSConfigKMSPolicy",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: { StringEquals: { "AWS:SourceAccount": accountId } },
    };
}

/**
 * What a remediation attempt does. `install` patches the node (the only mode that can turn it
 * COMPLIANT); `refresh-compliance` only rescans it, so the rule re-evaluates fresh data (the old
 * `Scan` operation: it fixes nothing).
 */
export type RemediationMode = "install" | "refresh-compliance";

/** The patch runbook's Operation for each mode. */
export const REMEDIATION_OPERATION = { install: "Install", "refresh-compliance": "Scan" } as const satisfies Record<RemediationMode, string>;

/**
 * Remediation parameters. Config can pass a resource only as RESOURCE_ID, the evaluated resource's
 * id (PutRemediationConfigurations, RemediationParameterValue.ResourceValue). For
 * AWS::SSM::PatchCompliance that id is `AWS::SSM::ManagedInstanceInventory/<node id>`, not the
 * node id, so it cannot go straight to the runbook's InstanceId (whose SendCommand pattern would
 * reject it): it goes to the wrapper below, which strips the prefix. A refresh never reboots: it
 * passes NoReboot whatever `rebootOption` says (Scan installs nothing, and remediation runs at any hour).
 */
export function remediationParameters<Role>(executionRoleArn: Role, mode: RemediationMode, rebootOption: string) {
    return [
        { name: "AutomationAssumeRole", staticValue: executionRoleArn },
        { name: "Operation", staticValue: REMEDIATION_OPERATION[mode] },
        { name: "RebootOption", staticValue: mode === "install" ? rebootOption : "NoReboot" },
        { name: "ResourceId", resourceValue: "RESOURCE_ID" },
    ];
}

/**
 * Any Config resource id that ends in a node id (`AWS::SSM::ManagedInstanceInventory/i-…` is what
 * AWS's own queries strip; the exact prefix is not documented, so the pattern does not insist on
 * it): the script keeps the last path segment.
 */
export const REMEDIATION_RESOURCE_ID_PATTERN = "^(.*/)?((i-([0-9a-f]{8}|[0-9a-f]{17}))|(mi-[0-9a-f]{17}))$";

const PARSE_SCRIPT = [
    "def instance_id(events, context):",
    "    # AWS::SSM::ManagedInstanceInventory/i-0123456789abcdef0 -> i-0123456789abcdef0",
    '    return {"InstanceId": events["ResourceId"].split("/")[-1]}',
].join("\n");

/**
 * The remediation target: turns Config's resource id into the node id, then runs the patch
 * runbook (`runbookName`, e.g. patching-RunPatchBaseline) on that node as a child execution with
 * the same role, so patch behaviour, log bucket and timeouts stay in one document.
 */
export function patchComplianceRemediationDocument(runbookName: string): AutomationDocument {
    const { AutomationAssumeRole, Operation, RebootOption } = PATCH_PARAMETERS;
    return {
        schemaVersion: "0.3",
        description:
            "AWS Config remediation for patching-patch-compliance: runs the patch runbook on the node behind a non-compliant AWS::SSM::PatchCompliance item (Install with RebootIfNeeded, or Scan to refresh its compliance data).",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            AutomationAssumeRole,
            Operation,
            RebootOption,
            ResourceId: { type: "String", description: "(Required) The AWS Config resource id of the AWS::SSM::PatchCompliance item.", allowedPattern: REMEDIATION_RESOURCE_ID_PATTERN },
        },
        mainSteps: [
            {
                name: "ParseResourceId",
                action: "aws:executeScript",
                timeoutSeconds: 60,
                inputs: { Runtime: "python3.11", Handler: "instance_id", InputPayload: { ResourceId: "{{ ResourceId }}" }, Script: PARSE_SCRIPT },
                outputs: [{ Name: "InstanceId", Selector: "$.Payload.InstanceId", Type: "String" }],
            },
            {
                name: "RunPatchBaseline",
                action: "aws:executeAutomation",
                // The runbook's own step allows 7200 s; the child must not be cut off before that.
                timeoutSeconds: 7500,
                inputs: {
                    DocumentName: runbookName,
                    RuntimeParameters: { AutomationAssumeRole: "{{ AutomationAssumeRole }}", Operation: "{{ Operation }}", RebootOption: "{{ RebootOption }}", InstanceId: "{{ ParseResourceId.InstanceId }}" },
                },
            },
        ],
        outputs: ["ParseResourceId.InstanceId", "RunPatchBaseline.ExecutionId", "RunPatchBaseline.Status"],
    };
}

/**
 * The longest one remediation attempt (one wrapper execution) can run: its steps run one after
 * another, each at most `maxAttempts` times and each attempt cut off at `timeoutSeconds`. Config
 * adds a remediation exception (no more automatic attempts for that resource) only when
 * MaximumAutomaticAttempts attempts fall within RetryAttemptSeconds (API_RemediationConfiguration:
 * "Time window to determine whether or not to add a remediation exception to prevent infinite
 * remediation attempts"), so that window must be able to hold that many back-to-back attempts.
 */
export function remediationAttemptMaxSeconds(document: AutomationDocument): number {
    return document.mainSteps.reduce((total, step) => {
        if (step.timeoutSeconds === undefined) {
            throw new Error(`remediation wrapper step ${step.name} has no timeoutSeconds, so an attempt has no upper bound`);
        }
        return total + step.timeoutSeconds * (step.maxAttempts ?? 1);
    }, 0);
}
