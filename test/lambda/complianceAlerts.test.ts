import { strict as assert } from "node:assert";
import { handleEvent } from "../../lambda/complianceAlerts/alert";
import { alertKey, alertSubject, nonCompliantChange } from "../../lambda/complianceAlerts/events";
import { handler } from "../../lambda/complianceAlerts/handler";
import { ALERT_CLIENT_CONFIG, alertClients, awsPorts, type AlertClients } from "../../lambda/complianceAlerts/ports";
import { ALERTS_ENV, ALERT_KIND_ATTRIBUTE, DEDUPE_TABLE, readAlertSettings, type AlertSettings } from "../../lambda/complianceAlerts/settings";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from "../../tools/moto";
import { createRequire } from "node:module";
import { lambdaBundle, lambdaEntry } from "../../components/assets/lambdaBundle";
import { COMPLIANCE_ALERTS_FUNCTION } from "../../components/compliance/complianceAlerts";

const REGION = "eu-west-2";
const ACCOUNT = "123456789012";
const RULES = ["patching-patch-compliance", "patching-association-compliance", "patching-instance-managed-by-ssm"];
const NODES = Array.from({ length: 10 }, (_, i) => `i-0${String(i).padStart(16, "0")}`);

/** A Config compliance-change event as EventBridge delivers it (developer guide sample, our rule names). */
function configEvent(node: string, rule: string, compliance = "NON_COMPLIANT", account = ACCOUNT): Record<string, unknown> {
    return {
        version: "0",
        id: `${node}-${rule}`,
        "detail-type": "Config Rules Compliance Change",
        source: "aws.config",
        account,
        time: "2026-12-06T09:00:00Z",
        region: REGION,
        resources: [],
        detail: {
            resourceId: `AWS::SSM::ManagedInstanceInventory/${node}`,
            awsRegion: REGION,
            awsAccountId: account,
            configRuleName: rule,
            recordVersion: "1.0",
            configRuleARN: `arn:aws:config:${REGION}:${account}:config-rule/config-rule-abc`,
            messageType: "ComplianceChangeNotification",
            newEvaluationResult: { evaluationResultIdentifier: {}, complianceType: compliance, resultRecordedTime: "2026-12-06T09:00:00Z", configRuleInvokedTime: "2026-12-06T08:59:00Z" },
            resourceType: "AWS::SSM::PatchCompliance",
        },
    };
}

describe("lambda/complianceAlerts events: which events alert", () => {
    const good = configEvent(NODES[0], RULES[0]);
    const without = (path: string[]): Record<string, unknown> => {
        const copy = structuredClone(good) as Record<string, Record<string, unknown>>;
        if (path.length === 1) {
            delete (copy as Record<string, unknown>)[path[0]];
        } else {
            delete copy[path[0]][path[1]];
        }
        return copy;
    };
    const CASES: [string, unknown, boolean][] = [
        ["a NON_COMPLIANT change", good, true],
        ["COMPLIANT", configEvent(NODES[0], RULES[0], "COMPLIANT"), false],
        ["NOT_APPLICABLE", configEvent(NODES[0], RULES[0], "NOT_APPLICABLE"), false],
        ["another source", { ...good, source: "aws.ssm" }, false],
        ["another detail type", { ...good, "detail-type": "Config Configuration Item Change" }, false],
        ["another message type", { ...good, detail: { ...(good.detail as object), messageType: "OversizedConfigurationItemChangeNotification" } }, false],
        ["no resource id", without(["detail", "resourceId"]), false],
        ["no rule name", without(["detail", "configRuleName"]), false],
        ["no account", without(["account"]), false],
        ["a malformed account", { ...good, account: "12345" }, false],
        ["no detail", without(["detail"]), false],
        ["null", null, false],
        ["a string", "NON_COMPLIANT", false],
    ];
    for (const [label, event, alerts] of CASES) {
        it(`${label}: ${alerts ? "alerts" : "ignored"}`, () => assert.equal(nonCompliantChange(event) !== undefined, alerts));
    }

    it("keys by account, Region, rule and resource; the subject fits SNS's Subject rules", () => {
        const change = nonCompliantChange(good);
        assert.ok(change);
        assert.equal(alertKey(change), `${ACCOUNT}|${REGION}|${RULES[0]}|AWS::SSM::ManagedInstanceInventory/${NODES[0]}`);
        assert.equal(alertSubject(change), `Patching NON_COMPLIANT: ${NODES[0]} (${RULES[0]}, ${ACCOUNT} ${REGION})`);
        assert.equal(alertSubject({ ...change, rule: "r".repeat(200) }).length, 99, "SNS: less than 100 characters");
        assert.equal(alertSubject({ ...change, resourceId: "i-0ü\n" }), `Patching NON_COMPLIANT: i-0?? (${RULES[0]}, ${ACCOUNT} ${REGION})`, "ASCII only, no line break");
    });

    it("refuses a deployment without its settings, naming each variable", () => {
        assert.throws(() => readAlertSettings({ [ALERTS_ENV.dedupeSeconds]: "0" }), /DEDUPE_TABLE_NAME is not set; ALERT_TOPIC_ARN "" is not an SNS topic ARN; DEDUPE_SECONDS "0" is not a positive whole number of seconds/);
    });
});

describe("lambda/complianceAlerts against moto_server (DynamoDB + SNS emulator on loopback)", function () {
    this.timeout(120_000);
    let moto: MotoServer;
    let settings: AlertSettings;
    let clients: AlertClients;
    const saved = { ...process.env };

    /** What the emulator's topic received: [message id, message, subject, attributes]. */
    async function sent(): Promise<{ message: string; subject: string; attributes: Record<string, { Type: string; Value: string }> }[]> {
        const data = (await (await fetch(`${moto.endpoint}/moto-api/data.json`)).json()) as { sns: { Topic: { arn: string; sent_notifications: [string, string, string, Record<string, { Type: string; Value: string }>][] }[] } };
        const topic = data.sns.Topic.find((t) => t.arn === settings.topicArn);
        return (topic?.sent_notifications ?? []).map(([, message, subject, attributes]) => ({ message, subject, attributes }));
    }

    async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
        for (let i = 0; i < items.length; i += size) {
            await Promise.all(items.slice(i, i + size).map(run));
        }
    }

    before(async () => {
        moto = await startMoto();
        // The SDK's own endpoint override (AWS_ENDPOINT_URL), as the deployed function would read it.
        const env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey };
        Object.assign(process.env, env);
        delete process.env.AWS_PROFILE;
        clients = alertClients();
        const table = "patching-compliance-alerts";
        await clients.dynamodb.send(
            new CreateTableCommand({ TableName: table, BillingMode: "PAY_PER_REQUEST", KeySchema: [{ AttributeName: DEDUPE_TABLE.key, KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: DEDUPE_TABLE.key, AttributeType: "S" }] }),
        );
        const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: "patching-compliance-alerts" }))).TopicArn ?? assert.fail("no TopicArn");
        settings = { tableName: table, topicArn, dedupeSeconds: 24 * 3600 };
        Object.assign(process.env, { [ALERTS_ENV.tableName]: table, [ALERTS_ENV.topicArn]: topicArn, [ALERTS_ENV.dedupeSeconds]: String(settings.dedupeSeconds) });
    });

    after(async () => {
        process.env = saved;
        await moto?.stop();
    });

    it("a burst of 1,000 events for 10 nodes × 3 rules (plus COMPLIANT and malformed ones) publishes exactly one message per (node, rule)", async () => {
        const alerting = Array.from({ length: 1000 }, (_, i) => configEvent(NODES[(i * 7) % NODES.length], RULES[(i * 3 + Math.floor(i / 10)) % RULES.length]));
        const noise = [configEvent(NODES[0], RULES[0], "COMPLIANT"), { source: "aws.config" }, null, { ...configEvent(NODES[1], RULES[1]), detail: {} }];
        const outcomes: string[] = [];
        // Handler invocations, 50 at a time: concurrent claims of one key race on the conditional PutItem.
        const logged: string[] = [];
        const log = console.log;
        console.log = (line: string) => logged.push(line);
        try {
            await inBatches([...noise, ...alerting], 50, async (event) => outcomes.push((await handler(event, { awsRequestId: "test" })).action));
        } finally {
            console.log = log;
        }
        assert.equal(logged.length, noise.length + alerting.length, "one JSON log line per invocation");
        assert.deepEqual(JSON.parse(logged[0]), { action: "ignored", source: "aws.config", detailType: "Config Rules Compliance Change", requestId: "test" });
        const messages = await sent();
        const pairs = new Set(alerting.map((event) => `${(event.detail as { resourceId: string }).resourceId}|${(event.detail as { configRuleName: string }).configRuleName}`));
        assert.equal(pairs.size, NODES.length * RULES.length, "the burst covers every (node, rule) pair");
        assert.equal(messages.length, pairs.size);
        assert.deepEqual(
            messages.map((m) => m.message.split(" ").slice(1, 9).join(" ")).sort(),
            [...pairs].map((pair) => `${pair.split("|")[0]} is NON_COMPLIANT with AWS Config rule ${pair.split("|")[1]}`).sort(),
        );
        assert.deepEqual(
            { published: outcomes.filter((o) => o === "published").length, suppressed: outcomes.filter((o) => o === "suppressed").length, ignored: outcomes.filter((o) => o === "ignored").length },
            { published: 30, suppressed: 970, ignored: noise.length },
        );
        for (const message of messages) {
            assert.deepEqual(message.attributes, { [ALERT_KIND_ATTRIBUTE]: { Type: "String", Value: "immediate" } });
            assert.match(message.subject, /^Patching NON_COMPLIANT: i-0\d{16} \(patching-/);
        }
    });

    it("within the window nothing more; after it, one new message per (node, rule)", async () => {
        const before = (await sent()).length;
        const ports = awsPorts(settings.tableName, settings.topicArn, clients);
        const events = NODES.flatMap((node) => RULES.map((rule) => configEvent(node, rule)));
        const at = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000);
        await inBatches(events, 30, (event) => handleEvent(event, settings, ports, at(settings.dedupeSeconds - 60)));
        assert.equal((await sent()).length, before, "still inside the window");
        const later = await Promise.all(events.map((event) => handleEvent(event, settings, ports, at(settings.dedupeSeconds + 60))));
        assert.equal(later.filter((o) => o.action === "published").length, events.length);
        assert.equal((await sent()).length, before + events.length);
    });

    it("the deployed bundle itself (what the component uploads) alerts once and then holds back", async () => {
        const bundled = createRequire(__filename)(lambdaBundle(lambdaEntry(COMPLIANCE_ALERTS_FUNCTION.entry)).file) as { handler: typeof handler };
        const event = configEvent("i-0bbbbbbbbbbbbbbbb", RULES[1]);
        const log = console.log;
        console.log = () => undefined;
        try {
            assert.equal((await bundled.handler(event)).action, "published");
            assert.equal((await bundled.handler(event)).action, "suppressed");
        } finally {
            console.log = log;
        }
    });

    it("a failed publish gives the claim back, so the retry still alerts", async () => {
        const event = configEvent("i-0aaaaaaaaaaaaaaaa", RULES[0]);
        const broken = awsPorts(settings.tableName, `arn:aws:sns:${REGION}:${ACCOUNT}:no-such-topic`, clients);
        await assert.rejects(handleEvent(event, { ...settings, topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:no-such-topic` }, broken, new Date()), { name: "NotFoundException" });
        const retried = await handleEvent(event, settings, awsPorts(settings.tableName, settings.topicArn, clients), new Date());
        assert.equal(retried.action, "published");
    });

    it("an SNS endpoint that never answers fails after one 5 s attempt, in time to give the claim back", async () => {
        // Accepts the connection and never replies. Without throwOnRequestTimeout the SDK would only
        // log a warning and wait for the function's 30 s timeout, leaving the window claimed.
        const silent = createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const hung = new SNSClient({ ...ALERT_CLIENT_CONFIG, endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
        try {
            const event = configEvent("i-0cccccccccccccccc", RULES[2]);
            const started = Date.now();
            await assert.rejects(handleEvent(event, settings, awsPorts(settings.tableName, settings.topicArn, { dynamodb: clients.dynamodb, sns: hung }), new Date()), { name: "TimeoutError" });
            const took = Date.now() - started;
            assert.ok(took >= 4_900 && took < 8_000, `${took} ms: one attempt bounded by the 5 s request timeout`);
            assert.equal((await handleEvent(event, settings, awsPorts(settings.tableName, settings.topicArn, clients), new Date())).action, "published", "the claim was given back");
        } finally {
            hung.destroy();
            silent.closeAllConnections();
            silent.close();
        }
    });
});
