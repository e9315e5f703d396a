using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DingGen.Docs.Tests;

/// <summary>
/// docs/events.md is generated from the catalogue itself (<see cref="DingEventTypes"/> constants, their
/// <see cref="DingEventPayloadAttribute"/> and the payload records with their XML docs); the test fails when the committed
/// page differs. Regenerate with <c>DINGGEN_UPDATE_DOCS=1 dotnet test tests/DingGen.Docs.Tests</c>.
/// </summary>
public sealed class EventCatalogueTests
{
    private const string Page = "docs/events.md";

    [Fact]
    public void The_committed_event_catalogue_page_equals_the_catalogue()
    {
        var expected = EventCataloguePage.Render();
        var path = RepoRoot.File(Page);
        if (Environment.GetEnvironmentVariable("DINGGEN_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        var actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : string.Empty;
        Assert.True(
            actual == expected,
            $"{Page} differs from the event catalogue (src/Runtime/Events). Regenerate it: DINGGEN_UPDATE_DOCS=1 dotnet test tests/DingGen.Docs.Tests --filter EventCatalogue");
    }

    [Fact]
    public void The_page_lists_every_tag_with_its_payload_and_marks_the_handshakes()
    {
        var page = EventCataloguePage.Render();
        var fields = typeof(DingEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(static f => f.IsLiteral).ToArray();

        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            var tag = (string)field.GetRawConstantValue()!;
            var payload = field.GetCustomAttribute<DingEventPayloadAttribute>()!;
            Assert.Contains($"| `{tag}` | `{field.Name}` | [`{payload.PayloadType.Name}`]", page, StringComparison.Ordinal);
        }

        Assert.Contains("## Handshakes", page, StringComparison.Ordinal);
        Assert.Contains("| `check_url` |", page.Split("## Handshakes")[1], StringComparison.Ordinal);
        Assert.Contains("### BpmsInstanceChange", page, StringComparison.Ordinal);
        Assert.Contains("| `ProcessInstanceId` | `string?` |", page, StringComparison.Ordinal);
    }
}

/// <summary>Renders docs/events.md from the catalogue.</summary>
internal static class EventCataloguePage
{
    public static string Render()
    {
        var docs = XmlDocs.Load(typeof(DingEventTypes).Assembly);
        var fields = typeof(DingEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral && f.GetCustomAttribute<DingEventPayloadAttribute>() is not null)
            .OrderBy(static f => f.MetadataToken)
            .ToArray();
        var sb = new StringBuilder();
        sb.Append("# Event catalogue\n\n");
        sb.Append("<!-- Generated from src/Runtime/Events by tests/DingGen.Docs.Tests (EventCatalogueTests). Do not edit by hand: change the\n");
        sb.Append("     catalogue, then run DINGGEN_UPDATE_DOCS=1 dotnet test tests/DingGen.Docs.Tests --filter EventCatalogue -->\n\n");
        sb.Append("Every event type DingGen knows: the tag DingTalk sends as `EventType`, the `DingEventTypes` constant to use in\n");
        sb.Append("`[DingEvent(...)]`, and the payload record of namespace `DingGen.Events` a handler takes. A tag that is not listed can\n");
        sb.Append("still be handled: declare it with `[assembly: DingCustomEvent(\"tag\", typeof(MyPayload))]` (see [handlers](handlers.md)).\n");
        sb.Append("Which tags reach you is what is registered (API), or ticked in the developer console; `DingEventTags.All` lists the\n");
        sb.Append("tags your handlers take.\n\n");

        sb.Append("## Events\n\n| tag | constant | payload | what happened |\n|---|---|---|---|\n");
        foreach (var field in fields.Where(static f => !f.GetCustomAttribute<DingEventPayloadAttribute>()!.Handshake))
        {
            Row(sb, field, docs);
        }

        sb.Append("\n## Handshakes\n\nAnswered by the endpoint itself with the encrypted `success`; no handler may take them (analyzer DING rules reject it).\n\n");
        sb.Append("| tag | constant | payload | what happened |\n|---|---|---|---|\n");
        foreach (var field in fields.Where(static f => f.GetCustomAttribute<DingEventPayloadAttribute>()!.Handshake))
        {
            Row(sb, field, docs);
        }

        sb.Append("\n## Payload records\n\nEvery record also has the envelope fields of its base type. Properties are matched case-insensitively; numbers arrive\nas strings or numbers alike.\n");
        var payloads = fields.Select(static f => f.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType).Distinct().OrderBy(static t => t.Name, StringComparer.Ordinal);
        foreach (var type in payloads)
        {
            sb.Append("\n### ").Append(type.Name).Append("\n\n");
            var summary = docs.Summary("T:" + type.FullName);
            if (summary.Length > 0)
            {
                sb.Append(summary).Append("\n\n");
            }

            var tags = fields.Where(f => f.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType == type).Select(static f => $"`{f.GetRawConstantValue()}`");
            sb.Append("Tags: ").Append(string.Join(", ", tags));
            if (type.BaseType is { } baseType && baseType != typeof(object))
            {
                sb.Append(". Base: `").Append(baseType.Name).Append('`');
            }

            sb.Append(".\n\n| property | type | meaning |\n|---|---|---|\n");
            foreach (var property in Hierarchy(type).SelectMany(static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(static p => p.MetadataToken)))
            {
                if (property.GetMethod is null || property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
                {
                    continue;
                }

                sb.Append("| `").Append(property.Name).Append("` | `").Append(TypeName(property)).Append("` | ")
                    .Append(Cell(docs.Summary($"P:{property.DeclaringType!.FullName}.{property.Name}"))).Append(" |\n");
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<Type> Hierarchy(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            chain.Add(t);
        }

        chain.Reverse();
        return chain;
    }

    private static void Row(StringBuilder sb, FieldInfo field, XmlDocs docs)
    {
        var tag = (string)field.GetRawConstantValue()!;
        var payload = field.GetCustomAttribute<DingEventPayloadAttribute>()!.PayloadType;
        var summary = docs.Summary($"F:{typeof(DingEventTypes).FullName}.{field.Name}");
        summary = Regex.Replace(summary, @"^`[^`]+`:\s*", string.Empty);
        sb.Append("| `").Append(tag).Append("` | `").Append(field.Name).Append("` | [`").Append(payload.Name).Append("`](#")
            .Append(payload.Name.ToLowerInvariant()).Append(") | ").Append(Cell(summary)).Append(" |\n");
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string TypeName(PropertyInfo property)
    {
        var nullability = new NullabilityInfoContext().Create(property);
        return Name(property.PropertyType, nullability);
    }

    private static string Name(Type type, NullabilityInfo? nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, null) + "?";
        }

        var name = type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(int) => "int",
            _ when type == typeof(long) => "long",
            _ when type == typeof(bool) => "bool",
            _ when type == typeof(double) => "double",
            _ when type == typeof(decimal) => "decimal",
            _ when type.IsGenericType => $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select((a, i) => Name(a, nullability?.GenericTypeArguments.ElementAtOrDefault(i))))}>",
            _ => type.Name,
        };
        return !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}

/// <summary>The XML documentation file next to an assembly, turned into Markdown-ish text.</summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocs Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The XML documentation of {assembly.GetName().Name} was not found at {path}; build with GenerateDocumentationFile.");
        }

        var members = XDocument.Load(path).Descendants("member")
            .Where(static m => m.Attribute("name") is not null)
            .ToDictionary(static m => m.Attribute("name")!.Value, static m => m, StringComparer.Ordinal);
        return new XmlDocs(members);
    }

    public string Summary(string id)
    {
        if (!_members.TryGetValue(id, out var member) || member.Element("summary") is not { } summary)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            sb.Append(node switch
            {
                XText text => text.Value,
                XElement { Name.LocalName: "c" } c => "`" + c.Value + "`",
                XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word => "`" + word.Value + "`",
                XElement { Name.LocalName: "see" } see when see.Attribute("cref") is { } cref => "`" + ShortName(cref.Value) + "`",
                XElement { Name.LocalName: "paramref" or "typeparamref" } p => "`" + p.Attribute("name")?.Value + "`",
                XElement other => other.Value,
                _ => string.Empty,
            });
        }

        return Regex.Replace(sb.ToString(), @"\s+", " ").Trim();
    }

    private static string ShortName(string cref)
    {
        var name = cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        var parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) ? parts[^1] : string.Join('.', parts.TakeLast(2));
    }
}
