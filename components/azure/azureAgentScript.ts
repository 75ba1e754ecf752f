import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { KEY_VAULT_NAME_PATTERN } from "../../catalog/keyVault";
import { PATCH_GROUP_NAME_PATTERN } from "../../catalog/naming";
import { findProjectRoot } from "../assets/projectRoot";
import { openPgpKeyInfo } from "./openPgpKey";

/**
 * The SSM agent install-and-register scripts for Azure VMs (files in `scripts/ssm-agent/`), and
 * the VM-extension settings that run them. Pure apart from reading the script and key files.
 */

export type AzureVmOs = "linux" | "windows";

export interface ActivationValues {
    /** Region of the activation: the agent registers there and downloads from that Region's bucket. */
    readonly region: string;
    readonly activationId: string;
    readonly activationCode: string;
}

const SCRIPT_FILES: Record<AzureVmOs, string> = { linux: "install-linux.sh", windows: "install-windows.ps1" };

/** The extension each OS runs the script with (Azure CustomScript docs; the versions the issue fixes). */
export const AGENT_EXTENSIONS = {
    linux: { publisher: "Microsoft.Azure.Extensions", type: "CustomScript", typeHandlerVersion: "2.1" },
    windows: { publisher: "Microsoft.Compute", type: "CustomScriptExtension", typeHandlerVersion: "1.10" },
} as const;

/** Windows runs `powershell -EncodedCommand`; cmd.exe caps a command line at 8191 characters. */
export const MAX_WINDOWS_COMMAND_LENGTH = 8191;

// Values are substituted into single-quoted shell/PowerShell strings, so each must be unable to
// close the quote: Region codes, activation ids (UUIDs) and activation codes (base64-like).
const VALUE_PATTERNS: Record<keyof ActivationValues, RegExp> = {
    region: /^[a-z]{2}(-[a-z]+)+-\d$/,
    activationId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    activationCode: /^[A-Za-z0-9+/=]{20,250}$/,
};
const PLACEHOLDERS: Record<keyof ActivationValues, string> = { region: "{{REGION}}", activationId: "{{ACTIVATION_ID}}", activationCode: "{{ACTIVATION_CODE}}" };
const KEY_PLACEHOLDERS = { binary: "{{SIGNING_KEY_BASE64}}", fingerprint: "{{SIGNING_KEY_FINGERPRINT}}" } as const;

/** What a vault-mode script is rendered with: where its patch group's activation lives, never the activation. */
export interface AutoRegisterValues {
    /** The patch group the VM registers under (written next to the agent's registration; group moves compare it). */
    readonly patchGroup: string;
    /** Key Vault name; the script reads https://<vaultName>.vault.azure.net. */
    readonly vaultName: string;
    /** The secret holding `RegistrationSecretValue` as JSON (catalog/azureRegistration.ts `registrationSecretName`). */
    readonly secretName: string;
}

const AUTO_REGISTER_PATTERNS: Record<keyof AutoRegisterValues, RegExp> = {
    // The config's rule for patch group names (1-56 of letters, digits and _.-), which also keeps
    // them inside their quotes.
    patchGroup: PATCH_GROUP_NAME_PATTERN,
    vaultName: KEY_VAULT_NAME_PATTERN,
    // Key Vault object names (letters, digits, hyphens), at most the 80 characters
    // registrationSecretName makes of a 56-character group: the Windows command has no room for
    // the 127 Key Vault would allow (MAX_WINDOWS_COMMAND_LENGTH).
    secretName: /^[0-9A-Za-z-]{1,80}$/,
};
const AUTO_REGISTER_PLACEHOLDERS: Record<keyof AutoRegisterValues, string> = { patchGroup: "{{PATCH_GROUP}}", vaultName: "{{VAULT_NAME}}", secretName: "{{SECRET_NAME}}" };

/** How the script gets its activation: rendered in (`explicit`) or from a Key Vault secret (`vault`). */
export type AgentScriptMode = "explicit" | "vault";
const SECTION_MARKER = /^\s*# @(explicit|vault)-(begin|end)\s*$/;

/**
 * The template with only `mode`'s sections: lines between `# @<mode>-begin` and `# @<mode>-end`
 * stay (without the markers), the other mode's go. One install path per OS, and each mode's
 * rendered script carries nothing of the other (explicit VMs never ask IMDS or clear a registration).
 */
export function selectScriptMode(template: string, mode: AgentScriptMode): string {
    const kept: string[] = [];
    let open: string | undefined;
    for (const line of template.split("\n")) {
        const marker = SECTION_MARKER.exec(line.replace(/\r$/, ""));
        if (marker === null) {
            if (open === undefined || open === mode) kept.push(line);
            continue;
        }
        const [, section, edge] = marker;
        if ((edge === "begin") !== (open === undefined) || (edge === "end" && open !== section)) {
            throw new Error(`agent script: section marker "${line.trim()}" is out of place (sections do not nest and must close)`);
        }
        open = edge === "begin" ? section : undefined;
    }
    if (open !== undefined) {
        throw new Error(`agent script: section "${open}" is never closed`);
    }
    return kept.join("\n");
}

/** Replaces each placeholder by its value after checking the value against its pattern. */
function fillValues<K extends string>(script: string, values: Readonly<Record<K, string>>, patterns: Record<K, RegExp>, placeholders: Record<K, string>, secret: readonly K[]): string {
    let filled = script;
    for (const key of Object.keys(placeholders) as K[]) {
        if (!patterns[key].test(values[key])) {
            throw new Error(`agent script: ${key} ${secret.includes(key) ? "(secret)" : `"${values[key]}"`} does not match ${patterns[key].source}`);
        }
        if (!filled.includes(placeholders[key])) {
            throw new Error(`agent script: the template has no ${placeholders[key]}`);
        }
        filled = filled.split(placeholders[key]).join(values[key]);
    }
    return filled;
}

/** Fills the signing key where the template verifies the agent package (Linux); checks nothing is left. */
function fillSigningKey(script: string, signingKey: AgentSigningKey | undefined): string {
    let filled = script;
    if (filled.includes(KEY_PLACEHOLDERS.binary) || filled.includes(KEY_PLACEHOLDERS.fingerprint)) {
        if (signingKey === undefined || signingKey.binary.length === 0) {
            throw new Error("agent script: the template verifies the agent package but no signing key was given");
        }
        if (!/^[0-9A-F]{40}$/.test(signingKey.fingerprint)) {
            throw new Error(`agent script: signing key fingerprint "${signingKey.fingerprint}" is not 40 upper-case hex digits`);
        }
        // base64 and hex cannot close the single quotes they are substituted into.
        filled = filled.split(KEY_PLACEHOLDERS.binary).join(signingKey.binary.toString("base64")).split(KEY_PLACEHOLDERS.fingerprint).join(signingKey.fingerprint);
    } else if (signingKey !== undefined) {
        throw new Error("agent script: a signing key was given but the template has no {{SIGNING_KEY_BASE64}}");
    }
    const leftover = /\{\{[A-Z0-9_]+\}\}/.exec(filled);
    if (leftover !== null) {
        throw new Error(`agent script: unknown placeholder ${leftover[0]}`);
    }
    return filled;
}

const templates = new Map<AzureVmOs, string>();

/** The committed script for `os`, read once per process (every VM of that OS renders from it). */
export function scriptTemplate(os: AzureVmOs): string {
    let template = templates.get(os);
    if (template === undefined) {
        template = readFileSync(path.join(findProjectRoot(), "scripts", "ssm-agent", SCRIPT_FILES[os]), "utf8");
        templates.set(os, template);
    }
    return template;
}

/**
 * AWS's SSM Agent signing key for the Linux packages, as published in "Verifying the signature of
 * SSM Agent" (https://docs.aws.amazon.com/systems-manager/latest/userguide/verify-agent-signature.html)
 * and embedded in AWS's own installer (aws/amazon-ssm-agent,
 * agent/setupcli/managers/verificationmanagers/linux_public_key_helper.go). The file holds the
 * armored block; its primary-key fingerprint is pinned here, so a key swapped in the file alone
 * is refused. When AWS publishes a new key, replace the file with the block from that page and
 * this constant with the fingerprint `gpg --show-keys` prints for it (README, "Azure hybrid nodes
 * & agent supply chain").
 */
export const SSM_AGENT_SIGNING_KEY = {
    file: path.join("scripts", "ssm-agent", "amazon-ssm-agent.gpg"),
    fingerprint: "DE92C7DA3E56E92331D62A36BC1F495C97DD04ED",
} as const;

/** A public key the Linux script verifies the agent package with. */
export interface AgentSigningKey {
    /** Upper-case hex primary-key fingerprint the signature must come from. */
    readonly fingerprint: string;
    /** The binary key (gpgv's keyring format). */
    readonly binary: Buffer;
    /** When the key's self-signature says it expires: after that gpg reports EXPKEYSIG and the script refuses. */
    readonly expires?: Date;
}

/** An armored key as the script needs it; throws if the block is damaged. */
export function agentSigningKey(armored: string): AgentSigningKey {
    const info = openPgpKeyInfo(armored);
    return { fingerprint: info.fingerprint, binary: info.binary, ...(info.expires === undefined ? {} : { expires: info.expires }) };
}

/**
 * The committed key, refused unless it is present and is the pinned one. Deploying Linux VMs
 * fails here, before anything reaches a VM, rather than sending a script that could not verify.
 */
export function committedAgentSigningKey(root: string = findProjectRoot(), pinned: string = SSM_AGENT_SIGNING_KEY.fingerprint): AgentSigningKey {
    const file = path.join(root, SSM_AGENT_SIGNING_KEY.file);
    const armored = existsSync(file) ? readFileSync(file, "utf8") : "";
    const fix = `put AWS's current SSM Agent public key block there (https://docs.aws.amazon.com/systems-manager/latest/userguide/verify-agent-signature.html) and its fingerprint in SSM_AGENT_SIGNING_KEY`;
    if (armored.trim() === "") {
        throw new Error(`agent script: ${SSM_AGENT_SIGNING_KEY.file} is missing or empty, so Linux VMs could not verify the SSM Agent package: ${fix}`);
    }
    let key: AgentSigningKey;
    try {
        key = agentSigningKey(armored);
    } catch (error) {
        throw new Error(`agent script: ${SSM_AGENT_SIGNING_KEY.file} is not a usable key (${(error as Error).message}): ${fix}`, { cause: error });
    }
    if (key.fingerprint !== pinned) {
        throw new Error(`agent script: ${SSM_AGENT_SIGNING_KEY.file} holds key ${key.fingerprint}, not the pinned ${pinned}: ${fix}`);
    }
    return key;
}

/**
 * Explicit mode: the activation rendered in. Fills the placeholders; refuses values that could
 * break out of their quotes. A template that verifies the agent package (`{{SIGNING_KEY_BASE64}}`,
 * the Linux one) needs `signingKey`.
 */
export function renderAgentScript(template: string, values: ActivationValues, signingKey?: AgentSigningKey): string {
    return fillSigningKey(fillValues(selectScriptMode(template, "explicit"), values, VALUE_PATTERNS, PLACEHOLDERS, ["activationCode"]), signingKey);
}

/**
 * Vault mode, for VMs Azure Policy registers (issue 18): the script carries no activation, only
 * where to read it (the patch group's Key Vault secret, with the VM's managed identity) and the
 * patch group, so a VM whose group changed re-registers. Same install path and package
 * verification as explicit mode; the Linux script needs `signingKey` as there.
 */
export function renderAutoRegisterScript(os: AzureVmOs, values: AutoRegisterValues, signingKey?: AgentSigningKey): string {
    return fillSigningKey(fillValues(selectScriptMode(scriptTemplate(os), "vault"), values, AUTO_REGISTER_PATTERNS, AUTO_REGISTER_PLACEHOLDERS, []), signingKey);
}

/**
 * The PowerShell script without its comment lines and indentation: the encoded command is UTF-16
 * in base64 (8 characters per 3 of script) inside an 8191-character command line, so the
 * comments that explain the script in the repository cannot ride along. Only whole lines whose
 * first non-blank character is `#` go (the script has no here-strings, where that would matter).
 */
export function compactPowerShell(script: string): string {
    return script
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
        .join("\n");
}

/**
 * Protected settings of the extension (encrypted on the VM and never returned by Azure):
 * Linux CustomScript 2.x takes the script itself, base64-encoded (`script`); Windows
 * CustomScriptExtension takes a command line, here PowerShell with the script as
 * `-EncodedCommand` (base64 of UTF-16LE).
 */
export function agentProtectedSettings(os: AzureVmOs, script: string): Record<string, string> {
    if (os === "linux") {
        return { script: Buffer.from(script, "utf8").toString("base64") };
    }
    const command = `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${Buffer.from(compactPowerShell(script), "utf16le").toString("base64")}`;
    if (command.length > MAX_WINDOWS_COMMAND_LENGTH) {
        throw new Error(`agent script: the Windows command is ${command.length} characters, over the ${MAX_WINDOWS_COMMAND_LENGTH} a command line allows`);
    }
    return { commandToExecute: command };
}
