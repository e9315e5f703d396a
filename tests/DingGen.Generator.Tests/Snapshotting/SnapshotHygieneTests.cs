using System.Reflection;
using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Snapshotting;

/// <summary>
/// Keeps <c>Snapshots/</c> and the snapshot tests in step: no approved file without a producing test, no produced file
/// without an approved snapshot, and no <c>*.received.cs</c> left behind. The expected names are derived from the
/// <c>[Fact]</c> methods of the snapshot test classes and the generator's hint names, so no test order matters.
/// </summary>
public sealed class SnapshotHygieneTests
{
    /// <summary>The classes whose every <c>[Fact]</c> snapshots every generated file.</summary>
    private static readonly Type[] SnapshotClasses = { typeof(GeneratorSnapshotTests) };

    [Fact]
    public void Every_verified_file_has_a_producing_test()
    {
        var expected = ExpectedFileNames();
        var orphans = VerifiedFiles().Where(file => !expected.Contains(file)).ToArray();
        Assert.True(orphans.Length == 0, "Snapshots with no producing test (delete them or restore the test):\n" + string.Join("\n", orphans));
    }

    [Fact]
    public void Every_snapshot_test_and_hint_name_has_a_verified_file()
    {
        var present = VerifiedFiles().ToHashSet(StringComparer.Ordinal);
        var missing = ExpectedFileNames().Where(file => !present.Contains(file)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "Missing snapshots (run the snapshot tests with DINGGEN_ACCEPT_SNAPSHOTS=1 locally):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void A_run_produces_only_hint_names_that_have_snapshots()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(TestSources.StaticAndInstanceHandlers, TestSources.PayloadKinds));
        GeneratorAssert.RanWithoutErrors(result);
        var snapshotted = VerifiedFiles()
            .Select(static file => file[(file.IndexOf('#', StringComparison.Ordinal) + 1)..^Snapshot.VerifiedSuffix.Length])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var source in result.GeneratedSources)
        {
            Assert.Contains(source.HintName, GeneratorHarness.HintNames);
            Assert.True(snapshotted.Contains(source.HintName), $"The generator produced '{source.HintName}', which no snapshot covers.");
        }
    }

    [Fact]
    public void Snapshot_names_follow_the_convention()
    {
        foreach (var file in VerifiedFiles())
        {
            Assert.Matches(@"^[A-Za-z0-9]+\.[A-Za-z0-9_]+#[A-Za-z0-9_.]+\.g\.cs\.verified\.cs$", file);
        }
    }

    [Fact]
    public void Verified_files_are_normalized()
    {
        foreach (var file in VerifiedFiles())
        {
            var text = File.ReadAllText(Path.Combine(Snapshot.SnapshotsDirectory, file));
            Assert.True(text == Snapshot.Normalize(text), file + " is not normalized (CRLF, trailing whitespace or an unscrubbed version)");
            Assert.DoesNotContain("GeneratedCode(\"DingGen\", \"0", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_generated_line_is_longer_than_160_characters()
    {
        var tooLong = new List<string>();
        foreach (var file in VerifiedFiles())
        {
            var lines = File.ReadAllLines(Path.Combine(Snapshot.SnapshotsDirectory, file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > Generator.Emitting.SourceWriter.MaxLineLength)
                {
                    tooLong.Add($"{file}:{i + 1}: {lines[i].Length} characters");
                }
            }
        }

        Assert.True(tooLong.Count == 0, "Generated lines longer than 160 characters:\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void Generated_code_names_members_after_what_they_stand_for()
    {
        foreach (var file in VerifiedFiles())
        {
            var text = File.ReadAllText(Path.Combine(Snapshot.SnapshotsDirectory, file));
            Assert.DoesNotMatch(@"\bDispatch[0-9]+Async\b|\b_?payload[0-9]+\b|\bstarted[0-9]+\b", text);
            Assert.DoesNotMatch(@"^\s*// "".*""$", text);
        }
    }

    private static HashSet<string> ExpectedFileNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in SnapshotClasses)
        {
            var facts = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(static method => method.GetCustomAttribute<FactAttribute>() is not null);
            foreach (var fact in facts)
            {
                foreach (var hintName in GeneratorHarness.HintNames)
                {
                    names.Add(Snapshot.FileName(type.Name, fact.Name, hintName));
                }
            }
        }

        return names;
    }

    private static IEnumerable<string> VerifiedFiles() =>
        Directory.EnumerateFiles(Snapshot.SnapshotsDirectory, "*" + Snapshot.VerifiedSuffix)
            .Select(static path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal);
}
