#!/bin/bash
# Installs the AWS Systems Manager agent on an Azure Linux VM and registers it as a hybrid managed
# node (mi-...) with an SSM activation. Rendered by components/azure/azureAgentScript.ts and run
# by the Azure CustomScript extension as root: the extension writes it to its download folder as
# script.sh and keeps the run's stdout/stderr there as files, so nothing secret is ever printed.
# Follows "Install SSM Agent on hybrid Linux nodes" and "Verifying the signature of SSM Agent"
# (AWS Systems Manager User Guide); tested by test/scripts/ssmAgentLinux*.test.ts.
#
# Two modes, one install path. The renderer keeps the lines between "# @<mode>-begin" and
# "# @<mode>-end" of the mode it renders and drops the other mode's:
# - explicit: the activation is rendered in (VMs listed in the stack);
# - vault: the script reads its patch group's activation from a Key Vault secret with the VM's
#   managed identity (automatic registration by Azure Policy), and moves a node registered under
#   another patch group to this one.
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

# @explicit-begin
REGION='{{REGION}}'
ACTIVATION_ID='{{ACTIVATION_ID}}'
ACTIVATION_CODE='{{ACTIVATION_CODE}}'
# @explicit-end
# @vault-begin
PATCH_GROUP='{{PATCH_GROUP}}'
VAULT_NAME='{{VAULT_NAME}}'
SECRET_NAME='{{SECRET_NAME}}'
# Set from the secret below.
REGION=''
ACTIVATION_ID=''
ACTIVATION_CODE=''
# @vault-end
# AWS's SSM Agent signing key (scripts/ssm-agent/amazon-ssm-agent.gpg, dearmored) and its
# primary-key fingerprint, pinned in components/azure/azureAgentScript.ts.
SIGNING_KEY='{{SIGNING_KEY_BASE64}}'
SIGNING_KEY_FINGERPRINT='{{SIGNING_KEY_FINGERPRINT}}'
REGISTRATION_FILE=/var/lib/amazon/ssm/registration

# @explicit-begin
# Idempotency guard: a registered node keeps its mi- id. Registering again (e.g. after the
# activation was rotated) would create a second managed node and use up a registration.
if [ -s "$REGISTRATION_FILE" ] && grep -q '"ManagedInstanceID":"mi-' "$REGISTRATION_FILE"; then
    echo "already registered: $(cat "$REGISTRATION_FILE")"
    exit 0
fi
# @explicit-end
# @vault-begin
# Which patch group this program registered the node under, next to the agent's registration:
# line 1 the mi- id it applies to, line 2 the group. The group, not the activation: activations
# are replaced every rotation, which must not re-register anyone.
GROUP_MARKER="$REGISTRATION_FILE-group"
# Attempts at each of the identity token and the secret, pausing 5, 10, 20, 40, 80, then 120 s:
# about 15 minutes, enough for a just-added identity and its role assignment to propagate (Azure
# RBAC changes can take up to 10 minutes), far inside the extension's 90-minute limit.
ATTEMPTS=12

registered_id() {
    if [ -s "$REGISTRATION_FILE" ]; then
        sed -n 's/.*"ManagedInstanceID":"\(mi-[0-9a-f]*\)".*/\1/p' "$REGISTRATION_FILE"
    fi
}

# Idempotency and group moves. Registered under this group: nothing to do (a rotated activation
# changes nothing here). Registered under another group, or by something else (no marker for
# this mi- id: its SSM tags, hence its patch group, came from an activation this program cannot
# vouch for): clear the local registration and register under this group's activation. The old
# mi- node stays in AWS, offline; the ops command azure-orphans lists and deregisters it.
OLD_ID=$(registered_id)
if [ -n "$OLD_ID" ]; then
    OLD_GROUP=''
    if [ -s "$GROUP_MARKER" ] && [ "$(sed -n 1p "$GROUP_MARKER")" = "$OLD_ID" ]; then
        OLD_GROUP=$(sed -n 2p "$GROUP_MARKER")
    fi
    if [ "$OLD_GROUP" = "$PATCH_GROUP" ]; then
        echo "already registered as $OLD_ID in patch group $PATCH_GROUP"
        exit 0
    fi
    echo "registered as $OLD_ID under ${OLD_GROUP:-an activation from outside this program}: re-registering in patch group $PATCH_GROUP (the old node stays offline in AWS until azure-orphans deregisters it)"
fi
# @vault-end

case "$(uname -m)" in
    x86_64) ARCH=amd64 ;;
    aarch64) ARCH=arm64 ;;
    *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
WORK=$(mktemp -d)
# @vault-begin

# The last HTTP status and a short reason, for the messages below (error bodies hold no secret).
http_error() {
    local reason
    reason=$(sed -n -e 's/.*"code" *: *"\([^"]*\)".*/\1/p' -e 's/.*"error_description" *: *"\([^"]*\)".*/\1/p' "$1" 2>/dev/null | head -n 1) || true
    printf 'HTTP %s%s' "$2" "${reason:+ ($reason)}"
}

# Runs "$2..." (a request that saves its body to $1 and prints the HTTP status) until it answers
# 200, at most ATTEMPTS times with doubling pauses; a clear message when it never does.
with_retries() {
    local body="$1" what="$2" attempt=1 pause=5 status
    shift 2
    while :; do
        rm -f -- "$body"
        status=$("$@") || status=000
        if [ "$status" = 200 ]; then return 0; fi
        if [ "$attempt" -ge "$ATTEMPTS" ]; then
            echo "cannot read the activation: $what answered $(http_error "$body" "$status") $attempt times; check that the VM has a managed identity with Key Vault Secrets User on secret $SECRET_NAME of vault $VAULT_NAME and that the vault admits the VM's network" >&2
            exit 1
        fi
        echo "$what answered $(http_error "$body" "$status") (attempt $attempt of $ATTEMPTS): retrying in ${pause}s"
        sleep "$pause"
        attempt=$((attempt + 1))
        pause=$((pause * 2))
        if [ "$pause" -gt 120 ]; then pause=120; fi
    done
}

# A token for Key Vault from the VM's managed identity: Azure IMDS, plain HTTP on the link-local
# address, header Metadata: true, never through a proxy ("How to use managed identities for Azure
# resources on an Azure VM to acquire an access token", Microsoft Entra docs).
imds_token() {
    curl -sS --noproxy '*' --max-time 30 -H 'Metadata: true' -o "$WORK/token.json" -w '%{http_code}' \
        'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net'
}

# The secret's latest version (Key Vault REST "Get Secret", api-version 7.4). The token goes to
# curl on stdin as a config line (printf is a shell builtin): never on a command line `ps` shows.
vault_secret() {
    printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" \
        | curl --proto '=https' --proto-redir '=https' --tlsv1.2 -sS --max-time 30 --config - -o "$WORK/secret.json" -w '%{http_code}' \
            "https://${VAULT_NAME}.vault.azure.net/secrets/${SECRET_NAME}?api-version=7.4"
}

# One field of the activation. The secret's value is JSON inside the response's JSON string, so
# its quotes arrive as \" (and a JSON encoder may write / + = as \/ \u002b \u003d); sed reads the
# file, so the code is never an argument either. No jq or python: images need not have them.
activation_field() {
    sed -e 's/\\u002[bB]/+/g' -e 's/\\u003[dD]/=/g' -e 's/\\\//\//g' -e 's/\\"/"/g' "$WORK/secret.json" \
        | sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"
}

TOKEN=''
with_retries "$WORK/token.json" "the managed identity endpoint (IMDS)" imds_token
TOKEN=$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$WORK/token.json")
rm -f -- "$WORK/token.json"
if [ -z "$TOKEN" ]; then
    echo "cannot read the activation: IMDS answered without an access token" >&2
    exit 1
fi
with_retries "$WORK/secret.json" "Key Vault secret $SECRET_NAME in $VAULT_NAME" vault_secret
TOKEN=''
REGION=$(activation_field region)
ACTIVATION_ID=$(activation_field activationId)
ACTIVATION_CODE=$(activation_field activationCode)
rm -f -- "$WORK/secret.json"
# The same patterns the renderer holds explicit values to (VALUE_PATTERNS): nothing else reaches
# the agent's command line or the download URL.
region_pattern='^[a-z]{2}(-[a-z]+)+-[0-9]$'
id_pattern='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
code_pattern='^[A-Za-z0-9+/=]{20,250}$'
if ! [[ $REGION =~ $region_pattern && $ACTIVATION_ID =~ $id_pattern && $ACTIVATION_CODE =~ $code_pattern ]]; then
    echo "cannot read the activation: secret $SECRET_NAME does not hold {activationId, activationCode, region} as the stack writes it" >&2
    exit 1
fi
echo "read the activation of patch group $PATCH_GROUP from $VAULT_NAME/$SECRET_NAME: $ACTIVATION_ID in $REGION"
# @vault-end
BASE="https://amazon-ssm-${REGION}.s3.${REGION}.amazonaws.com/latest"

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
# @vault-begin
if [ -n "$OLD_ID" ]; then
    # The documented way to drop a registration before registering anew ("Deregistering and
    # reregistering a managed node", AWS Systems Manager User Guide): it clears the agent's keys
    # and instance id, so the register call below does not ask to override.
    amazon-ssm-agent -register -clear < /dev/null
fi
# @vault-end
# No -y: should the agent hold a registration the file above did not show, it asks before
# replacing it, reads end-of-file from /dev/null and fails rather than register twice. The code
# is an argument because the agent takes it no other way (amazon-ssm-agent core/agent_parser.go).
amazon-ssm-agent -register -code "$ACTIVATION_CODE" -id "$ACTIVATION_ID" -region "$REGION" < /dev/null
# @vault-begin
printf '%s\n%s\n' "$(registered_id)" "$PATCH_GROUP" > "$GROUP_MARKER"
# @vault-end
systemctl enable amazon-ssm-agent
systemctl start amazon-ssm-agent
echo "registered: $(cat "$REGISTRATION_FILE")"
