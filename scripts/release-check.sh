#!/usr/bin/env bash
# Checks what `goreleaser release --snapshot --skip=sign` left in DIST (make release-check):
#   - one zip per platform the registry serves that Go builds, named
#     terraform-provider-purecloud_VERSION_OS_ARCH.zip, holding terraform-provider-purecloud_vVERSION[.exe]
#     at its top (and goreleaser's default LICENSE, README.md, CHANGELOG.md);
#   - terraform-provider-purecloud_VERSION_SHA256SUMS lists every zip and
#     terraform-provider-purecloud_VERSION_manifest.json (terraform-registry-manifest.json), nothing
#     else, with the right sums;
#   - each binary says (go version -m) it was built by go.mod's toolchain for its OS and architecture,
#     with CGO_ENABLED=0 and -trimpath, and holds VERSION (set by -X main.version: with -trimpath
#     the go command leaves -ldflags out of the build information, so it is looked for in the binary);
#   - the linux/amd64 binary runs (it has no version flag: started by hand it prints the plugin
#     notice and exits 1).
# Needs jq, unzip and sha256sum.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dist=$(cd "${1:-$root/dist}" && pwd)
name=terraform-provider-purecloud
# Registry platforms that Go can build (see .goreleaser.yml).
platforms="darwin_amd64 darwin_arm64 freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
linux_386 linux_amd64 linux_arm linux_arm64 windows_386 windows_amd64 windows_arm64"
toolchain=$(sed -n 's/^toolchain //p' "$root/go.mod")
[ -n "$toolchain" ] || toolchain=$(go env GOVERSION)

fail=0
bad() { echo "release-check: $*" >&2; fail=1; }

version=$(jq -r .version "$dist/metadata.json")
echo "release-check: version $version, toolchain $toolchain, in $dist"

# Archives: exactly the expected names, each with the one binary.
want=$(for p in $platforms; do echo "${name}_${version}_$p.zip"; done | sort)
have=$(cd "$dist" && ls -1 ./*.zip 2>/dev/null | sed 's|^\./||' | sort)
if [ "$want" != "$have" ]; then
  bad "archives differ from the registry layout:"; diff <(echo "$want") <(echo "$have") >&2 || true
fi
for p in $platforms; do
  zip="$dist/${name}_${version}_$p.zip"
  [ -f "$zip" ] || continue
  exe="${name}_v$version"; [ "${p%%_*}" = windows ] && exe="$exe.exe"
  inside=$(zipinfo -1 "$zip")
  grep -qx "$exe" <<<"$inside" || bad "$(basename "$zip") has no $exe: $(tr '\n' ' ' <<<"$inside")"
  extra=$(grep -vx -e "$exe" -e LICENSE -e README.md -e CHANGELOG.md <<<"$inside" || true)
  [ -z "$extra" ] || bad "$(basename "$zip") holds more than the binary and LICENSE, README.md, CHANGELOG.md: $extra"
done

# SHA256SUMS: every zip and the manifest, nothing else, right sums.
sums="$dist/${name}_${version}_SHA256SUMS"
manifest="${name}_${version}_manifest.json"
if [ ! -f "$sums" ]; then
  bad "no $(basename "$sums")"
else
  listed=$(awk '{print $2}' "$sums" | sort)
  expected=$( (echo "$want"; echo "$manifest") | sort)
  [ "$listed" = "$expected" ] || { bad "$(basename "$sums") lists other files:"; diff <(echo "$expected") <(echo "$listed") >&2 || true; }
  while read -r sum file; do
    if [ "$file" = "$manifest" ]; then
      actual=$(sha256sum <"$root/terraform-registry-manifest.json" | cut -d' ' -f1)
    else
      actual=$(sha256sum <"$dist/$file" | cut -d' ' -f1)
    fi
    [ "$sum" = "$actual" ] || bad "$file: SHA256SUMS says $sum, the file is $actual"
  done <"$sums"
fi

# Binaries: toolchain, platform, flags and version stamp.
while IFS=$'\t' read -r path goos goarch; do
  info=$(go version -m "$dist/$path")
  p="${goos}_$goarch"
  grep -qx "$dist/$path: $toolchain" <<<"${info%%$'\n'*}" || bad "$p: built by ${info%%$'\n'*}, not $toolchain"
  for setting in "GOOS=$goos" "GOARCH=$goarch" "CGO_ENABLED=0" "-trimpath=true"; do
    grep -q "^[[:space:]]build[[:space:]]$setting\$" <<<"$info" || bad "$p: no build setting $setting"
  done
  grep -qaF -- "$version" "$dist/$path" || bad "$p: the binary does not hold its version $version (-X main.version)"
done < <(jq -r '.[] | select(.type == "Binary") | [.path, .goos, .goarch] | @tsv' "$dist/artifacts.json" | sed "s|^$dist/||; s|^dist/||")
built=$(jq '[.[] | select(.type == "Binary")] | length' "$dist/artifacts.json")
[ "$built" -eq "$(wc -w <<<"$platforms")" ] || bad "$built binaries built, $(wc -w <<<"$platforms") expected"

# The linux/amd64 binary runs.
if [ "$(go env GOHOSTOS)_$(go env GOHOSTARCH)" = linux_amd64 ]; then
  bin=$(jq -r '.[] | select(.type == "Binary" and .goos == "linux" and .goarch == "amd64") | .path' "$dist/artifacts.json")
  case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
  out=$("$bin" 2>&1) && bad "linux_amd64: started by hand, the binary exited 0" || true
  grep -q 'plugin' <<<"$out" || bad "linux_amd64: unexpected output when started by hand: $out"
fi

[ "$fail" -eq 0 ] || exit 1
echo "release-check: $(wc -w <<<"$platforms") archives, SHA256SUMS with the manifest, version $version stamped, built by $toolchain:"
(cd "$dist" && ls -1 ./*.zip ./*SHA256SUMS | sed 's|^\./|  |')
