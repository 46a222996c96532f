#!/usr/bin/env bash
# Prints the path of a Terraform CLI that the tests, docs generation and demo can use.
#
# Order: $TF_ACC_TERRAFORM_PATH when it is set and runs; `terraform` on PATH when it runs;
# a copy already built into ./bin; otherwise build Terraform from the Go module proxy into ./bin
# (terraform-plugin-testing would try to download a release, which needs the internet).
# With --built, only the copy built into ./bin counts, and it must be $version (make
# testacc CLI=oldest tests the oldest supported Terraform this way, whatever is on PATH).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
# The newest Terraform release that `go install` still accepts.
version="${TERRAFORM_BUILD_VERSION:-v1.6.6}"
built_only=false
[ "${1:-}" = "--built" ] && built_only=true

works() { [ -n "$1" ] && [ -x "$1" ] && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version >/dev/null 2>&1; }
# Terraform built from its module reports "Terraform v1.6.6-dev".
is_version() {
  local out first
  out=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null) || return 1
  first=${out%%$'\n'*}
  [ "${first%-dev}" = "Terraform $version" ]
}

if ! $built_only; then
  if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && works "$TF_ACC_TERRAFORM_PATH"; then
    echo "$TF_ACC_TERRAFORM_PATH"
    exit 0
  fi
  if onpath=$(command -v terraform 2>/dev/null) && works "$onpath"; then
    echo "$onpath"
    exit 0
  fi
  if works "$bin/terraform"; then
    echo "$bin/terraform"
    exit 0
  fi
elif works "$bin/terraform" && is_version "$bin/terraform"; then
  echo "$bin/terraform"
  exit 0
fi

echo "terraform-bin: building Terraform $version into $bin (about 3 minutes, once)" >&2
mkdir -p "$bin"
GOBIN="$bin" GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@$version" >&2
works "$bin/terraform" || { echo "terraform-bin: the Terraform built into $bin does not run" >&2; exit 1; }
echo "$bin/terraform"
