import { z } from "zod";

/**
 * zod builders whose error messages name what is allowed, shared by the stack configuration
 * (stacks/config/schema.ts) and the deployment program's (deployment/configSchema.ts): a bad value
 * reads `<path>: <value> is not <phrase>` (errors.ts).
 */

/** `Phrase` is what an allowed value is, e.g. "a 12-digit AWS account id". */
export type Phrase = string;

export function text(re: RegExp, what: Phrase) {
    return z
        .string({ error: (issue) => (issue.input === undefined ? `missing; expected ${what}` : `is not ${what}`) })
        .regex(re, { error: `is not ${what}` });
}

export function checked(what: Phrase, test: (value: string) => string | undefined) {
    return z
        .string({ error: (issue) => (issue.input === undefined ? `missing; expected ${what}` : `is not ${what}`) })
        .superRefine((value, ctx) => {
            const problem = test(value);
            if (problem !== undefined) {
                ctx.addIssue({ code: "custom", message: problem, input: value });
            }
        });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    const allowed = values.join(", ");
    return z.enum(values, {
        error: (issue) => (issue.input === undefined ? `missing; expected one of ${allowed}` : `is not one of ${allowed}`),
    });
}

export function integer(min: number, max: number, what: Phrase) {
    const phrase = `an integer from ${min} to ${max} (${what})`;
    return z
        .number({ error: (issue) => (issue.input === undefined ? `missing; expected ${phrase}` : `is not ${phrase}`) })
        .int({ error: `is not ${phrase}` })
        .min(min, { error: `is not ${phrase}` })
        .max(max, { error: `is not ${phrase}` });
}

export function list<T extends z.ZodType>(item: T, what: Phrase, min = 1) {
    const phrase = min > 0 ? `a non-empty list of ${what}` : `a list of ${what}`;
    return z
        .array(item, { error: (issue) => (issue.input === undefined ? `missing; expected ${phrase}` : `is not ${phrase}`) })
        .min(min, { error: `is not ${phrase}` });
}

export function record<T extends z.ZodRawShape>(shape: T, what: Phrase) {
    const allowed = Object.keys(shape).join(", ");
    return z.strictObject(shape, {
        error: (issue) => {
            if (issue.code === "unrecognized_keys") {
                return `is not a known key; allowed keys: ${allowed}`;
            }
            return issue.input === undefined ? `missing; expected ${what}` : `is not ${what}`;
        },
    });
}
