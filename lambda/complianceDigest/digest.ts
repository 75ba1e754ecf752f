import { DIGEST_DEFAULTS, type DigestException } from "./settings";

/**
 * The daily digest as one message (issue 19 item 2), pure: counts per account and patch group
 * from the digest query's rows, the SLA breaches, the exceptions expiring within a week, and
 * where the full CSV is.
 */

/** One row of the digest query (slaQueries.ts complianceDigestQuery), as Athena returns it (text). */
export type DigestRow = Readonly<Record<string, string | null>>;

export interface DigestInput {
    readonly environment: string;
    /** YYYY-MM-DD (UTC). */
    readonly today: string;
    readonly rows: readonly DigestRow[];
    readonly exceptions: readonly DigestException[];
    /** The digest query's CSV: `s3://bucket/key`. */
    readonly csvLocation?: string;
    /** The Region of the results bucket (the console link needs it). */
    readonly region: string;
}

export interface DigestTotals {
    readonly nodes: number;
    readonly noncompliantNodes: number;
    readonly breachingNodes: number;
    readonly breachingPatches: number;
    readonly willBreachPatches: number;
    readonly expiringExceptions: number;
}

export interface DigestMessage {
    readonly subject: string;
    readonly message: string;
    readonly totals: DigestTotals;
}

type DigestCount = "nodes" | "noncompliant_nodes" | "breaching_nodes" | "breaching_patches" | "will_breach_patches";
const DAY_MS = 86_400_000;
const count = (row: DigestRow, column: DigestCount) => Number.parseInt(row[column] ?? "0", 10) || 0;
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** Whole days from today to `expires` (0: expires today, the last day it holds). */
export function daysUntil(expires: string, today: string): number {
    return Math.round((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** Exceptions whose last day is today or within the next `within` days, soonest first. */
export function expiringExceptions(exceptions: readonly DigestException[], today: string, within: number = DIGEST_DEFAULTS.expiringWithinDays): DigestException[] {
    return exceptions
        .filter((e) => {
            const left = daysUntil(e.expires, today);
            return left >= 0 && left <= within;
        })
        .sort((a, b) => a.expires.localeCompare(b.expires) || a.group.localeCompare(b.group) || a.id.localeCompare(b.id));
}

/**
 * The S3 console page of the CSV and its s3:// URI: both need the reader's own credentials
 * (no presigned URL: its signature would outlive the function's session credentials' purpose).
 */
export function csvLinks(location: string, region: string): { console: string; uri: string } | undefined {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
    if (match === null) return undefined;
    const [, bucket, key] = match;
    return { console: `https://console.aws.amazon.com/s3/object/${bucket}?region=${region}&prefix=${encodeURIComponent(key)}`, uri: location };
}

function totalsOf(rows: readonly DigestRow[], expiring: number): DigestTotals {
    const sum = (column: DigestCount) => rows.reduce((total, row) => total + count(row, column), 0);
    return { nodes: sum("nodes"), noncompliantNodes: sum("noncompliant_nodes"), breachingNodes: sum("breaching_nodes"), breachingPatches: sum("breaching_patches"), willBreachPatches: sum("will_breach_patches"), expiringExceptions: expiring };
}

function groupLines(rows: readonly DigestRow[]): string[] {
    const shown = rows.slice(0, DIGEST_DEFAULTS.maxGroupLines).map((row) => {
        const head = `  ${row.accountid ?? "?"} / ${row.patchgroup ?? "(none)"}: ${count(row, "noncompliant_nodes")} of ${plural(count(row, "nodes"), "node")} non-compliant`;
        return `${head}; SLA: ${count(row, "breaching_patches")} breaching (${plural(count(row, "breaching_nodes"), "node")}), ${count(row, "will_breach_patches")} due within ${DIGEST_DEFAULTS.slaWarningDays} days`;
    });
    const more = rows.length - shown.length;
    return more > 0 ? [...shown, `  … and ${more} more account / patch group lines in the CSV`] : shown;
}

function exceptionLine(e: DigestException, today: string): string {
    const left = daysUntil(e.expires, today);
    const when = left === 0 ? "expires today" : `expires ${e.expires} (in ${plural(left, "day")})`;
    const what = e.kind === "rejected-patch" ? `rejected patch ${e.id} (patch group ${e.group}, ${e.os ?? "?"})` : `excluded node ${e.id} (patch group ${e.group})`;
    return `  ${what} ${when}${e.reason === undefined ? "" : `: ${e.reason}`}`;
}

/** The one message: headline totals, per account and patch group, expiring exceptions, the CSV. */
export function digestMessage(input: DigestInput): DigestMessage {
    const expiring = expiringExceptions(input.exceptions, input.today);
    const totals = totalsOf(input.rows, expiring.length);
    const links = input.csvLocation === undefined ? undefined : csvLinks(input.csvLocation, input.region);
    const lines = [
        `Patch compliance digest, ${input.environment}, ${input.today} (UTC)`,
        "",
        `Non-compliant nodes: ${totals.noncompliantNodes} of ${totals.nodes}`,
        `SLA breaches: ${plural(totals.breachingPatches, "patch", "patches")} on ${plural(totals.breachingNodes, "node")}; ${plural(totals.willBreachPatches, "patch", "patches")} will breach within ${DIGEST_DEFAULTS.slaWarningDays} days`,
        `Exceptions expiring within ${DIGEST_DEFAULTS.expiringWithinDays} days: ${expiring.length}`,
        "",
        "By account / patch group:",
        ...(input.rows.length === 0 ? ["  (no managed nodes reported)"] : groupLines(input.rows)),
        ...(expiring.length === 0 ? [] : ["", `Exceptions expiring within ${DIGEST_DEFAULTS.expiringWithinDays} days (renew or remove them in the stack config):`, ...expiring.map((e) => exceptionLine(e, input.today))]),
        "",
        ...(links === undefined ? ["Full result: not available (Athena returned no output location)"] : [`Full result (CSV): ${links.console}`, `  ${links.uri}`]),
    ];
    // API_Publish Subject: ASCII, no line breaks, under 100 characters.
    const subject = `Patch digest ${input.environment} ${input.today}: ${totals.noncompliantNodes} non-compliant, ${totals.breachingPatches} SLA breaches`.slice(0, 99);
    return { subject, message: `${lines.join("\n")}\n`, totals };
}
