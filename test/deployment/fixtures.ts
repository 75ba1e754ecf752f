import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { projectFilesAt, type EstateFile, type ProjectFiles } from "../../deployment/projectFiles";

export const ROOT = path.resolve(__dirname, "..", "..");
export const DEPLOYMENT_DIR = path.join(ROOT, "deployment");
export const DEPLOYMENT_PROJECT = "multicloud-patching-deployment";

export type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function readYaml(relative: string): Raw {
    return parse(readFileSync(path.join(ROOT, relative), "utf8")) as Raw;
}

/** The real deployment/Pulumi.org.yaml as raw config (keys without the project prefix). */
export function orgStackConfig(): Raw {
    const raw: Raw = {};
    for (const [key, value] of Object.entries(readYaml("deployment/Pulumi.org.yaml").config as Raw)) {
        if (key.startsWith(`${DEPLOYMENT_PROJECT}:`)) {
            raw[key.slice(DEPLOYMENT_PROJECT.length + 1)] = value;
        }
    }
    return raw;
}

/** The repository's files with some answers replaced (one change per test). */
export function filesWith(overrides: { estate?: (stack: string, real: EstateFile | undefined) => EstateFile | undefined; policyConfig?: ProjectFiles["policyConfig"] }): ProjectFiles {
    const real = projectFilesAt(ROOT);
    return {
        ...real,
        estate: (project, stack) => (overrides.estate ? overrides.estate(stack, real.estate(project, stack)) : real.estate(project, stack)),
        policyConfig: overrides.policyConfig ?? real.policyConfig,
    };
}
