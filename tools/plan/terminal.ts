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

/** cli-table3's style: cyan heads and grey borders in colour, no escape codes otherwise. */
export function tableStyle(color: boolean): { head: string[]; border: string[] } {
    return { head: color ? ["cyan"] : [], border: color ? ["grey"] : [] };
}
