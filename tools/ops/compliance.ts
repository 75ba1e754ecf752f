import type { Row } from "@aws-sdk/client-athena";
import Table from "cli-table3";
import { azureReportingQueries } from "../../components/reporting/azureReportingTables";
import { reportingNames } from "../../components/reporting/complianceReporting";
import { hasAzureVms } from "../../stacks/azureVms";
import { reportingQueries, type NamedQuerySpec } from "../../components/reporting/reportingQueries";
import { patchSlaQuery } from "../../components/reporting/slaQueries";
import type { AthenaApi, OpsDeps } from "./clients";
import { loadEstate, UsageError } from "./estate";

export type ComplianceFormat = "table" | "csv" | "json";

export interface ComplianceOptions {
    readonly stack: string;
    readonly format: ComplianceFormat;
    /** One query by key or name. @default - all named queries, in their fixed order */
    readonly query?: string;
    /** Run the Azure named queries (azureReportingTables.ts) instead of the fleet-wide ones. @default false */
    readonly azure?: boolean;
    /** Run the patch-SLA query (slaQueries.ts, with the stack's compliance.sla) instead. @default false */
    readonly sla?: boolean;
    /** Give up on a query after this many seconds. */
    readonly timeout: number;
    readonly profile?: string;
}

export interface QueryResult {
    readonly key: string;
    readonly name: string;
    readonly description: string;
    readonly queryExecutionId: string;
    readonly columns: readonly string[];
    /** NULL is null. */
    readonly rows: readonly (readonly (string | null)[])[];
}

const POLL_MS = [250, 500, 1000, 2000];

/** Start → poll GetQueryExecution until it ends → every page of GetQueryResults. */
export async function runQuery(athena: AthenaApi, query: NamedQuerySpec, target: { workgroup: string; database: string }, deps: Pick<OpsDeps, "sleep" | "now">, timeoutSeconds: number): Promise<QueryResult> {
    const { QueryExecutionId: id } = await athena.startQueryExecution({
        QueryString: query.sql,
        // The workgroup enforces its result location and encryption; the SQL qualifies every table.
        WorkGroup: target.workgroup,
        QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: target.database },
    });
    if (id === undefined) {
        throw new Error(`StartQueryExecution returned no QueryExecutionId for ${query.name}`);
    }
    const deadline = deps.now().getTime() + timeoutSeconds * 1000;
    for (let attempt = 0; ; attempt++) {
        const { QueryExecution: execution } = await athena.getQueryExecution({ QueryExecutionId: id });
        const state = execution?.Status?.State;
        if (state === "SUCCEEDED") {
            break;
        }
        if (state === "FAILED" || state === "CANCELLED") {
            throw new Error(`Athena query ${query.name} (${id}) ${state}: ${execution?.Status?.StateChangeReason ?? "no reason given"}`);
        }
        if (deps.now().getTime() >= deadline) {
            throw new Error(`Athena query ${query.name} (${id}) still ${state ?? "unknown"} after ${timeoutSeconds} s`);
        }
        await deps.sleep(POLL_MS[Math.min(attempt, POLL_MS.length - 1)]);
    }
    const rows: Row[] = [];
    let columns: string[] = [];
    let token: string | undefined;
    do {
        const page = await athena.getQueryResults({ QueryExecutionId: id, ...(token ? { NextToken: token } : {}) });
        if (columns.length === 0) {
            columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? "");
        }
        rows.push(...(page.ResultSet?.Rows ?? []));
        token = page.NextToken;
    } while (token);
    const values = rows.map((row) => (row.Data ?? []).map((datum) => datum.VarCharValue ?? null));
    // A SELECT's first result row is the header (Athena user guide, "Working with query results").
    const body = values.length > 0 && values[0].join("\u0000") === columns.join("\u0000") ? values.slice(1) : values;
    return { key: query.key, name: query.name, description: query.description, queryExecutionId: id, columns, rows: body };
}

/** RFC 4180: quote fields with a comma, quote or line break; double the quotes. */
export function csvLine(values: readonly (string | null)[]): string {
    return values.map((value) => (value === null ? "" : /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(",");
}

export function renderResults(results: readonly QueryResult[], format: ComplianceFormat, context: { stack: string; workgroup: string; database: string }): string {
    if (format === "json") {
        const queries = results.map((r) => ({ ...r, rows: r.rows.map((row) => Object.fromEntries(r.columns.map((column, i) => [column, row[i] ?? null]))) }));
        return `${JSON.stringify({ ...context, queries }, null, 2)}\n`;
    }
    if (format === "csv") {
        // One query: plain CSV. Several: a "# name" line before each, a blank line between.
        const sections = results.map((r) => [...(results.length > 1 ? [`# ${r.name}`] : []), csvLine(r.columns), ...r.rows.map(csvLine)].join("\n"));
        return `${sections.join("\n\n")}\n`;
    }
    return results
        .map((r) => {
            const title = `${r.name}: ${r.description} (${r.rows.length} row${r.rows.length === 1 ? "" : "s"})`;
            if (r.rows.length === 0) {
                return `${title}\n`;
            }
            const table = new Table({ head: [...r.columns], style: { head: [], border: [] } });
            table.push(...r.rows.map((row) => row.map((value) => value ?? "")));
            return `${title}\n${table.toString()}\n`;
        })
        .join("\n");
}

/** The named queries --query / --azure pick. */
function selection(options: ComplianceOptions, fleet: readonly NamedQuerySpec[], azure: readonly NamedQuerySpec[]): readonly NamedQuerySpec[] {
    const all = options.azure === true ? azure : [...fleet, ...azure];
    const selected = options.query === undefined ? (options.azure === true ? azure : fleet) : all.filter((q) => q.key === options.query || q.name === options.query);
    if (selected.length === 0) {
        throw new UsageError(`--query: "${options.query}" is not a named query (queries: ${all.map((q) => q.key).join(", ")})`);
    }
    return selected;
}

/** --sla: the patch-SLA query with the stack's own compliance.sla (the same SQL as its named query). */
function slaSelection(options: ComplianceOptions, sla: Parameters<typeof patchSlaQuery>[1], database: string): readonly NamedQuerySpec[] {
    if (options.azure === true || options.query !== undefined) {
        throw new UsageError(`--sla runs the patch-SLA query alone; drop ${options.azure === true ? "--azure" : "--query"}`);
    }
    return [patchSlaQuery(database, sla)];
}

/** `compliance`: the reporting stack's named queries, run in its workgroup, printed. */
export async function compliance(options: ComplianceOptions, deps: OpsDeps): Promise<number> {
    const estate = loadEstate(deps.directory, options.stack);
    const central = estate.central;
    // The same names and SQL as stacks/awsReporting.ts → ComplianceReporting (nameSuffix = environment).
    const names = reportingNames(estate.environment, central.account.id, central.region);
    const fleet = reportingQueries({ database: names.database, patchGroupTagKey: estate.patchGroupTagKey, notReportingDays: estate.reporting.notReportingDays });
    // The Azure queries exist only where the reporting has the Azure table (stacks/awsReporting.ts).
    const azure = hasAzureVms(estate) ? azureReportingQueries(names.database) : [];
    if (options.azure === true && azure.length === 0) {
        throw new UsageError(`--azure: stack "${options.stack}" has no Azure VMs, so its reporting has no Azure queries`);
    }
    const selected = options.sla === true ? slaSelection(options, estate.compliance.sla, names.database) : selection(options, fleet, azure);
    const athena = deps.athena({ region: central.region, ...(options.profile === undefined ? {} : { profile: options.profile }) });
    const results: QueryResult[] = [];
    for (const query of selected) {
        results.push(await runQuery(athena, query, names, deps, options.timeout));
    }
    deps.stdout.write(renderResults(results, options.format, { stack: options.stack, workgroup: names.workgroup, database: names.database }));
    return 0;
}
