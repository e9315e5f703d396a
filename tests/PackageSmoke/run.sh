#!/usr/bin/env bash
# Packs DingGen and proves the package works for a user: see README.md beside this file.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="0.0.0-ci.$(date -u +%Y%m%d%H%M%S)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for project in src/Runtime/DingGen.csproj src/AspNetCore/DingGen.AspNetCore.csproj src/OpenApi/DingGen.OpenApi.csproj \
  src/Inbox.Sqlite/DingGen.Inbox.Sqlite.csproj src/Inbox.PostgreSql/DingGen.Inbox.PostgreSql.csproj src/Testing/DingGen.Testing.csproj; do
  echo "packing $(basename "$project" .csproj) $version"
  timeout 600 dotnet pack "$repo/$project" -c Release --no-build -p:PackageVersion="$version" -o "$work/feed" >/dev/null
done

nupkg="$work/feed/DingGen.$version.nupkg"
entries="$(unzip -Z1 "$nupkg")"
for expected in lib/net10.0/DingGen.dll lib/net10.0/DingGen.xml analyzers/dotnet/cs/DingGen.Generator.dll analyzers/dotnet/cs/DingGen.Analyzers.dll analyzers/dotnet/cs/DingGen.CodeFixes.dll README.md; do
  if ! grep -qx "$expected" <<<"$entries"; then
    echo "package is missing $expected" >&2
    exit 1
  fi
done
echo "package entries ok"

# The core package stands without ASP.NET Core: no framework reference in its nuspec (the host packages carry it).
nuspec="$(unzip -p "$nupkg" DingGen.nuspec)"
if grep -q 'Microsoft.AspNetCore' <<<"$nuspec"; then
  grep 'Microsoft.AspNetCore' <<<"$nuspec" >&2
  echo "DingGen's nuspec references ASP.NET Core" >&2
  exit 1
fi
echo "DingGen's nuspec: no Microsoft.AspNetCore framework reference"
for package in DingGen.AspNetCore DingGen.OpenApi DingGen.Inbox.Sqlite DingGen.Inbox.PostgreSql DingGen.Testing; do
  package_nuspec="$(unzip -p "$work/feed/$package.$version.nupkg" "$package.nuspec")"
  grep -q "<dependency id=\"DingGen\" version=\"$version\"" <<<"$package_nuspec" \
    || { echo "$package does not depend on DingGen $version" >&2; exit 1; }
  if unzip -Z1 "$work/feed/$package.$version.nupkg" | grep -q '^analyzers/'; then
    echo "$package carries analyzers (only DingGen may)" >&2
    exit 1
  fi
done
echo "host and store packages depend on DingGen $version and carry no analyzers"

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

echo "building and running the host app (DingGen.AspNetCore + OpenApi + Inbox.Sqlite + Testing, by package only)"
mkdir -p "$work/hostapp"
cp "$repo/tests/PackageSmoke/hostapp/"* "$work/hostapp/"
output="$(cd "$work/hostapp" && timeout 600 dotnet run -c Release -p:DingGenVersion="$version" --packages "$work/packages" 2>&1)" || { echo "$output" >&2; exit 1; }
echo "$output"
grep -qx "callback: 200 success" <<<"$output" || { echo "MapDingCallback did not answer the simulated callback with the encrypted success" >&2; exit 1; }
grep -qx "inbox: user_add_org:0214382847291053 via HttpPush (event pkg-1)" <<<"$output" || { echo "the SQLite inbox did not deliver the event to the handler" >&2; exit 1; }
grep -qx "inbox file: exists" <<<"$output" || { echo "the SQLite inbox file was not created" >&2; exit 1; }
grep -qx "client: token from the fake DingTalk server" <<<"$output" || { echo "DingTalkClient did not get a token from the fake DingTalk server" >&2; exit 1; }
grep -qx "tags: user_add_org" <<<"$output" || { echo "the generator did not run for a host referencing only the host packages" >&2; exit 1; }

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
