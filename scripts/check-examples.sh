#!/usr/bin/env bash
# Checks that every example is formatted and valid against the provider's current schema:
# builds the provider, points Terraform at it with dev_overrides, and runs `terraform validate`
# in each example directory (a directory holding *.tf or *.tfquery.hcl files; the files beside
# them, such as a guide's CSV, are copied too). Keeps examples/ (and so docs/) from going stale.
#
# It uses the newest Terraform (scripts/terraform-latest-bin.sh): examples show import blocks
# with `identity` (Terraform 1.12) and list blocks in .tfquery.hcl files, which only
# `terraform validate -query` of Terraform 1.14 checks.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# Go commands use the toolchain named by go.mod's `toolchain` line (see GNUmakefile), unless
# GOTOOLCHAIN says otherwise; a machine whose own Go is older fetches it through the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-$(sed -n 's/^toolchain //p' "$root/go.mod")}"
cd "$root"
tf=$(scripts/terraform-latest-bin.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/plugins/terraform-provider-purecloud" .
# Examples without a required_providers block resolve to hashicorp/purecloud; override both.
cat >"$work/terraformrc" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = "$work/plugins"
    "registry.terraform.io/hashicorp/purecloud"           = "$work/plugins"
  }
  direct {}
}
HCL
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

"$tf" fmt -check -recursive -diff examples
failed=0
# `terraform fmt` skips .tfquery.hcl files (outside experimental builds); format them through stdin.
while IFS= read -r file; do
  if ! "$tf" fmt - <"$file" | diff -u --label "$file" --label "$file (formatted)" "$file" -; then
    echo "FAIL $file is not formatted like terraform fmt would"
    failed=1
  fi
done < <(find examples -name '*.tfquery.hcl' | sort)
while IFS= read -r dir; do
  mkdir -p "$work/validate"
  rm -rf "$work/validate"/*
  find "$dir" -maxdepth 1 -type f -exec cp {} "$work/validate/" \;
  if out=$("$tf" -chdir="$work/validate" validate -query -no-color 2>&1); then
    echo "ok   $dir"
  else
    echo "FAIL $dir"
    echo "$out" | sed 's/^/     /'
    failed=1
  fi
done < <(find examples \( -name '*.tf' -o -name '*.tfquery.hcl' \) -exec dirname {} \; | sort -u)
exit "$failed"
