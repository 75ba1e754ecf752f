# Installs the AWS Systems Manager agent on an Azure Windows VM and registers it as a hybrid
# managed node (mi-...). Rendered by components/azureAgentScript.ts and run by the Azure
# CustomScriptExtension as SYSTEM (encoded in its protected settings). Follows "Install SSM Agent
# on hybrid Windows Server nodes" (AWS Systems Manager User Guide).
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'  # PowerShell 5.1 downloads very slowly with a progress bar
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
$dir = Join-Path $env:TEMP 'ssm'
New-Item -ItemType Directory -Path $dir -Force | Out-Null
$setup = Join-Path $dir 'AmazonSSMAgentSetup.exe'
Invoke-WebRequest -UseBasicParsing -Uri "https://amazon-ssm-$region.s3.$region.amazonaws.com/latest/windows_amd64/AmazonSSMAgentSetup.exe" -OutFile $setup
$install = Start-Process $setup -ArgumentList @('/q', '/log', (Join-Path $dir 'install.log'), "CODE=$code", "ID=$id", "REGION=$region") -Wait -PassThru
if ($install.ExitCode -ne 0) { throw "AmazonSSMAgentSetup.exe exited $($install.ExitCode)" }
Remove-Item $setup -Force
Write-Output ('registered: ' + (Get-Content $registration -Raw))
