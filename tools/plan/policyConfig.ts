/**
 * Policy pack configuration as the Pulumi CLI resolves it before it configures a pack: a file
 * `{"all": "<level>", "<policy>": "<level>" | {"enforcementLevel": "<level>", "<knob>": value}}`,
 * each policy starting from its own enforcementLevel (the SDK's pack default: advisory) and its
 * configSchema defaults, then "all", then its own entry. Values are checked against the schema;
 * unlike the CLI, unknown policy names and knobs are refused too (a typo would otherwise be silent).
 */
import { readFileSync } from "node:fs";
import type { EnforcementLevel, Policy } from "@pulumi/policy";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ResolvedPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
    override name = "PolicyConfigError";
}

type Schema = { type?: string | string[]; enum?: unknown[]; minimum?: number; maximum?: number; minItems?: number; items?: unknown; default?: unknown };

export function readPolicyConfigFile(file: string): Record<string, unknown> {
    let document: unknown;
    try {
        document = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
        throw new PolicyConfigError(`${file}: not a JSON policy config (${(error as Error).message})`);
    }
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
        throw new PolicyConfigError(`${file}: a policy config is a JSON object of policy names`);
    }
    return document as Record<string, unknown>;
}

function level(value: unknown, where: string): EnforcementLevel {
    if (typeof value !== "string" || !ENFORCEMENT_LEVELS.includes(value as EnforcementLevel)) {
        throw new PolicyConfigError(`${where}: ${JSON.stringify(value)} is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
    }
    return value as EnforcementLevel;
}

function typeProblem(value: unknown, schema: Schema): string | undefined {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
    if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
        return `is not of type ${types.join(" or ")}`;
    }
    if (schema.enum !== undefined && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        return `is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
        return `is below the minimum ${schema.minimum}`;
    }
    if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) {
        return `is above the maximum ${schema.maximum}`;
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            return `has fewer than ${schema.minItems} items`;
        }
        for (const [index, item] of value.entries()) {
            const problem = schema.items && typeof schema.items === "object" ? typeProblem(item, schema.items as Schema) : undefined;
            if (problem !== undefined) {
                return `[${index}] ${problem}`;
            }
        }
    }
    return undefined;
}

/** Every policy's effective enforcement level and knobs; `source` names the file in messages. */
export function resolvePolicyConfig(policies: readonly Policy[], raw: Record<string, unknown>, source: string): Map<string, ResolvedPolicyConfig> {
    const names = new Set(policies.map((policy) => policy.name));
    for (const key of Object.keys(raw)) {
        if (key !== "all" && !names.has(key)) {
            throw new PolicyConfigError(`${source}: "${key}" is not a policy of this pack`);
        }
    }
    const all = raw["all"];
    const allLevel = all === undefined ? undefined : level(typeof all === "object" && all !== null ? (all as Record<string, unknown>)["enforcementLevel"] : all, `${source}: all`);
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const schema = (policy.configSchema?.properties ?? {}) as Record<string, Schema>;
        const properties: Record<string, unknown> = {};
        for (const [knob, definition] of Object.entries(schema)) {
            if (definition.default !== undefined) {
                properties[knob] = structuredClone(definition.default);
            }
        }
        let enforcementLevel: EnforcementLevel = allLevel ?? policy.enforcementLevel ?? "advisory";
        const entry = raw[policy.name];
        if (typeof entry === "string") {
            enforcementLevel = level(entry, `${source}: ${policy.name}`);
        } else if (entry !== undefined && entry !== null && typeof entry === "object" && !Array.isArray(entry)) {
            for (const [knob, value] of Object.entries(entry as Record<string, unknown>)) {
                if (knob === "enforcementLevel") {
                    enforcementLevel = level(value, `${source}: ${policy.name}.enforcementLevel`);
                    continue;
                }
                if (schema[knob] === undefined) {
                    const known = Object.keys(schema);
                    throw new PolicyConfigError(`${source}: ${policy.name}.${knob} is not a setting of this policy (${known.length > 0 ? `settings: ${known.join(", ")}` : "it has none"})`);
                }
                const problem = typeProblem(value, schema[knob]);
                if (problem !== undefined) {
                    throw new PolicyConfigError(`${source}: ${policy.name}.${knob}: ${JSON.stringify(value)} ${problem}`);
                }
                properties[knob] = value;
            }
        } else if (entry !== undefined) {
            throw new PolicyConfigError(`${source}: ${policy.name} must be an enforcement level or an object`);
        }
        for (const required of policy.configSchema?.required ?? []) {
            if (properties[required] === undefined) {
                throw new PolicyConfigError(`${source}: ${policy.name}.${required} is required`);
            }
        }
        resolved.set(policy.name, { enforcementLevel, properties });
    }
    return resolved;
}
