#!/usr/bin/env bash
# make demo: the provider end to end against the bundled mock Genesys Cloud, on a fresh clone with
# no credentials and no internet. Everything happens in a temporary directory that is removed at
# the end, and the mock is stopped however the script exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# Go commands use the toolchain named by go.mod's `toolchain` line (see GNUmakefile), unless
# GOTOOLCHAIN says otherwise; a machine whose own Go is older fetches it through the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-$(sed -n 's/^toolchain //p' "$root/go.mod")}"
cd "$root"

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/purecloud-demo.XXXXXX")
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "Finding a Terraform CLI (built from the Go module proxy if none is installed)"
tf=$(scripts/terraform-bin.sh)
version=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$tf" version)
echo "${version%%$'\n'*}"

step "Building the provider and the mock Genesys Cloud into $work"
mkdir -p "$work/plugins" "$work/config"
go build -o "$work/plugins/terraform-provider-purecloud" .
go build -o "$work/purecloud-mockapi" ./cmd/purecloud-mockapi

step "Starting the mock Genesys Cloud on 127.0.0.1 (10 users, OAuth client demo-client)"
mkfifo "$work/mock.out"
"$work/purecloud-mockapi" -listen 127.0.0.1:0 -users 10 -client-id demo-client -client-secret demo-secret \
  >"$work/mock.out" 2>"$work/mock.log" &
mock_pid=$!
exec 3<"$work/mock.out"
if ! read -r -t 30 url <&3; then
  echo "the mock did not start; its log:" >&2
  cat "$work/mock.log" >&2
  exit 1
fi
echo "mock listening at $url"

step "Writing a CLI configuration with dev_overrides (no registry, no internet)"
cat >"$work/terraformrc" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = "$work/plugins"
  }
  direct {}
}
HCL
cat "$work/terraformrc"
cp examples/demo/main.tf "$work/config/"

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export PURECLOUD_API_URL="$url"
export GENESYSCLOUD_OAUTHCLIENT_ID=demo-client
export GENESYSCLOUD_OAUTHCLIENT_SECRET=demo-secret
unset GENESYSCLOUD_ACCESS_TOKEN GENESYSCLOUD_REGION PURECLOUD_LOGIN_URL PURECLOUD_TOKEN_POOL_SIZE \
  PURECLOUD_MAX_REQUESTS_PER_MINUTE PURECLOUD_MAX_RETRIES PURECLOUD_REQUEST_TIMEOUT PURECLOUD_BATCH_WINDOW \
  PURECLOUD_MAX_BATCH_USERS PURECLOUD_READ_BATCHING PURECLOUD_READ_AFTER_WRITE_TOLERANCE
tfc() { "$tf" -chdir="$work/config" "$@"; }

step "terraform apply: assigning licenses to four users"
tfc apply -auto-approve -input=false -no-color
echo
echo "postLicenseOrganization requests the mock received (the four assignments are batched):"
curl -fsS "$url/_mock/stats"
echo

step "Someone removes Alice's wallboardUser license outside Terraform (mock admin API)"
alice=00000000-0000-4000-8000-000000000001
curl -fsS -X PUT -H 'Content-Type: application/json' -d '["cloudCX2"]' "$url/_mock/users/$alice/licenses" >/dev/null
echo "Alice now holds: $(curl -fsS "$url/_mock/users/$alice/licenses")"

step "terraform plan -detailed-exitcode: the drift shows up"
set +e
tfc plan -detailed-exitcode -input=false -no-color
code=$?
set -e
if [ "$code" -ne 2 ]; then
  echo "expected terraform plan to report changes (exit code 2), got $code" >&2
  exit 1
fi
echo "terraform plan exited 2: changes to apply, as a scheduled drift check would report."

step "terraform apply: restoring the license"
tfc apply -auto-approve -input=false -no-color
tfc plan -detailed-exitcode -input=false -no-color >/dev/null
echo "the plan is empty again"

step "terraform destroy: removing the licenses Terraform manages"
tfc destroy -auto-approve -input=false -no-color

step "Done: the mock is stopped and $work is removed"
