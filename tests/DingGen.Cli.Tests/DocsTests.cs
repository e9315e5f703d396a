using DingGen.Cli.Commands;

namespace DingGen.Cli.Tests;

/// <summary>The README and the registration guide name every environment variable the tool reads, and the pre-flight check.</summary>
public sealed class DocsTests
{
    private static readonly string[] Variables =
    [
        Credentials.AppKeyVariable, Credentials.AppSecretVariable, Credentials.TokenVariable, Credentials.AesKeyVariable,
        Credentials.CorpIdVariable, Credentials.BaseUrlVariable, Credentials.TimeoutVariable,
    ];

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/registration.md")]
    public void The_docs_name_every_environment_variable_and_the_pre_flight_check(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), document));

        Assert.All(Variables, variable => Assert.Contains(variable, text, StringComparison.Ordinal));
        Assert.Contains("pre-flight", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_usage_names_every_environment_variable()
    {
        Assert.All(Variables, variable => Assert.Contains(variable, CliApp.Usage, StringComparison.Ordinal));
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

        throw new InvalidOperationException("DingGen.sln not found above the test's folder.");
    }
}
