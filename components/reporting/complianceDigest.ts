import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DIGEST_DEFAULTS, DIGEST_ENV, DIGEST_PACKAGE_FILE, type DigestException, type DigestPackage } from "../../lambda/complianceDigest/settings";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { lambdaBundle, lambdaEntry } from "../assets/lambdaBundle";
import { enforcerTrust } from "../enforcer/enforcerDocuments";
import { LOG_RETENTION_DAYS } from "../enforcer/ssmRoleEnforcer";
import { COMPLIANCE_DIGEST_NAMES, digestRolePolicy, digestSchedulerPolicy, digestSchedulerTrust } from "./complianceDigestDocuments";
import { complianceDigestQuery, recordFirstMissingSql, slaDaysProblem, type SlaDays } from "./slaQueries";

export const COMPLIANCE_DIGEST_DEFAULTS = {
    /** 07:00 UTC: after the nightly scans, before the compliance team's day in Europe. */
    schedule: "cron(0 7 * * ? *)",
    scheduleTimezone: "UTC",
    logRetentionDays: 90,
    /** Two bounded queries (DIGEST_DEFAULTS.queryTimeoutSeconds each) and a publish; Lambda's maximum. */
    timeoutSeconds: 900,
    memorySizeMb: 256,
    runtime: aws.lambda.Runtime.NodeJS24dX,
    entry: "lambda/complianceDigest/handler.ts",
} as const;

export interface ComplianceDigestArgs {
    /** The central Region (reporting's). */
    readonly region: string;
    readonly accountId: string;
    /** The estate's environment: names the function, roles and schedule group, and heads the message. */
    readonly environment: string;
    /** ComplianceReporting's workgroup and database. */
    readonly workgroupName: pulumi.Input<string>;
    readonly databaseName: string;
    /** The central Resource Data Sync bucket and prefix (read by the queries). */
    readonly dataBucketName: pulumi.Input<string>;
    readonly dataSyncPrefix: string;
    /** @default - SSE-S3 data bucket */
    readonly dataKmsKeyArn?: pulumi.Input<string>;
    /** The Athena results bucket (results and the SLA history). */
    readonly resultsBucketName: pulumi.Input<string>;
    /** @default - SSE-S3 results */
    readonly resultsKmsKeyArn?: pulumi.Input<string>;
    /** The central compliance topic (`patching-compliance-alerts`) and its key, if it has a customer managed one. */
    readonly topic: { readonly arn: pulumi.Input<string>; readonly kmsKeyArn?: pulumi.Input<string> };
    /** Days per compliance severity (compliance.sla). */
    readonly sla: SlaDays;
    /**
     * Exceptions that expire (rejected patches, excluded nodes); the digest lists those within a week of expiry.
     * @default []
     */
    readonly exceptions?: readonly DigestException[];
    /** EventBridge Scheduler expression. @default COMPLIANCE_DIGEST_DEFAULTS.schedule */
    readonly schedule?: string;
    /** IANA time zone of the schedule. @default COMPLIANCE_DIGEST_DEFAULTS.scheduleTimezone */
    readonly scheduleTimezone?: string;
    /** One of LOG_RETENTION_DAYS. @default COMPLIANCE_DIGEST_DEFAULTS.logRetentionDays */
    readonly logRetentionDays?: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateComplianceDigestArgs(args: ComplianceDigestArgs): void {
    const fail = (message: string): never => {
        throw new Error(`ComplianceDigest: ${message}`);
    };
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region)) fail(`region "${args.region}" is not an AWS Region name (e.g. eu-west-2)`);
    if (!/^\d{12}$/.test(args.accountId)) fail(`accountId "${args.accountId}" is not a 12-digit AWS account id`);
    // Names: patching-digest-scheduler-<env>-<region> must stay within IAM's 64 characters.
    if (!/^[a-z][a-z0-9-]{0,15}$/.test(args.environment)) fail(`environment "${args.environment}" is not 1-16 lowercase letters, digits and -, starting with a letter`);
    const schedule = args.schedule ?? COMPLIANCE_DIGEST_DEFAULTS.schedule;
    if (!/^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/.test(schedule)) fail(`schedule "${schedule}" is not an EventBridge Scheduler cron(<6 fields>) or rate(<n> <unit>) expression`);
    const retention = args.logRetentionDays ?? COMPLIANCE_DIGEST_DEFAULTS.logRetentionDays;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) fail(`logRetentionDays ${retention} is not a CloudWatch Logs retention; allowed: ${LOG_RETENTION_DAYS.join(", ")}`);
    const slaProblem = slaDaysProblem(args.sla);
    if (slaProblem !== undefined) fail(slaProblem);
    const bad = (args.exceptions ?? []).find((e) => !ISO_DATE.test(e.expires) || Number.isNaN(Date.parse(`${e.expires}T00:00:00Z`)));
    if (bad !== undefined) fail(`exceptions: ${bad.kind} ${bad.id} expires "${bad.expires}" is not an ISO date YYYY-MM-DD`);
}

/** What the function reads from its package: the two statements and the exceptions (plain values). */
export function digestPackage(args: Pick<ComplianceDigestArgs, "databaseName" | "sla" | "exceptions">): DigestPackage {
    return { recordSql: recordFirstMissingSql(args.databaseName), digestSql: complianceDigestQuery(args.databaseName, args.sla).sql, exceptions: args.exceptions ?? [] };
}

/**
 * Issue 19 items 2 and 4: the daily compliance digest in the central account and Region — a
 * Lambda (lambda/complianceDigest) that records the SLA history, runs the digest query in the
 * reporting workgroup and publishes one message (alertKind = digest) to the central compliance
 * topic; EventBridge Scheduler invokes it daily. Both roles carry the program boundary.
 */
export class ComplianceDigest extends pulumi.ComponentResource {
    readonly functionArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly scheduleArn: pulumi.Output<string>;

    constructor(name: string, args: ComplianceDigestArgs, opts?: pulumi.ComponentResourceOptions) {
        validateComplianceDigestArgs(args);
        super("patching:reporting:ComplianceDigest", name, {}, opts);
        const { region, accountId, environment } = args;
        const functionName = COMPLIANCE_DIGEST_NAMES.functionName(environment);
        const boundary = permissionsBoundaryArn(accountId);

        const role = new aws.iam.Role(
            `${name}-role`,
            { name: COMPLIANCE_DIGEST_NAMES.roleName(environment, region), permissionsBoundary: boundary, description: `Compliance digest Lambda in ${region} (multicloud-patching)`, assumeRolePolicy: JSON.stringify(enforcerTrust(accountId)) },
            { parent: this },
        );
        const document = pulumi
            .all([args.workgroupName, args.dataBucketName, args.resultsBucketName, args.dataKmsKeyArn, args.resultsKmsKeyArn, args.topic.arn, args.topic.kmsKeyArn])
            .apply(([workgroup, dataBucket, resultsBucket, dataKmsKeyArn, resultsKmsKeyArn, topicArn, topicKmsKeyArn]) =>
                JSON.stringify(
                    digestRolePolicy({ accountId, region, database: args.databaseName, workgroup, dataBucket, dataPrefix: args.dataSyncPrefix, resultsBucket, dataKmsKeyArn, resultsKmsKeyArn, topicArn, topicKmsKeyArn, functionName }),
                ),
            );
        const permissions = new aws.iam.RolePolicy(`${name}-role-policy`, { role: role.name, name: "compliance-digest", policy: document }, { parent: this });
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            { region, name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays ?? COMPLIANCE_DIGEST_DEFAULTS.logRetentionDays },
            { parent: this },
        );
        const bundle = lambdaBundle(lambdaEntry(COMPLIANCE_DIGEST_DEFAULTS.entry));
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                region,
                name: functionName,
                description: "Daily patch compliance digest to the compliance topic (multicloud-patching)",
                role: role.arn,
                runtime: COMPLIANCE_DIGEST_DEFAULTS.runtime,
                handler: "index.handler",
                // index.js (the bundle) and digest.json (SQL and exceptions, over the 4 KB environment limit) at the zip root.
                code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(bundle.file), [DIGEST_PACKAGE_FILE]: new pulumi.asset.StringAsset(JSON.stringify(digestPackage(args))) }),
                timeout: COMPLIANCE_DIGEST_DEFAULTS.timeoutSeconds,
                memorySize: COMPLIANCE_DIGEST_DEFAULTS.memorySizeMb,
                environment: {
                    variables: {
                        [DIGEST_ENV.workgroup]: args.workgroupName,
                        [DIGEST_ENV.database]: args.databaseName,
                        [DIGEST_ENV.topicArn]: args.topic.arn,
                        [DIGEST_ENV.environment]: environment,
                        [DIGEST_ENV.queryTimeoutSeconds]: String(DIGEST_DEFAULTS.queryTimeoutSeconds),
                    },
                },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            },
            { parent: this, dependsOn: [permissions] },
        );

        const groupName = COMPLIANCE_DIGEST_NAMES.scheduleGroup(environment);
        const group = new aws.scheduler.ScheduleGroup(`${name}-schedule-group`, { region, name: groupName }, { parent: this });
        const schedulerRole = new aws.iam.Role(
            `${name}-scheduler-role`,
            { name: COMPLIANCE_DIGEST_NAMES.schedulerRoleName(environment, region), permissionsBoundary: boundary, description: `Invokes the compliance digest in ${region} (multicloud-patching)`, assumeRolePolicy: JSON.stringify(digestSchedulerTrust(accountId, region, groupName)) },
            { parent: this },
        );
        const schedulerPolicy = new aws.iam.RolePolicy(
            `${name}-scheduler-role-policy`,
            { role: schedulerRole.name, name: "invoke-compliance-digest", policy: fn.arn.apply((arn) => JSON.stringify(digestSchedulerPolicy(arn))) },
            { parent: this },
        );
        const schedule = new aws.scheduler.Schedule(
            `${name}-schedule`,
            {
                region,
                name: functionName,
                groupName: group.name,
                description: "Daily patch compliance digest",
                scheduleExpression: args.schedule ?? COMPLIANCE_DIGEST_DEFAULTS.schedule,
                scheduleExpressionTimezone: args.scheduleTimezone ?? COMPLIANCE_DIGEST_DEFAULTS.scheduleTimezone,
                flexibleTimeWindow: { mode: "OFF" },
                target: { arn: fn.arn, roleArn: schedulerRole.arn, input: JSON.stringify({ source: "patching.compliance-digest" }), retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } },
            },
            // The role must carry its policy before the first invocation.
            { parent: this, dependsOn: [schedulerPolicy] },
        );

        this.functionArn = fn.arn;
        this.roleArn = role.arn;
        this.scheduleArn = schedule.arn;
        this.registerOutputs({ functionArn: this.functionArn, roleArn: this.roleArn, scheduleArn: this.scheduleArn });
    }
}
