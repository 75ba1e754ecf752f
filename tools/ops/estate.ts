import { existsSync, readdirSync } from "node:fs";
import { readStackConfig, stackConfigFile } from "../mock/stackConfig";
import { estateFromConfigValues } from "../../stacks/config/estateConfig";
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
 * way the Pulumi CLI hands it to the program (tools/mock/stackConfig.ts), then the program's own
 * `estateFromConfigValues`. A bad file throws its ConfigError (one line per problem).
 */
export function loadEstate(directory: string, stack: string): Estate {
    if (!existsSync(stackConfigFile(directory, stack))) {
        throw new UsageError(`--stack: no stack "${stack}": Pulumi.${stack}.yaml does not exist (stacks here: ${availableStacks(directory).join(", ") || "none"})`);
    }
    const config = readStackConfig(directory, stack);
    return estateFromConfigValues(config.values, { project: config.project, stack });
}

export const describeAccount = (account: AwsAccount): string => `${account.alias} (${account.id})`;
export const describeAccounts = (accounts: readonly AwsAccount[]): string => accounts.map(describeAccount).join(", ");

/** `alias (id)` for a known account id, the bare id otherwise. */
export function accountLabel(estate: Estate | undefined, accountId: string): string {
    const account = estate?.accounts.find((a) => a.id === accountId);
    return account === undefined ? accountId : describeAccount(account);
}
