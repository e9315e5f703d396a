using System.Text.RegularExpressions;

namespace DingGen.Docs.Tests;

/// <summary>How a C# block is compiled (docs/contributing/docs.md).</summary>
internal enum SnippetMode
{
    /// <summary>No marker: a whole file (usings, top-level statements, types) in a project with the Web SDK's implicit usings.</summary>
    File,

    /// <summary><c>&lt;!-- snippet: fragment --&gt;</c>: statements, members and types; wrapped, with DingGen's usings and ambient variables.</summary>
    Fragment,

    /// <summary><c>&lt;!-- snippet: skip: reason --&gt;</c>: not compiled (pseudo-code, or code that shows a diagnostic).</summary>
    Skip,
}

/// <summary>One fenced code block of a Markdown page.</summary>
/// <param name="File">The page, relative to the repository root with forward slashes.</param>
/// <param name="Line">The 1-based line of the block's first code line.</param>
/// <param name="Language">The fence's info string, lower case (<c>csharp</c>, <c>bash</c>, …).</param>
/// <param name="Code">The code, with the fence's indentation removed.</param>
/// <param name="Marker">The <c>&lt;!-- snippet: … --&gt;</c> text on the last non-blank line before the fence, or null.</param>
internal sealed record CodeBlock(string File, int Line, string Language, string Code, string? Marker)
{
    public bool IsCSharp => Language is "csharp" or "cs" or "c#";

    public bool IsShell => Language is "bash" or "sh" or "shell" or "console" or "powershell" or "pwsh" or "";

    public override string ToString() => $"{File}:{Line}";
}

/// <summary>The parsed marker of a C# block.</summary>
/// <param name="Mode">How to compile it.</param>
/// <param name="Parameters">For a fragment, extra variables as a C# parameter list (<c>DingTalkClient dingtalk, string token</c>); else empty.</param>
/// <param name="Reason">For a skip, why.</param>
internal sealed record SnippetMarker(SnippetMode Mode, string Parameters, string? Reason)
{
    private static readonly Regex Pattern = new(
        @"^<!--\s*snippet:\s*(?<mode>[a-z]+)\s*(?:\((?<params>[^)]*)\))?\s*(?::\s*(?<reason>.*?))?\s*-->$",
        RegexOptions.CultureInvariant);

    /// <summary>Reads <paramref name="block"/>'s marker; an unknown or malformed one is an error naming the block.</summary>
    public static SnippetMarker For(CodeBlock block)
    {
        if (block.Marker is null)
        {
            return new SnippetMarker(SnippetMode.File, string.Empty, null);
        }

        var match = Pattern.Match(block.Marker);
        if (!match.Success)
        {
            throw new FormatException($"{block}: malformed marker '{block.Marker}'. Write <!-- snippet: fragment -->, <!-- snippet: fragment(Type name, ...) --> or <!-- snippet: skip: reason --> (docs/contributing/docs.md).");
        }

        var reason = match.Groups["reason"].Success ? match.Groups["reason"].Value.Trim() : null;
        return match.Groups["mode"].Value switch
        {
            "fragment" => new SnippetMarker(SnippetMode.Fragment, match.Groups["params"].Value.Trim(), null),
            "skip" when !string.IsNullOrWhiteSpace(reason) => new SnippetMarker(SnippetMode.Skip, string.Empty, reason),
            "skip" => throw new FormatException($"{block}: <!-- snippet: skip --> needs a reason: <!-- snippet: skip: why this block cannot compile -->."),
            var other => throw new FormatException($"{block}: unknown snippet mode '{other}'; expected fragment or skip (docs/contributing/docs.md)."),
        };
    }
}

/// <summary>Reads the fenced code blocks of Markdown pages.</summary>
internal static class MarkdownSnippets
{
    private static readonly Regex Fence = new(@"^(?<indent>\s*)(?<fence>`{3,}|~{3,})\s*(?<info>[^`\s]*)", RegexOptions.CultureInvariant);

    /// <summary>Every fenced block of every page README.md and docs/**/*.md.</summary>
    public static IReadOnlyList<CodeBlock> All() => RepoRoot.MarkdownFiles().SelectMany(static f => Read(f, System.IO.File.ReadAllText(RepoRoot.File(f)))).ToArray();

    /// <summary>The fenced blocks of one page.</summary>
    public static IEnumerable<CodeBlock> Read(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? lastNonBlank = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence.Match(lines[i]);
            if (!open.Success)
            {
                if (!string.IsNullOrWhiteSpace(lines[i]))
                {
                    lastNonBlank = lines[i].Trim();
                }

                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var fence = open.Groups["fence"].Value;
            var code = new List<string>();
            var start = i + 2;
            for (i++; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.TrimEnd().Trim(fence[0]).Length == 0)
                {
                    break;
                }

                code.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
            }

            var marker = lastNonBlank is not null && lastNonBlank.StartsWith("<!--", StringComparison.Ordinal) && lastNonBlank.Contains("snippet:", StringComparison.Ordinal) ? lastNonBlank : null;
            yield return new CodeBlock(file, start, open.Groups["info"].Value.ToLowerInvariant(), string.Join('\n', code), marker);
            lastNonBlank = null;
        }
    }
}
