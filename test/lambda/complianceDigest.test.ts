import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { complianceDigestQuery, recordFirstMissingSql } from "../../components/reporting/slaQueries";
import { handler, setClients } from "../../lambda/complianceDigest/handler";
import { DIGEST_ENV, DIGEST_PACKAGE_FILE, type DigestException, type DigestPackage } from "../../lambda/complianceDigest/settings";
import { SLA_DEFAULT_DAYS } from "../../stacks/config/schemaSla";
import { ACCOUNT_A, ACCOUNT_B, DATABASE, sampleDatabase } from "../components/reporting/syncSample";
import { fakeTransport, TOPIC } from "./digestFakes";

/**
 * The digest handler EXECUTED against a fake at the SDK's transport (the clients' requestHandler):
 * Athena's JSON API is answered by running the very SQL it receives on DuckDB over the Resource
 * Data Sync sample (test/components/reporting/syncSample.ts), SNS's Query API is recorded. moto's
 * Athena only replays results queued in advance (it runs no SQL) and the INSERT + SELECT sequence
 * would need both queued by hand, so the fake is the stronger check here; the message text below is
 * computed from the real query results.
 */


const NOW = new Date();
const dayFromToday = (days: number) => new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate()) + days * 86_400_000).toISOString().slice(0, 10);
const EXCEPTIONS: DigestException[] = [
    { kind: "excluded-node", group: "Linux", id: "i-0a000000000000002", reason: "vendor appliance, patched by the vendor", expires: dayFromToday(10) },
    { kind: "rejected-patch", group: "Windows", os: "WINDOWS", id: "KB5034441", reason: "breaks the recovery partition", expires: dayFromToday(3) },
    { kind: "excluded-node", group: "Linux", id: "i-0a000000000000003", reason: "database migration", expires: dayFromToday(0) },
    { kind: "rejected-patch", group: "Linux", os: "AMAZON_LINUX_2023", id: "kernel-6.1.*", reason: "driver", expires: dayFromToday(-1) },
];

describe("lambda/complianceDigest: the handler executed over a faked Athena (DuckDB) and SNS transport", function () {
    this.timeout(60_000);
    let folder: string;
    let env: NodeJS.ProcessEnv;

    before(() => {
        folder = mkdtempSync(path.join(tmpdir(), "digest-package-"));
        const pkg: DigestPackage = { recordSql: recordFirstMissingSql(DATABASE), digestSql: complianceDigestQuery(DATABASE, SLA_DEFAULT_DAYS).sql, exceptions: EXCEPTIONS };
        writeFileSync(path.join(folder, DIGEST_PACKAGE_FILE), JSON.stringify(pkg));
        env = { ...process.env };
        Object.assign(process.env, { [DIGEST_ENV.workgroup]: "patching-reporting-prod", [DIGEST_ENV.database]: DATABASE, [DIGEST_ENV.topicArn]: TOPIC, [DIGEST_ENV.environment]: "prod", [DIGEST_ENV.queryTimeoutSeconds]: "60" });
        delete process.env.AWS_ENDPOINT_URL;
        delete process.env.AWS_ENDPOINT_URL_SNS;
    });
    after(() => {
        process.env = env;
        setClients(undefined);
        rmSync(folder, { recursive: true, force: true });
    });

    const clock = () => {
        let now = 0;
        const sleeps: number[] = [];
        const sleep = async (ms: number) => {
            sleeps.push(ms);
            now += ms;
        };
        return { sleeps, waiting: { now: () => now, sleep } };
    };

    it("records first sightings, runs the digest in the workgroup, and publishes ONE message with alertKind=digest", async () => {
        const { db, close } = await sampleDatabase();
        try {
            const fake = fakeTransport(db);
            setClients(fake.clients);
            const { waiting, sleeps } = clock();
            const result = await handler({ source: "aws.scheduler" }, { awsRequestId: "req-1" }, { waiting, now: NOW, packageDirectory: folder });

            assert.deepEqual(fake.calls.map((c) => `${c.service}:${c.operation}`), [
                "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryExecution",
                "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
                "sns:Publish",
            ]);
            assert.deepEqual(sleeps, [500, 500], "each query polled once more after RUNNING");
            const starts = fake.calls.filter((c) => c.operation === "StartQueryExecution").map((c) => c.body);
            assert.deepEqual(starts.map((s) => [s.QueryString, s.WorkGroup, s.QueryExecutionContext]), [
                [recordFirstMissingSql(DATABASE), "patching-reporting-prod", { Catalog: "AwsDataCatalog", Database: DATABASE }],
                [complianceDigestQuery(DATABASE, SLA_DEFAULT_DAYS).sql, "patching-reporting-prod", { Catalog: "AwsDataCatalog", Database: DATABASE }],
            ]);
            assert.ok(starts.every((s) => !("ResultConfiguration" in s)), "the workgroup enforces the result location");

            const sns = fake.calls.filter((c) => c.service === "sns");
            assert.equal(sns.length, 1, "one message");
            const published = sns[0];
            assert.equal(published.hostname, "sns.eu-west-2.amazonaws.com");
            assert.match(published.headers.authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDSTUBDIGEST/\\d{8}/eu-west-2/sns/aws4_request, SignedHeaders=`));
            assert.deepEqual(
                { ...published.body, Message: undefined },
                {
                    Action: "Publish",
                    Version: "2010-03-31",
                    TopicArn: TOPIC,
                    Subject: `Patch digest prod ${dayFromToday(0)}: 4 non-compliant, 3 SLA breaches`,
                    Message: undefined,
                    "MessageAttributes.entry.1.Name": "alertKind",
                    "MessageAttributes.entry.1.Value.DataType": "String",
                    "MessageAttributes.entry.1.Value.StringValue": "digest",
                },
            );
            const csv = "patching-athena-results-111111111111-eu-west-2/q-2.csv";
            assert.equal(
                published.body.Message,
                [
                    `Patch compliance digest, prod, ${dayFromToday(0)} (UTC)`,
                    "",
                    "Non-compliant nodes: 4 of 6",
                    "SLA breaches: 3 patches on 3 nodes; 3 patches will breach within 7 days",
                    "Exceptions expiring within 7 days: 2",
                    "",
                    "By account / patch group:",
                    `  ${ACCOUNT_A} / Linux: 2 of 3 nodes non-compliant; SLA: 1 breaching (1 node), 3 due within 7 days`,
                    `  ${ACCOUNT_A} / Windows: 1 of 1 node non-compliant; SLA: 1 breaching (1 node), 0 due within 7 days`,
                    `  ${ACCOUNT_B} / (none): 0 of 1 node non-compliant; SLA: 0 breaching (0 nodes), 0 due within 7 days`,
                    `  ${ACCOUNT_B} / Linux: 1 of 1 node non-compliant; SLA: 1 breaching (1 node), 0 due within 7 days`,
                    "",
                    "Exceptions expiring within 7 days (renew or remove them in the stack config):",
                    `  excluded node i-0a000000000000003 (patch group Linux) expires today: database migration`,
                    `  rejected patch KB5034441 (patch group Windows, WINDOWS) expires ${dayFromToday(3)} (in 3 days): breaks the recovery partition`,
                    "",
                    `Full result (CSV): https://console.aws.amazon.com/s3/object/patching-athena-results-111111111111-eu-west-2?region=eu-west-2&prefix=q-2.csv`,
                    `  s3://${csv}`,
                    "",
                ].join("\n"),
            );
            assert.deepEqual(result, {
                messageId: "5f1b7c3e-0000-4000-8000-000000000001",
                queryExecutionId: "q-2",
                totals: { nodes: 6, noncompliantNodes: 4, breachingNodes: 3, breachingPatches: 3, willBreachPatches: 3, expiringExceptions: 2 },
            });
            const recorded = (await db.runAndReadAll(`SELECT COUNT(*) AS n FROM ${DATABASE}.patch_first_missing`)).getRowObjects()[0].n;
            assert.equal(Number(recorded), 11, "9 earlier sightings + the 2 patches first reported since the last digest");
        } finally {
            close();
        }
    });

    it("throws Athena's reason when a query fails, and publishes nothing", async () => {
        const { db, close } = await sampleDatabase();
        try {
            const fake = fakeTransport(db, { fail: /^WITH/ });
            setClients(fake.clients);
            await assert.rejects(handler(undefined, undefined, { waiting: clock().waiting, now: NOW, packageDirectory: folder }), /^Error: Athena query q-2 FAILED: TABLE_NOT_FOUND: line 1:1: Table does not exist$/);
            assert.equal(fake.calls.filter((c) => c.service === "sns").length, 0);
        } finally {
            close();
        }
    });

    it("gives up on a query still running after QUERY_TIMEOUT_SECONDS (bounded polling), publishing nothing", async () => {
        const { db, close } = await sampleDatabase();
        try {
            const fake = fakeTransport(db, { runningPolls: 1_000 });
            setClients(fake.clients);
            const { waiting, sleeps } = clock();
            await assert.rejects(handler(undefined, undefined, { waiting, now: NOW, packageDirectory: folder }), /^Error: Athena query q-1 still RUNNING after 60 s$/);
            assert.ok(sleeps.reduce((a, b) => a + b, 0) >= 60_000 && sleeps.length < 25, `${sleeps.length} polls`);
            assert.equal(fake.calls.filter((c) => c.service === "sns").length, 0);
        } finally {
            close();
        }
    });
});
