#!/usr/bin/env bash
# The analyzers' and the generator's build-time cost on a project with 1,000 handlers (100 classes × 10 handlers over
# 10 catalogue events), as the compiler reports it with -p:ReportAnalyzer=true. Run after `dotnet build -c Release`.
# Usage: bash bench/AnalyzerCost/run.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
tags = {"bpms_instance_change": "BpmsInstanceChange", "bpms_task_change": "BpmsTaskChange", "user_add_org": "UserAddOrg",
        "user_leave_org": "UserLeaveOrg", "user_modify_org": "UserModifyOrg", "org_dept_create": "OrgDeptCreate",
        "org_dept_modify": "OrgDeptModify", "org_dept_remove": "OrgDeptRemove", "chat_add_member": "ChatAddMember",
        "chat_update_title": "ChatUpdateTitle"}
names = list(tags)
for c in range(100):
    lines = ["using DingGen;", "using DingGen.Events;", "", "namespace Load;", "", f"internal sealed class Handlers{c:03}", "{"]
    for m in range(10):
        tag = names[(c + m) % 10]
        lines += [f'    [DingEvent("{tag}")]', f"    public Task On{m}({tags[tag]} e, DingEventContext context, CancellationToken token) => Task.CompletedTask;", ""]
    lines.append("}")
    open(f"{work}/Handlers{c:03}.cs", "w").write("\n".join(lines) + "\n")
PY

echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Packages.props"
cat > "$work/Load1000.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
    <Reference Include="DingGen" HintPath="$repo/src/Runtime/bin/Release/net10.0/DingGen.dll" />
    <Analyzer Include="$repo/src/Generator/bin/Release/netstandard2.0/DingGen.Generator.dll" />
    <Analyzer Include="$repo/src/Analyzers/Analyzers/bin/Release/netstandard2.0/DingGen.Analyzers.dll" />
  </ItemGroup>
</Project>
CSPROJ

(cd "$work" && timeout 600 dotnet build -c Release -v:d -p:ReportAnalyzer=true > build.log 2>&1) || { tail -n 30 "$work/build.log" >&2; exit 1; }
grep -E "Total (analyzer|generator) execution time|DingGen\.(Analyzers|Generator)" "$work/build.log" | grep -v "Analyzer Include\|/analyzer:\|HintPath" | sed 's/^ *//'
