#!/bin/bash
# Installs the AWS Systems Manager agent on an Azure Linux VM and registers it as a hybrid managed
# node (mi-...) with an SSM activation. Rendered by components/azure/azureAgentScript.ts and run
# by the Azure CustomScript extension as root: the extension writes it to its download folder as
# script.sh and keeps the run's stdout/stderr there as files, so nothing secret is ever printed.
# Follows "Install SSM Agent on hybrid Linux nodes" and "Verifying the signature of SSM Agent"
# (AWS Systems Manager User Guide); tested by test/scripts/ssmAgentLinux.test.ts.
set -euo pipefail
umask 077

# This file holds the activation code: delete it, and the work folder, on EVERY exit path. bash
# runs the EXIT trap after a normal end, `exit` and errexit; for a signal (the extension's timeout
# kill) the traps below turn it into an `exit` with the conventional status, which runs it too.
WORK=''
cleanup() {
    if [ -n "$WORK" ]; then rm -rf -- "$WORK"; fi
    if [ -f "$0" ]; then rm -f -- "$0"; fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

REGION='{{REGION}}'
ACTIVATION_ID='{{ACTIVATION_ID}}'
ACTIVATION_CODE='{{ACTIVATION_CODE}}'
# AWS's SSM Agent signing key (scripts/ssm-agent/amazon-ssm-agent.gpg, dearmored) and its
# primary-key fingerprint, pinned in components/azure/azureAgentScript.ts.
SIGNING_KEY='{{SIGNING_KEY_BASE64}}'
SIGNING_KEY_FINGERPRINT='{{SIGNING_KEY_FINGERPRINT}}'
REGISTRATION_FILE=/var/lib/amazon/ssm/registration

# Idempotency guard: a registered node keeps its mi- id. Registering again (e.g. after the
# activation was rotated) would create a second managed node and use up a registration.
if [ -s "$REGISTRATION_FILE" ] && grep -q '"ManagedInstanceID":"mi-' "$REGISTRATION_FILE"; then
    echo "already registered: $(cat "$REGISTRATION_FILE")"
    exit 0
fi

case "$(uname -m)" in
    x86_64) ARCH=amd64 ;;
    aarch64) ARCH=arm64 ;;
    *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
BASE="https://amazon-ssm-${REGION}.s3.${REGION}.amazonaws.com/latest"
WORK=$(mktemp -d)

# HTTPS only, also after redirects, TLS 1.2 or later.
download() {
    curl --proto '=https' --proto-redir '=https' --tlsv1.2 -fsSL --retry 5 -o "$2" "$1"
}

# Exits unless $2 is a good detached signature of $1 by the pinned key. gpgv (apt's own verifier)
# trusts exactly the keyring it is given; gpg is the fallback where only it is installed. The
# status lines decide, not the exit code: both exit 0 for a signature by an EXPIRED key.
verify_signature() {
    local keyring="$WORK/ssm-agent-keyring.gpg" status='' valid
    if [ -z "$SIGNING_KEY" ]; then
        echo "refusing to install: the script carries no SSM Agent signing key" >&2
        exit 1
    fi
    printf '%s' "$SIGNING_KEY" | base64 -d > "$keyring"
    if command -v gpgv >/dev/null 2>&1; then
        status=$(gpgv --keyring "$keyring" --status-fd 1 "$2" "$1" 2>/dev/null) || true
    elif command -v gpg >/dev/null 2>&1; then
        mkdir -m 700 "$WORK/gnupg"
        status=$(GNUPGHOME="$WORK/gnupg" gpg --batch --no-default-keyring --keyring "$keyring" --trust-model always --status-fd 1 --verify "$2" "$1" 2>/dev/null) || true
    else
        echo "refusing to install: neither gpgv nor gpg is installed to verify the SSM Agent package (install gnupg)" >&2
        exit 1
    fi
    # VALIDSIG's last field is the primary key's fingerprint.
    valid=$(printf '%s\n' "$status" | awk '$1 == "[GNUPG:]" && $2 == "VALIDSIG" { print $NF }')
    if printf '%s\n' "$status" | grep -Eq '^\[GNUPG:\] (BADSIG|ERRSIG|EXPSIG|EXPKEYSIG|REVKEYSIG|NO_PUBKEY|KEYEXPIRED|KEYREVOKED) ' \
        || ! printf '%s\n' "$status" | grep -Eq '^\[GNUPG:\] GOODSIG ' \
        || [ "$valid" != "$SIGNING_KEY_FINGERPRINT" ]; then
        echo "refusing to install $(basename "$1"): it carries no good signature by the SSM Agent key $SIGNING_KEY_FINGERPRINT" >&2
        printf '%s\n' "$status" | grep -E '^\[GNUPG:\] (GOODSIG|BADSIG|ERRSIG|EXPSIG|EXPKEYSIG|REVKEYSIG|NO_PUBKEY|KEYEXPIRED|KEYREVOKED)' >&2 || true
        exit 1
    fi
    echo "verified $(basename "$1"): signed by $SIGNING_KEY_FINGERPRINT"
}

if ! command -v amazon-ssm-agent >/dev/null 2>&1; then
    if command -v dpkg >/dev/null 2>&1; then
        PACKAGE="$WORK/amazon-ssm-agent.deb"
        download "${BASE}/debian_${ARCH}/amazon-ssm-agent.deb" "$PACKAGE"
        download "${BASE}/debian_${ARCH}/amazon-ssm-agent.deb.sig" "$PACKAGE.sig"
        verify_signature "$PACKAGE" "$PACKAGE.sig"
        # apt waits for the dpkg lock that cloud-init / unattended-upgrades hold on first boot.
        apt-get install -y -o DPkg::Lock::Timeout=600 "$PACKAGE"
    elif command -v rpm >/dev/null 2>&1; then
        PACKAGE="$WORK/amazon-ssm-agent.rpm"
        download "${BASE}/linux_${ARCH}/amazon-ssm-agent.rpm" "$PACKAGE"
        download "${BASE}/linux_${ARCH}/amazon-ssm-agent.rpm.sig" "$PACKAGE.sig"
        verify_signature "$PACKAGE" "$PACKAGE.sig"
        # The package verified above, installed the way AWS's own ssm-setup-cli does (rpm -U):
        # no package manager that would want the key in its own keyring or skip its check.
        rpm -U --replacepkgs "$PACKAGE"
    else
        echo "no dpkg or rpm: cannot install the SSM agent" >&2
        exit 1
    fi
fi

systemctl stop amazon-ssm-agent || true
# No -y: should the agent hold a registration the file above did not show, it asks before
# replacing it, reads end-of-file from /dev/null and fails rather than register twice.
amazon-ssm-agent -register -code "$ACTIVATION_CODE" -id "$ACTIVATION_ID" -region "$REGION" < /dev/null
systemctl enable amazon-ssm-agent
systemctl start amazon-ssm-agent
echo "registered: $(cat "$REGISTRATION_FILE")"
