import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { UsageError } from "./errors";

/**
 * The named profiles the AWS SDK for JavaScript would find, read the way it reads them
 * (@smithy/shared-ini-file-loader): the config file is `AWS_CONFIG_FILE` or ~/.aws/config, where a
 * profile is a `[profile <name>]` section or `[default]` (`[sso-session …]`, `[services …]` are
 * not profiles); the credentials file is `AWS_SHARED_CREDENTIALS_FILE` or ~/.aws/credentials,
 * where every `[<name>]` section is a profile.
 */
export function awsProfiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): { files: string[]; profiles: string[] } {
    const configFile = env.AWS_CONFIG_FILE ?? path.join(home, ".aws", "config");
    const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, ".aws", "credentials");
    const fromConfig = sections(configFile).flatMap((section) => {
        const profile = /^profile\s+(.+)$/.exec(section)?.[1];
        return profile !== undefined ? [profile.trim()] : section === "default" ? ["default"] : [];
    });
    const profiles = [...new Set([...fromConfig, ...sections(credentialsFile)])].sort();
    return { files: [configFile, credentialsFile], profiles };
}

function sections(file: string): string[] {
    if (!existsSync(file)) {
        return [];
    }
    return readFileSync(file, "utf8")
        .split(/\r?\n/)
        .map((line) => /^\s*\[([^[\]]+)\]\s*$/.exec(line)?.[1]?.trim())
        .filter((name): name is string => name !== undefined);
}

/** `--profile <name>` must name a profile that exists: the SDK's own error does not list the others. */
export function checkProfile(profile: string, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): void {
    const { files, profiles } = awsProfiles(env, home);
    if (!profiles.includes(profile)) {
        const known = profiles.length > 0 ? `profiles: ${profiles.join(", ")}` : "no profiles there";
        throw new UsageError(`--profile: "${profile}" is not a profile in ${files.join(" or ")} (${known})`);
    }
}
