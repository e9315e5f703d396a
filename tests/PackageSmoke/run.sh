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

echo "a misspelt event type must fail the build with DING001 and a suggestion"
cat > "$work/app/Misspelt.cs" <<'CS'
internal static class MisspeltHandlers
{
    [DingGen.DingEvent("bpms_instanse_change")]
    public static void OnInstance(DingGen.DingEventContext context)
    {
    }
}
CS
set +e
output="$(cd "$work/app" && timeout 600 dotnet build -c Release -p:DingGenVersion="$version" --packages "$work/packages" 2>&1)"
status=$?
set -e
if [ "$status" -eq 0 ]; then
  echo "the misspelt event type built without an error" >&2
  exit 1
fi
grep -q "error DING001" <<<"$output" || { echo "$output" >&2; echo "DING001 was not reported" >&2; exit 1; }
grep -q "did you mean 'bpms_instance_change'" <<<"$output" || { echo "$output" >&2; echo "the suggestion is missing" >&2; exit 1; }
grep -m 1 "error DING001" <<<"$output" | sed 's/^.*error DING001/  error DING001/'

echo "dinggen packs as a .NET tool and runs under its command name"
timeout 600 dotnet pack "$repo/src/Cli/DingGen.Cli.csproj" -c Release --no-build -p:PackageVersion="$version" -o "$work/feed" >/dev/null
timeout 600 dotnet tool install DingGen.Cli --version "$version" --tool-path "$work/tool" --add-source "$work/feed" --configfile "$work/nuget.config" >/dev/null
keys="$("$work/tool/dinggen" keygen)"
grep -Eq '^Token=[A-Za-z0-9]{32}$' <<<"$keys" || { echo "dinggen keygen printed no Token line" >&2; exit 1; }
grep -Eq '^AesKey=[A-Za-z0-9]{43}$' <<<"$keys" || { echo "dinggen keygen printed no AesKey line" >&2; exit 1; }
echo "  dinggen keygen ok"

echo "package smoke test passed"
