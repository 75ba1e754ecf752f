import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: fully qualified keys
 * (`project:key`), scalars as text, structured values as JSON text, and the project's declared
 * defaults (Pulumi.yaml `config.<key>.default`) for keys the stack does not set.
 */
export interface StackConfig {
    readonly project: string;
    readonly values: Record<string, string>;
    /** Keys whose stack value is encrypted (`secure:`); offline they hold a placeholder. */
    readonly secretKeys: string[];
}

export const SECURE_PLACEHOLDER = "offline-placeholder-for-secure-value";

export function readProject(directory: string): { name: string; config: Record<string, { type?: string; description?: string; default?: unknown }> } {
    const project = parse(readFileSync(path.join(directory, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, unknown> };
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
    const document = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, declaration] of Object.entries(project.config)) {
        if (declaration.default !== undefined) {
            values[`${project.name}:${key}`] = encode(declaration.default);
        }
    }
    for (const [rawKey, value] of Object.entries(document.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        if (isSecure(value)) {
            values[key] = SECURE_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            values[key] = encode(value);
        }
    }
    return { project: project.name, values, secretKeys };
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
