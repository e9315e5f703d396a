using DingGen.Analyzers.Tests.Infrastructure;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING006: empty, whitespace or non-constant event type (no fix: only the user knows the tag).</summary>
public sealed class InvalidEventTypeTests
{
    [Fact]
    public Task Empty_whitespace_and_null_tags_are_reported() => Verify.AnalyzerAsync<InvalidEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent({|#0:""|})]
            public static void OnEmpty(JsonElement e) { }

            [DingEvent({|#1:"   "|})]
            public static void OnBlank(JsonElement e) { }

            [DingEvent({|#2:null!|})]
            public static void OnNull(JsonElement e) { }

            [DingEvent({|#3:Blank|})]
            public static void OnConstant(JsonElement e) { }

            private const string Blank = "\t";
        }
        """,
        Verify.Diagnostic(InvalidEventType).WithLocation(0).WithArguments("\"\""),
        Verify.Diagnostic(InvalidEventType).WithLocation(1).WithArguments("\"   \""),
        Verify.Diagnostic(InvalidEventType).WithLocation(2).WithArguments("null!"),
        Verify.Diagnostic(InvalidEventType).WithLocation(3).WithArguments("Blank"));

    [Fact]
    public Task Non_constant_tag_is_reported_next_to_the_compiler_error() => Verify.AnalyzerAsync<InvalidEventTypeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            private static readonly string Tag = "bpms_instance_change";

            [DingEvent({|#0:{|CS0182:Tag|}|})]
            public static void On(JsonElement e) { }
        }
        """,
        Verify.Diagnostic(InvalidEventType).WithLocation(0).WithArguments("Tag"));

    [Fact]
    public Task Constant_tags_are_not_reported() => Verify.AnalyzerAsync<InvalidEventTypeAnalyzer>(Sources.ValidHandlers);
}
