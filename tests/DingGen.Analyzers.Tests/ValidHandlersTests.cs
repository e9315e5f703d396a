using DingGen.Analyzers.Tests.Infrastructure;

namespace DingGen.Analyzers.Tests;

/// <summary>The negative test every rule shares: handlers of every supported shape produce no diagnostic at all.</summary>
public sealed class ValidHandlersTests
{
    [Fact]
    public Task UnknownEventTypeAnalyzer_reports_nothing() => Verify.AnalyzerAsync<UnknownEventTypeAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task InvalidEventTypeAnalyzer_reports_nothing() => Verify.AnalyzerAsync<InvalidEventTypeAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task DuplicateEventTypeAnalyzer_reports_nothing() => Verify.AnalyzerAsync<DuplicateEventTypeAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task HandshakeEventHandlerAnalyzer_reports_nothing() => Verify.AnalyzerAsync<HandshakeEventHandlerAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task HandlerSignatureAnalyzer_reports_nothing() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task PayloadJsonContextAnalyzer_reports_nothing() => Verify.AnalyzerAsync<PayloadJsonContextAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task A_project_without_DingGen_pays_nothing()
    {
        var test = new DingAnalyzerTest<HandlerSignatureAnalyzer> { TestCode = "public static class C { public static int M() => 1; }" };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        return test.RunAsync();
    }
}
