import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { lambdaBundle, lambdaEntry } from "../../components/assets/lambdaBundle";
import { digestPackage } from "../../components/reporting/complianceDigest";
import { DIGEST_PACKAGE_FILE } from "../../lambda/complianceDigest/settings";
import { SLA_DEFAULT_DAYS } from "../../stacks/config/schemaSla";
import { DATABASE, sampleDatabase } from "../components/reporting/syncSample";
import { fakeTransport, TOPIC } from "./digestFakes";

/**
 * The deployment package itself — the esbuild bundle as index.js plus the digest.json the
 * component writes — loaded like Lambda loads it and invoked with only environment variables, the
 * bundled Athena and SNS clients talking HTTP to a loopback server (AWS_ENDPOINT_URL, the SDK's own
 * endpoint override) that answers Athena on DuckDB and records SNS. Proves the bundle is
 * self-contained (both clients inside), reads its SQL from next to itself, signs the SNS call and
 * publishes once.
 */
describe("lambda/complianceDigest: the bundled package, executed over HTTP", function () {
    this.timeout(90_000);
    let folder: string;
    let server: Server;
    let close: () => void;
    let calls: ReturnType<typeof fakeTransport>["calls"];
    const saved = { ...process.env };

    before(async () => {
        const sample = await sampleDatabase();
        close = sample.close;
        const fake = fakeTransport(sample.db, { runningPolls: 0 });
        calls = fake.calls;
        server = createServer((request, response) => {
            const chunks: Buffer[] = [];
            request.on("data", (chunk: Buffer) => chunks.push(chunk));
            request.on("end", () => {
                const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
                fake.requestHandler
                    .handle({ hostname: String(request.headers.host), headers, body: Buffer.concat(chunks).toString("utf8") })
                    .then(async ({ response: reply }) => {
                        const body: Buffer[] = [];
                        for await (const chunk of reply.body) body.push(Buffer.from(chunk as Buffer));
                        response.writeHead(reply.statusCode, reply.headers);
                        response.end(Buffer.concat(body));
                    })
                    .catch((error: unknown) => {
                        response.writeHead(500);
                        response.end(String(error));
                    });
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        folder = mkdtempSync(path.join(tmpdir(), "digest-bundle-"));
        copyFileSync(lambdaBundle(lambdaEntry("lambda/complianceDigest/handler.ts")).file, path.join(folder, "index.js"));
        writeFileSync(path.join(folder, DIGEST_PACKAGE_FILE), JSON.stringify(digestPackage({ databaseName: DATABASE, sla: SLA_DEFAULT_DAYS, exceptions: [] })));
        Object.assign(process.env, {
            AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            AWS_REGION: "eu-west-2",
            AWS_ACCESS_KEY_ID: "AKIDBUNDLE",
            AWS_SECRET_ACCESS_KEY: "stub",
            WORKGROUP: "patching-reporting-prod",
            DATABASE,
            TOPIC_ARN: TOPIC,
            ESTATE_ENVIRONMENT: "prod",
        });
        delete process.env.AWS_PROFILE;
    });
    after(() => {
        process.env = saved;
        server?.close();
        close?.();
        if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    });

    it("exports index.handler, runs both queries and publishes one digest with alertKind=digest", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const bundled = require(path.join(folder, "index.js")) as { handler(event: unknown): Promise<{ totals: Record<string, number> }> };
        const result = await bundled.handler({ source: "patching.compliance-digest" });
        assert.deepEqual(result.totals, { nodes: 6, noncompliantNodes: 4, breachingNodes: 3, breachingPatches: 3, willBreachPatches: 3, expiringExceptions: 0 });
        assert.deepEqual(calls.map((c) => `${c.service}:${c.operation}`), ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "sns:Publish"]);
        const published = calls[calls.length - 1];
        assert.equal(published.body["MessageAttributes.entry.1.Value.StringValue"], "digest");
        assert.match(String(published.body.Message), /^Patch compliance digest, prod, \d{4}-\d{2}-\d{2} \(UTC\)\n\nNon-compliant nodes: 4 of 6\n/);
        assert.match(published.headers.authorization, /Credential=AKIDBUNDLE\/\d{8}\/eu-west-2\/sns\/aws4_request/);
    });
});
