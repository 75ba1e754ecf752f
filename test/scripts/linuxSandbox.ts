import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { agentSigningKey, type AgentSigningKey } from "../../components/azure/azureAgentScript";

/**
 * The sandbox the rendered Linux install script runs in, shared by the explicit-mode and the
 * vault-mode tests: /bin/sh runs it the way the Azure CustomScript extension does (a 0500
 * script.sh in a download folder), in a private mount namespace where /var/lib is a sandbox
 * folder, with PATH holding only fakes (curl serving fixture packages, Azure IMDS and Key Vault,
 * apt-get, dpkg, rpm, systemctl, uname, amazon-ssm-agent) and the real tools the script uses.
 * Signatures are real: test keys made with gpg, verified by the real gpgv/gpg the script calls.
 * Every fake records its command line, so the tests see what ran and in which order.
 */

export const CI = process.env.CI === "true";
export const REAL_TOOLS = ["bash", "cat", "rm", "mkdir", "mktemp", "grep", "awk", "base64", "basename", "sleep", "cp", "chmod", "printf", "sed", "head"] as const;
/** The token the fake IMDS hands out: the tests look for it wherever it must not be. */
export const FAKE_TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2VjcmV0LXRva2VuLXNpZ25hdHVyZQ";

export function which(tool: string): string | undefined {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

/** What the machine lacks for these tests, or nothing. */
export function missingPrerequisites(): string[] {
    const missing = [...REAL_TOOLS, "gpg", "gpgv", "unshare", "mount"].filter((tool) => which(tool) === undefined);
    if (missing.length === 0 && spawnSync("unshare", ["-m", "true"]).status !== 0) {
        missing.push("a mount namespace (unshare -m, needs root)");
    }
    return missing;
}

/** Skips (locally) or fails (CI) a suite on a machine without the sandbox's tools. */
export function requireSandbox(context: Mocha.Context, what: string): void {
    const missing = missingPrerequisites();
    if (missing.length > 0) {
        if (CI) {
            throw new Error(`CI must run ${what}, but this machine lacks: ${missing.join(", ")} (.ci/run installs gnupg and shellcheck)`);
        }
        console.warn(`  skipped: ${what} needs ${missing.join(", ")}`);
        context.skip();
    }
}

/** shellcheck's verdict on a rendered script; skips locally (fails in CI) without shellcheck. */
export function shellcheck(context: Mocha.Context, file: string): void {
    if (which("shellcheck") === undefined) {
        if (CI) {
            throw new Error("CI must run shellcheck on the agent script (.ci/run installs it)");
        }
        console.warn("  skipped: shellcheck is not installed (apt-get install -y shellcheck)");
        context.skip();
    }
    const check = spawnSync("shellcheck", ["--shell=bash", "--severity=style", file], { encoding: "utf8" });
    assert.equal(check.status, 0, check.stdout + check.stderr);
}

/**
 * curl: IMDS (plain HTTP, Metadata header, no proxy) and Key Vault (pinned HTTPS, the bearer token
 * read from a config on stdin) answer the status lists in FAKE_IMDS / FAKE_VAULT in turn (the last
 * one repeats); anything else must be a pinned-HTTPS download of a fixture file.
 */
const FAKE_CURL = `#!/bin/bash
echo "curl $*" >> "$CALLS"
out=''; url=''; proto=''; redir=''; tls=''; metadata=''; noproxy=''; config=''; format=''
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift ;;
    -w) format="$2"; shift ;;
    -H) [ "$2" = "Metadata: true" ] && metadata=yes; shift ;;
    --noproxy) [ "$2" = "*" ] && noproxy=yes; shift ;;
    --config) config="$2"; shift ;;
    --max-time) shift ;;
    --proto) proto="$2"; shift ;;
    --proto-redir) redir="$2"; shift ;;
    --tlsv1.2) tls=yes ;;
    https://*|http://*) url="$1" ;;
  esac
  shift
done
# The next status of a scripted endpoint: FAKE_<NAME> is a comma list, the last entry repeats.
next_status() {
  local count list
  count=$(cat "$STATE/$1.count" 2>/dev/null || echo 0)
  echo $((count + 1)) > "$STATE/$1.count"
  IFS=, read -ra list <<< "$2"
  if [ "$count" -ge "\${#list[@]}" ]; then count=$((\${#list[@]} - 1)); fi
  echo "\${list[$count]}"
}
respond() {
  printf '%s' "$2" > "$out"
  [ "$format" = '%{http_code}' ] && printf '%s' "$1"
  exit 0
}
case "$url" in
  http://169.254.169.254/*)
    [ "$metadata" = yes ] && [ "$noproxy" = yes ] || { echo "fake IMDS: no Metadata header or through a proxy" >&2; respond 400 '{"error":"bad_request_102","error_description":"Required metadata header not specified"}'; }
    status=$(next_status imds "\${FAKE_IMDS:-200}")
    [ "$status" = 200 ] && respond 200 "{\\"access_token\\":\\"$FAKE_TOKEN\\",\\"expires_in\\":\\"86399\\",\\"resource\\":\\"https://vault.azure.net\\",\\"token_type\\":\\"Bearer\\"}"
    respond "$status" '{"error":"invalid_request","error_description":"Identity not found"}' ;;
  https://*.vault.azure.net/*)
    if [ "$proto" != "=https" ] || [ "$redir" != "=https" ] || [ "$tls" != yes ]; then echo "fake curl: not pinned to HTTPS/TLS 1.2" >&2; exit 2; fi
    [ "$config" = - ] || { echo "fake Key Vault: the token must come on stdin" >&2; exit 2; }
    stdin=$(cat)
    printf '%s\\n' "$stdin" >> "$STDIN_LOG"
    [ "$stdin" = "header = \\"Authorization: Bearer $FAKE_TOKEN\\"" ] || respond 401 '{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}'
    [ "$url" = "$FAKE_SECRET_URL" ] || respond 404 '{"error":{"code":"SecretNotFound","message":"A secret with (name/id) was not found in this key vault."}}'
    status=$(next_status vault "\${FAKE_VAULT:-200}")
    [ "$status" = 200 ] && respond 200 "$(cat "$FAKE_SECRET_BODY")"
    respond "$status" '{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.","innererror":{"code":"ForbiddenByRbac"}}}' ;;
esac
if [ "$proto" != "=https" ] || [ "$redir" != "=https" ] || [ "$tls" != yes ]; then echo "fake curl: not pinned to HTTPS/TLS 1.2" >&2; exit 2; fi
case "$url" in https://amazon-ssm-*.amazonaws.com/*) ;; *) echo "fake curl: unexpected host $url" >&2; exit 6 ;; esac
src="$REPO/\${url#https://*/}"
if [ ! -f "$src" ]; then echo "fake curl: 404 $url" >&2; exit 22; fi
cp "$src" "$out"
`;

const FAKES: Record<string, string> = {
    curl: FAKE_CURL,
    "apt-get": `#!/bin/bash
echo "apt-get $*" >> "$CALLS"
if [ -n "\${FAKE_INSTALL_SECONDS:-}" ]; then sleep "$FAKE_INSTALL_SECONDS"; fi
for last; do :; done
[ -f "$last" ] || { echo "fake apt-get: no package $last" >&2; exit 100; }
cp "$FAKE_AGENT" "\${0%/*}/amazon-ssm-agent"
`,
    dpkg: `#!/bin/bash
echo "dpkg $*" >> "$CALLS"
`,
    rpm: `#!/bin/bash
echo "rpm $*" >> "$CALLS"
for last; do :; done
[ -f "$last" ] || { echo "fake rpm: no package $last" >&2; exit 1; }
cp "$FAKE_AGENT" "\${0%/*}/amazon-ssm-agent"
`,
    systemctl: `#!/bin/bash
echo "systemctl $*" >> "$CALLS"
`,
    uname: `#!/bin/bash
echo "\${FAKE_MACHINE:-x86_64}"
`,
};

/** The recording sleep of the vault tests: the backoff shows in the calls without the wait. */
const FAKE_SLEEP = `#!/bin/bash
echo "sleep $*" >> "$CALLS"
`;

/**
 * Installed into PATH by the fake package managers (or up front, for a preinstalled agent). Like
 * the real agent (core/agent_parser.go): the instance id lives in its vault
 * (Vault/Store/RegistrationKey); `-register -clear` empties it (the registration file stays); a
 * registration over a stored id asks to override and reads the answer from stdin.
 */
const FAKE_AGENT = `#!/bin/bash
echo "amazon-ssm-agent $*" >> "$CALLS"
store=/var/lib/amazon/ssm/Vault/Store/RegistrationKey
if [ "$1" = -register ] && [ "$2" = -clear ]; then rm -f "$store"; exit 0; fi
if [ "$1" = -register ]; then
  if [ -n "\${FAKE_REGISTER_FAILS:-}" ]; then echo "Registration failed due to InvalidActivation" >&2; exit 1; fi
  if [ -s "$store" ]; then
    printf 'Instance already registered. Would you like to override existing with new registration information? [Yes/No]: '
    read -r answer || { echo "Registration failed due to EOF" >&2; exit 1; }
    case "$answer" in [yY]*) ;; *) exit 1 ;; esac
  fi
  mkdir -p /var/lib/amazon/ssm/Vault/Store
  echo "\${FAKE_NEW_ID:-mi-0123456789abcdef0}" > "$store"
  echo "{\\"ManagedInstanceID\\":\\"\${FAKE_NEW_ID:-mi-0123456789abcdef0}\\",\\"Region\\":\\"eu-west-2\\"}" > /var/lib/amazon/ssm/registration
fi
`;

export interface Keys {
    readonly home: string;
    readonly signer: AgentSigningKey;
    readonly signerFingerprint: string;
    readonly attackerFingerprint: string;
    readonly expired: AgentSigningKey;
    readonly expiredFingerprint: string;
    readonly gpgColonsFingerprint: (id: string) => string;
}

export function gpg(home: string, args: string[]): string {
    const run = spawnSync("gpg", ["--homedir", home, "--batch", "--quiet", ...args], { encoding: "utf8" });
    assert.equal(run.status, 0, `gpg ${args.join(" ")}: ${run.stderr}`);
    return run.stdout;
}

export function makeKeys(root: string): Keys {
    const home = path.join(root, "gnupg");
    mkdirSync(home, { mode: 0o700 });
    const tenDaysAgo = Math.floor(Date.now() / 1000) - 10 * 86_400;
    gpg(home, ["--passphrase", "", "--quick-gen-key", "Test Signer <signer@example.com>", "ed25519", "sign", "never"]);
    gpg(home, ["--passphrase", "", "--quick-gen-key", "Attacker <attacker@example.com>", "ed25519", "sign", "never"]);
    // Created ten days ago, valid for one: expired now, its signatures made while it was valid.
    gpg(home, ["--faked-system-time", `${tenDaysAgo}!`, "--passphrase", "", "--quick-gen-key", "Old Signer <old@example.com>", "ed25519", "sign", "1d"]);
    const fingerprintOf = (id: string) => /^fpr:+([0-9A-F]{40}):/m.exec(gpg(home, ["--with-colons", "--list-keys", id]))?.[1] ?? "";
    const keyOf = (id: string) => agentSigningKey(gpg(home, ["--armor", "--export", id]));
    return {
        home,
        signer: keyOf("signer@example.com"),
        signerFingerprint: fingerprintOf("signer@example.com"),
        attackerFingerprint: fingerprintOf("attacker@example.com"),
        expired: keyOf("old@example.com"),
        expiredFingerprint: fingerprintOf("old@example.com"),
        gpgColonsFingerprint: fingerprintOf,
    };
}

export interface Run {
    readonly status: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Every fake's command line, in order. */
    readonly calls: string[];
    /** What curl read on stdin (the Key Vault request's config lines). */
    readonly stdin: string;
    readonly scriptPath: string;
    /** The run's folder: pass it back as `Scenario.again` to run once more on the same VM. */
    readonly dir: string;
    /** The VM's side: /var/lib, the extension's download folder, TMPDIR. */
    readonly vm: string;
    /** The VM's /var/lib. */
    readonly varLib: string;
    readonly tmp: string;
}

/** An existing registration on the VM before the run. */
export interface PriorRegistration {
    readonly id: string;
    /** The vault-mode marker's content (mi- id line, group line), or none. */
    readonly marker?: string;
}

export interface Scenario {
    /** The rendered script. */
    readonly script: string;
    readonly packaging: "deb" | "rpm";
    /** Which key signs the served package ("tampered": the signer's signature over other bytes). */
    readonly signedBy: "signer" | "attacker" | "expired" | "tampered";
    readonly machine?: "x86_64" | "aarch64";
    /** Hide gpgv (and optionally gpg) from PATH. */
    readonly verifiers?: "gpgv" | "gpg" | "none";
    readonly alreadyRegistered?: PriorRegistration;
    readonly agentPreinstalled?: boolean;
    readonly registerFails?: boolean;
    /** Send SIGTERM to the whole run once the package manager has started (it sleeps 2 s). */
    readonly killDuringInstall?: boolean;
    /** Vault mode: IMDS and Key Vault answers (comma lists of HTTP statuses), the secret's URL and response body. */
    readonly azure?: { readonly imds?: string; readonly vault?: string; readonly secretUrl: string; readonly secretBody: string };
    /** The id the fake agent registers as. */
    readonly newId?: string;
    /** Replace `sleep` by a recorder (the vault backoff); the kill test needs the real one. */
    readonly recordSleep?: boolean;
    /** Run again on this earlier run's VM (its /var/lib and installed agent). */
    readonly again?: Run;
}

export class LinuxSandbox {
    private counter = 0;

    constructor(
        private readonly root: string,
        readonly keys: Keys,
    ) {}

    /** The served package and its detached signature, signed as the scenario says. */
    private publish(repo: string, scenario: Scenario): void {
        const arch = scenario.machine === "aarch64" ? "arm64" : "amd64";
        const folder = path.join(repo, "latest", scenario.packaging === "deb" ? `debian_${arch}` : `linux_${arch}`);
        mkdirSync(folder, { recursive: true });
        const pkg = path.join(folder, `amazon-ssm-agent.${scenario.packaging}`);
        writeFileSync(pkg, "the genuine SSM Agent package\n");
        const signer = { signer: "signer@example.com", tampered: "signer@example.com", attacker: "attacker@example.com", expired: "old@example.com" }[scenario.signedBy];
        const time = scenario.signedBy === "expired" ? ["--faked-system-time", `${Math.floor(Date.now() / 1000) - 9.5 * 86_400}!`] : [];
        gpg(this.keys.home, [...time, "--yes", "--local-user", signer, "--detach-sign", "--output", `${pkg}.sig`, pkg]);
        if (scenario.signedBy === "tampered") {
            writeFileSync(pkg, "the genuine SSM Agent package, with a backdoor\n");
        }
    }

    /** A fresh VM (or the one of `scenario.again`): tools, fakes, prior state. */
    private prepare(scenario: Scenario): { dir: string; bin: string; repo: string; vm: string; varLib: string; download: string; tmp: string; state: string } {
        const dir = scenario.again?.dir ?? path.join(this.root, `run-${++this.counter}`);
        const bin = path.join(dir, "bin");
        const repo = path.join(dir, "repo");
        const vm = path.join(dir, "vm");
        const varLib = path.join(vm, "var-lib");
        const download = path.join(vm, "waagent", "custom-script", "download", String(this.counter));
        const tmp = path.join(vm, "tmp");
        const state = path.join(dir, "state");
        for (const folder of [bin, repo, varLib, download, tmp, state]) {
            mkdirSync(folder, { recursive: true });
        }
        writeFileSync(path.join(dir, "calls.log"), "");
        writeFileSync(path.join(dir, "stdin.log"), "");
        for (const name of readdirSync(state)) {
            writeFileSync(path.join(state, name), "0");
        }
        if (scenario.again !== undefined) {
            return { dir, bin, repo, vm, varLib, download, tmp, state };
        }
        for (const tool of REAL_TOOLS) {
            // Never a symlink where a fake goes: writing the fake would write through it.
            if (!(tool === "sleep" && scenario.recordSleep === true)) {
                symlinkSync(which(tool) as string, path.join(bin, tool));
            }
        }
        const verifiers = scenario.verifiers ?? "gpgv";
        if (verifiers === "gpgv") {
            symlinkSync(which("gpgv") as string, path.join(bin, "gpgv"));
        }
        if (verifiers !== "none") {
            symlinkSync(which("gpg") as string, path.join(bin, "gpg"));
        }
        const fakes = { ...FAKES };
        if (scenario.packaging === "rpm") {
            delete fakes.dpkg;
            delete fakes["apt-get"];
        } else {
            delete fakes.rpm;
        }
        for (const [name, body] of Object.entries(fakes)) {
            writeFileSync(path.join(bin, name), body, { mode: 0o755 });
        }
        if (scenario.recordSleep === true) {
            writeFileSync(path.join(bin, "sleep"), FAKE_SLEEP, { mode: 0o755, flag: "wx" });
        }
        const fakeAgent = path.join(dir, "fake-agent");
        writeFileSync(fakeAgent, FAKE_AGENT, { mode: 0o755 });
        if (scenario.agentPreinstalled === true) {
            copyFileSync(fakeAgent, path.join(bin, "amazon-ssm-agent"));
            chmodSync(path.join(bin, "amazon-ssm-agent"), 0o755);
        }
        const prior = scenario.alreadyRegistered;
        if (prior !== undefined) {
            const ssm = path.join(varLib, "amazon", "ssm");
            mkdirSync(path.join(ssm, "Vault", "Store"), { recursive: true });
            writeFileSync(path.join(ssm, "registration"), `{"ManagedInstanceID":"${prior.id}","Region":"eu-west-2"}`);
            writeFileSync(path.join(ssm, "Vault", "Store", "RegistrationKey"), `${prior.id}\n`);
            if (prior.marker !== undefined) {
                writeFileSync(path.join(ssm, "registration-group"), prior.marker);
            }
        }
        this.publish(repo, scenario);
        return { dir, bin, repo, vm, varLib, download, tmp, state };
    }

    run(scenario: Scenario): Promise<Run> {
        const { dir, bin, repo, vm, varLib, download, tmp, state } = this.prepare(scenario);
        const calls = path.join(dir, "calls.log");
        const stdinLog = path.join(dir, "stdin.log");
        const scriptPath = path.join(download, "script.sh");
        writeFileSync(scriptPath, scenario.script, { mode: 0o500 });
        const secretBody = path.join(dir, "secret-response.json");
        if (scenario.azure !== undefined) {
            writeFileSync(secretBody, scenario.azure.secretBody);
        }
        const env = {
            PATH: bin,
            LANG: "C",
            HOME: path.join(vm, "root"),
            TMPDIR: tmp,
            CALLS: calls,
            STDIN_LOG: stdinLog,
            STATE: state,
            REPO: repo,
            FAKE_AGENT: path.join(dir, "fake-agent"),
            FAKE_MACHINE: scenario.machine ?? "x86_64",
            FAKE_TOKEN,
            ...(scenario.azure === undefined
                ? {}
                : { FAKE_IMDS: scenario.azure.imds ?? "200", FAKE_VAULT: scenario.azure.vault ?? "200", FAKE_SECRET_URL: scenario.azure.secretUrl, FAKE_SECRET_BODY: secretBody }),
            ...(scenario.newId === undefined ? {} : { FAKE_NEW_ID: scenario.newId }),
            ...(scenario.killDuringInstall === true ? { FAKE_INSTALL_SECONDS: "2" } : {}),
            ...(scenario.registerFails === true ? { FAKE_REGISTER_FAILS: "1" } : {}),
        };
        // /var/lib becomes the sandbox's inside a private mount namespace; then exactly what the
        // extension runs: /bin/sh -c <download>/script.sh, in the download folder.
        const child = spawn(
            which("unshare") as string,
            ["-m", "--propagation", "private", which("bash") as string, "-c", '"$1" --bind "$2" /var/lib && cd "$3" && exec /bin/sh -c "$4"', "sandbox", which("mount") as string, varLib, download, scriptPath],
            { env, detached: true },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        if (scenario.killDuringInstall === true) {
            const poll = setInterval(() => {
                if (/^(apt-get|rpm) /m.test(readFileSync(calls, "utf8"))) {
                    clearInterval(poll);
                    process.kill(-(child.pid as number), "SIGTERM");
                }
            }, 50);
            child.on("close", () => clearInterval(poll));
        }
        return new Promise((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (status, signal) =>
                resolve({
                    status,
                    signal,
                    stdout,
                    stderr,
                    calls: readFileSync(calls, "utf8").split("\n").filter((line) => line !== ""),
                    stdin: readFileSync(stdinLog, "utf8"),
                    scriptPath,
                    dir,
                    vm,
                    varLib,
                    tmp,
                }),
            );
        });
    }
}

/** Every file the run left on the VM's side. */
export function filesUnder(folder: string): string[] {
    return readdirSync(folder, { recursive: true, encoding: "utf8" })
        .map((entry) => path.join(folder, entry))
        .filter((entry) => statSync(entry).isFile());
}

/** The properties every run must have, success or not: script and work folder gone, `secrets` nowhere on the VM or in its output. */
export function assertLeavesNothing(result: Run, secrets: readonly string[]): void {
    assert.ok(!existsSync(result.scriptPath), "the script (it holds the activation code) is deleted");
    assert.deepEqual(readdirSync(result.tmp), [], "the work folder is deleted");
    for (const secret of secrets) {
        for (const file of filesUnder(result.vm)) {
            assert.ok(!readFileSync(file, "utf8").includes(secret), `${file} holds a secret`);
        }
        assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), "no secret is ever printed (the extension keeps stdout/stderr as files)");
    }
}
