import { readFileSync } from "node:fs";
import * as path from "node:path";
import { findProjectRoot } from "../assets/projectRoot";

/**
 * The SSM agent install-and-register scripts for Azure VMs (files in `scripts/ssm-agent/`), and
 * the VM-extension settings that run them. Pure apart from reading the two script files.
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

export function scriptTemplate(os: AzureVmOs): string {
    return readFileSync(path.join(findProjectRoot(), "scripts", "ssm-agent", SCRIPT_FILES[os]), "utf8");
}

/** Fills the placeholders; refuses values that could break out of their quotes. */
export function renderAgentScript(template: string, values: ActivationValues): string {
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
    const leftover = /\{\{[A-Z_]+\}\}/.exec(script);
    if (leftover !== null) {
        throw new Error(`agent script: unknown placeholder ${leftover[0]}`);
    }
    return script;
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
    const command = `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${Buffer.from(script, "utf16le").toString("base64")}`;
    if (command.length > MAX_WINDOWS_COMMAND_LENGTH) {
        throw new Error(`agent script: the Windows command is ${command.length} characters, over the ${MAX_WINDOWS_COMMAND_LENGTH} a command line allows`);
    }
    return { commandToExecute: command };
}
