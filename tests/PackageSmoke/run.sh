#!/usr/bin/env bash
# Packs DingGen and proves the package works for a user: see README.md beside this file.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="0.0.0-ci.$(date -u +%Y%m%d%H%M%S)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "packing DingGen $version"
timeout 600 dotnet pack "$repo/src/Runtime/DingGen.csproj" -c Release --no-build -p:PackageVersion="$version" -o "$work/feed" >/dev/null

nupkg="$work/feed/DingGen.$version.nupkg"
entries="$(unzip -Z1 "$nupkg")"
for expected in lib/net10.0/DingGen.dll lib/net10.0/DingGen.xml analyzers/dotnet/cs/DingGen.Generator.dll analyzers/dotnet/cs/DingGen.Analyzers.dll analyzers/dotnet/cs/DingGen.CodeFixes.dll README.md; do
  if ! grep -qx "$expected" <<<"$entries"; then
    echo "package is missing $expected" >&2
    exit 1
  fi
done
echo "package entries ok"

mkdir -p "$work/app"
cp "$repo/tests/PackageSmoke/app/"* "$work/app/"
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"
cat > "$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG

echo "building and running the smoke app against the package"
output="$(cd "$work/app" && timeout 600 dotnet run -c Release -p:DingGenVersion="$version" --packages "$work/packages" 2>&1)" || { echo "$output" >&2; exit 1; }
echo "$output"
grep -qx "tags: org_dept_create,user_add_org" <<<"$output" || { echo "DingEventTags.All is wrong" >&2; exit 1; }
grep -qx "dispatch: Handled" <<<"$output" || { echo "dispatch did not reach the handler" >&2; exit 1; }
grep -qx "journal: user_add_org:0214382847291053" <<<"$output" || { echo "the handler did not see the payload" >&2; exit 1; }

echo "package smoke test passed"
