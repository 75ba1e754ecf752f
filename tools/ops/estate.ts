import { existsSync, readdirSync } from "node:fs";
import { readStackConfig, stackConfigFile } from "../mock/stackConfig";
import { ConfigError, parseEstateConfig } from "../../stacks/config/estateConfig";
import { STRUCTURED_CONFIG_KEYS } from "../../stacks/config/schema";
import type { AwsAccount, Estate } from "../../stacks/config/estateModel";
import { UsageError } from "./errors";

export { UsageError };

export function availableStacks(directory: string): string[] {
    return readdirSync(directory)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * The stack's estate, validated exactly as `pulumi up` validates it: Pulumi.<stack>.yaml read the
 * way the Pulumi CLI hands it to the program (tools/mock/stackConfig.ts), decoded like
 * stacks/config/estateConfig.ts `loadEstateConfig` (structured keys are JSON, an empty scalar is "not set"),
 * then `parseEstateConfig`. A bad file throws its ConfigError (one line per problem).
 */
export function loadEstate(directory: string, stack: string): Estate {
    if (!existsSync(stackConfigFile(directory, stack))) {
        throw new UsageError(`--stack: no stack "${stack}": Pulumi.${stack}.yaml does not exist (stacks here: ${availableStacks(directory).join(", ") || "none"})`);
    }
    const config = readStackConfig(directory, stack);
    const prefix = `${config.project}:`;
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(config.values)) {
        if (fullKey.startsWith(prefix)) {
            const key = fullKey.slice(prefix.length);
            raw[key] = (STRUCTURED_CONFIG_KEYS as readonly string[]).includes(key) ? structured(key, value) : value === "" ? undefined : value;
        }
    }
    return parseEstateConfig(raw, { project: config.project, stack });
}

function structured(key: string, value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        throw new ConfigError([{ path: key, value, message: "is not a structured value (write it as YAML mapping/list in Pulumi.<stack>.yaml)" }]);
    }
}

export const describeAccount = (account: AwsAccount): string => `${account.alias} (${account.id})`;
export const describeAccounts = (accounts: readonly AwsAccount[]): string => accounts.map(describeAccount).join(", ");

/** `alias (id)` for a known account id, the bare id otherwise. */
export function accountLabel(estate: Estate | undefined, accountId: string): string {
    const account = estate?.accounts.find((a) => a.id === accountId);
    return account === undefined ? accountId : describeAccount(account);
}
