using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING050: a user payload type no JsonSerializerContext knows; the fix adds it to the project's context.</summary>
public sealed class PayloadNotInJsonContextTests
{
    private const string Context = """
        public sealed class AppJsonContext : System.Text.Json.Serialization.JsonSerializerContext
        {
            public AppJsonContext() : base(null) { }

            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;

            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    /// <summary><see cref="Verify.Usings"/> with the using the fix adds, in its sorted place.</summary>
    private const string UsingsWithSerialization = """
        #nullable enable
        using System;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using DingGen;
        using DingGen.Events;

        """;

    [Fact]
    public Task DingPayload_and_custom_event_types_outside_every_context_are_reported() => Verify.AnalyzerAsync<PayloadJsonContextAnalyzer>(
        Verify.Usings + """
        [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

        public sealed record CrmCustomerChange(string? CustomerId);

        public sealed record MyPayload(string? Id);

        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void OnMine([DingPayload] {|#0:MyPayload|} e) { }

            [DingEvent("crm_customer_change")]
            public static void OnCustom({|#1:CrmCustomerChange|} e) { }
        }
        """,
        Verify.Diagnostic(PayloadNotInJsonContext).WithLocation(0).WithArguments("MyPayload"),
        Verify.Diagnostic(PayloadNotInJsonContext).WithLocation(1).WithArguments("CrmCustomerChange"));

    [Fact]
    public Task Listed_reachable_and_catalogue_types_are_not_reported() => Verify.AnalyzerAsync<PayloadJsonContextAnalyzer>(Sources.ValidHandlers);

    [Fact]
    public Task Types_listed_by_a_context_of_a_referenced_project_are_not_reported()
    {
        var test = new DingAnalyzerTest<PayloadJsonContextAnalyzer>
        {
            TestCode = Verify.Usings + """
                public static class Handlers
                {
                    [DingEvent("bpms_instance_change")]
                    public static void On([DingPayload] Shared.SharedPayload e) { }
                }
                """,
        };
        test.TestState.AdditionalProjectReferences.Add("Shared");
        var shared = new Microsoft.CodeAnalysis.Testing.ProjectState("Shared", Microsoft.CodeAnalysis.LanguageNames.CSharp, "/Shared/", "cs")
        {
            Sources =
            {
                """
                #nullable enable
                using System;
                using System.Text.Json;
                using System.Text.Json.Serialization;
                using System.Text.Json.Serialization.Metadata;

                namespace Shared;

                public sealed record SharedPayload(string? Id);

                [JsonSerializable(typeof(SharedPayload))]
                public sealed class SharedJsonContext : JsonSerializerContext
                {
                    public SharedJsonContext() : base(null) { }

                    protected override JsonSerializerOptions? GeneratedSerializerOptions => null;

                    public override JsonTypeInfo? GetTypeInfo(Type type) => null;
                }
                """,
            },
        };
        shared.AdditionalReferences.AddRange(TestReferences.All);
        test.TestState.AdditionalProjects.Add("Shared", shared);
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_adds_the_type_to_the_project_context() => Verify.FixAsync<PayloadJsonContextAnalyzer, AddJsonSerializableCodeFixProvider>(
        Verify.Usings + """
        public sealed record MyPayload(string? Id);

        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On([DingPayload] {|DING050:MyPayload|} e) { }
        }

        """ + Context,
        UsingsWithSerialization + """
        public sealed record MyPayload(string? Id);

        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            public static void On([DingPayload] MyPayload e) { }
        }

        [JsonSerializable(typeof(MyPayload))]

        """ + Context);

    [Fact]
    public Task No_fix_without_a_context_in_the_project()
    {
        const string Source = Verify.Usings + """
            public sealed record MyPayload(string? Id);

            public static class Handlers
            {
                [DingEvent("bpms_instance_change")]
                public static void On([DingPayload] {|DING050:MyPayload|} e) { }
            }
            """;
        return Verify.FixAsync<PayloadJsonContextAnalyzer, AddJsonSerializableCodeFixProvider>(Source, Source);
    }

    [Fact]
    public Task Fix_all_adds_every_type() => new DingCodeFixTest<PayloadJsonContextAnalyzer, AddJsonSerializableCodeFixProvider>
    {
        TestCode = Verify.Usings + """
            [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

            public sealed record CrmCustomerChange(string? CustomerId);

            public sealed record MyPayload(string? Id);

            public static class Handlers
            {
                [DingEvent("bpms_instance_change")]
                public static void OnMine([DingPayload] {|DING050:MyPayload|} e) { }

                [DingEvent("crm_customer_change")]
                public static void OnCustom({|DING050:CrmCustomerChange|} e) { }
            }

            """ + Context,
        FixedCode = UsingsWithSerialization + """
            [assembly: DingCustomEvent("crm_customer_change", typeof(CrmCustomerChange))]

            public sealed record CrmCustomerChange(string? CustomerId);

            public sealed record MyPayload(string? Id);

            public static class Handlers
            {
                [DingEvent("bpms_instance_change")]
                public static void OnMine([DingPayload] MyPayload e) { }

                [DingEvent("crm_customer_change")]
                public static void OnCustom(CrmCustomerChange e) { }
            }

            [JsonSerializable(typeof(MyPayload))]
            [JsonSerializable(typeof(CrmCustomerChange))]

            """ + Context,
    }.RunAsync();
}
