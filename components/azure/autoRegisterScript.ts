import type { AzureOsFamily } from "../../catalog/azureRegistration";
import { agentProtectedSettings, renderAutoRegisterScript, type AgentSigningKey, type AutoRegisterValues } from "./azureAgentScript";

/**
 * The protected-settings value the registration policy passes for `os` (an assignment parameter,
 * so it holds only where to read the activation, never the activation): Linux CustomScript's
 * `script` (base64), Windows CustomScriptExtension's `commandToExecute` — the same encoding the
 * explicitly listed VMs use (agentProtectedSettings). Only Linux verifies the agent package with
 * `signingKey`.
 */
export function autoRegisterProtectedSetting(os: AzureOsFamily, values: AutoRegisterValues, signingKey?: AgentSigningKey): string {
    const settings = agentProtectedSettings(os, renderAutoRegisterScript(os, values, os === "linux" ? signingKey : undefined));
    return os === "linux" ? settings["script"] : settings["commandToExecute"];
}
