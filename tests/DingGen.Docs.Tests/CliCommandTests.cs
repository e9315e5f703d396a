using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace DingGen.Docs.Tests;

/// <summary>
/// Every <c>dinggen …</c> command shown in README.md and docs/**/*.md (in shell blocks, and in inline code that starts with
/// <c>dinggen </c>) names a real command and only its real options, checked with the CLI's own command table and parser.
/// </summary>
public sealed class CliCommandTests
{
    private static readonly Regex InlineCommand = new("`(?<cmd>dinggen [^`]+)`", RegexOptions.CultureInvariant);

    /// <summary>A command line shown in the docs.</summary>
    private sealed record ShownCommand(string Where, string Text, bool Inline);

    private static IEnumerable<ShownCommand> ShownCommands()
    {
        foreach (var file in RepoRoot.MarkdownFiles())
        {
            var text = File.ReadAllText(RepoRoot.File(file));
            foreach (var block in MarkdownSnippets.Read(file, text).Where(static b => b.IsShell))
            {
                var lines = block.Code.Split('\n');
                for (var i = 0; i < lines.Length; i++)
                {
                    var line = lines[i].Trim();
                    if (line.StartsWith("$ ", StringComparison.Ordinal))
                    {
                        line = line[2..];
                    }

                    if (!line.StartsWith("dinggen ", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var start = i;
                    while (line.EndsWith('\\') && i + 1 < lines.Length)
                    {
                        line = line[..^1] + " " + lines[++i].Trim();
                    }

                    yield return new ShownCommand($"{file}:{block.Line + start}", line, Inline: false);
                }
            }

            var number = 0;
            foreach (var line in text.Split('\n'))
            {
                number++;
                foreach (Match match in InlineCommand.Matches(line))
                {
                    yield return new ShownCommand($"{file}:{number}", match.Groups["cmd"].Value, Inline: true);
                }
            }
        }
    }

    /// <summary>Splits a shown command into argument lists: shell comments and pipes cut, quotes removed, [optional] brackets dropped, and <c>a|b</c> in a command word expanded.</summary>
    private static IEnumerable<string[]> Arguments(string command)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        foreach (var c in command + " ")
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        var cut = words.FindIndex(static w => w is "#" or "|" or ">" or ">>" or "&&" or ";" or "2>&1" || w.StartsWith('#'));
        if (cut >= 0)
        {
            words.RemoveRange(cut, words.Count - cut);
        }

        var args = words.Skip(1).Select(static w => w.Trim('[', ']')).Where(static w => w.Length > 0 && w is not "..." and not "…").ToArray();
        for (var i = 0; i < Math.Min(2, args.Length); i++)
        {
            if (args[i].Contains('|', StringComparison.Ordinal) && !args[i].StartsWith('-'))
            {
                foreach (var alternative in args[i].Split('|'))
                {
                    var copy = (string[])args.Clone();
                    copy[i] = alternative;
                    yield return copy;
                }

                yield break;
            }
        }

        yield return args;
    }

    /// <summary>The CLI's command table (internal to DingGen.Cli, read by reflection so the tool needs no test hook).</summary>
    private static IReadOnlyList<(string Name, object Options, object Positionals)> Commands()
    {
        var cli = Assembly.Load("DingGen.Cli");
        var app = cli.GetType("DingGen.Cli.CliApp", throwOnError: true)!;
        var table = (IEnumerable)app.GetField("Commands", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var list = new List<(string, object, object)>();
        foreach (var command in table)
        {
            var type = command.GetType();
            list.Add(((string)type.GetProperty("Name")!.GetValue(command)!, type.GetProperty("Options")!.GetValue(command)!, type.GetProperty("Positionals")!.GetValue(command)!));
        }

        return list;
    }

    /// <summary>
    /// Parses <paramref name="args"/> with the CLI's own parser (CliApp's System.CommandLine tree, then the tool's contract checks) and
    /// returns its usage error, or null. <paramref name="words"/>, <paramref name="options"/> and <paramref name="positionals"/>
    /// describe the command the caller matched; the parser finds it again itself.
    /// </summary>
    private static string? ParseError(string[] args, int words, object options, object positionals)
    {
        _ = (words, options, positionals);
        var cli = Assembly.Load("DingGen.Cli");
        var app = cli.GetType("DingGen.Cli.CliApp", throwOnError: true)!;
        var parser = app.GetField("Parser", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var find = parser.GetType().GetMethod("Find")!;
        var arguments = new object?[] { args, null };
        var command = find.Invoke(parser, arguments);
        if (command is null)
        {
            return "no such command";
        }

        var parsed = parser.GetType().GetMethod("Check")!.Invoke(parser, [args, command, arguments[1]])!;
        return (string?)parsed.GetType().GetProperty("Error")!.GetValue(parsed);
    }

    /// <summary>Checks one shown command; returns what is wrong, or null.</summary>
    private static string? Check(ShownCommand shown, IReadOnlyList<(string Name, object Options, object Positionals)> commands)
    {
        foreach (var args in Arguments(shown.Text))
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "--version")
            {
                continue;
            }

            var command = commands.FirstOrDefault(c =>
            {
                var name = c.Name.Split(' ');
                return name.Length <= args.Length && name.AsSpan().SequenceEqual(args.AsSpan(0, name.Length));
            });
            if (command.Name is null)
            {
                if (shown.Inline && args.Length == 1 && commands.Any(c => c.Name.StartsWith(args[0] + " ", StringComparison.Ordinal)))
                {
                    continue; // `dinggen callback` names a command group
                }

                return $"{shown.Where}: `{shown.Text}`: no command '{string.Join(' ', args.Take(2))}' (commands: {string.Join(", ", commands.Select(static c => c.Name))})";
            }

            var error = ParseError(args, command.Name.Split(' ').Length, command.Options, command.Positionals);
            var acceptable = error is null
                || error.StartsWith("missing required option", StringComparison.Ordinal) // credentials may come from DINGGEN_* variables
                || (shown.Inline && error.StartsWith("missing ", StringComparison.Ordinal)); // prose may name a command without its arguments
            if (!acceptable)
            {
                return $"{shown.Where}: `{shown.Text}`: {error}";
            }
        }

        return null;
    }

    [Fact]
    public void Every_dinggen_command_in_the_docs_parses()
    {
        var commands = Commands();
        var shown = ShownCommands().ToArray();
        Assert.Contains(shown, static s => s.Text.StartsWith("dinggen keygen", StringComparison.Ordinal));

        var problems = shown.Select(s => Check(s, commands)).OfType<string>().ToArray();

        Assert.True(problems.Length == 0, "dinggen commands in the docs that the CLI would reject:\n" + string.Join('\n', problems));
    }

    [Theory]
    [InlineData("dinggen keygen --length 12", "unknown option")]
    [InlineData("dinggen inbox lists --db x.db", "no command 'inbox lists'")]
    [InlineData("dinggen decrypt --json --json", "")]
    public void A_wrong_command_is_reported(string text, string expected)
    {
        var problem = Check(new ShownCommand("docs/example.md:1", text, Inline: false), Commands());

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_right_command_is_accepted()
    {
        Assert.Null(Check(new ShownCommand("docs/example.md:1", "dinggen inbox list --db inbox.db --state dead   # the dead letters", Inline: false), Commands()));
        Assert.Null(Check(new ShownCommand("docs/example.md:1", "dinggen callback register|update --url U --tags a,b", Inline: false), Commands()));
    }
}
