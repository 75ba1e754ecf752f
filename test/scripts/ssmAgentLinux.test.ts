import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { agentSigningKey, renderAgentScript, scriptTemplate, type AgentSigningKey } from "../../components/azure/azureAgentScript";
import { openPgpKeyInfo } from "../../components/azure/openPgpKey";
import { assertLeavesNothing as leavesNothing, gpg, LinuxSandbox, makeKeys, requireSandbox, shellcheck, type Keys, type Run, type Scenario } from "./linuxSandbox";

/**
 * The rendered Linux install script in explicit mode (the activation rendered in), EXECUTED in the
 * sandbox of ./linuxSandbox.ts: /bin/sh runs it as the Azure CustomScript extension does, in a
 * private mount namespace, with fakes on PATH that record every command line.
 */

const VALUES = { region: "eu-west-2", activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "Zq7SeCrEtAcTiVaTiOnCoDe42" };
const BASE = `https://amazon-ssm-${VALUES.region}.s3.${VALUES.region}.amazonaws.com/latest`;

type ExplicitScenario = Omit<Scenario, "script" | "alreadyRegistered"> & { readonly key: AgentSigningKey; readonly alreadyRegistered?: boolean };

describe("scripts/ssm-agent/install-linux.sh, run in a sandbox", function () {
    this.timeout(120_000);
    let root: string;
    let keys: Keys;
    let sandbox: LinuxSandbox;

    before(function () {
        requireSandbox(this, "the Linux agent-script tests");
        root = mkdtempSync(path.join(tmpdir(), "ssm-agent-linux-"));
        keys = makeKeys(root);
        sandbox = new LinuxSandbox(root, keys);
    });

    after(() => {
        if (root !== undefined) {
            rmSync(root, { recursive: true, force: true });
        }
    });

    function run(scenario: ExplicitScenario): Promise<Run> {
        const { key, alreadyRegistered, ...rest } = scenario;
        return sandbox.run({
            ...rest,
            script: renderAgentScript(scriptTemplate("linux"), VALUES, key),
            ...(alreadyRegistered === true ? { alreadyRegistered: { id: "mi-0fedcba9876543210" } } : {}),
        });
    }

    function assertLeavesNothing(result: Run): void {
        leavesNothing(result, [VALUES.activationCode]);
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
        const file = path.join(root, "rendered-install-linux.sh");
        writeFileSync(file, renderAgentScript(scriptTemplate("linux"), VALUES, keys.signer));
        shellcheck(this, file);
    });
});
