using System.Reflection;
using System.Text;

namespace DingGen.Docs.Tests;

/// <summary>
/// The public API of every package is tracked: each package project keeps a <c>PublicAPI.txt</c> listing every public and
/// protected type and member, and this test fails when the assembly and the file differ — so an API change is always a
/// visible diff in review, and a removal or rename (breaking under SemVer) cannot land unnoticed. After an intended change:
/// <c>DINGGEN_ACCEPT_API=1 dotnet test tests/DingGen.Docs.Tests -c Release --filter PublicApi</c>, then note it in CHANGELOG.md.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Packages() => new(PackageAssemblies.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, (Assembly Assembly, string Project)> PackageAssemblies = new()
    {
        ["DingGen"] = (typeof(DingEventAttribute).Assembly, "src/Runtime"),
        ["DingGen.AspNetCore"] = (typeof(DingCallbackEndpointRouteBuilderExtensions).Assembly, "src/AspNetCore"),
        ["DingGen.OpenApi"] = (typeof(DingTalkClient).Assembly, "src/OpenApi"),
        ["DingGen.Inbox.Sqlite"] = (typeof(DingGen.Inbox.Sqlite.SqliteDingInbox).Assembly, "src/Inbox.Sqlite"),
        ["DingGen.Inbox.PostgreSql"] = (typeof(DingGen.Inbox.PostgreSql.PostgreSqlDingInbox).Assembly, "src/Inbox.PostgreSql"),
        ["DingGen.Testing"] = (typeof(DingGen.Testing.FakeDingTalkServer).Assembly, "src/Testing"),
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_API_equals_the_tracked_file(string package)
    {
        var (assembly, project) = PackageAssemblies[package];
        var actual = string.Join('\n', Describe(assembly)) + "\n";
        var relative = project + "/PublicAPI.txt";
        var path = RepoRoot.File(relative);
        if (Environment.GetEnvironmentVariable("DINGGEN_ACCEPT_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        var expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty;
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var actualLines = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var report = new StringBuilder()
            .Append("The public API of ").Append(package).Append(" differs from ").Append(relative).AppendLine(":");
        foreach (var line in actualLines.Except(expectedLines).Order(StringComparer.Ordinal))
        {
            report.Append("  + ").AppendLine(line);
        }

        foreach (var line in expectedLines.Except(actualLines).Order(StringComparer.Ordinal))
        {
            report.Append("  - ").AppendLine(line);
        }

        report.Append("If the change is intended: DINGGEN_ACCEPT_API=1 dotnet test tests/DingGen.Docs.Tests -c Release --filter PublicApi, ")
            .Append("and record it in CHANGELOG.md (a removed or changed line is a breaking change).");
        Assert.Fail(report.ToString());
    }

    /// <summary>One line per public or protected type and member, in ordinal order.</summary>
    internal static IEnumerable<string> Describe(Assembly assembly)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes())
        {
            var typeName = Name(type);
            lines.Add(Kind(type) + " " + typeName);
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                if (Visible(member) && !IsCompilerNoise(member) && Describe(member) is { } text)
                {
                    lines.Add(typeName + "." + text);
                }
            }
        }

        return lines;
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : type.IsAbstract && type.IsSealed ? "static class" : "class";

    private static bool Visible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => (p.GetMethod is { } get && Visible(get)) || (p.SetMethod is { } set && Visible(set)),
        EventInfo e => e.AddMethod is { } add && Visible(add),
        Type t => t.IsNestedPublic || t.IsNestedFamily,
        _ => false,
    };

    private static bool IsCompilerNoise(MemberInfo member) =>
        (member is MethodInfo { IsSpecialName: true } m && !m.Name.StartsWith("op_", StringComparison.Ordinal))
        || member is FieldInfo { IsSpecialName: true }
        || member.Name.Contains('<', StringComparison.Ordinal)
        || member is Type;

    private static string? Describe(MemberInfo member) => member switch
    {
        ConstructorInfo c => (c.IsStatic ? "static " : string.Empty) + ".ctor(" + Parameters(c) + ")",
        MethodInfo m => (m.IsStatic ? "static " : string.Empty) + m.Name + Generic(m) + "(" + Parameters(m) + ") -> " + Name(m.ReturnType),
        PropertyInfo p => p.Name + Indexer(p) + " { " + Accessors(p) + "} -> " + Name(p.PropertyType),
        FieldInfo f => (f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty) + (f.IsInitOnly ? "readonly " : string.Empty) + f.Name + " -> " + Name(f.FieldType),
        EventInfo e => "event " + e.Name + " -> " + Name(e.EventHandlerType!),
        _ => null,
    };

    private static string Accessors(PropertyInfo property)
    {
        var text = new StringBuilder();
        if (property.GetMethod is { } get && Visible(get))
        {
            text.Append("get; ");
        }

        if (property.SetMethod is { } set && Visible(set))
        {
            var isInit = set.ReturnParameter.GetRequiredCustomModifiers().Any(static m => m.Name == "IsExternalInit");
            text.Append(isInit ? "init; " : "set; ");
        }

        return text.ToString();
    }

    private static string Indexer(PropertyInfo property)
    {
        var parameters = property.GetIndexParameters();
        return parameters.Length == 0 ? string.Empty : "[" + string.Join(", ", parameters.Select(static p => Name(p.ParameterType))) + "]";
    }

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(static a => a.Name)) + ">" : string.Empty;

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(static p =>
            (p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)
            + Name(p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType)
            + " " + p.Name
            + (p.HasDefaultValue ? " = " + (p.DefaultValue is string s ? "\"" + s + "\"" : p.DefaultValue?.ToString() ?? "null") : string.Empty)));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
        if (!type.IsGenericType)
        {
            return name;
        }

        var tick = name.IndexOf('`', StringComparison.Ordinal);
        var baseName = tick < 0 ? name : name[..tick];
        return baseName + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }
}
