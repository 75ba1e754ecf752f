/**
 * How the offline tools (plan, benchmark) print: colour and width follow the terminal, and what is
 * not a terminal (a pipe, a CI log, a file) gets plain text at a fixed width.
 */

/** Width used when stdout is not a terminal: readable in CI logs and on a laptop screen. */
export const DEFAULT_COLUMNS = 120;
/** Narrower than this the tables cannot show their columns at all; wrapping takes over. */
export const MIN_COLUMNS = 60;

interface Stream {
    readonly isTTY?: boolean;
    readonly columns?: number;
}

/**
 * ANSI colour only on a terminal. FORCE_COLOR (any value but "0"/"false") forces it and wins over
 * NO_COLOR, as in Node itself (https://nodejs.org/api/cli.html#force_color1-2-3); a non-empty
 * NO_COLOR turns it off (https://no-color.org).
 */
export function useColor(stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
    const force = env["FORCE_COLOR"];
    if (force !== undefined) {
        return force !== "0" && force !== "false";
    }
    if ((env["NO_COLOR"] ?? "") !== "") {
        return false;
    }
    return stream.isTTY === true;
}

/** The terminal's width, DEFAULT_COLUMNS when stdout is not a terminal, never below MIN_COLUMNS. */
export function terminalColumns(stream: Stream = process.stdout): number {
    const columns = stream.isTTY === true && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
    return Math.max(MIN_COLUMNS, columns);
}

/**
 * Table headings in cyan when colour is on. The escape codes are written here rather than through
 * cli-table3's `style`: that goes through @colors/colors, which makes its own terminal guess (off
 * under CI=true, for instance) and would overrule the decision useColor already made.
 */
export function paintHeadings(headings: readonly string[], color: boolean): string[] {
    return color ? headings.map((heading) => `\x1b[36m${heading}\x1b[39m`) : [...headings];
}

/** cli-table3's own colouring off: paintHeadings decides. */
export const PLAIN_TABLE_STYLE = { head: [] as string[], border: [] as string[] };
