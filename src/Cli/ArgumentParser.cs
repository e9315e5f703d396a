namespace DingGen.Cli;

/// <summary>
/// An option a command accepts. A value option takes exactly one value (<c>--name value</c> or <c>--name=value</c>);
/// a flag (<paramref name="IsFlag"/>) takes none (<c>--json</c>).
/// </summary>
internal sealed record OptionSpec(string Name, bool Required, bool IsFlag = false);

/// <summary>The outcome of parsing one command's arguments.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly List<string> _positionals;

    internal ParsedArguments(Dictionary<string, string> values, List<string> positionals, bool helpRequested, string? error)
    {
        _values = values;
        _positionals = positionals;
        HelpRequested = helpRequested;
        Error = error;
    }

    /// <summary><c>-h</c> or <c>--help</c> appeared; it wins over any error.</summary>
    public bool HelpRequested { get; }

    /// <summary>The first usage error, or null. Never contains an option value.</summary>
    public string? Error { get; }

    /// <summary>The value of a required option (present whenever <see cref="Error"/> is null).</summary>
    public string Required(string name) => _values[name];

    /// <summary>The value of an optional option, or null when it was not given.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>Whether the flag <paramref name="name"/> was given.</summary>
    public bool Flag(string name) => _values.ContainsKey(name);

    /// <summary>The positional argument at <paramref name="index"/> (present whenever <see cref="Error"/> is null).</summary>
    public string Positional(int index) => _positionals[index];

    /// <summary>The optional positional argument at <paramref name="index"/> (declared as <c>[&lt;name&gt;]</c>), or null when not given.</summary>
    public string? OptionalPositional(int index) => index < _positionals.Count ? _positionals[index] : null;
}

/// <summary>
/// A small, strict parser: only the declared options, each at most once, value options with a value, flags without;
/// exactly the declared number of positional arguments. Error messages name options but never echo a value, since
/// values are keys, tokens or plaintext.
/// </summary>
internal static class ArgumentParser
{
    /// <summary>Parses <paramref name="args"/> from index <paramref name="start"/> on (positions in messages count from 1 over all of <paramref name="args"/>).</summary>
    public static ParsedArguments Parse(string[] args, int start, IReadOnlyList<OptionSpec> options) =>
        Parse(args, start, options, []);

    /// <summary>Parses <paramref name="args"/> from index <paramref name="start"/> on, expecting the <paramref name="positionals"/> in order.</summary>
    public static ParsedArguments Parse(string[] args, int start, IReadOnlyList<OptionSpec> options, IReadOnlyList<string> positionals)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var given = new List<string>();
        var help = false;
        string? error = null;

        for (var i = start; i < args.Length; i++)
        {
            var arg = args[i];
            if (IsHelp(arg))
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith('-') || arg == "-")
            {
                if (given.Count < positionals.Count)
                {
                    given.Add(arg);
                }
                else
                {
                    error ??= positionals.Count == 0
                        ? $"unexpected argument at position {i + 1}; every value must follow its --option"
                        : $"unexpected argument at position {i + 1}; expected only {string.Join(" ", positionals)} and --options";
                }

                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var spec = Find(options, name);
            if (spec is null)
            {
                error ??= $"unknown option {Describe(name, i)}";
                continue;
            }

            string value;
            if (spec.IsFlag)
            {
                if (equals >= 0)
                {
                    error ??= $"option {spec.Name} takes no value";
                    continue;
                }

                value = string.Empty;
            }
            else if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                error ??= $"option {spec.Name} needs a value";
                continue;
            }

            if (!values.TryAdd(spec.Name, value))
            {
                error ??= $"option {spec.Name} is given more than once";
            }
        }

        // Positionals written [<like-this>] are optional; the others are required.
        var required = positionals.Count(static p => !p.StartsWith('['));
        if (error is null && given.Count < required)
        {
            error = $"missing {string.Join(" ", positionals.Skip(given.Count).Take(required - given.Count))}";
        }

        if (error is null)
        {
            var missing = new List<string>();
            foreach (var spec in options)
            {
                if (spec.Required && !values.ContainsKey(spec.Name))
                {
                    missing.Add(spec.Name);
                }
            }

            if (missing.Count > 0)
            {
                error = missing.Count == 1
                    ? $"missing required option {missing[0]}"
                    : $"missing required options {string.Join(", ", missing)}";
            }
        }

        return new ParsedArguments(values, given, help, error);
    }

    /// <summary>Whether <paramref name="arg"/> asks for help.</summary>
    public static bool IsHelp(string arg) => arg is "-h" or "--help";

    /// <summary>
    /// Names an unknown option or command in an error message: quoted when it looks like a name, otherwise by
    /// position only, so a misplaced secret is never echoed.
    /// </summary>
    public static string Describe(string name, int index)
    {
        var looksLikeName = name.Length is > 0 and <= 32;
        foreach (var c in name)
        {
            looksLikeName &= char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_';
        }

        return looksLikeName ? $"'{name}'" : $"at position {index + 1}";
    }

    private static OptionSpec? Find(IReadOnlyList<OptionSpec> options, string name)
    {
        foreach (var spec in options)
        {
            if (string.Equals(spec.Name, name, StringComparison.Ordinal))
            {
                return spec;
            }
        }

        return null;
    }
}
