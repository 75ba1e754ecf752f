import { Readable } from "node:stream";
import { AthenaClient } from "@aws-sdk/client-athena";
import { SNSClient } from "@aws-sdk/client-sns";
import type { DuckDbConnection } from "../components/reporting/syncSample";

/**
 * Athena and SNS as the digest handler sees them, for its tests: Athena's JSON API answered by
 * running the SQL it receives on DuckDB (test/components/reporting/syncSample.ts), SNS's Query API
 * recorded (the SNS client's Query-protocol form body, answered with a PublishResponse). Used at
 * the SDK transport (both clients share one requestHandler) and behind a loopback HTTP server.
 */

export const TOPIC = "arn:aws:sns:eu-west-2:111111111111:patching-compliance-alerts";
export const RESULTS = "s3://patching-athena-results-111111111111-eu-west-2/";

export interface Call {
    readonly service: "athena" | "sns";
    readonly operation: string;
    readonly body: Record<string, unknown>;
    readonly headers: Record<string, string>;
    readonly hostname: string;
}

/** State of each query the fake started: its SQL, rows, and how many polls it stays RUNNING. */
interface Execution {
    readonly sql: string;
    readonly columns: string[];
    readonly rows: (string | null)[][];
    runningPolls: number;
    readonly failure?: string;
}

export function fakeTransport(db: DuckDbConnection, options: { runningPolls?: number; fail?: RegExp } = {}) {
    const calls: Call[] = [];
    const executions = new Map<string, Execution>();
    const reply = (status: number, contentType: string, payload: string) => ({ response: { statusCode: status, headers: { "content-type": contentType }, body: Readable.from([Buffer.from(payload)]) } });
    const athena = async (operation: string, body: Record<string, unknown>) => {
        if (operation === "StartQueryExecution") {
            const sql = String(body.QueryString);
            const id = `q-${executions.size + 1}`;
            if (options.fail?.test(sql)) {
                executions.set(id, { sql, columns: [], rows: [], runningPolls: 0, failure: "TABLE_NOT_FOUND: line 1:1: Table does not exist" });
            } else if (/^INSERT/.test(sql)) {
                await db.run(sql);
                executions.set(id, { sql, columns: [], rows: [], runningPolls: options.runningPolls ?? 1 });
            } else {
                const objects = (await db.runAndReadAll(sql)).getRowObjects();
                const columns = objects.length > 0 ? Object.keys(objects[0]) : [];
                executions.set(id, { sql, columns, rows: objects.map((o) => columns.map((c) => (o[c] === null ? null : String(o[c])))), runningPolls: options.runningPolls ?? 1 });
            }
            return { QueryExecutionId: id };
        }
        const id = String(body.QueryExecutionId);
        const execution = executions.get(id) as Execution;
        if (operation === "GetQueryExecution") {
            const state = execution.failure !== undefined ? "FAILED" : execution.runningPolls-- > 0 ? "RUNNING" : "SUCCEEDED";
            return { QueryExecution: { QueryExecutionId: id, Query: execution.sql, Status: { State: state, ...(execution.failure === undefined ? {} : { StateChangeReason: execution.failure }) }, ResultConfiguration: { OutputLocation: `${RESULTS}${id}.csv` } } };
        }
        const varchar = (values: (string | null)[]) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });
        return { ResultSet: { Rows: [varchar(execution.columns), ...execution.rows.map(varchar)], ResultSetMetadata: { ColumnInfo: execution.columns.map((Name) => ({ Name, Type: "varchar" })) } } };
    };
    const requestHandler = {
        handle: async (request: { hostname: string; headers: Record<string, string>; body?: string | Uint8Array }) => {
            const text = request.body === undefined ? "" : typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
            // SNS speaks the Query protocol (a form body); Athena JSON with an X-Amz-Target header.
            if (request.headers["x-amz-target"] === undefined) {
                const body = Object.fromEntries(new URLSearchParams(text));
                calls.push({ service: "sns", operation: String(body.Action), body, headers: request.headers, hostname: request.hostname });
                return reply(200, "text/xml", `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>5f1b7c3e-0000-4000-8000-000000000001</MessageId></PublishResult></PublishResponse>`);
            }
            const target = request.headers["x-amz-target"] ?? "";
            const operation = target.slice(target.indexOf(".") + 1);
            const body = JSON.parse(text || "{}") as Record<string, unknown>;
            calls.push({ service: "athena", operation, body, headers: request.headers, hostname: request.hostname });
            return reply(200, "application/x-amz-json-1.1", JSON.stringify(await athena(operation, body)));
        },
    };
    const config = { region: "eu-west-2", credentials: { accessKeyId: "AKIDSTUBDIGEST", secretAccessKey: "stub" }, requestHandler: requestHandler as never };
    const clients = { athena: new AthenaClient(config), sns: new SNSClient(config) };
    return { calls, clients, requestHandler };
}

