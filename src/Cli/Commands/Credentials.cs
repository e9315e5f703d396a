using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace DingGen.Cli.Commands;

/// <summary>
/// Reads a setting from its option, else from its environment variable (through <see cref="CliIO.Environment"/>): the option
/// wins. Error messages name the option and the variable, never a value.
/// </summary>
internal static class Credentials
{
    public const string AppKeyVariable = "DINGGEN_APP_KEY";
    public const string AppSecretVariable = "DINGGEN_APP_SECRET";
    public const string TokenVariable = "DINGGEN_TOKEN";
    public const string AesKeyVariable = "DINGGEN_AES_KEY";
    public const string BaseUrlVariable = "DINGGEN_BASE_URL";
    public const string CorpIdVariable = "DINGGEN_CORP_ID";
    public const string TimeoutVariable = "DINGGEN_TIMEOUT";

    /// <summary>The option's value, else the variable's, else null (empty values count as absent).</summary>
    public static string? Read(ParsedArguments args, CliIO io, string option, string variable)
    {
        var value = args.Optional(option);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        value = io.Environment(variable);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Reads a required setting; reports a usage error naming both sources when neither has it.</summary>
    public static bool TryReadRequired(ParsedArguments args, CliIO io, string option, string variable, out string value, ref List<string>? missing)
    {
        var read = Read(args, io, option, variable);
        if (read is null)
        {
            (missing ??= []).Add($"{option} (or {variable})");
            value = string.Empty;
            return false;
        }

        value = read;
        return true;
    }
}

/// <summary>Renders rows as an aligned, plain-text table for people (scripts use <c>--json</c>).</summary>
internal static class Table
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                text.Append(i == widths.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>An instant as people read it in logs: UTC, ISO 8601, milliseconds.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>What <c>dinggen simulate --json</c> prints.</summary>
internal sealed record SimulateOutput(string Url, string EventType, string OwnerKey, bool Delivered, IReadOnlyList<AttemptOutput> Attempts);

/// <summary>One delivery attempt in <c>--json</c> output.</summary>
internal sealed record AttemptOutput(int Number, DateTimeOffset At, int? Status, bool SuccessReply, int? ErrorCode, string? Failure);

/// <summary>What <c>dinggen callback get --json</c> prints (never the token or AES key).</summary>
internal sealed record CallbackOutput(bool Registered, string? Url, IReadOnlyList<string> Tags);

/// <summary>What <c>dinggen callback register|update|delete --json</c> prints.</summary>
internal sealed record CallbackActionOutput(string Action, string? Url, IReadOnlyList<string> Tags);

/// <summary>What <c>dinggen callback failed --json</c> prints.</summary>
internal sealed record FailedOutput(int Pages, IReadOnlyList<FailedEntryOutput> Events);

/// <summary>One failed-list entry in <c>--json</c> output: the raw entry plus the push payload it maps to.</summary>
internal sealed record FailedEntryOutput(string Tag, DateTimeOffset EventTime, string? CorpId, string Shape, string? Error, System.Text.Json.JsonElement Entry, System.Text.Json.JsonElement? Payload);

/// <summary>Source-generated JSON metadata for the CLI's <c>--json</c> output (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SimulateOutput))]
[JsonSerializable(typeof(CallbackOutput))]
[JsonSerializable(typeof(CallbackActionOutput))]
[JsonSerializable(typeof(FailedOutput))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
