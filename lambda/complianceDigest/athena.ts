import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type AthenaClient } from "@aws-sdk/client-athena";

/** One finished query: where Athena wrote its CSV, and its rows as column → value (NULL: null). */
export interface QueryOutcome {
    readonly queryExecutionId: string;
    /** `s3://<results bucket>/<id>.csv` (GetQueryExecution ResultConfiguration.OutputLocation). */
    readonly outputLocation?: string;
    readonly rows: readonly Readonly<Record<string, string | null>>[];
}

export interface Waiting {
    readonly now: () => number;
    readonly sleep: (ms: number) => Promise<void>;
}

const POLL_MS = [500, 1000, 2000, 4000];
/** GetQueryResults returns at most 1,000 rows a page; the digest's rows are one per account and patch group. */
const MAX_PAGES = 20;

/**
 * StartQueryExecution in the workgroup (which enforces its result location and encryption, so
 * none is passed), GetQueryExecution until SUCCEEDED with a bound, then GetQueryResults.
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
 */
export async function runQuery(athena: AthenaClient, sql: string, target: { readonly workgroup: string; readonly database: string }, timeoutSeconds: number, waiting: Waiting, readRows = true): Promise<QueryOutcome> {
    const started = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: target.workgroup, QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: target.database } }));
    const id = started.QueryExecutionId;
    if (id === undefined) {
        throw new Error("StartQueryExecution returned no QueryExecutionId");
    }
    const deadline = waiting.now() + timeoutSeconds * 1000;
    for (let attempt = 0; ; attempt++) {
        const execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
        const state = execution?.Status?.State;
        if (state === "SUCCEEDED") {
            return { queryExecutionId: id, outputLocation: execution?.ResultConfiguration?.OutputLocation, rows: readRows ? await resultRows(athena, id) : [] };
        }
        if (state === "FAILED" || state === "CANCELLED") {
            throw new Error(`Athena query ${id} ${state}: ${execution?.Status?.StateChangeReason ?? "no reason given"}`);
        }
        if (waiting.now() >= deadline) {
            throw new Error(`Athena query ${id} still ${state ?? "unknown"} after ${timeoutSeconds} s`);
        }
        await waiting.sleep(POLL_MS[Math.min(attempt, POLL_MS.length - 1)]);
    }
}

/** Every page; a SELECT's first row is the header (Athena user guide, "Working with query results"). */
async function resultRows(athena: AthenaClient, id: string): Promise<Record<string, string | null>[]> {
    const values: (string | null)[][] = [];
    let columns: string[] = [];
    let token: string | undefined;
    for (let page = 0; page === 0 || token !== undefined; page++) {
        if (page >= MAX_PAGES) {
            throw new Error(`Athena query ${id} returned more than ${MAX_PAGES} pages of results`);
        }
        const result = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, ...(token === undefined ? {} : { NextToken: token }) }));
        if (page === 0) {
            columns = (result.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? "");
        }
        values.push(...(result.ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((datum) => datum.VarCharValue ?? null)));
        token = result.NextToken;
    }
    const body = values.length > 0 && values[0].join("\u0000") === columns.join("\u0000") ? values.slice(1) : values;
    return body.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
}
