# Installs the AWS Systems Manager agent on an Azure Windows VM and registers it as a hybrid
# managed node (mi-...). Rendered by components/azure/azureAgentScript.ts and run by the Azure
# CustomScriptExtension as SYSTEM (encoded in its protected settings; comment lines are dropped
# before encoding, the command line has 8191 characters). Follows "Install SSM Agent on hybrid
# Windows Server nodes" (AWS Systems Manager User Guide) with three changes: the installer's
# Authenticode signature is checked before it runs (as AWS's own setupcli_data_integrity_windows.ps1
# does: status Valid, signer Amazon.com Services LLC); it runs without the activation code (its
# log and Burn's default %TEMP% log would record its command line), the agent binary registering
# afterwards; and it works in a random folder only SYSTEM and Administrators can open, deleted
# in `finally`.
# Two modes, one install path, as in install-linux.sh: the renderer keeps the lines between
# "# @<mode>-begin" and "# @<mode>-end" of the mode it renders (explicit: activation rendered in;
# vault: read from the patch group's Key Vault secret with the VM's managed identity, and a node
# registered under another patch group moves to this one).
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# @explicit-begin
$region = '{{REGION}}'
$id = '{{ACTIVATION_ID}}'
$code = '{{ACTIVATION_CODE}}'
# @explicit-end
# @vault-begin
$group = '{{PATCH_GROUP}}'
$vault = '{{VAULT_NAME}}'
$secret = '{{SECRET_NAME}}'
# @vault-end
$reg = "$env:ProgramData\Amazon\SSM\InstanceData\registration"
$agent = "$env:ProgramFiles\Amazon\SSM\amazon-ssm-agent.exe"
# @explicit-begin
# Idempotency guard: never register a node twice (a new mi- id and a used-up registration).
if ((Test-Path $reg) -and ((Get-Content $reg -Raw) -match '"ManagedInstanceID":"mi-')) {
    Write-Output ('already registered: ' + (Get-Content $reg -Raw))
    exit 0
}
# @explicit-end
[Net.ServicePointManager]::SecurityProtocol = 'Tls12'
# @vault-begin
# Marker next to the registration: line 1 the mi- id, line 2 the patch group it was registered
# under (the group, not the activation, which rotation replaces). Same group: nothing to do.
# Another group, or no marker for this mi- id (registered by something else): clear and
# register under this group; the old mi- node stays offline in AWS until azure-orphans removes it.
# Terse on purpose: the whole script must encode into the 8191-character command line.
$marker = "$reg-group"
$old = if ((Get-Content $reg -Raw -ErrorAction Ignore) -match 'mi-[0-9a-f]+') { $Matches[0] }
if (((Get-Content $marker -ErrorAction Ignore) -join ' ') -ceq "$old $group") { "already registered: $old, $group"; exit 0 }
if ($old) { "moving $old to $group" }
# Azure IMDS token for Key Vault (header Metadata: true; "How to use managed identities for Azure
# resources on an Azure VM to acquire an access token"), then Key Vault "Get Secret" (7.4); the
# token stays in this process (a header, never a command line). IMDS must not go through a proxy
# (Azure IMDS docs) and PowerShell 5.1 has no -NoProxy: a WebClient without one. Bounded retries while the
# identity and its role assignment propagate (Azure RBAC: up to 10 minutes): 12 attempts, pausing
# 5 s doubling to 2 min, about 15 minutes in all.
for ($i = 1; ; $i++) {
    try {
        $w = [Net.WebClient]@{Proxy = $null}; $w.Headers.Metadata = 'true'
        $token = ($w.DownloadString('http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net') | ConvertFrom-Json).access_token
        $value = (Invoke-RestMethod -Headers @{Authorization = "Bearer $token"} -Uri "https://$vault.vault.azure.net/secrets/${secret}?api-version=7.4").value | ConvertFrom-Json
        break
    } catch {
        if ($i -ge 12) { throw "no activation from $vault after $i attempts: $_" }
        "attempt $i of 12: $_"
        Start-Sleep ([Math]::Min(120, 5 * [Math]::Pow(2, $i - 1)))
    }
}
$region, $id, $code = $value.region, $value.activationId, $value.activationCode
# What reaches the download URL and the agent's arguments: a Region code, and id and code unable
# to split or quote an argument (the Linux script and the renderer check the full patterns).
if ($region -cnotmatch '^[a-z]{2}(-[a-z]+)+-\d$' -or "$id$code" -notmatch '^[\w+/=-]{56,}$') { throw "$secret holds no activation" }
# @vault-end
# Created with its ACL in one call (no window with inherited rights). In SDDL: D:P a protected
# DACL (no inherited entries), then (A;OICI;FA;;;SY) and (A;OICI;FA;;;BA): allow, inherited by
# files and folders, full control, for SYSTEM (S-1-5-18) and Administrators (S-1-5-32-544) only.
$acl = New-Object Security.AccessControl.DirectorySecurity
$acl.SetSecurityDescriptorSddlForm('D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)')
$work = [IO.Directory]::CreateDirectory("$env:TEMP\$([guid]::NewGuid().ToString('N'))", $acl).FullName
try {
    $setup = Join-Path $work 'AmazonSSMAgentSetup.exe'
    Invoke-WebRequest -UseBasicParsing -Uri "https://amazon-ssm-$region.s3.$region.amazonaws.com/latest/windows_amd64/AmazonSSMAgentSetup.exe" -OutFile $setup
    $signature = Get-AuthenticodeSignature -FilePath $setup
    if ($signature.Status -ne 'Valid' -or $signature.SignerCertificate.Subject -notmatch '(^|, )O="?Amazon\.com Services LLC"?(,|$)') {
        throw "refusing to run AmazonSSMAgentSetup.exe: signature $($signature.Status), signer '$($signature.SignerCertificate.Subject)'"
    }
    $setupRun = Start-Process $setup -ArgumentList '/q', '/log', "$work\install.log" -Wait -PassThru
    if ($setupRun.ExitCode) { throw "AmazonSSMAgentSetup.exe exited $($setupRun.ExitCode)" }
    Stop-Service AmazonSSMAgent
    # @vault-begin
    if ($old) {
        # The documented way to drop a registration before registering anew ("Deregistering and
        # reregistering a managed node"): the register call below then does not ask to override.
        & $agent -register -clear
        if ($LASTEXITCODE) { throw "-register -clear exited $LASTEXITCODE" }
    }
    # @vault-end
    # No -y: an existing registration the file above did not show makes it fail, not re-register.
    & $agent -register -code $code -id $id -region $region
    if ($LASTEXITCODE) { throw "amazon-ssm-agent -register exited $LASTEXITCODE" }
    # @vault-begin
    Set-Content $marker ((Get-Content $reg -Raw) -replace '(?s).*"(mi-[0-9a-f]+)".*', '$1'), $group
    # @vault-end
    Start-Service AmazonSSMAgent
    "registered: $(Get-Content $reg -Raw)"
} finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
