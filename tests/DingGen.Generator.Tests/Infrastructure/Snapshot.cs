using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace DingGen.Generator.Tests.Infrastructure;

/// <summary>
/// Approved-file snapshots (STYLE.md section 5): <c>Snapshots/{TestClass}.{TestMethod}#{HintName}.verified.cs</c>, found
/// through <see cref="CallerFilePathAttribute"/> (never copied to the output directory). A mismatch or a missing file
/// writes <c>….received.cs</c> and fails; <c>DINGGEN_ACCEPT_SNAPSHOTS=1</c> accepts instead, except when <c>CI=true</c>.
/// </summary>
internal static partial class Snapshot
{
    public const string VerifiedSuffix = ".verified.cs";
    public const string ReceivedSuffix = ".received.cs";
    public const string VersionPlaceholder = "{{DINGGEN_VERSION}}";

    /// <summary>The <c>Snapshots</c> folder of the test project's sources.</summary>
    public static string SnapshotsDirectory { get; } = LocateDirectory();

    /// <summary>Whether mismatches are accepted: <c>DINGGEN_ACCEPT_SNAPSHOTS=1</c> and not <c>CI=true</c>.</summary>
    public static bool Accepting =>
        Environment.GetEnvironmentVariable("DINGGEN_ACCEPT_SNAPSHOTS") == "1" && !IsCi;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string FileName(string testClass, string testMethod, string hintName) => testClass + "." + testMethod + "#" + hintName + VerifiedSuffix;

    /// <summary>Compares <paramref name="actual"/> with the approved file of <paramref name="testClass"/>.<paramref name="testMethod"/>#<paramref name="hintName"/>.</summary>
    public static void Match(string testClass, string testMethod, string hintName, string actual)
    {
        var verifiedPath = Path.Combine(SnapshotsDirectory, FileName(testClass, testMethod, hintName));
        var receivedPath = verifiedPath[..^VerifiedSuffix.Length] + ReceivedSuffix;
        var received = Normalize(actual);
        var expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == received)
        {
            File.Delete(receivedPath);
            return;
        }

        if (Accepting)
        {
            System.IO.Directory.CreateDirectory(SnapshotsDirectory);
            File.WriteAllText(verifiedPath, received);
            File.Delete(receivedPath);
            return;
        }

        System.IO.Directory.CreateDirectory(SnapshotsDirectory);
        File.WriteAllText(receivedPath, received);
        var ci = IsCi && Environment.GetEnvironmentVariable("DINGGEN_ACCEPT_SNAPSHOTS") == "1"
            ? "\nCI=true: DINGGEN_ACCEPT_SNAPSHOTS is ignored."
            : string.Empty;
        throw new XunitException(expected is null
            ? $"Snapshot {Path.GetFileName(verifiedPath)} does not exist.\nReceived: {receivedPath}\nReview it, then accept with DINGGEN_ACCEPT_SNAPSHOTS=1 (locally).{ci}"
            : Describe(expected, received, verifiedPath, receivedPath) + ci);
    }

    /// <summary>Line endings to <c>\n</c>, the generator version to <see cref="VersionPlaceholder"/>, trailing whitespace stripped.</summary>
    public static string Normalize(string text)
    {
        text = GeneratedCodeVersion().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "${prefix}" + VersionPlaceholder + "${suffix}");
        var lines = text.Split('\n').Select(static line => line.TrimEnd());
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }

    private static string Describe(string expected, string received, string verifiedPath, string receivedPath)
    {
        var expectedLines = expected.Split('\n');
        var receivedLines = received.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < receivedLines.Length && expectedLines[line] == receivedLines[line])
        {
            line++;
        }

        static string At(string[] lines, int index) => index < lines.Length ? "'" + lines[index] + "'" : "<end of file>";
        return $"Snapshot {Path.GetFileName(verifiedPath)} differs at line {line + 1}.\n" +
            $"Expected: {At(expectedLines, line)}\n" +
            $"Actual:   {At(receivedLines, line)}\n" +
            $"Received: {receivedPath}";
    }

    /// <summary>
    /// <c>Infrastructure/../Snapshots</c> from this file's <see cref="CallerFilePathAttribute"/>. CI builds are deterministic
    /// (<c>ContinuousIntegrationBuild</c>) and map the repository root to <c>/_/</c>; the mapped path is then resolved
    /// against the directories above the test binaries, which live inside the repository.
    /// </summary>
    private static string LocateDirectory([CallerFilePath] string thisFile = "")
    {
        var infrastructure = Path.GetDirectoryName(thisFile)!;
        if (System.IO.Directory.Exists(infrastructure))
        {
            return Path.GetFullPath(Path.Combine(infrastructure, "..", "Snapshots"));
        }

        var relative = infrastructure.Replace('\\', '/');
        if (relative.StartsWith("/_/", StringComparison.Ordinal))
        {
            relative = relative[3..];
            for (var root = new DirectoryInfo(AppContext.BaseDirectory); root is not null; root = root.Parent)
            {
                var candidate = Path.Combine(root.FullName, relative);
                if (System.IO.Directory.Exists(candidate))
                {
                    return Path.GetFullPath(Path.Combine(candidate, "..", "Snapshots"));
                }
            }
        }

        throw new InvalidOperationException($"Cannot find the test sources ('{thisFile}') to locate the Snapshots folder.");
    }

    [GeneratedRegex("""(?<prefix>\[global::System\.CodeDom\.Compiler\.GeneratedCode\("DingGen", ")[^"]*(?<suffix>"\)\])""")]
    private static partial Regex GeneratedCodeVersion();
}
