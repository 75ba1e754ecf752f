import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/** One bad value: where it is (`accounts[1].id`), what it was, and what is allowed. */
export interface ConfigProblem {
    readonly path: string;
    readonly value?: unknown;
    readonly message: string;
}

/**
 * A configuration error. It extends `pulumi.RunError` because the Pulumi CLI prints a RunError's
 * message without a stack trace — exactly what a person fixing a YAML file needs.
 */
export class ConfigError extends pulumi.RunError {
    readonly problems: readonly ConfigProblem[];

    constructor(problems: readonly ConfigProblem[]) {
        super(problems.map(formatProblem).join("\n"));
        this.name = "ConfigError";
        this.problems = problems;
    }
}

const MAX_VALUE_CHARS = 80;

export function formatProblem(problem: ConfigProblem): string {
    const value = problem.value === undefined ? "" : `${describeValue(problem.value)} `;
    return `${problem.path || "config"}: ${value}${problem.message}`;
}

/** The value as JSON, or its size when it is a list too long to read on one line. */
function describeValue(value: unknown): string {
    const text = JSON.stringify(value);
    if (text.length <= MAX_VALUE_CHARS) {
        return text;
    }
    return Array.isArray(value) ? `[${value.length} items]` : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/** `["accounts", 1, "id"]` → `accounts[1].id` */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((out, key) => {
        if (typeof key === "number") {
            return `${out}[${key}]`;
        }
        return out === "" ? String(key) : `${out}.${String(key)}`;
    }, "");
}

/**
 * Turns zod issues into problems, one per bad value: a value that breaks several checks (say,
 * both a pattern and a length) is reported once, by the first check it failed.
 */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const seen = new Set<string>();
    for (const issue of issues) {
        for (const problem of toProblems(issue)) {
            if (!seen.has(problem.path)) {
                seen.add(problem.path);
                problems.push(problem);
            }
        }
    }
    return problems;
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: issue.message }));
    }
    if (issue.code === "invalid_key") {
        // A bad key of a map (e.g. a tag key): zod puts the key in the path; name it as the value.
        return [{ path: formatPath(issue.path), value: issue.input, message: issue.issues[0]?.message ?? issue.message }];
    }
    // (A field whose own message already says to quote is left as it is.)
    if (issue.code === "invalid_type" && issue.expected === "string" && (typeof issue.input === "number" || typeof issue.input === "boolean") && !issue.message.includes("quote")) {
        return [{ path: formatPath(issue.path), value: issue.input, message: `${issue.message}: ${yamlScalarHint(issue.input)}` }];
    }
    return [{ path: formatPath(issue.path), value: issue.input, message: issue.message }];
}

/**
 * A text field that arrived as a number or a boolean was written unquoted: YAML typed it. Quoting
 * matters most for ids: an unquoted 012345678901 loses its leading zero (YAML 1.2, the `yaml`
 * package the offline tools read with) or, in the Pulumi CLI's Go YAML reader, which resolves plain
 * integers with strconv.ParseInt(…, 0, …), is read as octal when every digit is 0-7 and as a
 * float otherwise (yaml/go-yaml#132, mikefarah/yq#2792) — either way the id that arrives is not
 * the one written.
 */
function yamlScalarHint(input: number | boolean): string {
    if (typeof input === "boolean") {
        return "YAML read a boolean; quote it";
    }
    // 9-11 digits: most likely a 12-digit id that lost its leading zero(s).
    const digits = Number.isInteger(input) && input > 0 ? String(input).length : 0;
    const padded = digits >= 9 && digits < 12 ? `; "${String(input).padStart(12, "0")}" if only the leading zero was dropped` : "";
    return `YAML read a number; quote it (unquoted, a leading 0 is dropped or the number read as octal)${padded}`;
}
