import Table from "cli-table3";
import { paintHeadings, PLAIN_TABLE_STYLE } from "./terminal";

export interface FitOptions {
    /** Terminal width the table must fit (terminalColumns()). */
    readonly columns: number;
    /** Print every cell unabridged on one line, however wide the table gets (`--wide`). */
    readonly wide?: boolean;
    readonly color?: boolean;
}

type Cell = string | number;
/** A heading, or [heading, abbreviation] used when the table must be squeezed. */
type Heading = string | readonly [string, string];

/** One space of padding either side of every cell (cli-table3's default). */
const PADDING = 2;
/** No column is squeezed below this (cell text + padding); below it wrapping stops helping. */
const MIN_WIDTH = 6;

const textWidth = (cell: Cell) => String(cell).length;

/**
 * Column widths for a table that fits `columns`: every column starts at its natural width (its
 * longest cell); while the table is too wide, the widest column gives up one character, so long
 * free-text columns wrap first and short ones (counts, Regions) stay whole.
 */
export function fitWidths(natural: readonly number[], columns: number): number[] {
    const widths = [...natural];
    const borders = widths.length + 1;
    let total = widths.reduce((sum, w) => sum + w, 0) + borders;
    while (total > columns) {
        const widest = widths.reduce((best, w, i) => (w > widths[best] ? i : best), 0);
        if (widths[widest] <= MIN_WIDTH) {
            break;
        }
        widths[widest] -= 1;
        total -= 1;
    }
    return widths;
}

/**
 * A cli-table3 table that fits the terminal: cells wrap at word boundaries inside the fitted
 * widths (a single word longer than its column is cut with "…"); `wide` keeps every cell on one
 * line. The JSON plan carries the full detail either way.
 */
export function renderFittedTable(headings: readonly Heading[], rows: readonly (readonly Cell[])[], options: FitOptions): string {
    const widths = (head: readonly string[]) => head.map((_, column) => Math.max(...[head, ...rows].map((row) => textWidth(row[column] ?? ""))) + PADDING);
    const full = headings.map((h) => (typeof h === "string" ? h : h[0]));
    const fits = widths(full).reduce((sum, w) => sum + w, 0) + full.length + 1 <= options.columns;
    const head = options.wide || fits ? full : headings.map((h) => (typeof h === "string" ? h : h[1]));
    const style = PLAIN_TABLE_STYLE;
    const painted = paintHeadings(head, options.color ?? false);
    const table = options.wide
        ? new Table({ head: painted, style })
        : new Table({ head: painted, style, wordWrap: true, wrapOnWordBoundary: true, colWidths: fitWidths(widths(head), options.columns) });
    table.push(...rows.map((row) => row.map(String)));
    return table.toString();
}
