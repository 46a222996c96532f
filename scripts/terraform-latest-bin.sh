#!/usr/bin/env bash
# Prints the path of the newest Terraform CLI this project tests with (resource identity needs
# Terraform 1.12, list resources and `terraform query` need 1.14), building it into ./bin when
# it is missing. Progress goes to stderr; only the path goes to stdout.
#
# Order: $TF_LATEST_TERRAFORM_PATH when it is set and runs (whatever its version); a copy already
# built into ./bin/terraform-<version>; otherwise build it from the Go module proxy.
#
# Terraform 1.12 and later cannot be `go install`ed: their go.mod has replace directives to nested
# modules (the remote-state backends and internal/legacy) that the module zip does not contain.
# The build copies the module source, drops those requirements, removes the backends from
# internal/backend/init/init.go (local state, HTTP and in-memory backends stay) and runs
# `go build .` (about 3 minutes, once). The binary reports "<version>-dev".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
version="${TERRAFORM_LATEST_VERSION:-v1.14.9}"
out="$bin/terraform-${version#v}"

works() { [ -n "$1" ] && [ -x "$1" ] && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version >/dev/null 2>&1; }

if [ -n "${TF_LATEST_TERRAFORM_PATH:-}" ] && works "$TF_LATEST_TERRAFORM_PATH"; then
  echo "$TF_LATEST_TERRAFORM_PATH"
  exit 0
fi
if works "$out"; then
  echo "$out"
  exit 0
fi

echo "terraform-latest-bin: building Terraform $version from its Go module into $out (about 3 minutes, once)" >&2
mkdir -p "$bin"
src=$(go mod download -json "github.com/hashicorp/terraform@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "terraform-latest-bin: could not download github.com/hashicorp/terraform@$version" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"

# The nested modules whose sources are not in the module zip.
nested='github\.com/hashicorp/terraform/internal/(backend/remote-state/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)|legacy)'
# go.mod: their `require` lines (vX pseudo-versions) and their `replace` lines.
sed -E -i "\#^[[:space:]]*(replace[[:space:]]+)?$nested[[:space:]]#d" "$work/src/go.mod"
# init.go: their imports (backendAzure "…/azure") and their entries ("azurerm": func() … backendAzure.New() …).
init="$work/src/internal/backend/init/init.go"
for name in Azure Consul Cos GCS Kubernetes OCI OSS Pg S3; do
  sed -E -i "/^[[:space:]]*backend$name[[:space:]]+\"/d; /backend$name\.New\(/d" "$init"
done
if grep -qE "$nested" "$work/src/go.mod" "$init"; then
  echo "terraform-latest-bin: Terraform $version still refers to a nested module; the build recipe needs updating" >&2
  exit 1
fi

# go.sum may lack entries of the dropped modules' dependencies that the build no longer needs;
# -mod=mod lets go add what is missing without a `go mod tidy` of the whole module.
(cd "$work/src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -o "$out.tmp" .) >&2
mv "$out.tmp" "$out"
works "$out" || { echo "terraform-latest-bin: the Terraform built into $out does not run" >&2; exit 1; }
echo "$out"
