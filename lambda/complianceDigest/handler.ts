/**
 * Daily compliance digest Lambda (issue 19 items 2 and 4). Entry point `index.handler` of the
 * bundle the ComplianceDigest component builds from this file; EventBridge Scheduler invokes it
 * once a day in the central account and Region.
 *
 * 1. Records today's first sightings of missing patches (INSERT INTO patch_first_missing): the SLA
 *    clock, since the synced data has no release date and keeps only the newest scan.
 * 2. Runs the digest query in the reporting workgroup (results and their encryption enforced there).
 * 3. Publishes ONE message to the central compliance topic with `alertKind` = digest.
 * A failure throws: the invocation shows in the function's Errors metric and Lambda retries the
 * asynchronous invocation (the INSERT skips what it already recorded, so a retry is safe).
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { SNSClient } from "@aws-sdk/client-sns";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runQuery, type Waiting } from "./athena";
import { digestMessage, type DigestTotals } from "./digest";
import { DIGEST_DEFAULTS, DIGEST_PACKAGE_FILE, readSettings, type DigestPackage } from "./settings";
import { publishAlert } from "../complianceAlerts/publishAlert";

export interface DigestClients {
    readonly athena: AthenaClient;
    readonly sns: SNSClient;
}

let clients: DigestClients | undefined;

/**
 * The execution role's credentials (default chain); Athena in the function's Region, SNS in the
 * topic's. Endpoints follow the SDK's AWS_ENDPOINT_URL_ATHENA / AWS_ENDPOINT_URL_SNS /
 * AWS_ENDPOINT_URL. Reused by warm invocations.
 */
export function createClients(topicArn: string): DigestClients {
    clients ??= { athena: new AthenaClient({}), sns: new SNSClient({ region: topicArn.split(":")[3] }) };
    return clients;
}

/** Replaces the cached clients (tests inject ones whose transport they fake). */
export function setClients(injected: DigestClients | undefined): void {
    clients = injected;
}

/** The packaged SQL and exceptions, next to index.js. */
export function readPackage(directory: string = __dirname): DigestPackage {
    return JSON.parse(readFileSync(path.join(directory, DIGEST_PACKAGE_FILE), "utf8")) as DigestPackage;
}

const realWaiting: Waiting = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface DigestResult {
    readonly messageId: string;
    readonly queryExecutionId: string;
    readonly totals: DigestTotals;
}

export async function handler(_event?: unknown, context?: { readonly awsRequestId?: string }, deps: { readonly waiting?: Waiting; readonly now?: Date; readonly packageDirectory?: string } = {}): Promise<DigestResult> {
    const settings = readSettings(process.env);
    const digest = readPackage(deps.packageDirectory);
    const { athena: client, sns } = createClients(settings.topicArn);
    const waiting = deps.waiting ?? realWaiting;
    await runQuery(client, digest.recordSql, settings, settings.queryTimeoutSeconds, waiting, false);
    const outcome = await runQuery(client, digest.digestSql, settings, settings.queryTimeoutSeconds, waiting);
    const region = await client.config.region();
    const { subject, message, totals } = digestMessage({
        environment: settings.environment,
        today: (deps.now ?? new Date()).toISOString().slice(0, 10),
        rows: outcome.rows,
        exceptions: digest.exceptions,
        csvLocation: outcome.outputLocation,
        region,
    });
    const messageId = await publishAlert(sns, settings.topicArn, subject, message, DIGEST_DEFAULTS.alertKind);
    console.log(JSON.stringify({ action: "digest-published", requestId: context?.awsRequestId, messageId, queryExecutionId: outcome.queryExecutionId, ...totals }));
    return { messageId, queryExecutionId: outcome.queryExecutionId, totals };
}
