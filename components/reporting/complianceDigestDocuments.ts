import { policy, type PolicyDocument, type PolicyStatement } from "../identity/iamDocuments";
import type { ReportingResources } from "./reportingQueries";

/**
 * The compliance digest's IAM, pure (issue 19 item 2): its function role and the EventBridge
 * Scheduler role that invokes it. Names the component and the tests share.
 */

export const COMPLIANCE_DIGEST_NAMES = {
    /** Lambda and schedule names are per account and Region; the environment keeps dev and prod apart in one account. */
    functionName: (environment: string) => `patching-compliance-digest-${environment}`,
    /** IAM is global: the Region too. */
    roleName: (environment: string, region: string) => `patching-compliance-digest-${environment}-${region}`,
    schedulerRoleName: (environment: string, region: string) => `patching-digest-scheduler-${environment}-${region}`,
    /** A program-named group: the boundary grants scheduler:* only on schedule-group/patching-* and schedule/patching-*. */
    scheduleGroup: (environment: string) => `patching-compliance-digest-${environment}`,
} as const;

export interface DigestPolicyInputs extends ReportingResources {
    readonly functionName: string;
    readonly topicArn: string;
    /** The topic's customer managed key (publishers need GenerateDataKey and Decrypt on it). */
    readonly topicKmsKeyArn?: string;
}

/**
 * Least privilege for two Athena queries and one Publish (Athena user guide, "Identity and access
 * management in Athena" and "INSERT INTO"; SNS "Encryption at rest" for the topic key): run and
 * read queries in the workgroup only; read the Glue database and its tables; read the sync prefix;
 * write the query results and the SLA history into the results bucket; the keys those buckets and
 * the topic use; publish to the one topic; write the function's own log group. No named-query,
 * Stop, workgroup or Glue write actions (the history table is unpartitioned: INSERT INTO adds only
 * files), no s3:DeleteObject.
 */
export function digestRolePolicy(r: DigestPolicyInputs): PolicyDocument {
    const glue = (path: string) => `arn:aws:glue:${r.region}:${r.accountId}:${path}`;
    const data = `arn:aws:s3:::${r.dataBucket}`;
    const results = `arn:aws:s3:::${r.resultsBucket}`;
    const statements: PolicyStatement[] = [
        { Sid: "RunDigestQueries", Effect: "Allow", Action: ["athena:GetQueryExecution", "athena:GetQueryResults", "athena:StartQueryExecution"], Resource: `arn:aws:athena:${r.region}:${r.accountId}:workgroup/${r.workgroup}` },
        { Sid: "ReadTables", Effect: "Allow", Action: ["glue:BatchGetPartition", "glue:GetDatabase", "glue:GetPartition", "glue:GetPartitions", "glue:GetTable"], Resource: [glue("catalog"), glue(`database/${r.database}`), glue(`table/${r.database}/*`)] },
        { Sid: "LocateBuckets", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: [data, results] },
        // s3:prefix is only in ListBucket requests, so the prefix conditions stay on these statements.
        { Sid: "ListInventory", Effect: "Allow", Action: "s3:ListBucket", Resource: data, Condition: { StringLike: { "s3:prefix": [`${r.dataPrefix}/*`] } } },
        { Sid: "ReadInventory", Effect: "Allow", Action: "s3:GetObject", Resource: `${data}/${r.dataPrefix}/*` },
        { Sid: "ListResults", Effect: "Allow", Action: "s3:ListBucket", Resource: results },
        // Query results land at the bucket root (<id>.csv, .metadata), the history under its prefix.
        { Sid: "WriteResultsAndHistory", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"], Resource: `${results}/*` },
        { Sid: "PublishDigest", Effect: "Allow", Action: "sns:Publish", Resource: r.topicArn },
        { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${r.region}:${r.accountId}:log-group:/aws/lambda/${r.functionName}:*` },
    ];
    if (r.dataKmsKeyArn !== undefined) {
        statements.push({ Sid: "DecryptInventory", Effect: "Allow", Action: "kms:Decrypt", Resource: r.dataKmsKeyArn });
    }
    if (r.resultsKmsKeyArn !== undefined) {
        statements.push({ Sid: "EncryptResults", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: r.resultsKmsKeyArn });
    }
    if (r.topicKmsKeyArn !== undefined) {
        statements.push({
            Sid: "EncryptTopicMessages",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: r.topicKmsKeyArn,
            // Only as SNS uses it for a Publish to the encrypted topic (as the alert function's role):
            // SNS developer guide, "Configure AWS KMS permissions for publishers"; KMS kms:ViaService.
            Condition: { StringEquals: { "kms:ViaService": `sns.${r.region}.amazonaws.com` } },
        });
    }
    return policy(...statements);
}

/** EventBridge Scheduler assumes the role only for schedules of this account's digest group (confused deputy). */
export function digestSchedulerTrust(accountId: string, region: string, scheduleGroup: string): PolicyDocument {
    return policy({
        Sid: "SchedulerForTheDigestGroup",
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnEquals: { "aws:SourceArn": `arn:aws:scheduler:${region}:${accountId}:schedule-group/${scheduleGroup}` } },
    });
}

/** The scheduler may invoke the digest function and nothing else (EventBridge Scheduler user guide, "Set up the execution role"). */
export function digestSchedulerPolicy(functionArn: string): PolicyDocument {
    return policy({ Sid: "InvokeTheDigest", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArn });
}
