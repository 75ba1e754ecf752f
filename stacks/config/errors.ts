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
    return [{ path: formatPath(issue.path), value: issue.input, message: issue.message }];
}
