using System.Reflection;
using System.Text.RegularExpressions;
using DingGen.Inbox.Sqlite;

namespace DingGen.Docs.Tests;

/// <summary>docs/configuration.md has a table row for every setting of every options type, and no row for a setting that does not exist.</summary>
public sealed class ConfigurationReferenceTests
{
    private const string Page = "docs/configuration.md";

    /// <summary>Each options type bound from configuration, with the section prefix its settings live under and the properties that are not settings of that section.</summary>
    private static readonly IReadOnlyList<(Type Type, string Prefix, string[] NotSettings)> Sections =
    [
        (typeof(DingGenOptions), "DingGen:", [nameof(DingGenOptions.ReplayGuard)]),
        (typeof(DingReplayGuardOptions), "DingGen:ReplayGuard:", []),
        (typeof(DingStreamOptions), "DingGen:Stream:", []),
        (typeof(DingInboxOptions), "DingGen:Inbox:", []),
        (typeof(SqliteInboxOptions), "DingGen:Inbox:", []),
        (typeof(DingGen.Inbox.PostgreSql.PostgreSqlInboxOptions), "DingGen:Inbox:", []),

        // The client takes AppKey, AppSecret, Token and AesKey from the app's own settings (DingGen:AppKey, …).
        (typeof(DingTalkClientOptions), "DingGen:OpenApi:", [nameof(DingTalkClientOptions.AppKey), nameof(DingTalkClientOptions.AppSecret), nameof(DingTalkClientOptions.Token), nameof(DingTalkClientOptions.AesKey)]),
        (typeof(DingFailedEventRecoveryOptions), "DingGen:Recovery:", []),
    ];

    /// <summary>Public option types of the DingGen packages that are configured in code, not bound from configuration.</summary>
    private static readonly Type[] NotBound = [typeof(DingJsonOptions), typeof(DingGen.Testing.DingTalkDeliveryOptions)];

    private static IEnumerable<string> Settings() =>
        Sections.SelectMany(static s => s.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && !s.NotSettings.Contains(p.Name))
            .Select(p => s.Prefix + p.Name));

    private static HashSet<string> DocumentedRows()
    {
        var rows = File.ReadAllLines(RepoRoot.File(Page)).Where(static l => l.StartsWith('|'));
        var keys = rows.Select(static r => Regex.Match(r, @"^\|\s*`(?<key>DingGen:[A-Za-z:]+)`")).Where(static m => m.Success).Select(static m => m.Groups["key"].Value);
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void Every_setting_has_a_row()
    {
        var rows = DocumentedRows();

        var missing = Settings().Where(s => !rows.Contains(s)).ToArray();

        Assert.True(missing.Length == 0, $"{Page} has no table row (| `Key` | default | range | meaning |) for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_row_is_a_real_setting()
    {
        var settings = Settings().ToHashSet(StringComparer.Ordinal);

        var unknown = DocumentedRows().Where(r => !settings.Contains(r)).ToArray();

        Assert.True(unknown.Length == 0, $"{Page} documents settings no options type has: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_public_options_type_of_the_packages_is_mapped_to_a_section()
    {
        var assemblies = new[] { typeof(DingGenOptions).Assembly, typeof(DingTalkClientOptions).Assembly, typeof(SqliteInboxOptions).Assembly };
        var known = Sections.Select(static s => s.Type).Concat(NotBound).ToHashSet();

        var unmapped = assemblies.SelectMany(static a => a.GetExportedTypes())
            .Where(static t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal))
            .Where(t => !known.Contains(t))
            .Select(static t => t.FullName)
            .ToArray();

        Assert.True(unmapped.Length == 0, $"options types without a section in {nameof(ConfigurationReferenceTests)}.{nameof(Sections)} (add it, then rows to {Page}): {string.Join(", ", unmapped)}");
    }
}
