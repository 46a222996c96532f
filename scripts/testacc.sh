#!/usr/bin/env bash
# Runs the acceptance tests once with one CLI: scripts/testacc.sh CLI [go test flags...]
# (`make testacc` calls it; see the GNUmakefile for the variables).
#
# CLI is one of
#   default  $TF_ACC_TERRAFORM_PATH, else `terraform` on PATH, else Terraform 1.6.6 built into ./bin
#   oldest   Terraform 1.6.6 built into ./bin, whatever is on PATH (the oldest supported)
#   latest   Terraform 1.14.9 built into ./bin (resource identity needs 1.12, terraform query 1.14)
#   tofu     `tofu` on PATH, else OpenTofu 1.12.6 built into ./bin
#   a path   that CLI (Terraform, or OpenTofu when its `version` says so)
# Tests run against an in-process mock: no credentials, no network. Tests that need a newer CLI
# skip themselves. PURECLOUD_TEST_READ_BATCHING=false in the environment runs them with
# read_batching = false.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# Go commands use the toolchain named by go.mod's `toolchain` line (see GNUmakefile), unless
# GOTOOLCHAIN says otherwise; a machine whose own Go is older fetches it through the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-$(sed -n 's/^toolchain //p' "$root/go.mod")}"
cd "$root"
cli=${1:?usage: scripts/testacc.sh default|oldest|latest|tofu|PATH [go test flags...]}
shift

case "$cli" in
  default) path=$(scripts/terraform-bin.sh) ;;
  oldest) path=$(scripts/terraform-bin.sh --built) ;;
  latest) path=$(scripts/terraform-latest-bin.sh) ;;
  tofu) path=$(scripts/tofu-bin.sh) ;;
  *) path=$cli ;;
esac

config="$root/bin/empty.tfrc"
mkdir -p "$root/bin"
[ -e "$config" ] || : >"$config"

name=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$config" "$path" version | sed -n 1p)
host=registry.terraform.io
case "$name" in OpenTofu*) host=registry.opentofu.org ;; esac
echo "== acceptance tests with $name ($path)${PURECLOUD_TEST_READ_BATCHING:+, PURECLOUD_TEST_READ_BATCHING=$PURECLOUD_TEST_READ_BATCHING}"

export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$path" TF_ACC_PROVIDER_HOST="$host" CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$config"
exec go test -count=1 -timeout "${TESTACC_TIMEOUT:-20m}" "$@" ./internal/provider/...
