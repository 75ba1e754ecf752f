import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse, YAMLParseError } from "yaml";

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: fully qualified keys
 * (`project:key`), scalars as text, structured values as JSON text, and the project's declared
 * defaults (Pulumi.yaml `config.<key>.default`) for keys the stack does not set.
 */
export interface StackConfig {
    readonly project: string;
    readonly values: Record<string, string>;
    /** Keys whose stack value is, or holds, an encrypted value (`secure:`); offline they hold placeholders. */
    readonly secretKeys: string[];
    /** Where each encrypted value sits (`notifications.httpsEndpoints[0]`), for the plan to print. */
    readonly secretPaths: string[];
}

export const SECURE_PLACEHOLDER = "offline-placeholder-for-secure-value";

/**
 * Offline there is no key to decrypt with, so an encrypted value becomes a placeholder of the
 * shape its place expects — the config validator checks structure, and a URL or an address that
 * is secret must still parse as one. The real CLI hands the program the decrypted value and marks
 * the whole key secret (`pulumi config set --secret --path` writes `{secure: …}` at any depth).
 */
export function securePlaceholder(path: string): string {
    const leaf = path.replace(/\[\d+\]$/, "").split(".").pop() ?? "";
    if (/https?Endpoints?$|Urls?$|Webhook/i.test(leaf)) {
        return `https://offline-secret.invalid/${encodeURIComponent(path)}`;
    }
    if (/emails?$/i.test(leaf)) {
        return "offline-secret@offline-secret.invalid";
    }
    return SECURE_PLACEHOLDER;
}

/**
 * A YAML syntax error in a project or stack file, named by the file first
 * (`Pulumi.dev.yaml:3:3: Map keys must be unique`): the reader fixes a file, not a stack trace.
 */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

function parseYamlFile(file: string): unknown {
    const text = readFileSync(file, "utf8");
    try {
        return parse(text);
    } catch (error) {
        if (!(error instanceof YAMLParseError)) {
            throw error;
        }
        const at = error.linePos?.[0];
        const where = at === undefined ? "" : `:${at.line}:${at.col}`;
        // The parser's first line, without its own "at line X, column Y:" tail and code frame.
        const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new StackFileError(`${path.basename(file)}${where}: ${reason} (YAML syntax)`);
    }
}

export function readProject(directory: string): { name: string; config: Record<string, { type?: string; description?: string; default?: unknown }> } {
    const project = parseYamlFile(path.join(directory, "Pulumi.yaml")) as { name: string; config?: Record<string, unknown> };
    const config: Record<string, { type?: string; description?: string; default?: unknown }> = {};
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        config[key] = declaration !== null && typeof declaration === "object" ? (declaration as Record<string, unknown>) : { default: declaration };
    }
    return { name: project.name, config };
}

export function stackConfigFile(directory: string, stack: string): string {
    return path.join(directory, `Pulumi.${stack}.yaml`);
}

export function readStackConfig(directory: string, stack: string): StackConfig {
    const project = readProject(directory);
    const file = stackConfigFile(directory, stack);
    const document = (parseYamlFile(file) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const secretPaths: string[] = [];
    for (const [key, declaration] of Object.entries(project.config)) {
        if (declaration.default !== undefined) {
            values[`${project.name}:${key}`] = encode(declaration.default);
        }
    }
    for (const [rawKey, value] of Object.entries(document.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        const paths: string[] = [];
        const decoded = replaceSecure(value, rawKey.includes(":") ? rawKey.slice(rawKey.indexOf(":") + 1) : rawKey, paths);
        values[key] = encode(decoded);
        if (paths.length > 0) {
            secretKeys.push(key);
            secretPaths.push(...paths);
        }
    }
    return { project: project.name, values, secretKeys, secretPaths };
}

/** The value with every `{secure: …}` (at any depth) replaced by its placeholder; `paths` collects where they were. */
function replaceSecure(value: unknown, path: string, paths: string[]): unknown {
    if (isSecure(value)) {
        paths.push(path);
        return securePlaceholder(path);
    }
    if (Array.isArray(value)) {
        return value.map((item, i) => replaceSecure(item, `${path}[${i}]`, paths));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceSecure(item, `${path}.${key}`, paths)]));
    }
    return value;
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
