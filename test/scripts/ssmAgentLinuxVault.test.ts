import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { registrationSecretName, type RegistrationSecretValue } from "../../catalog/azureRegistration";
import { renderAgentScript, renderAutoRegisterScript, scriptTemplate } from "../../components/azure/azureAgentScript";
import { assertLeavesNothing, FAKE_TOKEN, LinuxSandbox, makeKeys, requireSandbox, shellcheck, type Keys, type PriorRegistration, type Run, type Scenario } from "./linuxSandbox";

/**
 * The rendered Linux install script in vault mode (automatic registration, issue 18), EXECUTED in
 * the sandbox of ./linuxSandbox.ts: a fake curl plays Azure IMDS and Key Vault (scripted HTTP
 * statuses), a fake agent keeps its registration like the real one, every command line is recorded.
 */

const GROUP = "web-prod";
const VAULT = { patchGroup: GROUP, vaultName: "kv-patching-prod", secretName: registrationSecretName(GROUP) };
const SECRET_URL = `https://${VAULT.vaultName}.vault.azure.net/secrets/${VAULT.secretName}?api-version=7.4`;
const IMDS_URL = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net";
// A code with + / = (activation codes are base64-like): the characters JSON encoders escape.
const ACTIVATION: RegistrationSecretValue = { activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "Zq7Se+CrEt/AcTiVaTiOn=", region: "eu-west-2" };
const ROTATED: RegistrationSecretValue = { activationId: "99999999-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "RoTaTeDcOdE+0123456789/=", region: "eu-west-2" };
const BASE = `https://amazon-ssm-${ACTIVATION.region}.s3.${ACTIVATION.region}.amazonaws.com/latest`;
const OLD_ID = "mi-0fedcba98765432101";
const NEW_ID = "mi-0123456789abcdef0";

/** Key Vault's Get Secret response (REST reference sample): the value is our JSON, as a JSON string. */
function secretResponse(value: unknown, encode: (json: string) => string = (json) => json): string {
    return encode(JSON.stringify({ value: JSON.stringify(value), id: `https://${VAULT.vaultName}.vault.azure.net/secrets/${VAULT.secretName}/4387e9f3d6e14c459867679a90fd0f79`, attributes: { enabled: true, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: "Recoverable" } }));
}

describe("scripts/ssm-agent/install-linux.sh in vault mode, run in a sandbox", function () {
    this.timeout(120_000);
    let root: string;
    let keys: Keys;
    let sandbox: LinuxSandbox;

    before(function () {
        requireSandbox(this, "the Linux agent-script tests");
        root = mkdtempSync(path.join(tmpdir(), "ssm-agent-vault-"));
        keys = makeKeys(root);
        sandbox = new LinuxSandbox(root, keys);
    });

    after(() => {
        if (root !== undefined) {
            rmSync(root, { recursive: true, force: true });
        }
    });

    interface VaultScenario extends Partial<Omit<Scenario, "script" | "azure">> {
        readonly imds?: string;
        readonly vault?: string;
        readonly secretBody?: string;
        readonly patchGroup?: string;
        readonly prior?: PriorRegistration;
    }

    function run(scenario: VaultScenario = {}): Promise<Run> {
        const { imds, vault, secretBody, patchGroup, prior, ...rest } = scenario;
        return sandbox.run({
            packaging: "deb",
            signedBy: "signer",
            recordSleep: true,
            newId: NEW_ID,
            ...rest,
            ...(prior === undefined ? {} : { alreadyRegistered: prior, agentPreinstalled: true }),
            script: renderAutoRegisterScript("linux", { ...VAULT, patchGroup: patchGroup ?? GROUP }, keys.signer),
            azure: { imds, vault, secretUrl: SECRET_URL, secretBody: secretBody ?? secretResponse(ACTIVATION) },
        });
    }

    const marker = (result: Run) => readFileSync(path.join(result.varLib, "amazon", "ssm", "registration-group"), "utf8");
    const register = (value: RegistrationSecretValue) => `amazon-ssm-agent -register -code ${value.activationCode} -id ${value.activationId} -region ${value.region}`;
    const imdsCall = `curl -sS --noproxy * --max-time 30 -H Metadata: true -o `;
    const vaultCall = "curl --proto =https --proto-redir =https --tlsv1.2 -sS --max-time 30 --config - -o ";

    /** Neither the token nor the code anywhere but where they must be: the token on curl's stdin, the code in the agent's register call (it takes it no other way). */
    function assertSecretsContained(result: Run, value: RegistrationSecretValue = ACTIVATION): void {
        assertLeavesNothing(result, [value.activationCode, FAKE_TOKEN]);
        for (const call of result.calls) {
            assert.ok(!call.includes(FAKE_TOKEN), `the token is on a command line: ${call}`);
            assert.ok(!call.includes(value.activationCode) || call === register(value), `the code is on a command line other than the agent's: ${call}`);
        }
    }

    it("a new VM whose identity and role assignment are still propagating: retries IMDS and Key Vault with backoff, then installs, verifies, registers and records its group", async () => {
        const result = await run({ imds: "404,400,200", vault: "403,403,200" });
        assert.equal(result.status, 0, result.stderr);
        const pkg = /-o (\S+\/amazon-ssm-agent\.deb) /.exec(result.calls.find((call) => call.includes("amazon-ssm-agent.deb ")) ?? "")?.[1] ?? "";
        const download = "curl --proto =https --proto-redir =https --tlsv1.2 -fsSL --retry 5";
        const calls = result.calls.map((call) => call.replace(/-o \S+\/(token|secret)\.json/, "-o <work>/$1.json"));
        assert.deepEqual(calls, [
            `${imdsCall}<work>/token.json -w %{http_code} ${IMDS_URL}`,
            "sleep 5",
            `${imdsCall}<work>/token.json -w %{http_code} ${IMDS_URL}`,
            "sleep 10",
            `${imdsCall}<work>/token.json -w %{http_code} ${IMDS_URL}`,
            `${vaultCall}<work>/secret.json -w %{http_code} ${SECRET_URL}`,
            "sleep 5",
            `${vaultCall}<work>/secret.json -w %{http_code} ${SECRET_URL}`,
            "sleep 10",
            `${vaultCall}<work>/secret.json -w %{http_code} ${SECRET_URL}`,
            `${download} -o ${pkg} ${BASE}/debian_amd64/amazon-ssm-agent.deb`,
            `${download} -o ${pkg}.sig ${BASE}/debian_amd64/amazon-ssm-agent.deb.sig`,
            `apt-get install -y -o DPkg::Lock::Timeout=600 ${pkg}`,
            "systemctl stop amazon-ssm-agent",
            register(ACTIVATION),
            "systemctl enable amazon-ssm-agent",
            "systemctl start amazon-ssm-agent",
        ]);
        assert.equal(result.stdin, `header = "Authorization: Bearer ${FAKE_TOKEN}"\n`.repeat(3), "the bearer token reaches Key Vault on curl's stdin, each attempt");
        assert.match(result.stdout, /managed identity endpoint \(IMDS\) answered HTTP 404 \(Identity not found\) \(attempt 1 of 12\): retrying in 5s/);
        assert.match(result.stdout, /answered HTTP 403 \(ForbiddenByRbac\) \(attempt 2 of 12\): retrying in 10s/);
        assert.match(result.stdout, new RegExp(`verified amazon-ssm-agent\\.deb: signed by ${keys.signerFingerprint}`));
        assert.equal(marker(result), `${NEW_ID}\n${GROUP}\n`);
        assertSecretsContained(result);
    });

    it("gives up after the bounded retries with a clear message: nothing downloaded, nothing registered", async () => {
        const result = await run({ vault: "403" });
        assert.notEqual(result.status, 0);
        assert.match(
            result.stderr,
            new RegExp(`cannot read the activation: Key Vault secret ${VAULT.secretName} in ${VAULT.vaultName} answered HTTP 403 \\(ForbiddenByRbac\\) 12 times; check that the VM has a managed identity with Key Vault Secrets User`),
        );
        assert.deepEqual(
            result.calls.filter((call) => call.startsWith("sleep")),
            [5, 10, 20, 40, 80, 120, 120, 120, 120, 120, 120].map((seconds) => `sleep ${seconds}`),
            "11 pauses between 12 attempts, doubling up to 2 minutes (about 15 minutes in all)",
        );
        assert.ok(!result.calls.some((call) => /amazon-ssm-agent\.deb|^apt-get|^amazon-ssm-agent/.test(call)), result.calls.join("\n"));
        assert.ok(!existsSync(path.join(result.varLib, "amazon", "ssm", "registration-group")));
        assertSecretsContained(result);
    });

    it("a VM without any managed identity fails at IMDS after the same bounded retries", async () => {
        const result = await run({ imds: "400" });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /the managed identity endpoint \(IMDS\) answered HTTP 400 \(Identity not found\) 12 times/);
        assert.ok(!result.calls.some((call) => call.includes(".vault.azure.net/secrets/")));
        assertSecretsContained(result);
    });

    it("reads a secret whose JSON encoder escaped / + = (\\/ \\u002b \\u003d)", async () => {
        const escaped = secretResponse(ACTIVATION, (json) => json.replace(/\//g, "\\/").replace(/\+/g, "\\u002b").replace(/=/g, "\\u003D"));
        assert.ok(!escaped.includes(ACTIVATION.activationCode), "the fixture really is escaped");
        const result = await run({ secretBody: escaped, agentPreinstalled: true });
        assert.equal(result.status, 0, result.stderr);
        assert.ok(result.calls.includes(register(ACTIVATION)), result.calls.join("\n"));
        assertSecretsContained(result);
    });

    it("refuses a secret that does not hold an activation (or a value that could leave its quotes)", async () => {
        for (const value of [{ ...ACTIVATION, activationCode: "x'; reboot #" }, { ...ACTIVATION, region: "eu-west-2; reboot" }, { activationId: ACTIVATION.activationId }]) {
            const result = await run({ secretBody: secretResponse(value), agentPreinstalled: true });
            assert.notEqual(result.status, 0);
            assert.match(result.stderr, new RegExp(`secret ${VAULT.secretName} does not hold \\{activationId, activationCode, region\\}`));
            assert.ok(!result.calls.some((call) => call.startsWith("amazon-ssm-agent") || call.startsWith("systemctl")), result.calls.join("\n"));
            assertLeavesNothing(result, [FAKE_TOKEN]);
        }
    });

    it("run twice: the second run is a no-op that does not even ask IMDS (idempotent)", async () => {
        const first = await run({ agentPreinstalled: true });
        assert.equal(first.status, 0, first.stderr);
        const second = await run({ again: first });
        assert.equal(second.status, 0, second.stderr);
        assert.deepEqual(second.calls, []);
        assert.match(second.stdout, new RegExp(`already registered as ${NEW_ID} in patch group ${GROUP}`));
        assertSecretsContained(second);
    });

    it("same group after the activation rotated (a new id and code in the secret): no-op, no re-registration", async () => {
        const result = await run({ prior: { id: OLD_ID, marker: `${OLD_ID}\n${GROUP}\n` }, secretBody: secretResponse(ROTATED) });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(result.calls, []);
        assert.equal(marker(result), `${OLD_ID}\n${GROUP}\n`);
        assertSecretsContained(result, ROTATED);
    });

    it("group move (marker says web-test, the VM is now web-prod): clears the old registration, registers with web-prod's activation, updates the marker", async () => {
        const result = await run({ prior: { id: OLD_ID, marker: `${OLD_ID}\nweb-test\n` } });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(
            result.calls.filter((call) => !call.startsWith("curl") && !call.startsWith("sleep")),
            ["systemctl stop amazon-ssm-agent", "amazon-ssm-agent -register -clear", register(ACTIVATION), "systemctl enable amazon-ssm-agent", "systemctl start amazon-ssm-agent"],
        );
        assert.ok(!result.calls.some((call) => call.includes("amazon-ssm-agent.deb")), "the installed agent is kept");
        assert.match(result.stdout, new RegExp(`registered as ${OLD_ID} under web-test: re-registering in patch group ${GROUP}`));
        assert.equal(marker(result), `${NEW_ID}\n${GROUP}\n`);
        assertSecretsContained(result);
    });

    it("a registration this program did not make (no marker, or a marker for another mi- id) is re-registered under the group", async () => {
        for (const prior of [{ id: OLD_ID }, { id: OLD_ID, marker: `mi-0aaaaaaaaaaaaaaaa\n${GROUP}\n` }]) {
            const result = await run({ prior });
            assert.equal(result.status, 0, result.stderr);
            assert.match(result.stdout, new RegExp(`registered as ${OLD_ID} under an activation from outside this program`));
            assert.ok(result.calls.includes("amazon-ssm-agent -register -clear") && result.calls.includes(register(ACTIVATION)), result.calls.join("\n"));
            assert.equal(marker(result), `${NEW_ID}\n${GROUP}\n`);
        }
    });

    it("a group move that cannot read the new activation leaves the old registration untouched", async () => {
        const result = await run({ prior: { id: OLD_ID, marker: `${OLD_ID}\nweb-test\n` }, vault: "404" });
        assert.notEqual(result.status, 0);
        assert.ok(!result.calls.some((call) => call.startsWith("amazon-ssm-agent") || call.startsWith("systemctl")), result.calls.join("\n"));
        assert.equal(marker(result), `${OLD_ID}\nweb-test\n`);
        assertSecretsContained(result);
    });

    it("both modes pass shellcheck as rendered", function () {
        const vault = path.join(root, "rendered-vault.sh");
        const explicit = path.join(root, "rendered-explicit.sh");
        writeFileSync(vault, renderAutoRegisterScript("linux", VAULT, keys.signer));
        writeFileSync(explicit, renderAgentScript(scriptTemplate("linux"), { region: ACTIVATION.region, activationId: ACTIVATION.activationId, activationCode: ACTIVATION.activationCode }, keys.signer));
        shellcheck(this, vault);
        shellcheck(this, explicit);
    });
});
