/**
 * The `Custom:AzureVm` inventory (issue 18 item 4): an SSM Command document that, on a hybrid node
 * that is an Azure VM, reads the VM's Azure metadata from the Instance Metadata Service and writes
 * it as a custom inventory file; the gather-inventory association (AWS-GatherSoftwareInventory,
 * whose `customInventory` parameter defaults to Enabled) uploads it with the rest of the node's
 * inventory, and Resource Data Sync carries it to the central bucket like any other type.
 *
 * Pure builders: the component, the Glue table and the tests all read these constants.
 */

/** The inventory type and its attributes, in the order the scripts write them. */
export const AZURE_VM_INVENTORY = {
    typeName: "Custom:AzureVm",
    /** ^([0-9]{1,6})(\.[0-9]{1,6})$ (PutInventory InventoryItem.SchemaVersion; the agent's custom gatherer checks the same). */
    schemaVersion: "1.0",
    /**
     * The ARM id is `AzureResourceId`, not `ResourceId`: Resource Data Sync adds a `resourceId` key
     * (the node id) to every row, and Athena's JSON SerDe matches keys case-insensitively, so an
     * attribute `ResourceId` would collide with it in the table.
     */
    attributes: ["SubscriptionId", "ResourceGroup", "VmName", "AzureResourceId", "VmId", "Location", "VmSize", "Image", "Tags", "PatchGroupTag"],
    /**
     * The agent's custom gatherer reads every `*.json` file of `<data store>/<node id>/inventory/custom`
     * (amazon-ssm-agent agent/plugins/inventory/gatherers/custom/customGatherer.go: DefaultDataStorePath,
     * machine id, InventoryRootDirName, CustomInventoryRootDirName); the data store is
     * /var/lib/amazon/ssm/ on Linux and %ProgramData%\Amazon\SSM\InstanceData on Windows (appconfig).
     */
    fileName: "AzureVm.json",
    linuxDataStore: "/var/lib/amazon/ssm",
    /** Attribute values: at most 4096 (InventoryItem Content value length; the gatherer counts bytes). */
    maxValueBytes: 4096,
} as const;

/**
 * Azure IMDS instance endpoint. api-version 2021-02-01 is the version of Microsoft's documented
 * request samples and response schema ("Azure Instance Metadata Service", learn.microsoft.com);
 * every field read here is older (vmId 2017-04-02, resourceId 2019-03-11, storageProfile
 * 2019-06-01, tagsList 2019-06-04). The `Metadata: true` header is required and proxies must be
 * bypassed (same page).
 */
export const AZURE_IMDS = {
    url: "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
    apiVersion: "2021-02-01",
} as const;

/** `'value'` for POSIX sh: single quotes, an embedded quote closed, escaped and reopened. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, "'\\''")}'`;
}

/** `'value'` for PowerShell: single-quoted, an embedded quote doubled. */
export function powershellQuote(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Turns the IMDS document (stdin) into the custom inventory file (stdout); exit 3 when it is not an
 * Azure VM's metadata. Python, because every Azure Linux VM has it: the Azure Linux Agent
 * (walinuxagent), which provisions the VM and runs its extensions, is a Python program. No single
 * quotes inside: the sh script passes it in single quotes. Tags are read from `tagsList` (names and
 * values may contain the `:` and `;` that IMDS's flat `tags` string uses as separators).
 */
const LINUX_TRANSFORM = `
import json, os, sys
compute = json.load(sys.stdin).get("compute") or {}
if not compute.get("vmId"):
    sys.exit(3)
def cut(value):
    return str(value).encode("utf-8")[:${AZURE_VM_INVENTORY.maxValueBytes}].decode("utf-8", "ignore")
tags = compute.get("tagsList") or []
key = os.environ["PATCH_GROUP_TAG_KEY"].lower()
image = (compute.get("storageProfile") or {}).get("imageReference") or {}
reference = ":".join(image.get(part) or "" for part in ("publisher", "offer", "sku", "version"))
content = {
    "SubscriptionId": compute.get("subscriptionId", ""),
    "ResourceGroup": compute.get("resourceGroupName", ""),
    "VmName": compute.get("name", ""),
    "AzureResourceId": compute.get("resourceId", ""),
    "VmId": compute["vmId"],
    "Location": compute.get("location", ""),
    "VmSize": compute.get("vmSize", ""),
    "Image": (image.get("id") or "") if reference == ":::" else reference,
    "Tags": ";".join(sorted(tag.get("name", "") + "=" + tag.get("value", "") for tag in tags)),
    "PatchGroupTag": next((tag.get("value", "") for tag in tags if tag.get("name", "").lower() == key), ""),
}
json.dump({"SchemaVersion": "${AZURE_VM_INVENTORY.schemaVersion}", "TypeName": "${AZURE_VM_INVENTORY.typeName}", "Content": [{name: cut(value) for name, value in content.items()}]}, sys.stdout)
`.trim();

/**
 * POSIX sh. Not an Azure VM (IMDS unreachable, or no vmId): writes nothing, exits 0. curl retries
 * what IMDS answers when busy (429, 5xx; Microsoft's IMDS guidance: retry with back-off), not a
 * refused or 404 request (no IMDS at all: on-premises, or EC2's own IMDS). The node id
 * comes from AWS_SSM_INSTANCE_ID, which the agent sets for every script it runs (amazon-ssm-agent
 * agent/executers/executers.go). The file is written beside and renamed into place so the gatherer
 * never reads half a file (it reads only `*.json`).
 */
export function azureVmInventoryLinuxScript(patchGroupTagKey: string): string {
    const store = AZURE_VM_INVENTORY.linuxDataStore;
    return `#!/bin/sh
# Custom:AzureVm inventory from the Azure Instance Metadata Service (multicloud-patching, issue 18).
set -eu
if ! metadata=$(curl --silent --fail --noproxy '*' --connect-timeout 2 --max-time 10 --retry 3 --retry-delay 2 -H 'Metadata: true' ${shellQuote(AZURE_IMDS.url)}); then
  echo "Azure IMDS did not answer: not an Azure VM, no ${AZURE_VM_INVENTORY.typeName} inventory written"
  exit 0
fi
node="\${AWS_SSM_INSTANCE_ID:-}"
if [ -z "$node" ]; then
  echo "AWS_SSM_INSTANCE_ID is not set: run this document through Systems Manager" >&2
  exit 1
fi
python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
  echo "neither python3 nor python found (the Azure Linux Agent needs one)" >&2
  exit 1
fi
folder=${shellQuote(store)}/"$node"/inventory/custom
mkdir -p "$folder"
partial=$(mktemp "$folder/.${AZURE_VM_INVENTORY.fileName}.XXXXXX")
status=0
printf '%s' "$metadata" | PATCH_GROUP_TAG_KEY=${shellQuote(patchGroupTagKey)} "$python" -c '${LINUX_TRANSFORM}' > "$partial" || status=$?
if [ "$status" -eq 3 ]; then
  rm -f "$partial"
  echo "IMDS metadata has no compute.vmId: not an Azure VM, no ${AZURE_VM_INVENTORY.typeName} inventory written"
  exit 0
fi
if [ "$status" -ne 0 ]; then
  rm -f "$partial"
  echo "could not read the IMDS metadata (exit $status)" >&2
  exit 1
fi
chmod 0644 "$partial"
mv -f "$partial" "$folder/${AZURE_VM_INVENTORY.fileName}"
echo "wrote $folder/${AZURE_VM_INVENTORY.fileName}"
`;
}

/**
 * Windows PowerShell 5.1 and PowerShell 7. `-NoProxy` exists only from 6 on, so 5.1 bypasses
 * proxies through an empty default proxy. The file is UTF-8 without a BOM: the agent parses it
 * with Go's encoding/json, which rejects a BOM (what `Out-File -Encoding utf8` writes in 5.1).
 */
export function azureVmInventoryWindowsScript(patchGroupTagKey: string): string {
    const max = AZURE_VM_INVENTORY.maxValueBytes;
    return `# Custom:AzureVm inventory from the Azure Instance Metadata Service (multicloud-patching, issue 18).
$ErrorActionPreference = 'Stop'
$request = @{ Uri = ${powershellQuote(AZURE_IMDS.url)}; Headers = @{ Metadata = 'true' }; Method = 'Get'; TimeoutSec = 10; UseBasicParsing = $true }
if ($PSVersionTable.PSVersion.Major -ge 6) { $request.NoProxy = $true } else { [System.Net.WebRequest]::DefaultWebProxy = New-Object System.Net.WebProxy }
try { $compute = (Invoke-RestMethod @request).compute } catch { $compute = $null }
if ($null -eq $compute -or -not $compute.vmId) {
  Write-Output 'Azure IMDS gave no VM metadata: not an Azure VM, no ${AZURE_VM_INVENTORY.typeName} inventory written'
  exit 0
}
$node = $env:AWS_SSM_INSTANCE_ID
if (-not $node) { throw 'AWS_SSM_INSTANCE_ID is not set: run this document through Systems Manager' }
function Limit([string]$value) {
  $bytes = [System.Text.Encoding]::UTF8.GetBytes($value)
  if ($bytes.Length -le ${max}) { return $value }
  return [System.Text.Encoding]::UTF8.GetString($bytes, 0, ${max}).TrimEnd([char]0xFFFD)
}
$tags = @($compute.tagsList | Where-Object { $null -ne $_ })
$pairs = [string[]]@($tags | ForEach-Object { "$($_.name)=$($_.value)" })
[Array]::Sort($pairs, [System.StringComparer]::Ordinal)
$patchGroup = @($tags | Where-Object { $_.name -eq ${powershellQuote(patchGroupTagKey)} } | Select-Object -First 1)
$image = $compute.storageProfile.imageReference
$reference = @($image.publisher, $image.offer, $image.sku, $image.version | ForEach-Object { "$_" }) -join ':'
if ($reference -eq ':::') { $reference = "$($image.id)" }
$content = [ordered]@{
  SubscriptionId = "$($compute.subscriptionId)"; ResourceGroup = "$($compute.resourceGroupName)"; VmName = "$($compute.name)"
  AzureResourceId = "$($compute.resourceId)"; VmId = "$($compute.vmId)"; Location = "$($compute.location)"; VmSize = "$($compute.vmSize)"
  Image = $reference; Tags = ($pairs -join ';'); PatchGroupTag = $(if ($patchGroup.Count -gt 0) { "$($patchGroup[0].value)" } else { '' })
}
foreach ($name in @($content.Keys)) { $content[$name] = Limit $content[$name] }
$item = [ordered]@{ SchemaVersion = '${AZURE_VM_INVENTORY.schemaVersion}'; TypeName = '${AZURE_VM_INVENTORY.typeName}'; Content = @($content) }
$folder = Join-Path $env:ProgramData "Amazon\\SSM\\InstanceData\\$node\\inventory\\custom"
New-Item -ItemType Directory -Force -Path $folder | Out-Null
$partial = Join-Path $folder '.${AZURE_VM_INVENTORY.fileName}.partial'
[System.IO.File]::WriteAllText($partial, (ConvertTo-Json -InputObject $item -Depth 5 -Compress), (New-Object System.Text.UTF8Encoding $false))
Move-Item -Force -Path $partial -Destination (Join-Path $folder '${AZURE_VM_INVENTORY.fileName}')
Write-Output "wrote $folder\\${AZURE_VM_INVENTORY.fileName}"
`;
}

export interface CommandDocumentContent {
    readonly schemaVersion: "2.2";
    readonly description: string;
    readonly mainSteps: readonly {
        readonly action: "aws:runShellScript" | "aws:runPowerShellScript";
        readonly name: string;
        readonly precondition: { readonly StringEquals: readonly [string, string] };
        readonly inputs: { readonly timeoutSeconds: string; readonly runCommand: readonly string[] };
    }[];
}

/**
 * Command document, schemaVersion 2.2: one step per OS, each behind a `platformType` precondition
 * (SSM document syntax: preconditions are supported from schema 2.2 on; a step whose precondition
 * is false is skipped). runCommand is a list of lines.
 */
export function azureVmInventoryDocument(patchGroupTagKey: string): CommandDocumentContent {
    const lines = (script: string) => script.replace(/\n$/, "").split("\n");
    return {
        schemaVersion: "2.2",
        description: `Writes the ${AZURE_VM_INVENTORY.typeName} custom inventory (subscription, resource group, VM, location, size, image, tags) from the Azure Instance Metadata Service; does nothing off Azure.`,
        mainSteps: [
            {
                action: "aws:runShellScript",
                name: "azureVmInventoryLinux",
                precondition: { StringEquals: ["platformType", "Linux"] },
                inputs: { timeoutSeconds: "120", runCommand: lines(azureVmInventoryLinuxScript(patchGroupTagKey)) },
            },
            {
                action: "aws:runPowerShellScript",
                name: "azureVmInventoryWindows",
                precondition: { StringEquals: ["platformType", "Windows"] },
                inputs: { timeoutSeconds: "120", runCommand: lines(azureVmInventoryWindowsScript(patchGroupTagKey)) },
            },
        ],
    };
}
