using System.Text.RegularExpressions;

namespace DingGen.Generator.Tests.Rules;

/// <summary>
/// <c>Compilation.GetTypeByMetadataName</c> returns null when two references declare the same type, so the generator, the
/// analyzers and the code fixes look types up only through <c>TypeLookup</c> in src/Common (STYLE.md, "Type lookups").
/// </summary>
public sealed class BannedApiTests
{
    private const string Helper = "TypeLookup.cs";

    [Fact]
    public void GetTypeByMetadataName_appears_only_in_the_lookup_helper()
    {
        var root = RepositoryRoot();
        var offenders = new List<string>();
        foreach (var folder in new[] { "src/Generator", "src/Analyzers", "src/Common" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || Path.GetFileName(file) == Helper)
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (Regex.IsMatch(lines[i], @"\bGetTypeByMetadataName\b"))
                    {
                        offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "Use GetBestTypeByMetadataName (src/Common/TypeLookup.cs) instead of:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_helper_exists_where_the_test_looks()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "src", "Common", Helper)));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DingGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DingGen.sln not found above " + AppContext.BaseDirectory);
    }
}
