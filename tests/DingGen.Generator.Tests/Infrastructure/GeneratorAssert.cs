using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Tests.Infrastructure;

/// <summary>Assertions shared by the generator tests.</summary>
internal static class GeneratorAssert
{
    /// <summary>The generator ran without an exception and reported nothing (it never reports diagnostics).</summary>
    public static void RanWithoutErrors(GeneratorRunResult result)
    {
        Assert.True(result.Exception is null, "The generator threw: " + result.Exception);
        Assert.True(result.Diagnostics.IsEmpty, "The generator reported diagnostics:\n" + string.Join("\n", result.Diagnostics));
    }

    /// <summary>
    /// The generator ran cleanly and the output compilation has no diagnostics at all, warnings and hidden ones included
    /// (nullable enabled, <c>DocumentationMode.Diagnose</c>, C# 12).
    /// </summary>
    public static void CompilesCleanly(GeneratorRunResult result, Compilation output)
    {
        RanWithoutErrors(result);
        Assert.Equal(GeneratorHarness.HintNames, result.GeneratedSources.Select(static s => s.HintName).Order(StringComparer.Ordinal));
        NoDiagnostics(output);
    }

    /// <summary>The compilation has no diagnostics, warnings and hidden ones included.</summary>
    public static void NoDiagnostics(Compilation compilation)
    {
        var diagnostics = compilation.GetDiagnostics();
        Assert.True(diagnostics.IsEmpty, "The output compilation has diagnostics:\n" + string.Join("\n", diagnostics.Select(Describe)));
    }

    /// <summary>Generated text is readable: <c>\n</c> line endings, no trailing whitespace, no tabs, one final newline.</summary>
    public static void IsTidy(string hintName, string text)
    {
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('\t', text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.False(text.EndsWith("\n\n", StringComparison.Ordinal), hintName + " ends with a blank line");
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.True(lines[i].Length == lines[i].TrimEnd().Length, $"{hintName} line {i + 1} has trailing whitespace: '{lines[i]}'");
            Assert.False(i > 0 && lines[i].Length == 0 && lines[i - 1].Length == 0 && i < lines.Length - 1, $"{hintName} line {i + 1} is a second blank line");
        }
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var line = diagnostic.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
        return $"{diagnostic}\n    {span.Path}:{span.StartLinePosition.Line + 1}: {line}";
    }
}
