#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI for `make testacc CLI=tofu`: `tofu` on PATH when it runs, a copy
# already built into ./bin, or one built from the OpenTofu module through the Go module proxy
# (OpenTofu cannot be `go install`ed; about 5 minutes, once). Progress goes to stderr.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
version="${TOFU_BUILD_VERSION:-v1.12.6}"

works() { [ -n "$1" ] && [ -x "$1" ] && TF_CLI_CONFIG_FILE=/dev/null "$1" version >/dev/null 2>&1; }

if onpath=$(command -v tofu 2>/dev/null) && works "$onpath"; then
  echo "$onpath"
  exit 0
fi
if works "$bin/tofu"; then
  echo "$bin/tofu"
  exit 0
fi

echo "tofu-bin: building OpenTofu $version into $bin (about 5 minutes, once)" >&2
mkdir -p "$bin"
src=$(go mod download -json "github.com/opentofu/opentofu@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "tofu-bin: could not download github.com/opentofu/opentofu@$version" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
(cd "$work/src" && GOFLAGS=-buildvcs=false go build -o "$bin/tofu" ./cmd/tofu) >&2
works "$bin/tofu" || { echo "tofu-bin: the OpenTofu built into $bin does not run" >&2; exit 1; }
echo "$bin/tofu"
