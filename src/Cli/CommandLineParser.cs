using System.CommandLine;
using System.CommandLine.Parsing;
using Cmd = DingGen.Cli.Commands.Command;

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
/// The command line of <c>dinggen</c> on System.CommandLine: the command tree (groups such as <c>callback</c>, leaves with their
/// options and positional arguments) is built from the <see cref="Cmd"/> declarations, System.CommandLine tokenizes and parses
/// (<c>--name value</c>, <c>--name=value</c>, flags), and the result is checked against the tool's contract: only the declared
/// options, each at most once, value options with a value, flags without, exactly the declared positionals. Error messages
/// name options but never echo a value, since values are keys, tokens or plaintext; <c>-h</c>/<c>--help</c> wins over any error.
/// </summary>
internal sealed class CommandLineParser
{
    private readonly RootCommand _root = new("dinggen");
    private readonly Dictionary<System.CommandLine.Command, Leaf> _leaves = [];

    public CommandLineParser(IEnumerable<Cmd> commands)
    {
        // The tool prints its own help texts; System.CommandLine's help and version options are replaced by one -h/--help flag.
        _root.Options.Clear();
        _root.Options.Add(new Option<bool>("--help", "-h") { Arity = ArgumentArity.Zero, Recursive = true });
        foreach (var command in commands)
        {
            var words = command.Name.Split(' ');
            System.CommandLine.Command parent = _root;
            for (var i = 0; i < words.Length - 1; i++)
            {
                var group = parent.Subcommands.FirstOrDefault(c => c.Name == words[i]);
                if (group is null)
                {
                    group = new System.CommandLine.Command(words[i]);
                    parent.Subcommands.Add(group);
                }

                parent = group;
            }

            var leaf = new System.CommandLine.Command(words[^1]);
            var options = new Dictionary<Option, OptionSpec>();
            foreach (var spec in command.Options)
            {
                Option option = spec.IsFlag
                    ? new Option<bool>(spec.Name) { Arity = ArgumentArity.Zero }
                    : new Option<string>(spec.Name) { Arity = ArgumentArity.ExactlyOne };
                leaf.Options.Add(option);
                options.Add(option, spec);
            }

            // Every free token lands here; the declared positionals are checked below, so unknown options are reported as such.
            var free = new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore };
            leaf.Arguments.Add(free);
            parent.Subcommands.Add(leaf);
            _leaves.Add(leaf, new Leaf(command, options));
        }
    }

    /// <summary>The command <paramref name="args"/> selects (its words first, as typed), or null.</summary>
    public Cmd? Find(string[] args, out ParseResult result)
    {
        result = _root.Parse(args);
        if (!_leaves.TryGetValue(result.CommandResult.Command, out var leaf))
        {
            return null;
        }

        var words = leaf.Command.Name.Split(' ');
        return words.Length <= args.Length && words.AsSpan().SequenceEqual(args.AsSpan(0, words.Length)) ? leaf.Command : null;
    }

    /// <summary>Checks a parse of <paramref name="args"/> that selected <paramref name="command"/> against the contract.</summary>
    public ParsedArguments Check(string[] args, Cmd command, ParseResult result)
    {
        var words = command.Name.Split(' ').Length;
        var leaf = _leaves[result.CommandResult.Command];
        var help = false;
        for (var i = words; i < args.Length; i++)
        {
            help |= IsHelp(args[i]);
        }

        // Tokens in order with the index of the argument each came from (--name=value and -xVALUE give two tokens from one).
        var positions = new Dictionary<Token, int>(ReferenceEqualityComparer.Instance);
        var errors = new SortedDictionary<int, string>();
        var argIndex = 0;
        Token? previousOption = null;
        foreach (var token in result.Tokens)
        {
            if (previousOption is not null && token.Type == TokenType.Argument && argIndex > 0
                && !string.Equals(args[argIndex - 1], previousOption.Value, StringComparison.Ordinal)
                && !string.Equals(args[argIndex - 1], previousOption.Value + "=", StringComparison.Ordinal))
            {
                // The value part of the previous argument.
                positions[token] = argIndex - 1;
                previousOption = null;
                continue;
            }

            previousOption = token.Type == TokenType.Option ? token : null;
            positions[token] = Math.Min(argIndex, args.Length - 1);
            if (token.Type == TokenType.Option && argIndex < args.Length && !IsOptionWithValue(args[argIndex], token.Value))
            {
                // An option glued to something else (e.g. -hVALUE): not an option the tool knows.
                errors.TryAdd(argIndex, $"unknown option {Describe(args[argIndex], argIndex)}");
            }

            argIndex++;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, spec) in leaf.Options)
        {
            var optionResult = result.GetResult(option);
            if (optionResult is null || optionResult.IdentifierTokenCount == 0)
            {
                continue;
            }

            var at = optionResult.IdentifierToken is { } identifier && positions.TryGetValue(identifier, out var index) ? index : args.Length;
            if (optionResult.IdentifierTokenCount > 1)
            {
                errors.TryAdd(SecondIdentifier(args, spec.Name, words), $"option {spec.Name} is given more than once");
                continue;
            }

            if (spec.IsFlag)
            {
                if (at < args.Length && args[at].StartsWith(spec.Name + "=", StringComparison.Ordinal))
                {
                    errors.TryAdd(at, $"option {spec.Name} takes no value");
                    continue;
                }

                values[spec.Name] = string.Empty;
            }
            else if (optionResult.Tokens.Count == 0)
            {
                if (at < args.Length && string.Equals(args[at], spec.Name + "=", StringComparison.Ordinal))
                {
                    // --name= gives the empty value (the command decides whether it is allowed).
                    values[spec.Name] = string.Empty;
                }
                else
                {
                    errors.TryAdd(at, $"option {spec.Name} needs a value");
                }
            }
            else
            {
                values[spec.Name] = optionResult.Tokens[0].Value;
            }
        }

        // Free tokens: the declared positionals, or unknown options and stray values.
        var consumed = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (var option in leaf.Options.Keys)
        {
            if (result.GetResult(option) is { } optionResult)
            {
                foreach (var token in optionResult.Tokens)
                {
                    consumed.Add(token);
                }
            }
        }

        var positionals = leaf.Command.Positionals;
        var given = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (token.Type != TokenType.Argument || consumed.Contains(token) || !positions.TryGetValue(token, out var at) || errors.ContainsKey(at))
            {
                continue;
            }

            var text = args[at];
            if (text.StartsWith('-') && text != "-")
            {
                var equals = text.IndexOf('=', StringComparison.Ordinal);
                errors.TryAdd(at, $"unknown option {Describe(equals < 0 ? text : text[..equals], at)}");
            }
            else if (given.Count < positionals.Count)
            {
                given.Add(token.Value);
            }
            else
            {
                errors.TryAdd(at, positionals.Count == 0
                    ? $"unexpected argument at position {at + 1}; every value must follow its --option"
                    : $"unexpected argument at position {at + 1}; expected only {string.Join(" ", positionals)} and --options");
            }
        }

        string? error = errors.Count > 0 ? errors.First().Value : null;

        // Positionals written [<like-this>] are optional; the others are required.
        var required = positionals.Count(static p => !p.StartsWith('['));
        if (error is null && given.Count < required)
        {
            error = $"missing {string.Join(" ", positionals.Skip(given.Count).Take(required - given.Count))}";
        }

        if (error is null)
        {
            var missing = command.Options.Where(spec => spec.Required && !values.ContainsKey(spec.Name)).Select(static spec => spec.Name).ToList();
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

    private static bool IsOptionWithValue(string arg, string option) =>
        string.Equals(arg, option, StringComparison.Ordinal) || arg.StartsWith(option + "=", StringComparison.Ordinal);

    private static int SecondIdentifier(string[] args, string name, int start)
    {
        var seen = 0;
        for (var i = start; i < args.Length; i++)
        {
            if (IsOptionWithValue(args[i], name) && ++seen == 2)
            {
                return i;
            }
        }

        return args.Length;
    }

    private sealed record Leaf(Cmd Command, Dictionary<Option, OptionSpec> Options);
}
