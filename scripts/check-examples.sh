#!/usr/bin/env bash
# Checks that every example is formatted and valid against the provider's current schema:
# builds the provider, points Terraform at it with dev_overrides, and runs `terraform validate`
# in each example directory. Keeps examples/ (and so docs/) from going stale.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tf=$(scripts/terraform-bin.sh)
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
while IFS= read -r dir; do
  mkdir -p "$work/validate"
  rm -rf "$work/validate"/*
  cp "$dir"/*.tf "$work/validate/"
  if out=$("$tf" -chdir="$work/validate" validate -no-color 2>&1); then
    echo "ok   $dir"
  else
    echo "FAIL $dir"
    echo "$out" | sed 's/^/     /'
    failed=1
  fi
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)
exit "$failed"
