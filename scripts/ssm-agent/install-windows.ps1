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
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$region = '{{REGION}}'
$id = '{{ACTIVATION_ID}}'
$code = '{{ACTIVATION_CODE}}'
$registration = Join-Path $env:ProgramData 'Amazon\SSM\InstanceData\registration'
# Idempotency guard: never register a node twice (a new mi- id and a used-up registration).
if ((Test-Path $registration) -and ((Get-Content $registration -Raw) -match '"ManagedInstanceID":"mi-')) {
    Write-Output ('already registered: ' + (Get-Content $registration -Raw))
    exit 0
}
[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
# Created with its ACL in one call (no window with inherited rights): protected from
# inheritance, full control for SYSTEM (S-1-5-18) and Administrators (S-1-5-32-544) only.
$acl = New-Object Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
foreach ($sid in 'S-1-5-18', 'S-1-5-32-544') {
    $acl.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule((New-Object Security.Principal.SecurityIdentifier $sid), 'FullControl', 'ContainerInherit,ObjectInherit', 'None', 'Allow')))
}
$work = [IO.Directory]::CreateDirectory((Join-Path $env:TEMP ([guid]::NewGuid().ToString('N'))), $acl).FullName
try {
    $setup = Join-Path $work 'AmazonSSMAgentSetup.exe'
    Invoke-WebRequest -UseBasicParsing -Uri "https://amazon-ssm-$region.s3.$region.amazonaws.com/latest/windows_amd64/AmazonSSMAgentSetup.exe" -OutFile $setup
    $signature = Get-AuthenticodeSignature -FilePath $setup
    if ($signature.Status -ne 'Valid' -or $signature.SignerCertificate.Subject -notmatch '(^|, )O="?Amazon\.com Services LLC"?(,|$)') {
        throw "refusing to run AmazonSSMAgentSetup.exe: signature $($signature.Status), signer '$($signature.SignerCertificate.Subject)'"
    }
    $install = Start-Process $setup -ArgumentList @('/q', '/log', (Join-Path $work 'install.log')) -Wait -PassThru
    if ($install.ExitCode -ne 0) { throw "AmazonSSMAgentSetup.exe exited $($install.ExitCode)" }
    Stop-Service AmazonSSMAgent
    # No -y: an existing registration the file above did not show makes it fail, not re-register.
    & (Join-Path $env:ProgramFiles 'Amazon\SSM\amazon-ssm-agent.exe') -register -code $code -id $id -region $region
    if ($LASTEXITCODE -ne 0) { throw "amazon-ssm-agent -register exited $LASTEXITCODE" }
    Start-Service AmazonSSMAgent
    Write-Output ('registered: ' + (Get-Content $registration -Raw))
} finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
