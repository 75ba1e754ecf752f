import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { agentSigningKey, renderAgentScript, scriptTemplate, type AgentSigningKey } from "../../components/azure/azureAgentScript";
import { openPgpKeyInfo } from "../../components/azure/openPgpKey";

/**
 * The rendered Linux install script, EXECUTED: /bin/sh runs it the way the Azure CustomScript
 * extension does (a 0500 script.sh in a download folder), in a private mount namespace where
 * /var/lib is a sandbox folder, with PATH holding only fakes (curl serving fixture packages, apt-get,
 * dpkg, rpm, systemctl, uname, amazon-ssm-agent) and the real tools the script uses. Signatures are
 * real: test keys made with gpg, verified by the real gpgv/gpg the script calls. Every fake records
 * its command line, so the tests see what ran and in which order.
 */

const CI = process.env.CI === "true";
const VALUES = { region: "eu-west-2", activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "Zq7SeCrEtAcTiVaTiOnCoDe42" };
const BASE = `https://amazon-ssm-${VALUES.region}.s3.${VALUES.region}.amazonaws.com/latest`;
const REAL_TOOLS = ["bash", "cat", "rm", "mkdir", "mktemp", "grep", "awk", "base64", "basename", "sleep", "cp", "chmod", "printf"] as const;

function which(tool: string): string | undefined {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

/** What the machine lacks for these tests, or nothing. */
function missingPrerequisites(): string[] {
    const missing = [...REAL_TOOLS, "gpg", "gpgv", "unshare", "mount"].filter((tool) => which(tool) === undefined);
    if (missing.length === 0 && spawnSync("unshare", ["-m", "true"]).status !== 0) {
        missing.push("a mount namespace (unshare -m, needs root)");
    }
    return missing;
}

const FAKES: Record<string, string> = {
    curl: `#!/bin/bash
echo "curl $*" >> "$CALLS"
out=''; url=''; proto=''; redir=''; tls=''
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift ;;
    --proto) proto="$2"; shift ;;
    --proto-redir) redir="$2"; shift ;;
    --tlsv1.2) tls=yes ;;
    https://*|http://*) url="$1" ;;
  esac
  shift
done
if [ "$proto" != "=https" ] || [ "$redir" != "=https" ] || [ "$tls" != yes ]; then echo "fake curl: not pinned to HTTPS/TLS 1.2" >&2; exit 2; fi
case "$url" in https://amazon-ssm-*.amazonaws.com/*) ;; *) echo "fake curl: unexpected host $url" >&2; exit 6 ;; esac
src="$REPO/\${url#https://*/}"
if [ ! -f "$src" ]; then echo "fake curl: 404 $url" >&2; exit 22; fi
cp "$src" "$out"
`,
    "apt-get": `#!/bin/bash
echo "apt-get $*" >> "$CALLS"
sleep "\${FAKE_INSTALL_SECONDS:-0}"
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

/** Installed into PATH by the fake package managers (or up front, for a preinstalled agent). */
const FAKE_AGENT = `#!/bin/bash
echo "amazon-ssm-agent $*" >> "$CALLS"
if [ "$1" = -register ]; then
  if [ -n "\${FAKE_REGISTER_FAILS:-}" ]; then echo "Registration failed due to InvalidActivation" >&2; exit 1; fi
  mkdir -p /var/lib/amazon/ssm
  echo '{"ManagedInstanceID":"mi-0123456789abcdef0","Region":"eu-west-2"}' > /var/lib/amazon/ssm/registration
fi
`;

interface Keys {
    readonly home: string;
    readonly signer: AgentSigningKey;
    readonly signerFingerprint: string;
    readonly attackerFingerprint: string;
    readonly expired: AgentSigningKey;
    readonly expiredFingerprint: string;
    readonly gpgColonsFingerprint: (id: string) => string;
}

function gpg(home: string, args: string[]): string {
    const run = spawnSync("gpg", ["--homedir", home, "--batch", "--quiet", ...args], { encoding: "utf8" });
    assert.equal(run.status, 0, `gpg ${args.join(" ")}: ${run.stderr}`);
    return run.stdout;
}

function makeKeys(root: string): Keys {
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

interface Run {
    readonly status: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Every fake's command line, in order. */
    readonly calls: string[];
    readonly scriptPath: string;
    /** The VM's side: /var/lib, the extension's download folder, TMPDIR. */
    readonly vm: string;
    readonly tmp: string;
}

interface Scenario {
    readonly packaging: "deb" | "rpm";
    readonly key: AgentSigningKey;
    /** Which key signs the served package ("tampered": the signer's signature over other bytes). */
    readonly signedBy: "signer" | "attacker" | "expired" | "tampered";
    readonly machine?: "x86_64" | "aarch64";
    /** Hide gpgv (and optionally gpg) from PATH. */
    readonly verifiers?: "gpgv" | "gpg" | "none";
    readonly alreadyRegistered?: boolean;
    readonly agentPreinstalled?: boolean;
    readonly registerFails?: boolean;
    /** Send SIGTERM to the whole run once the package manager has started (it sleeps 2 s). */
    readonly killDuringInstall?: boolean;
}

describe("scripts/ssm-agent/install-linux.sh, run in a sandbox", function () {
    this.timeout(120_000);
    let root: string;
    let keys: Keys;
    let counter = 0;

    before(function () {
        const missing = missingPrerequisites();
        if (missing.length > 0) {
            if (CI) {
                throw new Error(`CI must run the Linux agent-script tests, but this machine lacks: ${missing.join(", ")} (.ci/run installs gnupg and shellcheck)`);
            }
            console.warn(`  skipped: the Linux agent-script sandbox needs ${missing.join(", ")}`);
            this.skip();
        }
        root = mkdtempSync(path.join(tmpdir(), "ssm-agent-linux-"));
        keys = makeKeys(root);
    });

    after(() => {
        if (root !== undefined) {
            rmSync(root, { recursive: true, force: true });
        }
    });

    /** The served package and its detached signature, signed as the scenario says. */
    function publish(repo: string, scenario: Scenario): void {
        const arch = scenario.machine === "aarch64" ? "arm64" : "amd64";
        const folder = path.join(repo, "latest", scenario.packaging === "deb" ? `debian_${arch}` : `linux_${arch}`);
        mkdirSync(folder, { recursive: true });
        const pkg = path.join(folder, `amazon-ssm-agent.${scenario.packaging}`);
        writeFileSync(pkg, "the genuine SSM Agent package\n");
        const signer = { signer: "signer@example.com", tampered: "signer@example.com", attacker: "attacker@example.com", expired: "old@example.com" }[scenario.signedBy];
        const time = scenario.signedBy === "expired" ? ["--faked-system-time", `${Math.floor(Date.now() / 1000) - 9.5 * 86_400}!`] : [];
        gpg(keys.home, [...time, "--yes", "--local-user", signer, "--detach-sign", "--output", `${pkg}.sig`, pkg]);
        if (scenario.signedBy === "tampered") {
            writeFileSync(pkg, "the genuine SSM Agent package, with a backdoor\n");
        }
    }

    function run(scenario: Scenario): Promise<Run> {
        const dir = path.join(root, `run-${++counter}`);
        const bin = path.join(dir, "bin");
        const repo = path.join(dir, "repo");
        const vm = path.join(dir, "vm");
        const varLib = path.join(vm, "var-lib");
        const download = path.join(vm, "waagent", "custom-script", "download", "0");
        const tmp = path.join(vm, "tmp");
        for (const folder of [bin, repo, varLib, download, tmp]) {
            mkdirSync(folder, { recursive: true });
        }
        const calls = path.join(dir, "calls.log");
        writeFileSync(calls, "");
        for (const tool of REAL_TOOLS) {
            symlinkSync(which(tool) as string, path.join(bin, tool));
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
        const fakeAgent = path.join(dir, "fake-agent");
        writeFileSync(fakeAgent, FAKE_AGENT, { mode: 0o755 });
        if (scenario.agentPreinstalled === true) {
            copyFileSync(fakeAgent, path.join(bin, "amazon-ssm-agent"));
            chmodSync(path.join(bin, "amazon-ssm-agent"), 0o755);
        }
        if (scenario.alreadyRegistered === true) {
            mkdirSync(path.join(varLib, "amazon", "ssm"), { recursive: true });
            writeFileSync(path.join(varLib, "amazon", "ssm", "registration"), '{"ManagedInstanceID":"mi-0fedcba9876543210","Region":"eu-west-2"}');
        }
        publish(repo, scenario);
        const scriptPath = path.join(download, "script.sh");
        writeFileSync(scriptPath, renderAgentScript(scriptTemplate("linux"), VALUES, scenario.key), { mode: 0o500 });

        const env = {
            PATH: bin,
            LANG: "C",
            HOME: path.join(vm, "root"),
            TMPDIR: tmp,
            CALLS: calls,
            REPO: repo,
            FAKE_AGENT: fakeAgent,
            FAKE_MACHINE: scenario.machine ?? "x86_64",
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
                resolve({ status, signal, stdout, stderr, calls: readFileSync(calls, "utf8").split("\n").filter((line) => line !== ""), scriptPath, vm, tmp }),
            );
        });
    }

    /** Every file the run left on the VM's side. */
    function filesUnder(folder: string): string[] {
        return readdirSync(folder, { recursive: true, encoding: "utf8" })
            .map((entry) => path.join(folder, entry))
            .filter((entry) => statSync(entry).isFile());
    }

    /** The properties every run must have, success or not. */
    function assertLeavesNothing(result: Run): void {
        assert.ok(!existsSync(result.scriptPath), "the script (it holds the activation code) is deleted");
        assert.deepEqual(readdirSync(result.tmp), [], "the work folder is deleted");
        for (const file of filesUnder(result.vm)) {
            assert.ok(!readFileSync(file, "utf8").includes(VALUES.activationCode), `${file} holds the activation code`);
        }
        assert.ok(!result.stdout.includes(VALUES.activationCode) && !result.stderr.includes(VALUES.activationCode), "the activation code is never printed (the extension keeps stdout/stderr as files)");
    }

    const register = `amazon-ssm-agent -register -code ${VALUES.activationCode} -id ${VALUES.activationId} -region ${VALUES.region}`;

    it("deb: downloads package and signature over pinned HTTPS, verifies, installs with the dpkg-lock wait, registers once", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "signer" });
        assert.equal(result.status, 0, result.stderr);
        const pkg = /-o (\S+\/amazon-ssm-agent\.deb) /.exec(result.calls[0] ?? "")?.[1] ?? "";
        assert.ok(pkg.startsWith(`${result.tmp}/`), `downloaded into a work folder under TMPDIR: ${pkg}`);
        const curl = "curl --proto =https --proto-redir =https --tlsv1.2 -fsSL --retry 5";
        assert.deepEqual(result.calls, [
            `${curl} -o ${pkg} ${BASE}/debian_amd64/amazon-ssm-agent.deb`,
            `${curl} -o ${pkg}.sig ${BASE}/debian_amd64/amazon-ssm-agent.deb.sig`,
            `apt-get install -y -o DPkg::Lock::Timeout=600 ${pkg}`,
            "systemctl stop amazon-ssm-agent",
            register,
            "systemctl enable amazon-ssm-agent",
            "systemctl start amazon-ssm-agent",
        ]);
        assert.match(result.stdout, new RegExp(`verified amazon-ssm-agent\\.deb: signed by ${keys.signerFingerprint}`));
        assert.match(result.stdout, /registered: \{"ManagedInstanceID":"mi-0123456789abcdef0"/);
        assertLeavesNothing(result);
    });

    it("refuses a package whose bytes do not match the signature: nothing installed, nothing registered", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "tampered" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /refusing to install amazon-ssm-agent\.deb: it carries no good signature by the SSM Agent key/);
        assert.match(result.stderr, /BADSIG/);
        assert.deepEqual(result.calls.map((call) => call.split(" ")[0]), ["curl", "curl"]);
        assertLeavesNothing(result);
    });

    it("refuses a package signed by any other key", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "attacker" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /refusing to install/);
        assert.ok(!result.calls.some((call) => call.startsWith("apt-get") || call.startsWith("amazon-ssm-agent")), result.calls.join("\n"));
        assertLeavesNothing(result);
    });

    it("refuses a good signature from a key in the keyring that is not the pinned fingerprint", async () => {
        // The keyring holds both keys, the fingerprint pins the signer's: the attacker's valid
        // signature passes gpgv but not the VALIDSIG check.
        const both = agentSigningKey(gpg(keys.home, ["--armor", "--export", "signer@example.com"])); // fingerprint of the signer
        const keyring = { ...both, binary: Buffer.concat([both.binary, agentSigningKey(gpg(keys.home, ["--armor", "--export", "attacker@example.com"])).binary]) };
        const result = await run({ packaging: "deb", key: keyring, signedBy: "attacker" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, new RegExp(`GOODSIG [0-9A-F]+ Attacker`), "gpgv itself accepted the attacker's signature");
        assert.match(result.stderr, new RegExp(`refusing to install amazon-ssm-agent\\.deb: it carries no good signature by the SSM Agent key ${keys.signerFingerprint}`));
        assert.ok(!result.calls.some((call) => call.startsWith("apt-get")));
        assertLeavesNothing(result);
    });

    it("refuses a signature by the pinned key once that key has expired (gpgv alone would exit 0)", async () => {
        const result = await run({ packaging: "deb", key: keys.expired, signedBy: "expired" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /EXPKEYSIG/);
        assert.ok(!result.calls.some((call) => call.startsWith("apt-get")));
        assertLeavesNothing(result);
    });

    it("rpm on arm64 with only gpg installed: verifies with gpg, installs with rpm -U, never --allow-unsigned-rpm", async () => {
        const result = await run({ packaging: "rpm", key: keys.signer, signedBy: "signer", machine: "aarch64", verifiers: "gpg" });
        assert.equal(result.status, 0, result.stderr);
        const [pkg, sig, install] = result.calls;
        assert.ok(pkg.endsWith(`${BASE}/linux_arm64/amazon-ssm-agent.rpm`) && sig.endsWith(`${BASE}/linux_arm64/amazon-ssm-agent.rpm.sig`), result.calls.join("\n"));
        assert.match(install, /^rpm -U --replacepkgs \S+\/amazon-ssm-agent\.rpm$/);
        assert.ok(result.calls.includes(register));
        assert.ok(!readFileSync(path.join("scripts", "ssm-agent", "install-linux.sh"), "utf8").includes("--allow-unsigned-rpm"));
        assertLeavesNothing(result);
    });

    it("rpm with only gpg installed refuses a tampered package too", async () => {
        const result = await run({ packaging: "rpm", key: keys.signer, signedBy: "tampered", verifiers: "gpg" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /refusing to install amazon-ssm-agent\.rpm/);
        assert.ok(!result.calls.some((call) => call.startsWith("rpm")));
        assertLeavesNothing(result);
    });

    it("refuses to install when neither gpgv nor gpg exists", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "signer", verifiers: "none" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /neither gpgv nor gpg is installed/);
        assert.ok(!result.calls.some((call) => call.startsWith("apt-get")));
        assertLeavesNothing(result);
    });

    it("an already registered node: no download, no registration, exit 0 (a rotated activation re-runs the extension)", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "signer", alreadyRegistered: true });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(result.calls, []);
        assert.match(result.stdout, /already registered: .*mi-0fedcba9876543210/);
        assertLeavesNothing(result);
    });

    it("a preinstalled agent is registered without downloading anything", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "signer", agentPreinstalled: true });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(result.calls, ["systemctl stop amazon-ssm-agent", register, "systemctl enable amazon-ssm-agent", "systemctl start amazon-ssm-agent"]);
        assertLeavesNothing(result);
    });

    it("a failed registration fails the run and still deletes the script", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "signer", registerFails: true });
        assert.notEqual(result.status, 0);
        assert.ok(result.calls.includes(register));
        assert.ok(!result.calls.includes("systemctl enable amazon-ssm-agent"));
        assertLeavesNothing(result);
    });

    it("killed mid-install (the extension's timeout): the script and the work folder are still deleted", async () => {
        const result = await run({ packaging: "deb", key: keys.signer, signedBy: "signer", killDuringInstall: true });
        assert.ok(result.status !== 0 || result.signal !== null, "the run did not complete");
        assert.ok(!result.calls.some((call) => call.startsWith("amazon-ssm-agent")), "nothing registered");
        assertLeavesNothing(result);
    });

    it("the renderer's fingerprint is gpg's, for every test key", () => {
        for (const id of ["signer@example.com", "attacker@example.com", "old@example.com"]) {
            assert.equal(openPgpKeyInfo(gpg(keys.home, ["--armor", "--export", id])).fingerprint, keys.gpgColonsFingerprint(id));
        }
        assert.equal(keys.signer.fingerprint, keys.signerFingerprint);
        assert.ok(keys.expired.expires !== undefined && keys.expired.expires.getTime() < Date.now(), "the expired key's expiry is read from its self-signature");
    });

    it("passes shellcheck as rendered", function () {
        if (which("shellcheck") === undefined) {
            if (CI) {
                throw new Error("CI must run shellcheck on the agent script (.ci/run installs it)");
            }
            console.warn("  skipped: shellcheck is not installed (apt-get install -y shellcheck)");
            this.skip();
        }
        const file = path.join(root, "rendered-install-linux.sh");
        writeFileSync(file, renderAgentScript(scriptTemplate("linux"), VALUES, keys.signer));
        const check = spawnSync("shellcheck", ["--shell=bash", "--severity=style", file], { encoding: "utf8" });
        assert.equal(check.status, 0, check.stdout + check.stderr);
    });
});
