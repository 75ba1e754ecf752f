import { strict as assert } from "node:assert";
import { AGENT_EXTENSIONS, agentProtectedSettings, MAX_WINDOWS_COMMAND_LENGTH, renderAgentScript, scriptTemplate } from "../../../components/azure/azureAgentScript";
import { addVmTagDefinition, auditVmTagDefinition, deterministicGuid, MODIFY_ROLE_ID } from "../../../components/azure/azureTagPolicies";
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
            const script = renderAgentScript(scriptTemplate(os), VALUES);
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

    it("Linux: waits for the dpkg lock and removes the script (it holds the activation code) when done", () => {
        const script = scriptTemplate("linux");
        assert.match(script, /apt-get install -y -o DPkg::Lock::Timeout=600/);
        assert.match(script, /trap '.*rm -f -- "\$0"' EXIT/);
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
        const windows = agentProtectedSettings("windows", renderAgentScript(scriptTemplate("windows"), VALUES));
        assert.ok(windows.commandToExecute.length <= MAX_WINDOWS_COMMAND_LENGTH, `${windows.commandToExecute.length} characters`);
        const encoded = windows.commandToExecute.split(" ").pop() as string;
        assert.ok(Buffer.from(encoded, "base64").toString("utf16le").includes("AmazonSSMAgentSetup.exe"));
        assert.throws(() => agentProtectedSettings("windows", "x".repeat(4000)), /over the 8191 a command line allows/);
        assert.deepEqual(AGENT_EXTENSIONS.windows, { publisher: "Microsoft.Compute", type: "CustomScriptExtension", typeHandlerVersion: "1.10" });
    });
});

describe("components/azureTagPolicies: VM tag policy definitions", () => {
    it("audits VMs missing the tag and adds a default with a modify `add` (never replace) as Virtual Machine Contributor", () => {
        assert.deepEqual(auditVmTagDefinition().policyRule, {
            if: { allOf: [{ field: "type", equals: "Microsoft.Compute/virtualMachines" }, { field: "[concat('tags[', parameters('tagName'), ']')]", exists: "false" }] },
            then: { effect: "audit" },
        });
        const then = addVmTagDefinition().policyRule.then as { effect: string; details: { roleDefinitionIds: string[]; operations: { operation: string }[] } };
        assert.equal(then.effect, "modify");
        assert.deepEqual(then.details.operations.map((o) => o.operation), ["add"]);
        assert.ok(then.details.roleDefinitionIds[0].endsWith(MODIFY_ROLE_ID));
    });

    it("derives stable, GUID-shaped role assignment names", () => {
        const guid = deterministicGuid("sub", "patching-add-owner");
        assert.match(guid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(guid, deterministicGuid("sub", "patching-add-owner"));
        assert.notEqual(guid, deterministicGuid("sub", "patching-add-environment"));
    });
});
