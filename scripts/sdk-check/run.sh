#!/usr/bin/env bash
# Developer check (not part of CI): the official Genesys Cloud JavaScript SDK
# (purecloud-platform-client-v2, pinned in package.json) calls every LicenseApi
# method, and the UsersApi search that purecloud_users_by_email uses, against a
# fresh standalone mock (cmd/purecloud-mockapi) and checks the answers. Needs go,
# node and npm, and the npm registry for `npm ci` (installs into
# scripts/sdk-check/node_modules, ignored by git).
#
#   scripts/sdk-check/run.sh            # about 5 s (npm ci ~3 s) with warm npm and Go caches
#   SDK_CHECK_SKIP_INSTALL=1 scripts/sdk-check/run.sh   # reuse node_modules
#
# The mock is built with `go build` and run directly (rather than `go run`) so
# that the signal that stops it reaches the server itself.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# Go commands use the toolchain named by go.mod's `toolchain` line (see GNUmakefile), unless
# GOTOOLCHAIN says otherwise; a machine whose own Go is older fetches it through the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-$(sed -n 's/^toolchain //p' "$root/go.mod")}"
tmp="$(mktemp -d)"
mock_pid=""
cleanup() {
	if [[ -n $mock_pid ]]; then
		kill -INT "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

if [[ ${SDK_CHECK_SKIP_INSTALL:-} != 1 || ! -d $here/node_modules ]]; then
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$root" && go build -o "$tmp/purecloud-mockapi" ./cmd/purecloud-mockapi)

client_id="sdk-check-client"
client_secret="sdk-check-secret-$RANDOM$RANDOM"
"$tmp/purecloud-mockapi" -listen 127.0.0.1:0 -users 10 \
	-client-id "$client_id" -client-secret "$client_secret" >"$tmp/stdout" 2>"$tmp/stderr" &
mock_pid=$!

url=""
for _ in $(seq 100); do
	if IFS= read -r url <"$tmp/stdout" 2>/dev/null && [[ -n $url ]]; then
		break
	fi
	if ! kill -0 "$mock_pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
if [[ $url != http://* ]]; then
	echo "sdk-check: the mock did not print its URL" >&2
	cat "$tmp/stderr" >&2
	exit 1
fi
echo "sdk-check: mock at $url"

MOCK_URL="$url" MOCK_CLIENT_ID="$client_id" MOCK_CLIENT_SECRET="$client_secret" node "$here/check.mjs"
