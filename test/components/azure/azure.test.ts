import { strict as assert } from "node:assert";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
    AGENT_EXTENSIONS,
    agentProtectedSettings,
    committedAgentSigningKey,
    compactPowerShell,
    MAX_WINDOWS_COMMAND_LENGTH,
    renderAgentScript,
    scriptTemplate,
    SSM_AGENT_SIGNING_KEY,
} from "../../../components/azure/azureAgentScript";
import { addVmTagDefinition, auditVmTagDefinition, deterministicGuid, MODIFY_ROLE_ID, TOO_BROAD_MODIFY_ROLE_IDS } from "../../../components/azure/azureTagPolicies";
import { dearmorPublicKey, openPgpKeyInfo } from "../../../components/azure/openPgpKey";
import { registrationAlertTemplate, registrationEventPattern, validateHybridRegistrationAlertsArgs } from "../../../components/azure/hybridRegistrationAlerts";
import { findProjectRoot } from "../../../components/assets/projectRoot";
import { activationExpiry, validateHybridActivationsArgs, type HybridActivationsArgs } from "../../../components/azure/hybridActivations";

const VALUES = { region: "eu-west-2", activationId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", activationCode: "AbCdEfGhIjKlMnOpQrSt" };
const DAY = 86_400_000;

describe("components/hybridActivations: activation expiry", () => {
    it("is identical for two runs inside one rotation window and different across windows", () => {
        const start = Date.UTC(2027, 0, 1);
        const window = (t: number) => Math.floor(t / (14 * DAY));
        const a = new Date(start + 3 * 3_600_000);
        const later = new Date(a.getTime() + 5 * DAY);
        assert.equal(window(a.getTime()), window(later.getTime()), "fixture: both in one window");
        assert.equal(activationExpiry(a, 14), activationExpiry(later, 14));
        const next = new Date((window(a.getTime()) + 1) * 14 * DAY + 60_000);
        assert.notEqual(activationExpiry(next, 14), activationExpiry(a, 14));
    });

    for (const rotationDays of [1, 7, 14, 30]) {
        it(`stays within 30 days ahead and in the future all through a ${rotationDays}-day window`, () => {
            const windowStart = Math.ceil(Date.UTC(2027, 2, 1) / (rotationDays * DAY)) * rotationDays * DAY;
            for (const offset of [0, 1, rotationDays * DAY / 2, rotationDays * DAY - 1]) {
                const now = new Date(windowStart + offset);
                const expiry = Date.parse(activationExpiry(now, rotationDays));
                assert.ok(expiry <= now.getTime() + 30 * DAY, `${new Date(expiry).toISOString()} is more than 30 days after ${now.toISOString()}`);
                assert.ok(expiry > now.getTime(), "not expired on creation");
            }
        });
    }

    it("rejects a registration limit outside 1-1000 and an expiry beyond 30 days", () => {
        const now = new Date(Date.UTC(2027, 0, 1));
        const args: HybridActivationsArgs = { region: "eu-west-2", hybridRoleName: "r", patchGroups: [{ patchGroup: "Linux", registrationLimit: 0 }], expirationDate: new Date(now.getTime() + 31 * DAY).toISOString(), patchGroupTagKey: "Patch Group", now };
        assert.throws(() => validateHybridActivationsArgs(args), /Linux: registrationLimit 0 is not an integer from 1 to 1000; expirationDate ".*" is not between now and 30 days ahead/);
    });
});

describe("components/azureAgentScript: install-and-register scripts", () => {
    for (const os of ["linux", "windows"] as const) {
        it(`${os}: fills every placeholder and keeps the idempotency guard before any install step`, () => {
            const script = renderAgentScript(scriptTemplate(os), VALUES, os === "linux" ? committedAgentSigningKey() : undefined);
            assert.doesNotMatch(script, /\{\{/);
            for (const value of Object.values(VALUES)) {
                assert.ok(script.includes(value));
            }
            const guard = os === "linux" ? script.indexOf('"ManagedInstanceID":"mi-') : script.indexOf("'\"ManagedInstanceID\":\"mi-'");
            const install = os === "linux" ? script.indexOf("amazon-ssm-agent -register") : script.indexOf("AmazonSSMAgentSetup.exe'");
            assert.ok(guard > 0 && install > guard, "an already registered node exits before installing or registering");
            const download = os === "linux" ? "https://amazon-ssm-${REGION}.s3.${REGION}.amazonaws.com/latest" : "https://amazon-ssm-$region.s3.$region.amazonaws.com/latest/windows_amd64/AmazonSSMAgentSetup.exe";
            assert.ok(script.includes(download), "the Region's official download location");
        });
    }

    it("Linux: waits for the dpkg lock; the cleanup trap is set before the first exit path and removes the script", () => {
        const script = scriptTemplate("linux");
        assert.match(script, /apt-get install -y -o DPkg::Lock::Timeout=600/);
        const trap = script.indexOf("trap cleanup EXIT");
        assert.ok(trap > 0 && trap < script.search(/\bexit [01]\b/), "no exit before the trap");
        assert.match(script, /cleanup\(\) \{[^}]*rm -f -- "\$0"/);
        assert.doesNotMatch(script, /set -x|--allow-unsigned-rpm|--nogpgcheck|--no-gpg-checks/);
        assert.ok(!/echo[^\n]*ACTIVATION_CODE/.test(script), "the code is never echoed");
    });

    it("Linux: the script needs the signing key, and a key cannot be forced into a template without one", () => {
        assert.throws(() => renderAgentScript(scriptTemplate("linux"), VALUES), /verifies the agent package but no signing key was given/);
        assert.throws(() => renderAgentScript(scriptTemplate("windows"), VALUES, committedAgentSigningKey()), /has no \{\{SIGNING_KEY_BASE64\}\}/);
        const key = committedAgentSigningKey();
        const script = renderAgentScript(scriptTemplate("linux"), VALUES, key);
        assert.ok(script.includes(`SIGNING_KEY='${key.binary.toString("base64")}'`) && script.includes(`SIGNING_KEY_FINGERPRINT='${SSM_AGENT_SIGNING_KEY.fingerprint}'`));
    });

    it("Windows: random ACL-locked work folder, Authenticode check before the installer runs, no code on the installer's command line, cleanup in finally", () => {
        // No PowerShell on this machine: static checks of the script as it is encoded.
        const script = compactPowerShell(renderAgentScript(scriptTemplate("windows"), VALUES));
        assert.doesNotMatch(script, /Windows\\Temp|'ssm'\)|Start-Transcript|Out-File|Set-Content|Add-Content|Tee-Object/i, "no fixed folder, no transcript or file written by the script");
        assert.match(script, /\[guid\]::NewGuid\(\)/);
        assert.match(script, /\$acl\.SetSecurityDescriptorSddlForm\('D:P\(A;OICI;FA;;;SY\)\(A;OICI;FA;;;BA\)'\)/, "a protected DACL: full control for SYSTEM and Administrators only");
        assert.match(script, /\[IO\.Directory\]::CreateDirectory\([^\n]*, \$acl\)/, "the folder is created with its ACL");
        const download = script.indexOf("Invoke-WebRequest");
        const check = script.indexOf("Get-AuthenticodeSignature -FilePath $setup");
        const refuse = script.search(/\$signature\.Status -ne 'Valid' -or \$signature\.SignerCertificate\.Subject -notmatch '\(\^\|, \)O="\?Amazon\\\.com Services LLC/);
        const install = script.indexOf("Start-Process $setup");
        assert.ok(download > 0 && download < check && check < refuse && refuse < install, "download, check, refuse, then run");
        const installLine = script.split("\n").find((line) => line.includes("Start-Process $setup")) as string;
        assert.ok(!installLine.includes("CODE") && !installLine.includes("$code"), "the installer (and its logs) never sees the code");
        assert.match(script, /-register -code \$code -id \$id -region \$region\n/);
        assert.doesNotMatch(script, / -y\b/);
        assert.match(script, /\} finally \{\nRemove-Item -LiteralPath \$work -Recurse -Force/);
        assert.equal(script.match(/\$code/g)?.length, 2, "assigned once, used once (the register call)");
    });

    it("Windows: the activation code appears once, in the protected command line only", () => {
        const windows = agentProtectedSettings("windows", renderAgentScript(scriptTemplate("windows"), VALUES));
        const decoded = Buffer.from(windows.commandToExecute.split(" ").pop() as string, "base64").toString("utf16le");
        assert.equal(decoded.split(VALUES.activationCode).length - 1, 1);
        assert.ok(!decoded.includes("# "), "comments are not sent");
    });

    it("refuses values that could break out of the script's quotes, and templates with unknown placeholders", () => {
        assert.throws(() => renderAgentScript(scriptTemplate("linux"), { ...VALUES, activationCode: "x'; rm -rf / #aaaaaaaaaaa" }), /activationCode \(secret\) does not match/);
        assert.throws(() => renderAgentScript(scriptTemplate("linux"), { ...VALUES, region: "eu-west-2'" }), /region "eu-west-2'" does not match/);
        assert.throws(() => renderAgentScript("{{REGION}} {{ACTIVATION_ID}} {{ACTIVATION_CODE}} {{EXTRA}}", VALUES), /unknown placeholder \{\{EXTRA\}\}/);
        assert.throws(() => renderAgentScript("{{REGION}}", VALUES), /has no \{\{ACTIVATION_ID\}\}/);
    });

    it("Linux sends the script base64-encoded; Windows an encoded PowerShell command within the command-line limit", () => {
        const linux = agentProtectedSettings("linux", "echo hi");
        assert.deepEqual(linux, { script: Buffer.from("echo hi").toString("base64") });
        // The longest values the renderer accepts: a 250-character code, a long Region name.
        const longest = { region: "ap-southeast-2", activationId: VALUES.activationId, activationCode: "A".repeat(250) };
        const windows = agentProtectedSettings("windows", renderAgentScript(scriptTemplate("windows"), longest));
        assert.ok(windows.commandToExecute.length <= MAX_WINDOWS_COMMAND_LENGTH, `${windows.commandToExecute.length} characters`);
        const encoded = windows.commandToExecute.split(" ").pop() as string;
        assert.ok(Buffer.from(encoded, "base64").toString("utf16le").includes("AmazonSSMAgentSetup.exe"));
        assert.throws(() => agentProtectedSettings("windows", "x".repeat(4000)), /over the 8191 a command line allows/);
        assert.deepEqual(AGENT_EXTENSIONS.windows, { publisher: "Microsoft.Compute", type: "CustomScriptExtension", typeHandlerVersion: "1.10" });
    });
});

describe("components/azureAgentScript: the committed SSM Agent signing key", () => {
    let root: string;
    const keyFile = () => path.join(root, SSM_AGENT_SIGNING_KEY.file);
    beforeEach(() => {
        root = mkdtempSync(path.join(tmpdir(), "agent-key-"));
        mkdirSync(path.dirname(keyFile()), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it("is AWS's SSM Agent key with the pinned fingerprint", () => {
        const key = committedAgentSigningKey();
        assert.equal(key.fingerprint, "DE92C7DA3E56E92331D62A36BC1F495C97DD04ED");
        assert.equal(openPgpKeyInfo(readFileSync(path.join(findProjectRoot(), SSM_AGENT_SIGNING_KEY.file), "utf8")).created.toISOString(), "2023-08-28T22:41:06.000Z");
    });

    it("refuses a missing, empty, damaged or different key file, naming the file and the fix", () => {
        assert.throws(() => committedAgentSigningKey(root), /amazon-ssm-agent\.gpg is missing or empty.*verify-agent-signature/);
        writeFileSync(keyFile(), "  \n");
        assert.throws(() => committedAgentSigningKey(root), /is missing or empty/);
        const real = readFileSync(path.join(findProjectRoot(), SSM_AGENT_SIGNING_KEY.file), "utf8");
        writeFileSync(keyFile(), real.replace("mQENBGTtIoIBCAD2", "mQENBGTtIoIBCAD3"));
        assert.throws(() => committedAgentSigningKey(root), /is not a usable key \(the key block's CRC-24 does not match/);
        copyFileSync(path.join(findProjectRoot(), SSM_AGENT_SIGNING_KEY.file), keyFile());
        assert.throws(() => committedAgentSigningKey(root, "0".repeat(40)), /holds key DE92C7DA3E56E92331D62A36BC1F495C97DD04ED, not the pinned 0{40}/);
        assert.equal(committedAgentSigningKey(root).fingerprint, SSM_AGENT_SIGNING_KEY.fingerprint);
    });
});

describe("components/openPgpKey: armored public keys", () => {
    const real = () => readFileSync(path.join(findProjectRoot(), SSM_AGENT_SIGNING_KEY.file), "utf8");

    it("reads the fingerprint, creation and the self-signature's expiry gpg shows for AWS's key", () => {
        // gpg --show-keys: rsa2048 2023-08-28 [SCEA] [expired: 2025-02-17], DE92 C7DA 3E56 E923 31D6 2A36 BC1F 495C 97DD 04ED
        const info = openPgpKeyInfo(real());
        assert.equal(info.fingerprint, "DE92C7DA3E56E92331D62A36BC1F495C97DD04ED");
        assert.equal(info.expires?.toISOString().slice(0, 10), "2025-02-17");
        assert.equal(info.binary.length, dearmorPublicKey(real()).length);
    });

    it("rejects what is not a single armored public key", () => {
        assert.throws(() => openPgpKeyInfo("hello"), /not an ASCII-armored PGP public key block/);
        assert.throws(() => openPgpKeyInfo(real().replace(/\n=[A-Za-z0-9+/]{4}\n/, "\n")), /no CRC-24 line/);
        const doubled = Buffer.concat([dearmorPublicKey(real()), dearmorPublicKey(real())]);
        assert.throws(() => openPgpKeyInfo(armor(doubled)), /exactly one primary public key, found 2/);
    });
});

/** An armored block around `data`, with a correct CRC-24 (RFC 4880 §6.1). */
function armor(data: Buffer): string {
    let crc = 0xb704ce;
    for (const byte of data) {
        crc ^= byte << 16;
        for (let i = 0; i < 8; i++) {
            crc = crc << 1;
            if (crc & 0x1000000) {
                crc ^= 0x1864cfb;
            }
        }
    }
    const sum = Buffer.from([(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]).toString("base64");
    const body = data.toString("base64").replace(/(.{64})/g, "$1\n").trim();
    return `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${body}\n=${sum}\n-----END PGP PUBLIC KEY BLOCK-----\n`;
}

describe("components/azureTagPolicies: VM tag policy definitions", () => {
    it("audits VMs missing the tag and adds a default with a modify `add` (never replace) as Tag Contributor", () => {
        assert.deepEqual(auditVmTagDefinition().policyRule, {
            if: { allOf: [{ field: "type", equals: "Microsoft.Compute/virtualMachines" }, { field: "[concat('tags[', parameters('tagName'), ']')]", exists: "false" }] },
            then: { effect: "audit" },
        });
        const then = addVmTagDefinition().policyRule.then as { effect: string; details: { roleDefinitionIds: string[]; operations: { operation: string }[] } };
        assert.equal(then.effect, "modify");
        assert.deepEqual(then.details.operations.map((o) => o.operation), ["add"]);
        assert.deepEqual(then.details.roleDefinitionIds, ["/providers/microsoft.authorization/roleDefinitions/4a9ae827-6dc8-4573-8ac7-8239d42aa03f"], "Tag Contributor");
        assert.ok(!TOO_BROAD_MODIFY_ROLE_IDS.some((id) => then.details.roleDefinitionIds.some((role) => role.endsWith(id))), "no role with write access to the VMs");
        assert.equal(MODIFY_ROLE_ID, "4a9ae827-6dc8-4573-8ac7-8239d42aa03f");
    });

    it("derives stable, GUID-shaped role assignment names", () => {
        const guid = deterministicGuid("sub", "patching-add-owner");
        assert.match(guid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(guid, deterministicGuid("sub", "patching-add-owner"));
        assert.notEqual(guid, deterministicGuid("sub", "patching-add-environment"));
    });
});

describe("components/hybridRegistrationAlerts: the registration alert", () => {
    it("matches SSM's own registration event and sends valid JSON quoting the configured counts and the whole event", () => {
        assert.deepEqual(registrationEventPattern(), { source: ["aws.ssm"], "detail-type": ["SSM Managed Instance Registration"] });
        const template = registrationAlertTemplate({ Windows: 1, Linux: 2 });
        assert.equal(template.split("<aws.events.event>").length, 2, "the event is inserted once, unquoted (a JSON value)");
        const event = { "detail-type": "SSM Managed Instance Registration", resources: ["arn:aws:ssm:eu-west-2:111111111111:managed-instance/mi-0123"] };
        const message = JSON.parse(template.replace("<aws.events.event>", JSON.stringify(event))) as { alert: string; event: unknown };
        assert.match(message.alert, /allows: Linux: 2, Windows: 1 \(/);
        assert.deepEqual(message.event, event);
        assert.doesNotMatch(template.replace("<aws.events.event>", ""), /[<>]/, "no other placeholder: EventBridge cannot escape < and >");
    });

    it("rejects arguments AWS would reject, each named with its value", () => {
        assert.throws(
            () => validateHybridRegistrationAlertsArgs({ region: "london", accountId: "12345", configuredVms: { Linux: 0 }, emailSubscriptions: ["oncall"] }),
            /HybridRegistrationAlerts: region "london" is not an AWS Region code; accountId "12345" is not a 12-digit AWS account id; configuredVms.Linux 0 is not a positive integer; emailSubscriptions\[0\] "oncall" is not an e-mail address/,
        );
        assert.throws(() => validateHybridRegistrationAlertsArgs({ region: "eu-west-2", accountId: "111111111111", configuredVms: {} }), /configuredVms is empty/);
    });
});
