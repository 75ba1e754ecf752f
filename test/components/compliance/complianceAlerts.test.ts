import { strict as assert } from "node:assert";
import * as alertDocs from "../../../components/compliance/complianceAlertsDocuments";
import { validateComplianceAlertsArgs, type ComplianceAlertsArgs } from "../../../components/compliance/complianceAlertsArgs";
import { programBoundary } from "../../../components/identity/boundaryDocuments";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { enforcerTrust } from "../../../components/enforcer/enforcerDocuments";
import { subscriptionKey } from "../../../components/notifications/topicSubscriptions";
import { ALERT_KIND_ATTRIBUTE, ALERTS_ENV } from "../../../lambda/complianceAlerts/settings";
import { COMPLIANCE_RULES } from "../../../catalog/configRules";
import { permissionsBoundaryArn } from "../../../catalog/naming";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { RecordedResource, ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";
import { SECRET_MASK } from "../../../tools/mock/plainValues";
import * as events from "../../fixtures/configComplianceChangeEvents";
import { decide, type Decision } from "../../support/iamSimulation";

const ACCOUNT = "111111111111";
const MEMBER = "222222222222";
const REGION = "us-east-1";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/${alertDocs.complianceAlertsRoleName(REGION)}`;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/patching-compliance-alerts`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:patching-compliance-alerts`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:patching-compliance-alerts-failed`;
const ROLE_POLICY = alertDocs.alertRolePolicy({ accountId: ACCOUNT, region: REGION, tableArn: TABLE, topicArn: TOPIC, topicKeyArn: KEY, failureQueueArn: QUEUE });
const BOUNDARY = programBoundary({ accountId: ACCOUNT, project: "multicloud-patching", automationRoleNames: ["AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"], deploymentRoles: [{ roleName: "multicloud-patching-deployer" }] }) as unknown as PolicyDocument;
describe("components/complianceAlertsDocuments: filters, patterns, names", () => {
    it("filters subscriptions on alertKind, listing both kinds for both (a message without the attribute reaches no one)", () => {
        assert.deepEqual(alertDocs.alertFilterPolicy("immediate"), { alertKind: ["immediate"] });
        assert.deepEqual(alertDocs.alertFilterPolicy("digest"), { alertKind: ["digest"] });
        assert.deepEqual(alertDocs.alertFilterPolicy("both"), { alertKind: ["immediate", "digest"] });
        assert.equal(ALERT_KIND_ATTRIBUTE, "alertKind");
    });

    it("matches our rules' NON_COMPLIANT changes of the listed accounts only", () => {
        const pattern = alertDocs.alertEventPattern([MEMBER, ACCOUNT, MEMBER]) as unknown as Record<string, unknown>;
        assert.deepEqual(pattern.account, [ACCOUNT, MEMBER]);
        const event = (account: string, compliance: "NON_COMPLIANT" | "COMPLIANT") => ({ ...events.patchComplianceEvent(COMPLIANCE_RULES[0].name, compliance), account });
        assert.equal(events.matchesEventPattern(pattern, event(MEMBER, "NON_COMPLIANT")), true);
        assert.equal(events.matchesEventPattern(pattern, event("999999999999", "NON_COMPLIANT")), false, "an account outside the estate");
        assert.equal(events.matchesEventPattern(pattern, event(MEMBER, "COMPLIANT")), false);
        assert.equal((alertDocs.alertEventPattern() as unknown as Record<string, unknown>).account, undefined, "organization mode: any account");
    });

    it("names the function's role so the topic policy admits it", () => {
        assert.ok(alertDocs.complianceAlertsRoleName(REGION).startsWith(alertDocs.COMPLIANCE_PUBLISHER_ROLE_PREFIX));
        assert.ok(alertDocs.complianceAlertsRoleName("ap-southeast-2").length <= 64, "IAM role names: 64 characters");
    });
});

describe("ComplianceAlerts IAM, simulated (the role can do its job; nothing else)", () => {
    type Row = [claim: string, action: string, resource: string, context: Record<string, string | string[]>, expected: Decision];
    // KMS puts the key's aliases in kms:ResourceAliases on every request (the boundary keys on it).
    const aliases = { "kms:ResourceAliases": [alertDocs.COMPLIANCE_ALERT_NAMES.topicKeyAlias] };
    const viaSns = { "kms:ViaService": `sns.${REGION}.amazonaws.com`, ...aliases };
    const ROWS: Row[] = [
        ["claims a window", "dynamodb:PutItem", TABLE, {}, "Allowed"],
        ["releases a window", "dynamodb:DeleteItem", TABLE, {}, "Allowed"],
        ["publishes an alert", "sns:Publish", TOPIC, {}, "Allowed"],
        ["encrypts through SNS", "kms:GenerateDataKey", KEY, viaSns, "Allowed"],
        ["decrypts through SNS", "kms:Decrypt", KEY, viaSns, "Allowed"],
        ["writes its log stream", "logs:PutLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/patching-compliance-alerts:log-stream:2026/12/06/x`, {}, "Allowed"],
        ["hands failed events to its queue", "sqs:SendMessage", QUEUE, {}, "Allowed"],
        ["reads no table", "dynamodb:Scan", TABLE, {}, "ImplicitlyDenied"],
        ["reads no item", "dynamodb:GetItem", TABLE, {}, "ImplicitlyDenied"],
        ["writes no other table", "dynamodb:PutItem", `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/other`, {}, "ImplicitlyDenied"],
        ["publishes to no other topic", "sns:Publish", `arn:aws:sns:${REGION}:${ACCOUNT}:patching-patch-runs`, {}, "ImplicitlyDenied"],
        ["does not decrypt directly", "kms:Decrypt", KEY, aliases, "ImplicitlyDenied"],
        ["does not use the key through another service", "kms:Decrypt", KEY, { ...aliases, "kms:ViaService": `s3.${REGION}.amazonaws.com` }, "ImplicitlyDenied"],
        ["writes no other log group", "logs:PutLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/patching-ssm-role-enforcer:log-stream:x`, {}, "ImplicitlyDenied"],
        ["creates no log group", "logs:CreateLogGroup", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/patching-compliance-alerts`, {}, "ImplicitlyDenied"],
        ["reads no queue", "sqs:ReceiveMessage", QUEUE, {}, "ImplicitlyDenied"],
        ["changes no subscription", "sns:Subscribe", TOPIC, {}, "ImplicitlyDenied"],
    ];
    // The resource's own policy where it has one: KMS always evaluates the key policy, SNS the topic policy.
    const resourcePolicyOf = (resource: string) => (resource === KEY ? { resourcePolicy: alertDocs.alertTopicKeyPolicy(ACCOUNT) } : resource === TOPIC ? { resourcePolicy: alertDocs.alertTopicPolicy(TOPIC, ACCOUNT) } : {});
    const secure = { "aws:SecureTransport": "true" };
    for (const [claim, action, resource, context, expected] of ROWS) {
        it(`${claim}: ${action} → ${expected} (role policy, program boundary, resource policy)`, async () => {
            const request = { principal: ROLE, action, resource, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": ROLE, ...secure, ...context } };
            assert.equal(await decide({ identity: [ROLE_POLICY], boundary: BOUNDARY, ...resourcePolicyOf(resource) }, request), expected);
        });
    }

    it("the program boundary is what allows the table: without its DynamoDB grant, no window could be claimed", async () => {
        const request = { principal: ROLE, action: "dynamodb:PutItem", resource: TABLE, resourceAccount: ACCOUNT };
        const withoutDynamoDb = { ...BOUNDARY, Statement: BOUNDARY.Statement.map((statement) => ({ ...statement, ...(Array.isArray(statement.Action) ? { Action: statement.Action.filter((action: string) => !action.startsWith("dynamodb:")) } : {}) })) };
        assert.equal(await decide({ identity: [ROLE_POLICY], boundary: withoutDynamoDb }, request), "ImplicitlyDenied");
        const allowAll = { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "dynamodb:*", Resource: "*" }] };
        assert.equal(await decide({ identity: [allowAll], boundary: BOUNDARY }, { ...request, resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/someone-elses` }), "ImplicitlyDenied", "the boundary stops at the program's tables");
    });

    it("the topic policy lets only the publisher roles publish (not an administrator with sns:*), and only over TLS", async () => {
        const topicPolicy = alertDocs.alertTopicPolicy(TOPIC, ACCOUNT);
        const publish = (principal: string, identity: PolicyDocument, secure = "true") =>
            decide({ identity: [identity], resourcePolicy: topicPolicy }, { principal, action: "sns:Publish", resource: TOPIC, resourceAccount: ACCOUNT, context: { "aws:PrincipalArn": principal, "aws:SecureTransport": secure } });
        const admin = { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "sns:*", Resource: "*" }] };
        const digest = `arn:aws:iam::${ACCOUNT}:role/patching-compliance-digest-${REGION}`;
        assert.equal(await publish(ROLE, ROLE_POLICY), "Allowed");
        assert.equal(await publish(digest, admin), "Allowed", "the daily digest's role");
        assert.equal(await publish(`arn:aws:iam::${ACCOUNT}:role/Admin`, admin), "ExplicitlyDenied");
        assert.equal(await publish(`arn:aws:iam::${MEMBER}:role/patching-compliance-alerts-${REGION}`, admin), "ExplicitlyDenied", "a look-alike role in another account");
        assert.equal(await publish(ROLE, ROLE_POLICY, "false"), "ExplicitlyDenied");
    });

    it("the role is assumable by Lambda of this account only", async () => {
        const trust = enforcerTrust(ACCOUNT);
        const assume = (sourceAccount: string) => decide({ resourcePolicy: trust }, { principal: "lambda.amazonaws.com", action: "sts:AssumeRole", resource: ROLE, resourceAccount: ACCOUNT, context: { "aws:SourceAccount": sourceAccount } });
        assert.equal(await assume(ACCOUNT), "Allowed");
        assert.equal(await assume(MEMBER), "ImplicitlyDenied");
    });
});

describe("ComplianceAlerts argument validation", () => {
    const BASE: ComplianceAlertsArgs = { region: REGION, accountId: ACCOUNT, forwardedEventBusName: "patching-patch-runs", emailSubscriptions: ["ops@example.com"], httpsSubscriptions: ["https://hooks.example.com/secret-token"] };
    const CASES: [Partial<ComplianceAlertsArgs>, string][] = [
        [{ region: "useast1" }, 'region "useast1" is not an AWS Region code'],
        [{ accountId: "1" }, 'accountId "1" is not a 12-digit AWS account id'],
        [{ forwardingAccountIds: ["22"] }, 'forwardingAccountIds[0] "22" is not a 12-digit AWS account id'],
        [{ receive: "sometimes" as never }, 'receive "sometimes" is not one of immediate, digest, both'],
        [{ receiveBy: { "nobody@example.com": "digest" } }, 'receiveBy names "nobody@example.com", which is not one of the subscriptions'],
        [{ receiveBy: { "https://other.example.com/token-123": "digest" } }, 'receiveBy names "https://other.example.com/…", which is not one of the subscriptions'],
        [{ receiveBy: { "ops@example.com": "all" as never } }, 'receiveBy of "ops@example.com": "all" is not one of immediate, digest, both'],
        [{ dedupeHours: 0 }, "dedupeHours 0 is not a whole number of hours from 1 to 720"],
        [{ dedupeHours: 1.5 }, "dedupeHours 1.5 is not a whole number of hours from 1 to 720"],
        [{ logRetentionDays: 2 }, "logRetentionDays 2 is not a CloudWatch Logs retention"],
    ];
    for (const [change, message] of CASES) {
        it(`rejects: ${message}`, () => assert.throws(() => validateComplianceAlertsArgs({ ...BASE, ...change }), (error: Error) => error.message.startsWith(`ComplianceAlerts: ${message}`)));
    }
    it("accepts the defaults and a per-endpoint choice", () => {
        validateComplianceAlertsArgs({ ...BASE, receiveBy: { "https://hooks.example.com/secret-token": "immediate" }, dedupeHours: 720 });
    });
});

describe("ComplianceAlerts under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let alerts: import("../../../components/compliance/complianceAlerts").ComplianceAlerts;
    const inputs = (type: string, name: string) => recorder.get(type, name).inputs;
    const children = () => recorder.resources.filter((r) => r.parent === recorder.get("patching:compliance:ComplianceAlerts", "central").urn);

    before(async () => {
        recorder = await startMockRuntime({ project: "p", stack: "s", config: {} });
        const { ComplianceAlerts } = await import("../../../components/compliance/complianceAlerts");
        const { Provider } = await import("@pulumi/aws/provider");
        const provider = new Provider("aws-security", { region: REGION, allowedAccountIds: [ACCOUNT] });
        alerts = new ComplianceAlerts(
            "central",
            {
                region: REGION,
                accountId: ACCOUNT,
                forwardedEventBusName: "patching-patch-runs",
                forwardingAccountIds: [ACCOUNT, MEMBER],
                emailSubscriptions: ["ops@example.com", "ciso@example.com"],
                httpsSubscriptions: ["https://hooks.example.com/secret-token"],
                receive: "digest",
                receiveBy: { "ops@example.com": "immediate", "https://hooks.example.com/secret-token": "both" },
                dedupeHours: 12,
            },
            { provider },
        );
        await settle();
    });

    it("puts everything in the central account and Region", () => {
        const custom = children().filter((r) => r.custom);
        assert.ok(custom.length >= 20, custom.map((r) => r.name).join());
        assert.ok(custom.every((r: RecordedResource) => recorder.providerOf(r)?.name === "aws-security"));
        assert.ok(custom.filter((r) => !r.type.startsWith("aws:iam/")).every((r) => r.inputs.region === REGION), "every Regional resource in the central Region");
    });

    it("encrypts the one compliance topic with its own key; the topic policy is the least-privilege document", async () => {
        const topic = inputs("aws:sns/topic:Topic", "central-topic");
        assert.deepEqual([topic.name, topic.kmsMasterKeyId], ["patching-compliance-alerts", await promiseOf(alerts.topicKeyArn)]);
        assert.deepEqual(JSON.parse(inputs("aws:kms/key:Key", "central-topic-key").policy as string), alertDocs.alertTopicKeyPolicy(ACCOUNT));
        assert.equal(inputs("aws:kms/alias:Alias", "central-topic-key-alias").name, "alias/patching-compliance-alerts-topic");
        assert.deepEqual(JSON.parse(inputs("aws:sns/topicPolicy:TopicPolicy", "central-topic-policy").policy as string), alertDocs.alertTopicPolicy(await promiseOf(alerts.topicArn), ACCOUNT));
    });

    it("keeps the windows in an on-demand, encrypted table with TTL and point-in-time recovery", () => {
        const table = inputs("aws:dynamodb/table:Table", "central-table");
        assert.deepEqual(
            [table.name, table.billingMode, table.hashKey, table.attributes, table.ttl, table.pointInTimeRecovery, table.serverSideEncryption],
            ["patching-compliance-alerts", "PAY_PER_REQUEST", "alertKey", [{ name: "alertKey", type: "S" }], { attributeName: "expiresAt", enabled: true }, { enabled: true }, { enabled: true }],
        );
    });

    it("runs the bundled handler with its settings, bounded concurrency, retries and an on-failure queue", async () => {
        const fn = recorder.get("aws:lambda/function:Function", "central-function");
        const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        assert.deepEqual(variables, { [ALERTS_ENV.tableName]: "patching-compliance-alerts", [ALERTS_ENV.topicArn]: await promiseOf(alerts.topicArn), [ALERTS_ENV.dedupeSeconds]: String(12 * 3600) });
        assert.deepEqual([fn.inputs.name, fn.inputs.runtime, fn.inputs.handler, fn.inputs.reservedConcurrentExecutions], ["patching-compliance-alerts", "nodejs24.x", "index.handler", alertDocs.COMPLIANCE_ALERT_DEFAULTS.reservedConcurrency]);
        const rolePolicy = recorder.get("aws:iam/rolePolicy:RolePolicy", "central-role-policy");
        assert.ok(fn.options.dependsOn.includes(rolePolicy.urn), "never invoked without its permissions");
        const role = inputs("aws:iam/role:Role", "central-role");
        assert.deepEqual([role.name, role.permissionsBoundary, JSON.parse(role.assumeRolePolicy as string)], [alertDocs.complianceAlertsRoleName(REGION), permissionsBoundaryArn(ACCOUNT), enforcerTrust(ACCOUNT)]);
        const async = inputs("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "central-async");
        assert.deepEqual([async.maximumRetryAttempts, async.maximumEventAgeInSeconds, async.destinationConfig], [2, 21600, { onFailure: { destination: await promiseOf(alerts.failureQueueArn) } }]);
        const queue = inputs("aws:sqs/queue:Queue", "central-failures");
        assert.deepEqual([queue.name, queue.sqsManagedSseEnabled, queue.messageRetentionSeconds], ["patching-compliance-alerts-failed", true, 1209600]);
    });

    it("invokes the function from the patch-run bus (the estate's accounts) and the central default bus (the central account), each rule with its own permission", async () => {
        const forwarded = inputs("aws:cloudwatch/eventRule:EventRule", "central-forwarded");
        assert.deepEqual([forwarded.name, forwarded.eventBusName, JSON.parse(forwarded.eventPattern as string)], ["patching-compliance-alerts-forwarded", "patching-patch-runs", alertDocs.alertEventPattern([ACCOUNT, MEMBER])]);
        const central = inputs("aws:cloudwatch/eventRule:EventRule", "central-central");
        assert.deepEqual([central.name, central.eventBusName, JSON.parse(central.eventPattern as string).account], ["patching-compliance-alerts-central", undefined, [ACCOUNT]]);
        const functionArn = await promiseOf(alerts.functionArn);
        for (const role of ["forwarded", "central"]) {
            const target = inputs("aws:cloudwatch/eventTarget:EventTarget", `central-${role}-target`);
            assert.equal(target.arn, functionArn, role);
            const permission = recorder.get("aws:lambda/permission:Permission", `central-${role}-permission`);
            assert.deepEqual([permission.inputs.principal, permission.inputs.action], ["events.amazonaws.com", "lambda:InvokeFunction"]);
            assert.deepEqual(permission.propertyDependencies.sourceArn, [recorder.get("aws:cloudwatch/eventRule:EventRule", `central-${role}`).urn], "only this rule may invoke");
        }
        assert.equal(inputs("aws:cloudwatch/eventTarget:EventTarget", "central-forwarded-target").eventBusName, "patching-patch-runs");
    });

    it("subscribes everyone once with the filter policy of their choice (default, or their override)", async () => {
        const topicArn = await promiseOf(alerts.topicArn);
        const subscriptions = recorder.find("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs.protocol, s.inputs.endpoint, s.inputs.topic, JSON.parse(s.inputs.filterPolicy as string), s.inputs.filterPolicyScope]);
        assert.deepEqual(subscriptions, [
            [`central-email-${subscriptionKey("ops@example.com")}`, "email", "ops@example.com", topicArn, { alertKind: ["immediate"] }, "MessageAttributes"],
            [`central-email-${subscriptionKey("ciso@example.com")}`, "email", "ciso@example.com", topicArn, { alertKind: ["digest"] }, "MessageAttributes"],
            [`central-https-${subscriptionKey("https://hooks.example.com/secret-token")}`, "https", SECRET_MASK, topicArn, { alertKind: ["immediate", "digest"] }, "MessageAttributes"],
        ]);
    });
});
