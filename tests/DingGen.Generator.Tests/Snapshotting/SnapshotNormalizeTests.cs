using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Snapshotting;

/// <summary>What the <see cref="Snapshot"/> helper ignores before comparing, and how it names files.</summary>
public sealed class SnapshotNormalizeTests
{
    [Fact]
    public void Line_endings_become_line_feeds()
    {
        Assert.Equal("a\nb\n", Snapshot.Normalize("a\r\nb\r\n"));
    }

    [Fact]
    public void Trailing_whitespace_is_stripped_and_one_final_newline_kept()
    {
        Assert.Equal("a\n\nb\n", Snapshot.Normalize("a  \n\t\nb\t \n\n\n"));
    }

    [Fact]
    public void The_generator_version_is_scrubbed_only_inside_GeneratedCode()
    {
        const string text = """
            [global::System.CodeDom.Compiler.GeneratedCode("DingGen", "1.2.3.4")]
            [global::System.CodeDom.Compiler.GeneratedCode("Other", "1.2.3.4")]
            var version = "1.2.3.4";
            """;
        Assert.Equal(
            "[global::System.CodeDom.Compiler.GeneratedCode(\"DingGen\", \"{{DINGGEN_VERSION}}\")]\n" +
            "[global::System.CodeDom.Compiler.GeneratedCode(\"Other\", \"1.2.3.4\")]\n" +
            "var version = \"1.2.3.4\";\n",
            Snapshot.Normalize(text));
    }

    [Fact]
    public void Normalizing_twice_changes_nothing()
    {
        var once = Snapshot.Normalize("x \r\n[global::System.CodeDom.Compiler.GeneratedCode(\"DingGen\", \"0.1.0.0\")]\r\n");
        Assert.Equal(once, Snapshot.Normalize(once));
    }

    [Fact]
    public void File_names_follow_the_mapperly_scheme_next_to_the_sources()
    {
        Assert.Equal("Tests.Method#DingGen.Dispatcher.g.cs.verified.cs", Snapshot.FileName("Tests", "Method", "DingGen.Dispatcher.g.cs"));
        Assert.Equal("Snapshots", Path.GetFileName(Snapshot.SnapshotsDirectory));
        Assert.True(File.Exists(Path.Combine(Snapshot.SnapshotsDirectory, "..", "DingGen.Generator.Tests.csproj")), "The Snapshots folder is not the source folder.");
    }
}
