#!/usr/bin/env bash
# make bench-license: purecloud_license_assignment with the real Terraform CLI against the
# standalone mock (cmd/purecloud-mockapi -latency 50ms -rate-limit 300 -users N), one license
# held by N users (default: N = 1000 and 10000; set BENCH_USERS="1000" to run one size).
#
# For each N it measures four commands: create (apply), a no-change plan, a drift plan after 50
# users lost the license out of band (mock admin API, not counted; 15 s after the create, past
# read_after_write_tolerance), and destroy (which refreshes first, as terraform destroy does). For each: wall
# seconds of the Terraform command, the API requests the mock received per endpoint (from
# GET /_mock/stats, token requests included), and the provider's peak RSS (VmHWM, sampled every
# 50 ms by a wrapper around the provider binary). It prints a Markdown table on standard output;
# progress goes to standard error.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sizes=${BENCH_USERS:-"1000 10000"}
# BENCH_BUCKETS=k splits each license's users into k resources (by a hash of the user id)
# instead of one: Terraform's own cost for one set grows with the square of its size.
buckets=${BENCH_BUCKETS:-1}
# BENCH_PROVIDER_SETTINGS: HCL lines for the provider block, e.g. 'token_pool_size = 5'.
settings=${BENCH_PROVIDER_SETTINGS:-}
label=""
if [ -n "$settings" ]; then label="$settings: "; fi
if [ "$buckets" -gt 1 ]; then label="$label$buckets resources: "; fi
tf=${BENCH_TERRAFORM:-$(scripts/terraform-bin.sh)}

work=$(mktemp -d "${TMPDIR:-/tmp}/purecloud-bench.XXXXXX")
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
log() { printf '%s\n' "$*" >&2; }

mkdir -p "$work/plugins" "$work/real"
go build -o "$work/real/terraform-provider-purecloud" .
go build -o "$work/purecloud-mockapi" ./cmd/purecloud-mockapi
# The wrapper Terraform starts instead of the provider: it runs the provider and records the
# peak resident set size the kernel reports for it (VmHWM) into $BENCH_RSS_FILE.
cat >"$work/plugins/terraform-provider-purecloud" <<SH
#!/usr/bin/env bash
"$work/real/terraform-provider-purecloud" "\$@" &
pid=\$!
peak=0
while kill -0 "\$pid" 2>/dev/null; do
  kb=\$(awk '/^VmHWM:/ {print \$2}' /proc/\$pid/status 2>/dev/null || true)
  if [ -n "\$kb" ] && [ "\$kb" -gt "\$peak" ]; then peak=\$kb; echo "\$peak" >"\$BENCH_RSS_FILE"; fi
  sleep 0.05
done
wait "\$pid"
SH
chmod +x "$work/plugins/terraform-provider-purecloud"
cat >"$work/terraformrc" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = "$work/plugins"
  }
  direct {}
}
HCL
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export GENESYSCLOUD_OAUTHCLIENT_ID=bench-client GENESYSCLOUD_OAUTHCLIENT_SECRET=bench-secret
unset GENESYSCLOUD_ACCESS_TOKEN GENESYSCLOUD_REGION PURECLOUD_LOGIN_URL PURECLOUD_TOKEN_POOL_SIZE \
  PURECLOUD_MAX_REQUESTS_PER_MINUTE PURECLOUD_MAX_RETRIES PURECLOUD_REQUEST_TIMEOUT PURECLOUD_BATCH_WINDOW \
  PURECLOUD_MAX_BATCH_USERS PURECLOUD_READ_BATCHING PURECLOUD_READ_AFTER_WRITE_TOLERANCE

# stats prints "route count" lines of the mock's request counters.
stats() {
  curl -fsS "$url/_mock/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
for route, n in sorted(s["requests"].items()):
    print(route, n)
print("rate_limited", s.get("rate_limited", 0))'
}

# diff_stats BEFORE AFTER prints "total; route n, route n" for the requests in between.
diff_stats() {
  python3 - "$1" "$2" <<'PY'
import sys
def load(p):
    out = {}
    for line in open(p):
        route, n = line.rsplit(" ", 1)
        out[route] = int(n)
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
names = {
    "POST /oauth/token": "token",
    "GET /api/v2/license/definitions": "getLicenseDefinitions",
    "POST /api/v2/license/users": "postLicenseUsers",
    "GET /api/v2/license/users": "getLicenseUsers",
    "GET /api/v2/license/users/{userId}": "getLicenseUser",
    "POST /api/v2/license/organization": "postLicenseOrganization",
}
d = {r: b[r] - a.get(r, 0) for r in b if b[r] - a.get(r, 0) > 0}
limited = d.pop("rate_limited", 0)
parts = ", ".join(f"{names.get(r, r)} {n}" for r, n in sorted(d.items(), key=lambda x: -x[1]))
if limited:
    parts += f" (of which {limited} answered 429)"
print(f"{sum(d.values())} | {parts}")
PY
}

# run PHASE WANT_EXIT ARGS... runs terraform in the bench directory and prints a table row.
run() {
  local phase=$1 want=$2
  shift 2
  stats >"$work/before"
  : >"$work/rss"
  local start end code=0
  start=$(date +%s.%N)
  BENCH_RSS_FILE="$work/rss" "$tf" -chdir="$work/${cfgdir:-config}" "$@" -input=false -no-color >"$work/$phase.log" 2>&1 || code=$?
  end=$(date +%s.%N)
  if [ "$code" != "$want" ]; then
    log "terraform $* exited $code, want $want; its output:"
    tail -30 "$work/$phase.log" >&2
    exit 1
  fi
  stats >"$work/after"
  local secs rss
  secs=$(python3 -c "print(f'{$end - $start:.1f}')")
  rss=$(python3 -c "import sys; v=open('$work/rss').read().strip(); print(f'{int(v)/1024:.0f}' if v else '?')")
  printf '| %s | %s | %s | %s | %s |\n' "$n" "$label$phase" "$secs" "$(diff_stats "$work/before" "$work/after")" "$rss"
}

printf '| users | command | wall s | requests | by endpoint | provider peak RSS MB |\n'
printf '|---:|---|---:|---:|---|---:|\n'
for n in $sizes; do
  log "== N = $n: starting the mock (50 ms latency, 300 requests per minute per token)"
  mkfifo "$work/mock.out"
  "$work/purecloud-mockapi" -listen 127.0.0.1:0 -users "$n" -latency 50ms -rate-limit 300 \
    -client-id bench-client -client-secret bench-secret >"$work/mock.out" 2>"$work/mock.log" &
  mock_pid=$!
  exec 3<"$work/mock.out"
  read -r -t 30 url <&3
  rm -f "$work/mock.out"
  export PURECLOUD_API_URL="$url"

  rm -rf "$work/config" && mkdir -p "$work/config"
  python3 - "$n" >"$work/config/users.csv" <<'PY'
import sys
print("user_id,license_id")
for i in range(1, int(sys.argv[1]) + 1):
    print(f"00000000-0000-4000-8000-{i:012d},cloudCX2")
PY
  if [ "$buckets" -le 1 ]; then
    resources='resource "purecloud_license_assignment" "license" {
  for_each   = local.holders
  license_id = each.key
  user_ids   = each.value
}'
  else
    # Each license's holders split into $buckets resources by a hash of the user id, so that a
    # user stays in its bucket whatever else the CSV gains or loses (additive mode only).
    resources="locals {
  buckets = merge([
    for license, users in local.holders : {
      for b in range($buckets) : \"\${license}/\${b}\" => {
        license_id = license
        user_ids   = [for u in users : u if parseint(substr(md5(u), 0, 6), 16) % $buckets == b]
      }
    }
  ]...)
}

resource \"purecloud_license_assignment\" \"license\" {
  for_each   = local.buckets
  license_id = each.value.license_id
  user_ids   = each.value.user_ids
}"
  fi
  cat >"$work/config/main.tf" <<HCL
terraform {
  required_providers {
    purecloud = {
      source = "purecloud-terraform/purecloud"
    }
  }
}

provider "purecloud" {
  $settings
}

locals {
  holders = { for row in csvdecode(file("\${path.module}/users.csv")) : row.license_id => row.user_id... }
}

$resources
HCL
  log "   create"
  run create 0 apply -auto-approve
  log "   no-change plan"
  run "no-change plan" 0 plan -detailed-exitcode
  # A refresh within read_after_write_tolerance (15 s) of the provider's own write re-reads a
  # difference before calling it drift; out-of-band changes normally come later than that.
  log "   waiting out read_after_write_tolerance (15 s), then 50 users lose the license out of band; drift plan"
  sleep 15
  for i in $(seq 1 50); do
    curl -fsS -X PUT -H 'Content-Type: application/json' -d '[]' \
      "$url/_mock/users/00000000-0000-4000-8000-$(printf '%012d' "$i")/licenses" >/dev/null
  done
  run "drift plan (50 changed)" 2 plan -detailed-exitcode
  log "   destroy"
  run destroy 0 destroy -auto-approve

  # Terraform's own floor for the same shape: terraform_data holding the same sets, no provider.
  rm -rf "$work/floor" && mkdir -p "$work/floor" && cp "$work/config/users.csv" "$work/floor/"
  sed -e '/^terraform {/,/^}/d' -e '/^provider "purecloud"/,/^}/d' \
    -e 's/resource "purecloud_license_assignment" "license"/resource "terraform_data" "license"/' \
    -e 's/^  license_id = .*$//' -e 's/^  user_ids   = \(.*\)$/  input = toset(\1)/' \
    "$work/config/main.tf" >"$work/floor/main.tf"
  saved_label=$label
  label="${label}floor, terraform_data: "
  log "   Terraform's floor: create, no-change plan, destroy with terraform_data"
  cfgdir=floor run create 0 apply -auto-approve
  cfgdir=floor run "no-change plan" 0 plan -detailed-exitcode
  cfgdir=floor run destroy 0 destroy -auto-approve
  label=$saved_label

  kill "$mock_pid" && wait "$mock_pid" 2>/dev/null || true
  mock_pid=""
done
log "Terraform: $("$tf" version | sed -n 1p); $(nproc) cores"
