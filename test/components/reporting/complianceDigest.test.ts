import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { COMPLIANCE_DIGEST_NAMES, digestRolePolicy, digestSchedulerPolicy, digestSchedulerTrust, type DigestPolicyInputs } from "../../../components/reporting/complianceDigestDocuments";
import type { ComplianceDigestArgs } from "../../../components/reporting/complianceDigest";
import { complianceDigestQuery, recordFirstMissingSql, SLA_WARNING_DAYS } from "../../../components/reporting/slaQueries";
import { DIGEST_DEFAULTS } from "../../../lambda/complianceDigest/settings";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { lambdaBundle, lambdaEntry } from "../../../components/assets/lambdaBundle";
import { bucketKeyPolicy } from "../../../components/storage/storageDocuments";
import { permissionsBoundaryArn } from "../../../catalog/naming";
import { SLA_DEFAULT_DAYS } from "../../../stacks/config/schemaSla";
import { mockArn } from "../../../tools/mock/mockState";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { decideAll } from "../../support/iamSimulation";

const ACCOUNT = "111111111111";
const REGION = "eu-west-2";
const DATA_BUCKET = `patching-inventory-sync-${ACCOUNT}-${REGION}`;
const RESULTS_BUCKET = `patching-athena-results-${ACCOUNT}-${REGION}`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:patching-compliance-alerts`;
const key = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const INPUTS: DigestPolicyInputs = {
    accountId: ACCOUNT,
    region: REGION,
    database: "patching_inventory_prod",
    workgroup: "patching-reporting-prod",
    dataBucket: DATA_BUCKET,
    dataPrefix: "inventory",
    resultsBucket: RESULTS_BUCKET,
    dataKmsKeyArn: key("data"),
    resultsKmsKeyArn: key("results"),
    topicArn: TOPIC,
    topicKmsKeyArn: key("topic"),
    functionName: "patching-compliance-digest-prod",
};
const ROLE = `arn:aws:iam::${ACCOUNT}:role/${COMPLIANCE_DIGEST_NAMES.roleName("prod", REGION)}`;

/** The program boundary the role carries (components/identity/boundaryDocuments.ts), as prod's central account builds it. */
async function boundary(): Promise<PolicyDocument> {
    const { programBoundary } = await import("../../../components/identity/boundaryDocuments");
    return programBoundary({ accountId: ACCOUNT, project: "multicloud-patching", automationRoleNames: ["AWS-SystemsManager-AutomationExecutionRole"], deploymentRoles: [{ roleName: "multicloud-patching-deployer" }] }) as unknown as PolicyDocument;
}

const call = (label: string, action: string, resource: string, context: Record<string, string | string[]> = {}) => ({ label, principal: ROLE, action, resource, resourceAccount: ACCOUNT, context });
const aliases = (alias: string) => ({ "kms:ResourceAliases": [alias] });

describe("components/reporting ComplianceDigest: the function role under the IAM simulator, with the program boundary", () => {
    it("allows what the handler and Athena do on its behalf, and nothing next to it", async () => {
        const requests = [
            call("start a query in the reporting workgroup", "athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/patching-reporting-prod`),
            call("poll it", "athena:GetQueryExecution", `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/patching-reporting-prod`),
            call("read its results", "athena:GetQueryResults", `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/patching-reporting-prod`),
            call("read a table definition", "glue:GetTable", `arn:aws:glue:${REGION}:${ACCOUNT}:table/patching_inventory_prod/aws_complianceitem`),
            call("read synced inventory", "s3:GetObject", `arn:aws:s3:::${DATA_BUCKET}/inventory/222222222222/AWS:ComplianceItem/accountid=222222222222/region=eu-west-2/resourcetype=ManagedInstanceInventory/i-1.json`),
            call("list the sync prefix", "s3:ListBucket", `arn:aws:s3:::${DATA_BUCKET}`, { "s3:prefix": "inventory/222222222222/" }),
            call("write the query's CSV", "s3:PutObject", `arn:aws:s3:::${RESULTS_BUCKET}/q-1.csv`),
            call("write the SLA history", "s3:PutObject", `arn:aws:s3:::${RESULTS_BUCKET}/sla-history/20261206_q-1.parquet`),
            call("publish to the compliance topic", "sns:Publish", TOPIC),
            call("write its own log", "logs:PutLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/patching-compliance-digest-prod:log-stream:x`),
            // Abuse paths and neighbours: all refused.
            call("publish to another topic", "sns:Publish", `arn:aws:sns:${REGION}:${ACCOUNT}:patching-patch-runs`),
            call("query in another workgroup", "athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/primary`),
            call("change the workgroup", "athena:UpdateWorkGroup", `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/patching-reporting-prod`),
            call("drop a table", "glue:DeleteTable", `arn:aws:glue:${REGION}:${ACCOUNT}:table/patching_inventory_prod/aws_complianceitem`),
            call("read another database", "glue:GetTable", `arn:aws:glue:${REGION}:${ACCOUNT}:table/finance/ledger`),
            call("write into the sync bucket", "s3:PutObject", `arn:aws:s3:::${DATA_BUCKET}/inventory/222222222222/AWS:ComplianceItem/x.json`),
            call("read outside the sync prefix", "s3:GetObject", `arn:aws:s3:::${DATA_BUCKET}/config/x.json`),
            call("delete a result", "s3:DeleteObject", `arn:aws:s3:::${RESULTS_BUCKET}/q-1.csv`),
            call("create a role", "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/patching-x`, { "iam:PermissionsBoundary": permissionsBoundaryArn(ACCOUNT) }),
            call("invoke a function", "lambda:InvokeFunction", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:patching-compliance-digest-prod`),
        ];
        const decisions = await decideAll({ identity: [digestRolePolicy(INPUTS)], boundary: await boundary() }, requests);
        const allowed = Object.entries(decisions).filter(([, d]) => d === "Allowed").map(([label]) => label);
        assert.deepEqual(allowed, requests.slice(0, 10).map((r) => r.label));
        // The boundary alone does not make the role able: without its own policy, nothing is allowed.
        const bare = await decideAll({ identity: [], boundary: await boundary() }, requests.slice(0, 3));
        assert.ok(Object.values(bare).every((d) => d !== "Allowed"));
    });

    it("uses exactly the three keys (their key policies delegate to IAM, as bucketKeyPolicy and the topic key's do), no other", async () => {
        const keyPolicy = bucketKeyPolicy(ACCOUNT);
        const kms = [
            call("decrypt inventory", "kms:Decrypt", key("data"), aliases("alias/patching-inventory-sync")),
            call("encrypt results", "kms:GenerateDataKey", key("results"), aliases("alias/patching-athena-results")),
            call("encrypt the message for the topic", "kms:GenerateDataKey", key("topic"), { ...aliases("alias/patching-compliance-alerts"), "kms:ViaService": `sns.${REGION}.amazonaws.com` }),
            call("use the topic key outside SNS", "kms:Decrypt", key("topic"), aliases("alias/patching-compliance-alerts")),
            call("decrypt with another program key", "kms:Decrypt", key("other"), aliases("alias/patching-other")),
            call("re-encrypt results elsewhere", "kms:ReEncryptFrom", key("results"), aliases("alias/patching-athena-results")),
        ];
        const decisions = await decideAll({ identity: [digestRolePolicy(INPUTS)], boundary: await boundary(), resourcePolicy: keyPolicy }, kms);
        assert.deepEqual(Object.values(decisions), ["Allowed", "Allowed", "Allowed", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied"]);
    });

    it("keeps each key grant only when that key exists (SSE-S3 buckets, an unencrypted topic)", () => {
        const plain = digestRolePolicy({ ...INPUTS, dataKmsKeyArn: undefined, resultsKmsKeyArn: undefined, topicKmsKeyArn: undefined });
        assert.deepEqual(plain.Statement.filter((s) => String(s.Action).includes("kms:")), []);
        assert.equal(digestRolePolicy(INPUTS).Statement.filter((s) => JSON.stringify(s.Action).includes("kms:")).length, 3);
    });

    it("the scheduler role: trusted by EventBridge Scheduler for the digest group only, may invoke the digest and nothing else", async () => {
        const group = COMPLIANCE_DIGEST_NAMES.scheduleGroup("prod");
        const trust = digestSchedulerTrust(ACCOUNT, REGION, group);
        const assume = (label: string, sourceArn: string, sourceAccount = ACCOUNT) => ({ label, principal: "scheduler.amazonaws.com", action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/${COMPLIANCE_DIGEST_NAMES.schedulerRoleName("prod", REGION)}`, resourceAccount: ACCOUNT, context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn } });
        assert.deepEqual(
            await decideAll({ resourcePolicy: trust }, [
                assume("the digest group", `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${group}`),
                assume("another group", `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/default`),
                assume("another account", `arn:aws:scheduler:${REGION}:999999999999:schedule-group/${group}`, "999999999999"),
            ]),
            { "the digest group": "Allowed", "another group": "ImplicitlyDenied", "another account": "ImplicitlyDenied" },
        );
        const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:patching-compliance-digest-prod`;
        const principal = `arn:aws:iam::${ACCOUNT}:role/${COMPLIANCE_DIGEST_NAMES.schedulerRoleName("prod", REGION)}`;
        const invoke = (label: string, resource: string) => ({ label, principal, action: "lambda:InvokeFunction", resource, resourceAccount: ACCOUNT });
        assert.deepEqual(
            await decideAll({ identity: [digestSchedulerPolicy(fn)], boundary: await boundary() }, [invoke("the digest", fn), invoke("the enforcer", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:patching-ssm-role-enforcer`)]),
            { "the digest": "Allowed", "the enforcer": "ImplicitlyDenied" },
        );
    });
});

const ARGS: ComplianceDigestArgs = {
    region: REGION,
    accountId: ACCOUNT,
    environment: "prod",
    workgroupName: "patching-reporting-prod",
    databaseName: "patching_inventory_prod",
    dataBucketName: DATA_BUCKET,
    dataSyncPrefix: "inventory",
    resultsBucketName: RESULTS_BUCKET,
    topic: { arn: TOPIC, kmsKeyArn: key("topic") },
    sla: SLA_DEFAULT_DAYS,
    exceptions: [{ kind: "rejected-patch", group: "Windows", os: "WINDOWS", id: "KB5034441", reason: "breaks recovery", expires: "2027-01-15" }],
};

describe("components/reporting ComplianceDigest argument validation", () => {
    it("the message's look-ahead is the query's (the Lambda cannot import components/)", () => {
        assert.equal(DIGEST_DEFAULTS.slaWarningDays, SLA_WARNING_DAYS);
    });

    const cases: [string, Partial<ComplianceDigestArgs>, RegExp][] = [
        ["a bad Region", { region: "europe" }, /ComplianceDigest: region "europe" is not an AWS Region name/],
        ["a bad account", { accountId: "12" }, /accountId "12" is not a 12-digit AWS account id/],
        ["an environment too long for the role names", { environment: "production-europe-west" }, /environment "production-europe-west" is not 1-16 lowercase letters/],
        ["a bad schedule", { schedule: "daily" }, /schedule "daily" is not an EventBridge Scheduler cron/],
        ["a bad retention", { logRetentionDays: 42 }, /logRetentionDays 42 is not a CloudWatch Logs retention/],
        ["a bad SLA", { sla: { HIGH: 400 } }, /ComplianceDigest: sla\.HIGH 400 is not a whole number of days from 1 to 365/],
        ["a bad expiry", { exceptions: [{ kind: "excluded-node", group: "Linux", id: "i-1", expires: "next week" }] }, /exceptions: excluded-node i-1 expires "next week" is not an ISO date YYYY-MM-DD/],
    ];
    for (const [label, change, message] of cases) {
        it(`refuses ${label}`, async () => {
            const { validateComplianceDigestArgs } = await import("../../../components/reporting/complianceDigest");
            assert.throws(() => validateComplianceDigestArgs({ ...ARGS, ...change }), message);
            assert.doesNotThrow(() => validateComplianceDigestArgs(ARGS));
        });
    }
});

async function runComponent(preview: boolean) {
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview });
    const { ComplianceDigest } = await import("../../../components/reporting/complianceDigest");
    const { Provider } = await import("@pulumi/aws/provider");
    const provider = new Provider("aws-central", { region: "us-east-1", allowedAccountIds: [ACCOUNT], assumeRoles: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/multicloud-patching-deployer` }] });
    const component = new ComplianceDigest("digest", ARGS, { provider });
    await settle();
    return { recorder, component };
}

describe("components/reporting ComplianceDigest under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let component: Awaited<ReturnType<typeof runComponent>>["component"];
    const get = (type: string, name: string) => recorder.get(type, name);
    before(async () => ({ recorder, component } = await runComponent(false)));

    it("packages the bundled handler with the SQL and the exceptions, and sets its environment, in the central account and Region", async () => {
        const fn = get("aws:lambda/function:Function", "digest-function");
        const { runtime, handler, region, timeout, environment, role, code, loggingConfig } = fn.inputs as Record<string, never>;
        assert.deepEqual(
            { runtime, handler, region, timeout, environment, role, loggingConfig },
            {
                runtime: "nodejs24.x",
                handler: "index.handler",
                region: REGION,
                timeout: 900,
                environment: { variables: { WORKGROUP: "patching-reporting-prod", DATABASE: "patching_inventory_prod", TOPIC_ARN: TOPIC, ESTATE_ENVIRONMENT: "prod", QUERY_TIMEOUT_SECONDS: "300" } },
                role: ROLE,
                loggingConfig: { logFormat: "Text", logGroup: "/aws/lambda/patching-compliance-digest-prod" },
            },
        );
        assert.equal(recorder.providerOf(fn)?.name, "aws-central");
        const archive = (code as { $archive: Record<string, { $asset: string; sha256: string }> }).$archive;
        const bundle = lambdaBundle(lambdaEntry("lambda/complianceDigest/handler.ts"));
        assert.equal(archive["index.js"].sha256, bundle.sha256);
        const expected = JSON.stringify({ recordSql: recordFirstMissingSql("patching_inventory_prod"), digestSql: complianceDigestQuery("patching_inventory_prod", SLA_DEFAULT_DAYS).sql, exceptions: ARGS.exceptions });
        assert.equal(archive["digest.json"].sha256, createHash("sha256").update(expected).digest("hex"));
        assert.doesNotMatch(readFileSync(bundle.file, "utf8"), /@pulumi\//, "the handler bundles no Pulumi code");
        assert.ok(fn.options.dependsOn.includes(get("aws:iam/rolePolicy:RolePolicy", "digest-role-policy").urn), "waits for its permissions");
        assert.equal(await promiseOf(component.functionArn), mockArn("aws:lambda/function:Function", "patching-compliance-digest-prod", ACCOUNT, REGION));
    });

    it("gives both roles the program boundary and the builders' documents", () => {
        const role = get("aws:iam/role:Role", "digest-role").inputs;
        const scheduler = get("aws:iam/role:Role", "digest-scheduler-role").inputs;
        assert.deepEqual([role.permissionsBoundary, scheduler.permissionsBoundary], [permissionsBoundaryArn(ACCOUNT), permissionsBoundaryArn(ACCOUNT)]);
        assert.deepEqual(JSON.parse(get("aws:iam/rolePolicy:RolePolicy", "digest-role-policy").inputs.policy as string), digestRolePolicy({ ...INPUTS, dataKmsKeyArn: undefined, resultsKmsKeyArn: undefined }));
        assert.deepEqual(JSON.parse(scheduler.assumeRolePolicy as string), digestSchedulerTrust(ACCOUNT, REGION, "patching-compliance-digest-prod"));
    });

    it("schedules it daily in UTC through EventBridge Scheduler in the program's group, after the scheduler role has its policy", () => {
        const schedule = get("aws:scheduler/schedule:Schedule", "digest-schedule");
        const { name, groupName, scheduleExpression, scheduleExpressionTimezone, flexibleTimeWindow, target, region } = schedule.inputs as Record<string, never>;
        assert.deepEqual(
            { name, groupName, scheduleExpression, scheduleExpressionTimezone, flexibleTimeWindow, region },
            { name: "patching-compliance-digest-prod", groupName: "patching-compliance-digest-prod", scheduleExpression: "cron(0 7 * * ? *)", scheduleExpressionTimezone: "UTC", flexibleTimeWindow: { mode: "OFF" }, region: REGION },
        );
        const { arn, roleArn } = target as { arn: string; roleArn: string };
        assert.deepEqual([arn, roleArn], [mockArn("aws:lambda/function:Function", "patching-compliance-digest-prod", ACCOUNT, REGION), `arn:aws:iam::${ACCOUNT}:role/${COMPLIANCE_DIGEST_NAMES.schedulerRoleName("prod", REGION)}`]);
        assert.ok(schedule.options.dependsOn.includes(get("aws:iam/rolePolicy:RolePolicy", "digest-scheduler-role-policy").urn));
    });

    it("passes the whole policy pack as prod configures it (boundary, least privilege, logs, Lambda, scheduler rules)", async () => {
        const { packMessages } = await import("../../policies/helpers");
        assert.deepEqual(await packMessages(recorder.resources, "prod"), []);
        assert.ok(recorder.resources.length >= 9);
    });

    it("asks EventBridge Scheduler, Lambda and SNS for what their API models accept (botocore)", async () => {
        const { apiProblems } = await import("../inventory/apiValidation");
        const schedule = get("aws:scheduler/schedule:Schedule", "digest-schedule").inputs as Record<string, never>;
        const target = schedule.target as { arn: string; roleArn: string; input: string; retryPolicy: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number } };
        const createSchedule = {
            Name: schedule.name,
            GroupName: schedule.groupName,
            ScheduleExpression: schedule.scheduleExpression,
            ScheduleExpressionTimezone: schedule.scheduleExpressionTimezone,
            FlexibleTimeWindow: { Mode: "OFF" },
            Description: schedule.description,
            Target: { Arn: target.arn, RoleArn: target.roleArn, Input: target.input, RetryPolicy: { MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeInSeconds } },
        };
        assert.deepEqual(apiProblems("scheduler", "CreateSchedule", createSchedule), []);
        const fn = get("aws:lambda/function:Function", "digest-function").inputs as Record<string, never>;
        const createFunction = {
            FunctionName: fn.name,
            Role: fn.role,
            Runtime: fn.runtime,
            Handler: fn.handler,
            Code: { ZipFile: "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==" },
            Description: fn.description,
            Timeout: fn.timeout,
            MemorySize: fn.memorySize,
            Environment: { Variables: (fn.environment as { variables: Record<string, string> }).variables },
            LoggingConfig: { LogFormat: "Text", LogGroup: (fn.loggingConfig as { logGroup: string }).logGroup },
        };
        assert.deepEqual(apiProblems("lambda", "CreateFunction", createFunction), []);
        assert.equal(apiProblems("lambda", "CreateFunction", { ...createFunction, MemorySize: 64 }).length, 1, "the check can fail (MemorySize min 128)");
        // The message the handler publishes (lambda/complianceDigest/digest.ts), as SNS Publish takes it.
        const { digestMessage } = await import("../../../lambda/complianceDigest/digest");
        const { subject, message } = digestMessage({ environment: "prod", today: "2026-12-06", rows: [], exceptions: ARGS.exceptions ?? [], region: REGION, csvLocation: `s3://${RESULTS_BUCKET}/q.csv` });
        assert.deepEqual(apiProblems("sns", "Publish", { TopicArn: TOPIC, Subject: subject, Message: message, MessageAttributes: { alertKind: { DataType: "String", StringValue: "digest" } } }), []);
        assert.match(subject, /^[\x20-\x7e]{1,99}$/, "Subject: ASCII, no line breaks, under 100 characters (API_Publish)");
        // Lambda: at most 4 KB of environment variables (the SQL goes in digest.json for that reason).
        assert.ok(Buffer.byteLength(JSON.stringify(createFunction.Environment.Variables)) < 4096);
    });

    it("registers the same resources in preview", async () => {
        const before = recorder.resources.map((r) => `${r.type}::${r.name}`);
        const preview = await runComponent(true);
        assert.deepEqual(preview.recorder.resources.map((r) => `${r.type}::${r.name}`).sort(), [...before].sort());
    });
});
