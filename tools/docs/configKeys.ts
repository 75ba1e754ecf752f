import type { z } from "zod";

/**
 * Every key of the stack configuration, read from the zod schema itself: its path, what is
 * allowed, its default and its description. The README's config reference is rendered from these
 * rows (configReference.ts), so the documentation cannot drift from what the validator accepts.
 */
export interface ConfigKey {
    /** `accounts[].regions`, `patchGroups[].baselines.<OS>.approvalRules[].filters` */
    readonly path: string;
    /** What a value must be, in the words of the validator's own error message. */
    readonly allowed: string;
    /** `required`, `none` (optional, no default) or the default value. */
    readonly default: string;
    /** The schema's `.describe()` text ("" when it has none). */
    readonly description: string;
}

type Schema = z.ZodType;
interface Def {
    readonly type: string;
    readonly innerType?: Schema;
    readonly defaultValue?: unknown;
    readonly out?: Schema;
    readonly element?: Schema;
    readonly shape?: Record<string, Schema>;
    readonly keyType?: Schema;
    readonly valueType?: Schema;
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The layers around a value (optional, default, preprocess pipe) peeled off, and what they said. */
interface Unwrapped {
    readonly core: Schema;
    readonly optional: boolean;
    readonly hasDefault: boolean;
    readonly defaultValue: unknown;
    readonly description: string;
}

function unwrap(schema: Schema): Unwrapped {
    let core = schema;
    let optional = false;
    let hasDefault = false;
    let defaultValue: unknown;
    let description = schema.description ?? "";
    for (;;) {
        const def = defOf(core);
        if (def.type === "optional" && def.innerType !== undefined) {
            optional = true;
            core = def.innerType;
        } else if (def.type === "default" && def.innerType !== undefined) {
            hasDefault = true;
            defaultValue = def.defaultValue;
            core = def.innerType;
        } else if (def.type === "pipe" && def.out !== undefined) {
            core = def.out; // z.preprocess: the schema the preprocessed value must match
        } else {
            break;
        }
        description ||= core.description ?? "";
    }
    return { core, optional, hasDefault, defaultValue, description };
}

/**
 * What the validator says a value must be: its own error for a value of no type at all, minus the
 * "is not". Every field builder (stacks/config/vocabulary.ts) phrases that error as
 * `is not <what is allowed>`, so the README uses the same words the user sees on a bad value.
 */
export function allowedPhrase(schema: Schema): string {
    const { type, options, values } = defOf(schema) as Def & { options?: readonly Schema[]; values?: readonly unknown[] };
    if (type === "union" && options !== undefined) {
        return options.map((option) => allowedPhrase(unwrap(option).core)).join(", or ");
    }
    if (type === "literal" && values !== undefined) {
        return values.map((value) => JSON.stringify(value)).join(" or "); // zod's own message would read "Invalid input: …"
    }
    const result = schema.safeParse(Symbol("docs-probe"));
    const message = result.success ? "" : (result.error.issues[0]?.message ?? "");
    return message.replace(/^is not /, "");
}

/** A list of enum values also names them: "a list of optional endpoints, each one of kms, logs, ec2". */
function allowedOf(core: Schema): string {
    const def = defOf(core);
    if (def.type === "undefined") {
        return `refused: ${allowedPhrase(core)}`;
    }
    const element = def.type === "array" && def.element !== undefined ? unwrap(def.element).core : undefined;
    const each = element !== undefined && defOf(element).type === "enum" ? `, each ${allowedPhrase(element)}` : "";
    return `${allowedPhrase(core)}${each}${mapParts(def)}`;
}

/** A map also names its keys, and its values unless they are objects (those get rows of their own). */
function mapParts(def: Def): string {
    if (def.type !== "record" || def.keyType === undefined || def.valueType === undefined) {
        return "";
    }
    const value = unwrap(def.valueType).core;
    const values = defOf(value).type === "object" ? "" : `; values: ${allowedPhrase(value)}`;
    return `; keys: ${allowedPhrase(def.keyType)}${values}`;
}

function formatDefault(unwrapped: Unwrapped): string {
    if (defOf(unwrapped.core).type === "undefined") {
        return "—";
    }
    if (!unwrapped.hasDefault) {
        return unwrapped.optional ? "none" : "required";
    }
    // An object whose default is just its keys' own defaults says so instead of repeating them.
    const value = unwrapped.defaultValue;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
        const fromKeys = unwrapped.core.safeParse({});
        if (fromKeys.success && JSON.stringify(fromKeys.data) === JSON.stringify(value)) {
            return "each key's default";
        }
    }
    return `\`${compactJson(value)}\``;
}

/** JSON without quotes around keys: `{dev: 0, prod: 7}` reads like the YAML a user writes. */
export function compactJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(compactJson).join(", ")}]`;
    }
    if (value !== null && typeof value === "object") {
        return `{${Object.entries(value).map(([key, inner]) => `${key}: ${compactJson(inner)}`).join(", ")}}`;
    }
    return JSON.stringify(value);
}

/** The placeholder a map's key takes in a path: the key schema's description (`<OS>`), else `<key>`. */
function mapKeyLabel(keyType: Schema | undefined): string {
    return `<${keyType?.description ?? "key"}>`;
}

function children(core: Schema, path: string): [string, Schema][] {
    const def = defOf(core);
    if (def.type === "object" && def.shape !== undefined) {
        return Object.entries(def.shape).map(([key, child]) => [path === "" ? key : `${path}.${key}`, child]);
    }
    if (def.type === "array" && def.element !== undefined) {
        return nested(def.element, `${path}[]`);
    }
    if (def.type === "record" && def.valueType !== undefined) {
        return nested(def.valueType, `${path}.${mapKeyLabel(def.keyType)}`);
    }
    return [];
}

/** An element or map value gets rows of its own only when it is an object (or a list of them). */
function nested(schema: Schema, path: string): [string, Schema][] {
    const { core } = unwrap(schema);
    return ["object", "array"].includes(defOf(core).type) ? children(core, path) : [];
}

/** Depth-first, in schema order: a key's row comes right before its sub-keys'. */
export function configKeys(schema: Schema, path = ""): ConfigKey[] {
    return children(unwrap(schema).core, path).flatMap(([childPath, child]) => {
        const unwrapped = unwrap(child);
        const row: ConfigKey = {
            path: childPath,
            allowed: allowedOf(unwrapped.core),
            default: formatDefault(unwrapped),
            description: unwrapped.description,
        };
        return [row, ...configKeys(child, childPath)];
    });
}
