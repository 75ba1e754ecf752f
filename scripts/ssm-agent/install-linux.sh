#!/bin/bash
# Installs the AWS Systems Manager agent on an Azure Linux VM and registers it as a hybrid
# managed node (mi-...) with an SSM activation. Rendered by components/azureAgentScript.ts and
# run by the Azure CustomScript extension as root; the values below arrive in its protected
# settings. Follows "Install SSM Agent on hybrid Linux nodes" (AWS Systems Manager User Guide).
set -euo pipefail

REGION='{{REGION}}'
ACTIVATION_ID='{{ACTIVATION_ID}}'
ACTIVATION_CODE='{{ACTIVATION_CODE}}'
REGISTRATION_FILE=/var/lib/amazon/ssm/registration

# Idempotency guard: a registered node keeps its mi- id. Registering again (e.g. after the
# activation was rotated) would create a second managed node and use up a registration.
if [ -s "$REGISTRATION_FILE" ] && grep -q '"ManagedInstanceID":"mi-' "$REGISTRATION_FILE"; then
    echo "already registered: $(cat "$REGISTRATION_FILE")"
    rm -f -- "$0"
    exit 0
fi

case "$(uname -m)" in
    x86_64) ARCH=amd64 ;;
    aarch64) ARCH=arm64 ;;
    *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
BASE="https://amazon-ssm-${REGION}.s3.${REGION}.amazonaws.com/latest"
WORK=$(mktemp -d)
# The extension keeps the script it ran, activation code included: remove it when done.
trap 'rm -rf "$WORK"; rm -f -- "$0"' EXIT

if ! command -v amazon-ssm-agent >/dev/null 2>&1; then
    if command -v dpkg >/dev/null 2>&1; then
        curl -fsSL --retry 5 "${BASE}/debian_${ARCH}/amazon-ssm-agent.deb" -o "$WORK/amazon-ssm-agent.deb"
        # apt waits for the dpkg lock that cloud-init / unattended-upgrades hold on first boot.
        apt-get install -y -o DPkg::Lock::Timeout=600 "$WORK/amazon-ssm-agent.deb"
    elif command -v rpm >/dev/null 2>&1; then
        [ "$ARCH" = amd64 ] && RPM_ARCH=linux_amd64 || RPM_ARCH=linux_arm64
        curl -fsSL --retry 5 "${BASE}/${RPM_ARCH}/amazon-ssm-agent.rpm" -o "$WORK/amazon-ssm-agent.rpm"
        if command -v dnf >/dev/null 2>&1; then dnf install -y "$WORK/amazon-ssm-agent.rpm"
        elif command -v yum >/dev/null 2>&1; then yum install -y "$WORK/amazon-ssm-agent.rpm"
        else zypper --non-interactive install --allow-unsigned-rpm "$WORK/amazon-ssm-agent.rpm"; fi
    else
        echo "no dpkg or rpm: cannot install the SSM agent" >&2
        exit 1
    fi
fi

systemctl stop amazon-ssm-agent || true
amazon-ssm-agent -register -code "$ACTIVATION_CODE" -id "$ACTIVATION_ID" -region "$REGION"
systemctl enable amazon-ssm-agent
systemctl start amazon-ssm-agent
echo "registered: $(cat "$REGISTRATION_FILE")"
