import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AZURE_IMDS, AZURE_VM_INVENTORY, azureVmInventoryDocument, azureVmInventoryLinuxScript } from "../../../components/inventory/azureVmInventoryDocument";
import { apiProblems } from "./apiValidation";

/**
 * The Linux step of the Custom:AzureVm document, EXECUTED by /bin/sh the way aws:runShellScript
 * runs it, in a private mount namespace where /var/lib is a sandbox folder, with PATH holding a
 * fake curl (serving a recorded-shape IMDS response, or failing like a machine without IMDS) and
 * the real tools the script uses. The file it writes is then checked against the PutInventory
 * InventoryItem shape of botocore's SSM model (python3), as the agent would send it.
 */

const CI = process.env.CI === "true";
const NODE_ID = "mi-0123456789abcdef0";
const FIXTURE = path.join(__dirname, "fixtures", "imds-instance-linux.json");
const REAL_TOOLS = ["cat", "rm", "mkdir", "mktemp", "chmod", "mv", "python3"] as const;

function which(tool: string): string | undefined {
    if (tool === "python3") {
        // The interpreter itself, not a version-manager shim (pyenv's is a bash script).
        const real = spawnSync("python3", ["-c", "import os, sys; print(os.path.realpath(sys.executable))"], { encoding: "utf8" });
        return real.status === 0 ? real.stdout.trim() : undefined;
    }
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

function missingPrerequisites(): string[] {
    const missing = [...REAL_TOOLS, "bash", "unshare", "mount"].filter((tool) => which(tool) === undefined);
    if (missing.length === 0 && spawnSync("unshare", ["-m", "true"]).status !== 0) {
        missing.push("a mount namespace (unshare -m, needs root)");
    }
    return missing;
}

/** Answers only the exact IMDS request the docs prescribe (Metadata header, proxies bypassed). */
const FAKE_CURL = `#!/bin/bash
echo "curl $*" >> "$CALLS"
header=''; noproxy=''; url=''; fail=''
while [ $# -gt 0 ]; do
  case "$1" in
    -H) header="$2"; shift ;;
    --noproxy) noproxy="$2"; shift ;;
    --fail) fail=yes ;;
    http://*|https://*) url="$1" ;;
  esac
  shift
done
if [ -n "\${FAKE_NO_IMDS:-}" ]; then exit 7; fi
if [ "$url" != "$IMDS_URL" ] || [ "$header" != "Metadata: true" ] || [ "$noproxy" != "*" ] || [ "$fail" != yes ]; then
  echo "fake curl: not the documented IMDS request" >&2; exit 22
fi
cat "$IMDS_RESPONSE"
`;

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly calls: string[];
    /** The sandbox's /var/lib. */
    readonly varLib: string;
}

describe("components/inventory Custom:AzureVm Linux script, run in a sandbox", function () {
    this.timeout(60_000);
    let root: string;
    let counter = 0;

    before(function () {
        const missing = missingPrerequisites();
        if (missing.length > 0) {
            if (CI) {
                throw new Error(`CI must run the Custom:AzureVm script tests, but this machine lacks: ${missing.join(", ")}`);
            }
            console.warn(`  skipped: the Custom:AzureVm sandbox needs ${missing.join(", ")}`);
            this.skip();
        }
        root = mkdtempSync(path.join(tmpdir(), "azure-vm-inventory-"));
    });
    after(() => root !== undefined && rmSync(root, { recursive: true, force: true }));

    function run(options: { response?: string; noImds?: boolean; nodeId?: string | null; tagKey?: string }): Run {
        const dir = path.join(root, `run-${++counter}`);
        const bin = path.join(dir, "bin");
        const varLib = path.join(dir, "var-lib");
        for (const folder of [bin, varLib]) {
            mkdirSync(folder, { recursive: true });
        }
        for (const tool of REAL_TOOLS) {
            symlinkSync(which(tool) as string, path.join(bin, tool));
        }
        writeFileSync(path.join(bin, "curl"), FAKE_CURL, { mode: 0o755 });
        const response = path.join(dir, "imds.json");
        writeFileSync(response, options.response ?? readFileSync(FIXTURE, "utf8"));
        const calls = path.join(dir, "calls.log");
        writeFileSync(calls, "");
        // Exactly what the document's step holds: its runCommand lines, as the agent's script file.
        const script = path.join(dir, "_script.sh");
        const step = azureVmInventoryDocument(options.tagKey ?? "Patch Group").mainSteps[0];
        writeFileSync(script, `${step.inputs.runCommand.join("\n")}\n`, { mode: 0o700 });
        const env: Record<string, string> = { PATH: bin, LANG: "C", HOME: dir, TMPDIR: dir, CALLS: calls, IMDS_URL: AZURE_IMDS.url, IMDS_RESPONSE: response };
        if (options.nodeId !== null) {
            env.AWS_SSM_INSTANCE_ID = options.nodeId ?? NODE_ID;
        }
        if (options.noImds === true) {
            env.FAKE_NO_IMDS = "1";
        }
        const result = spawnSync(
            which("unshare") as string,
            ["-m", "--propagation", "private", which("bash") as string, "-c", '"$1" --bind "$2" /var/lib && exec /bin/sh "$3"', "sandbox", which("mount") as string, varLib, script],
            { env, encoding: "utf8" },
        );
        return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: readFileSync(calls, "utf8").split("\n").filter(Boolean), varLib };
    }

    const customFolder = (r: Run, node = NODE_ID) => path.join(r.varLib, "amazon", "ssm", node, "inventory", "custom");

    it("writes Custom:AzureVm where the agent's custom gatherer reads it, from one IMDS request", () => {
        const r = run({});
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(r.calls, [`curl --silent --fail --noproxy * --connect-timeout 2 --max-time 10 --retry 3 --retry-delay 2 -H Metadata: true ${AZURE_IMDS.url}`]);
        assert.deepEqual(readdirSync(customFolder(r)), [AZURE_VM_INVENTORY.fileName], "only the finished file: no partial left behind");
        const written = JSON.parse(readFileSync(path.join(customFolder(r), AZURE_VM_INVENTORY.fileName), "utf8"));
        assert.deepEqual(written, {
            SchemaVersion: "1.0",
            TypeName: "Custom:AzureVm",
            Content: [
                {
                    SubscriptionId: "8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71",
                    ResourceGroup: "rg-web-prod",
                    VmName: "web-01",
                    AzureResourceId: "/subscriptions/8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71/resourceGroups/rg-web-prod/providers/Microsoft.Compute/virtualMachines/web-01",
                    VmId: "5c08b38e-4d57-4c23-ac45-aca61037f084",
                    Location: "westeurope",
                    VmSize: "Standard_D2s_v5",
                    Image: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202409030",
                    // From tagsList, sorted: a value with ";" and "=" survives whole (the flat IMDS "tags" string would split it).
                    Tags: "Cost=a;b=c;Owner=platform-team;Patch Group=linux-prod",
                    PatchGroupTag: "linux-prod",
                },
            ],
        });
        assert.deepEqual(Object.keys(written.Content[0]), [...AZURE_VM_INVENTORY.attributes], "the attributes, in the declared order");
    });

    it("is a valid PutInventory item for Systems Manager (botocore's SSM model: shapes, lengths, patterns)", () => {
        const r = run({});
        const file = JSON.parse(readFileSync(path.join(customFolder(r), AZURE_VM_INVENTORY.fileName), "utf8"));
        // What the agent sends: the file's type, schema version and content, with its own capture time (customGatherer.go).
        const request = { InstanceId: NODE_ID, Items: [{ TypeName: file.TypeName, SchemaVersion: file.SchemaVersion, CaptureTime: "2026-12-06T09:00:00Z", Content: file.Content }] };
        assert.deepEqual(apiProblems("ssm", "PutInventory", request), []);
        // The validator can fail: a numeric value, a 4097-byte value and a bad type name are refused.
        const bad = { ...request, Items: [{ ...request.Items[0], TypeName: "AzureVm", Content: [{ ...file.Content[0], VmSize: 2, Tags: "x".repeat(4097) }] }] };
        assert.equal(apiProblems("ssm", "PutInventory", bad).length, 3, JSON.stringify(apiProblems("ssm", "PutInventory", bad)));
    });

    it("keeps every value within the 4096 limit and finds the patch-group tag whatever its case (Azure tag names are case-insensitive)", () => {
        const fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));
        fixture.compute.tagsList = [{ name: "patch group", value: "linux-é" }, ...Array.from({ length: 49 }, (_, i) => ({ name: `k${String(i).padStart(2, "0")}`, value: "é".repeat(200) }))];
        const r = run({ response: JSON.stringify(fixture) });
        assert.equal(r.status, 0, r.stderr);
        const content = JSON.parse(readFileSync(path.join(customFolder(r), AZURE_VM_INVENTORY.fileName), "utf8")).Content[0];
        assert.equal(content.PatchGroupTag, "linux-é");
        assert.ok(Buffer.byteLength(content.Tags, "utf8") <= 4096 && Buffer.byteLength(content.Tags, "utf8") > 4090, String(Buffer.byteLength(content.Tags)));
        assert.ok(!content.Tags.includes("\ufffd"), "cut on a character boundary");
    });

    it("writes an empty PatchGroupTag when the tag was removed, and the gallery image id for a custom image", () => {
        const fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));
        fixture.compute.tagsList = [{ name: "Owner", value: "platform-team" }];
        const galleryImage = "/subscriptions/8d3c1f5e-2b7a-4c9d-a1e0-6f4b2c8d9e71/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/g1/images/ubuntu-hardened/versions/1.2.0";
        fixture.compute.storageProfile.imageReference = { id: galleryImage, offer: "", publisher: "", sku: "", version: "" };
        const r = run({ response: JSON.stringify(fixture) });
        const content = JSON.parse(readFileSync(path.join(customFolder(r), AZURE_VM_INVENTORY.fileName), "utf8")).Content[0];
        assert.deepEqual([content.PatchGroupTag, content.Tags, content.Image], ["", "Owner=platform-team", galleryImage]);
    });

    it("off Azure (no IMDS, or an answer without compute.vmId) writes nothing and exits 0", () => {
        for (const r of [run({ noImds: true }), run({ response: '{"compute":{}}' })]) {
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, /not an Azure VM, no Custom:AzureVm inventory written/);
            assert.equal(existsSync(path.join(r.varLib, "amazon")) && readdirSync(customFolder(r)).length > 0, false, "no inventory file");
        }
    });

    it("fails (exit 1) outside Systems Manager, where no node id tells it the folder", () => {
        const r = run({ nodeId: null });
        assert.deepEqual([r.status, r.stderr], [1, "AWS_SSM_INSTANCE_ID is not set: run this document through Systems Manager\n"]);
    });

    it("quotes the configured tag key for sh (a key with a quote cannot break out of the script)", () => {
        const r = run({ tagKey: "it's; touch /tmp/pwned" });
        assert.equal(r.status, 0, r.stderr);
        assert.ok(azureVmInventoryLinuxScript("it's").includes(`PATCH_GROUP_TAG_KEY='it'\\''s'`));
    });

    it("passes shellcheck as rendered", function () {
        if (which("shellcheck") === undefined) {
            if (CI) {
                throw new Error("CI must run shellcheck on the Custom:AzureVm script (.ci/run installs it)");
            }
            this.skip();
        }
        const file = path.join(root, "azure-vm-inventory.sh");
        writeFileSync(file, azureVmInventoryLinuxScript("Patch Group"));
        const check = spawnSync("shellcheck", ["--shell=sh", "--severity=style", file], { encoding: "utf8" });
        assert.equal(check.status, 0, check.stdout);
    });
});
