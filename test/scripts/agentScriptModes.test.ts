import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { registrationSecretName } from "../../catalog/azureRegistration";
import {
    agentProtectedSettings,
    committedAgentSigningKey,
    compactPowerShell,
    MAX_WINDOWS_COMMAND_LENGTH,
    renderAgentScript,
    renderAutoRegisterScript,
    scriptTemplate,
    selectScriptMode,
    type AutoRegisterValues,
} from "../../components/azure/azureAgentScript";
import { CI } from "./linuxSandbox";

/**
 * The two rendering modes of the agent scripts (explicit: activation rendered in; vault: read from
 * Key Vault, issue 18) and the Windows script, which cannot run here: its rendered text is parsed
 * with the tree-sitter PowerShell grammar (npm tree-sitter-powershell, WASM through
 * web-tree-sitter; no PowerShell runs on this machine) and checked for the properties the Linux
 * tests prove by running.
 */

const VAULT: AutoRegisterValues = { patchGroup: "web-prod", vaultName: "kv-patching-prod", secretName: registrationSecretName("web-prod") };
const EXPLICIT = { region: "eu-west-2", activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "Zq7SeCrEtAcTiVaTiOnCoDe42" };
const LONGEST_GROUP = `G${"x".repeat(55)}`;
const LONGEST: AutoRegisterValues = { patchGroup: LONGEST_GROUP, vaultName: `k${"v".repeat(22)}1`, secretName: registrationSecretName(LONGEST_GROUP) };

describe("components/azureAgentScript: explicit and vault modes", () => {
    it("each mode keeps only its own sections: the vault script carries no activation, the explicit one nothing of the vault", () => {
        for (const os of ["linux", "windows"] as const) {
            const key = os === "linux" ? committedAgentSigningKey() : undefined;
            const vault = renderAutoRegisterScript(os, VAULT, key);
            const explicit = renderAgentScript(scriptTemplate(os), EXPLICIT, key);
            for (const script of [vault, explicit]) {
                assert.doesNotMatch(script, /\{\{|# @(explicit|vault)-/, `${os}: placeholders and section markers are gone`);
            }
            assert.ok(vault.includes(VAULT.vaultName) && vault.includes(VAULT.secretName) && vault.includes(VAULT.patchGroup));
            assert.ok(!vault.includes(EXPLICIT.activationId) && vault.includes("169.254.169.254"), `${os}: the vault script carries no activation and asks IMDS`);
            assert.ok(!explicit.includes("169.254.169.254") && !explicit.includes("vault.azure.net") && !explicit.includes("-register -clear"), `${os}: the explicit script never touches the vault or clears a registration`);
        }
    });

    it("validates vault values with one clear message each (they are substituted into quotes)", () => {
        const cases: [Partial<AutoRegisterValues>, RegExp][] = [
            [{ patchGroup: "web'prod" }, /patchGroup "web'prod" does not match/],
            [{ patchGroup: "x".repeat(57) }, /patchGroup "x{57}" does not match/],
            [{ patchGroup: "AWS-reserved" }, /patchGroup "AWS-reserved" does not match/],
            [{ vaultName: "kv" }, /vaultName "kv" does not match/],
            [{ vaultName: "kv--double" }, /vaultName "kv--double" does not match/],
            [{ vaultName: "1kv" }, /vaultName "1kv" does not match/],
            [{ secretName: "a_b" }, /secretName "a_b" does not match/],
            [{ secretName: "s".repeat(81) }, /secretName "s{81}" does not match/],
        ];
        for (const [change, message] of cases) {
            assert.throws(() => renderAutoRegisterScript("windows", { ...VAULT, ...change }), message);
        }
        assert.throws(() => renderAutoRegisterScript("linux", VAULT), /verifies the agent package but no signing key was given/);
    });

    it("refuses templates whose section markers are unbalanced", () => {
        assert.throws(() => selectScriptMode("a\n# @vault-begin\nb\n", "vault"), /section "vault" is never closed/);
        assert.throws(() => selectScriptMode("# @vault-begin\n# @explicit-begin\n# @explicit-end\n# @vault-end\n", "vault"), /out of place/);
        assert.throws(() => selectScriptMode("# @vault-end\n", "explicit"), /out of place/);
        assert.equal(selectScriptMode("a\n# @vault-begin\nb\n# @vault-end\n# @explicit-begin\nc\n# @explicit-end\nd", "vault"), "a\nb\nd");
        assert.equal(selectScriptMode("a\n# @vault-begin\nb\n# @vault-end\n# @explicit-begin\nc\n# @explicit-end\nd", "explicit"), "a\nc\nd");
    });

    it("Windows vault mode fits the command line for the longest names the stack can produce", () => {
        assert.equal(LONGEST.secretName.length, 80, "registrationSecretName of a 56-character group");
        const command = agentProtectedSettings("windows", renderAutoRegisterScript("windows", LONGEST)).commandToExecute;
        assert.ok(command.length <= MAX_WINDOWS_COMMAND_LENGTH, `${command.length} characters`);
        const decoded = Buffer.from(command.split(" ").pop() as string, "base64").toString("utf16le");
        assert.ok(decoded.includes(LONGEST.secretName) && decoded.includes("AmazonSSMAgentSetup.exe"));
    });

    it("Windows vault mode: token only in a header, bounded retries, Authenticode before the installer, clear before register, marker after it", () => {
        const script = compactPowerShell(renderAutoRegisterScript("windows", VAULT));
        // IMDS without any proxy (Azure IMDS docs; PowerShell 5.1's Invoke-RestMethod has no -NoProxy).
        assert.match(script, /\$w = \[Net\.WebClient\]@\{Proxy = \$null\}; \$w\.Headers\.Metadata = 'true'\n\$token = \(\$w\.DownloadString\('http:\/\/169\.254\.169\.254\/metadata\/identity\/oauth2\/token\?api-version=2018-02-01&resource=https:\/\/vault\.azure\.net'\) \| ConvertFrom-Json\)\.access_token/);
        assert.match(script, /Invoke-RestMethod -Headers @\{Authorization = "Bearer \$token"\} -Uri "https:\/\/\$vault\.vault\.azure\.net\/secrets\/\$\{secret\}\?api-version=7\.4"/);
        assert.equal(script.match(/\$token/g)?.length, 2, "assigned once, used once: in the Authorization header");
        assert.match(script, /if \(\$i -ge 12\) \{ throw "no activation from \$vault after \$i attempts: \$_" \}/);
        assert.match(script, /Start-Sleep \(\[Math\]::Min\(120, 5 \* \[Math\]::Pow\(2, \$i - 1\)\)\)/);
        const order = ["169.254.169.254", "Get-AuthenticodeSignature -FilePath $setup", "Start-Process $setup", "& $agent -register -clear", "& $agent -register -code $code -id $id -region $region", "Set-Content $marker"].map((text) => script.indexOf(text));
        assert.ok(order.every((index, i) => index > 0 && (i === 0 || index > order[i - 1])), `in order: ${order.join(", ")}`);
        const guard = script.indexOf('-ceq "$old $group") { "already registered: $old, $group"; exit 0 }');
        assert.ok(guard > 0 && guard < order[0], "same group: exits before asking IMDS");
        assert.doesNotMatch(script, / -y\b|Out-File|Start-Transcript|Tee-Object/);
    });
});

/** web-tree-sitter and the PowerShell grammar, when installed; the specifiers are variables so the type-check does not need them. */
async function loadPowerShellParser(): Promise<((source: string) => string[]) | undefined> {
    const require = createRequire(path.join(process.cwd(), "package.json"));
    let wasm: string;
    let treeSitter: { Parser: { init(): Promise<void>; new (): { setLanguage(language: unknown): void; parse(source: string): { rootNode: SyntaxNode } } }; Language: { load(file: string): Promise<unknown> } };
    try {
        wasm = path.join(path.dirname(require.resolve("tree-sitter-powershell/package.json")), "tree-sitter-powershell.wasm");
        const name = "web-tree-sitter";
        treeSitter = (await import(name)) as typeof treeSitter;
    } catch {
        return undefined;
    }
    await treeSitter.Parser.init();
    const parser = new treeSitter.Parser();
    parser.setLanguage(await treeSitter.Language.load(wasm));
    return (source) => {
        const problems: string[] = [];
        const walk = (node: SyntaxNode): void => {
            if (node.type === "ERROR" || node.isMissing) {
                problems.push(`${node.isMissing ? `missing ${node.type}` : "syntax error"} at line ${node.startPosition.row + 1}: ${node.text.slice(0, 80)}`);
            }
            node.children.forEach(walk);
        };
        walk(parser.parse(source).rootNode);
        return problems;
    };
}

interface SyntaxNode {
    readonly type: string;
    readonly isMissing: boolean;
    readonly text: string;
    readonly startPosition: { readonly row: number };
    readonly children: readonly SyntaxNode[];
}

describe("scripts/ssm-agent/install-windows.ps1 parsed as rendered (tree-sitter PowerShell grammar)", function () {
    let parse: ((source: string) => string[]) | undefined;

    before(async function () {
        parse = await loadPowerShellParser();
        if (parse === undefined) {
            const declared = JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).devDependencies ?? {}).includes("tree-sitter-powershell");
            if (CI && declared) {
                throw new Error("tree-sitter-powershell and web-tree-sitter are devDependencies but not installed (npm ci)");
            }
            console.warn("  skipped: the PowerShell parser needs the npm packages tree-sitter-powershell and web-tree-sitter");
            this.skip();
        }
    });

    it("both modes, exactly as encoded into the command line, parse without errors", () => {
        assert.ok(existsSync(path.join("scripts", "ssm-agent", "install-windows.ps1")));
        for (const script of [renderAutoRegisterScript("windows", LONGEST), renderAgentScript(scriptTemplate("windows"), EXPLICIT)]) {
            assert.deepEqual(parse?.(compactPowerShell(script)), []);
        }
    });

    it("the parser does find errors (a brace or a quote lost in compaction would show)", () => {
        const script = compactPowerShell(renderAutoRegisterScript("windows", VAULT));
        assert.notDeepEqual(parse?.(script.replace("} finally {", "finally {")), []);
        assert.notDeepEqual(parse?.(script.replace(`$secret = '${VAULT.secretName}'`, `$secret = '${VAULT.secretName}`)), []);
    });
});
