namespace DingGen.Docs.Tests;

/// <summary>Every C# block of README.md and docs/**/*.md compiles (conventions: docs/contributing/docs.md).</summary>
public sealed class SnippetTests
{
    /// <summary>One row per C# block, named <c>file:line</c>.</summary>
    public static TheoryData<string> CSharpBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in MarkdownSnippets.All().Where(static b => b.IsCSharp))
        {
            data.Add(block.ToString());
        }

        return data;
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(CSharpBlocks))]
    public async Task The_block_compiles(string where)
    {
        await Task.Yield();
        var block = MarkdownSnippets.All().Single(b => b.IsCSharp && b.ToString() == where);
        var marker = SnippetMarker.For(block);
        if (marker.Mode == SnippetMode.Skip)
        {
            return;
        }

        var errors = SnippetCompiler.Errors(block, marker);

        Assert.True(
            errors.Count == 0,
            $"The C# block at {where} does not compile ({(marker.Mode == SnippetMode.Fragment ? "fragment" : "whole file")}):\n{string.Join('\n', errors)}\n"
            + "A block is compiled as a whole file unless <!-- snippet: fragment --> precedes it; see docs/contributing/docs.md.");
    }

    [Fact]
    public void Every_block_found_has_a_valid_marker_and_the_readme_has_whole_file_snippets()
    {
        var blocks = MarkdownSnippets.All().Where(static b => b.IsCSharp).ToArray();
        foreach (var block in blocks)
        {
            _ = SnippetMarker.For(block); // throws naming the block when malformed
        }

        var readme = blocks.Where(static b => b.File == "README.md").ToArray();
        Assert.NotEmpty(readme);
        Assert.Equal(SnippetMode.File, SnippetMarker.For(readme[0]).Mode);
        Assert.Contains("using DingGen;", readme[0].Code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_block_is_reported_with_its_file_line_and_the_compiler_error()
    {
        var text = "# Page\n\ntext\n\n```csharp\nusing DingGen;\n\nvar x = new NoSuchType();\n```\n";
        var block = Assert.Single(MarkdownSnippets.Read("docs/example.md", text));

        var errors = SnippetCompiler.Errors(block, SnippetMarker.For(block));

        Assert.Equal(6, block.Line);
        Assert.Contains(errors, static e => e.StartsWith("docs/example.md:8: error CS0246:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fragment_gets_the_ambient_variables_its_parameters_and_the_generated_registration()
    {
        var text = """
            <!-- snippet: fragment(DingTalkClient dingtalk) -->
            ```csharp
            builder.Services.AddDingEventHandlers();
            var tags = DingEventTags.All;
            await dingtalk.SyncCallbackAsync("https://example.com/dingtalk/callback", tags);

            [DingEvent(DingEventTypes.UserAddOrg)]
            public void OnJoin(UserAddOrg e) { }

            public sealed record Extra(string Id);
            ```
            """;
        var block = Assert.Single(MarkdownSnippets.Read("docs/example.md", text));

        Assert.Empty(SnippetCompiler.Errors(block, SnippetMarker.For(block)));
        var missing = SnippetCompiler.Errors(block with { Code = block.Code + "\nUnknownCall();" }, SnippetMarker.For(block));
        Assert.Contains(missing, static e => e.Contains("error CS0103", StringComparison.Ordinal) && e.StartsWith("docs/example.md:11:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<!-- snippet: skip -->", "needs a reason")]
    [InlineData("<!-- snippet: partial -->", "unknown snippet mode 'partial'")]
    public void A_bad_marker_is_an_error_naming_the_block(string marker, string expected)
    {
        var block = Assert.Single(MarkdownSnippets.Read("docs/example.md", marker + "\n```csharp\nx();\n```\n"));

        var exception = Assert.Throws<FormatException>(() => SnippetMarker.For(block));

        Assert.Contains("docs/example.md:3", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }
}
