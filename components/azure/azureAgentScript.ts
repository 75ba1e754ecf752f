import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
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
 * Fills the placeholders; refuses values that could break out of their quotes. A template that
 * verifies the agent package (`{{SIGNING_KEY_BASE64}}`, the Linux one) needs `signingKey`.
 */
export function renderAgentScript(template: string, values: ActivationValues, signingKey?: AgentSigningKey): string {
    let script = template;
    for (const key of Object.keys(PLACEHOLDERS) as (keyof ActivationValues)[]) {
        if (!VALUE_PATTERNS[key].test(values[key])) {
            throw new Error(`agent script: ${key} ${key === "activationCode" ? "(secret)" : `"${values[key]}"`} does not match ${VALUE_PATTERNS[key].source}`);
        }
        if (!script.includes(PLACEHOLDERS[key])) {
            throw new Error(`agent script: the template has no ${PLACEHOLDERS[key]}`);
        }
        script = script.split(PLACEHOLDERS[key]).join(values[key]);
    }
    if (script.includes(KEY_PLACEHOLDERS.binary) || script.includes(KEY_PLACEHOLDERS.fingerprint)) {
        if (signingKey === undefined || signingKey.binary.length === 0) {
            throw new Error("agent script: the template verifies the agent package but no signing key was given");
        }
        if (!/^[0-9A-F]{40}$/.test(signingKey.fingerprint)) {
            throw new Error(`agent script: signing key fingerprint "${signingKey.fingerprint}" is not 40 upper-case hex digits`);
        }
        // base64 and hex cannot close the single quotes they are substituted into.
        script = script.split(KEY_PLACEHOLDERS.binary).join(signingKey.binary.toString("base64")).split(KEY_PLACEHOLDERS.fingerprint).join(signingKey.fingerprint);
    } else if (signingKey !== undefined) {
        throw new Error("agent script: a signing key was given but the template has no {{SIGNING_KEY_BASE64}}");
    }
    const leftover = /\{\{[A-Z0-9_]+\}\}/.exec(script);
    if (leftover !== null) {
        throw new Error(`agent script: unknown placeholder ${leftover[0]}`);
    }
    return script;
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
