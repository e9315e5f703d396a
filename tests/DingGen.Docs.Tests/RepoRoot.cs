namespace DingGen.Docs.Tests;

/// <summary>The repository root: the first directory above the test's output that holds <c>DingGen.sln</c>.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>The full path of <paramref name="relative"/> (forward slashes) under the root.</summary>
    public static string File(string relative) => System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    /// <summary>README.md and every docs/**/*.md, as paths relative to the root with forward slashes, in ordinal order.</summary>
    public static IReadOnlyList<string> MarkdownFiles()
    {
        var docs = Directory.EnumerateFiles(File("docs"), "*.md", SearchOption.AllDirectories)
            .Select(static f => System.IO.Path.GetRelativePath(Path, f).Replace(System.IO.Path.DirectorySeparatorChar, '/'));
        return new[] { "README.md" }.Concat(docs.Order(StringComparer.Ordinal)).ToArray();
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "DingGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DingGen.sln was not found in any directory above {AppContext.BaseDirectory}.");
    }
}
