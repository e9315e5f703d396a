using System.Text;
using DingGen.Generator.Emitting;
using DingGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DingGen.Generator.Tests.Robustness;

/// <summary>
/// Broken or unusual code never makes the generator throw or report a diagnostic (DESIGN.md decision 3): it skips what
/// it cannot call and still emits the skeleton, so only the compiler's and the analyzers' own errors show.
/// </summary>
public sealed class GeneratorRobustnessTests
{
    public static TheoryData<string, string> BrokenSources => new()
    {
        {
            "syntax error inside a handler body",
            """
            using DingGen;
            internal sealed class H
            {
                [DingEvent("a")]
                public void M()
                {
                    var x = ;
                    if (
                }
            }
            """
        },
        {
            "unclosed class and method",
            """
            using DingGen;
            internal sealed class H
            {
                [DingEvent("a")]
                public void M(
            """
        },
        {
            "unclosed attribute",
            """
            using DingGen;
            internal sealed class H
            {
                [DingEvent("a"
                public void M()
                {
                }

                [DingEvent(
                public static void N()
                {
                }
            }
            """
        },
        {
            "method without a body and a stray token",
            """
            using DingGen;
            internal sealed class H
            {
                [DingEvent("a")]
                public void M();
                }
                [DingEvent("b")] int
            }
            """
        },
        {
            "attribute on a property, a field, a class and a local function",
            """
            using DingGen;
            [DingEvent("class")]
            internal sealed class H
            {
                [DingEvent("property")]
                public int P { get; set; }

                [DingEvent("field")]
                public int F;

                public void M()
                {
                    [DingEvent("local")]
                    static void Local()
                    {
                    }

                    Local();
                }
            }
            """
        },
        {
            "non-constant, missing, null and mistyped attribute arguments",
            """
            using DingGen;
            internal sealed class H
            {
                private static string tag = "a";

                [DingEvent(tag)]
                public void NonConstant()
                {
                }

                [DingEvent()]
                public void NoArgument()
                {
                }

                [DingEvent(null)]
                public void Null()
                {
                }

                [DingEvent(42)]
                public void Number()
                {
                }

                [DingEvent("a", "b")]
                public void TwoArguments()
                {
                }

                [DingEvent(EventType = "a")]
                public void Named()
                {
                }

                [DingEvent(Missing.Tag)]
                public void MissingConstant()
                {
                }
            }
            """
        },
        {
            "generic methods, generic classes and by-ref parameters",
            """
            using DingGen;
            internal sealed class H<T>
            {
                [DingEvent("a")]
                public void InGeneric()
                {
                }
            }

            internal sealed class G
            {
                [DingEvent("a")]
                public void Generic<T>(T value)
                {
                }

                [DingEvent("a")]
                public void ByRef(ref int a, out int b, in int c)
                {
                    b = 0;
                }

                [DingEvent("a")]
                public unsafe void Pointer(int* p)
                {
                }

                [DingEvent("a")]
                public void RefStruct(System.Span<byte> span)
                {
                }
            }
            """
        },
        {
            "inaccessible methods and types",
            """
            using DingGen;
            internal sealed class Outer
            {
                private sealed class PrivateNested
                {
                    [DingEvent("a")]
                    public void M()
                    {
                    }
                }

                protected internal class ProtectedInternal
                {
                    [DingEvent("a")]
                    private protected void M()
                    {
                    }
                }

                [DingEvent("a")]
                private static void PrivateStatic()
                {
                }

                internal static void Use() => PrivateStatic();
            }

            internal abstract class Abstract
            {
                [DingEvent("a")]
                public void M()
                {
                }
            }

            internal struct Struct
            {
                [DingEvent("a")]
                public void M()
                {
                }
            }

            internal interface IHandler
            {
                [DingEvent("a")]
                void M();
            }

            internal interface IStaticHandler
            {
                [DingEvent("a")]
                static abstract void Abstract();

                [DingEvent("a")]
                static virtual void Virtual()
                {
                }

                [DingEvent("a")]
                static void Plain()
                {
                }
            }
            """
        },
        {
            "unknown payload, service and return types",
            """
            using DingGen;
            internal sealed class H
            {
                [DingEvent("a")]
                public void UnknownPayload([DingPayload] MissingPayload payload)
                {
                }

                [DingEvent("a")]
                public void UnknownService(IMissingService service)
                {
                }

                [DingEvent("a")]
                public MissingTask UnknownReturn() => default!;

                [DingEvent("a")]
                public static void UnknownGeneric([DingPayload] System.Collections.Generic.List<Missing> payload)
                {
                }
            }
            """
        },
        {
            "two payloads, unsupported returns and async void",
            """
            using System.Text.Json;
            using System.Threading.Tasks;
            using DingGen;
            internal sealed class H
            {
                [DingEvent("a")]
                public void TwoPayloads(JsonElement a, System.ReadOnlyMemory<byte> b)
                {
                }

                [DingEvent("a")]
                public Task<int> ReturnsValue() => Task.FromResult(1);

                [DingEvent("a")]
                public async void AsyncVoid() => await Task.Yield();
            }
            """
        },
        {
            // The compiler reports CS0111 on the user's code; the dispatcher's call is then ambiguous as well.
            "duplicate method declarations and partial methods (may fail in generated code)",
            """
            using DingGen;
            internal sealed partial class H
            {
                [DingEvent("a")]
                public void M()
                {
                }

                [DingEvent("a")]
                public void M()
                {
                }

                [DingEvent("b")]
                public partial void P();

                public partial void P()
                {
                }
            }
            """
        },
        {
            "tags that are not well-formed UTF-16 or very long",
            """
            using DingGen;
            internal static class H
            {
                [DingEvent("lone_\uD800_surrogate")]
                [DingEvent("reversed_\uDC00\uD800_pair")]
                [DingEvent("ok")]
                public static void M()
                {
                }
            }
            """ + "\n[assembly: DingGen.DingCustomEvent(\"x\", typeof(int))]\ninternal static class Long\n{\n    [DingGen.DingEvent(\"" + new string('x', 5000) + "\")]\n    public static void M()\n    {\n    }\n}\n"
        },
        {
            "DingEvent declared by the user in another namespace",
            """
            namespace Other
            {
                [System.AttributeUsage(System.AttributeTargets.Method)]
                internal sealed class DingEventAttribute : System.Attribute
                {
                    public DingEventAttribute(string tag)
                    {
                    }
                }

                internal sealed class H
                {
                    [DingEvent("a")]
                    public void M()
                    {
                    }
                }
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Broken_code_never_makes_the_generator_throw(string description, string source)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        GeneratorAssert.RanWithoutErrors(result);
        Assert.True(GeneratorHarness.HintNames.SequenceEqual(result.GeneratedSources.Select(static s => s.HintName).Order(StringComparer.Ordinal)), description);
        var generatedErrors = output.GetDiagnostics()
            .Where(static d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToArray();
        Assert.True(generatedErrors.Length == 0 || description.EndsWith("(may fail in generated code)", StringComparison.Ordinal), description + ": errors in generated code:\n" + string.Join("\n", generatedErrors.Select(static d => d.ToString())));
    }

    [Fact]
    public void A_handler_in_a_file_local_class_is_skipped_and_the_output_compiles()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation("""
            using DingGen;

            namespace Sample;

            file sealed class FileLocalHandlers
            {
                [DingEvent("file_local")]
                public void OnEvent()
                {
                }

                internal sealed class Nested
                {
                    [DingEvent("file_local_nested")]
                    public static void OnNested()
                    {
                    }
                }
            }

            internal static class Kept
            {
                [DingEvent("kept")]
                public static void OnKept()
                {
                }
            }
            """));
        GeneratorAssert.CompilesCleanly(result, output);
        var tags = GeneratorHarness.Source(result, EventTagsEmitter.HintName);
        Assert.Contains("\"kept\"", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("file_local", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("FileLocalHandlers", GeneratorHarness.Source(result, RegistrationEmitter.HintName), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_thousand_handlers_across_a_hundred_classes_are_all_dispatched_and_compile()
    {
        var sources = new string[100];
        for (var type = 0; type < sources.Length; type++)
        {
            var builder = new StringBuilder("using DingGen;\n\nnamespace Load;\n\n");
            builder.Append("internal ").Append(type % 2 == 0 ? "sealed" : "static").Append(" class Handlers").Append(type).Append("\n{\n");
            for (var method = 0; method < 20; method++)
            {
                // 2,000 handlers over 100 tags, each tag taken by 20 handlers of different classes (a large real app).
                var tag = $"event_{((type * 7) + method) % 100:D3}";
                builder.Append("    [DingEvent(\"").Append(tag).Append("\")]\n");
                builder.Append("    public ").Append(type % 2 == 0 ? string.Empty : "static ").Append("void On").Append(method).Append("(DingEventContext context)\n    {\n    }\n\n");
            }

            builder.Length -= 1;
            builder.Append("}\n");
            sources[type] = builder.ToString();
        }

        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(sources));
        GeneratorAssert.CompilesCleanly(result, output);
        var tags = GeneratorHarness.Source(result, EventTagsEmitter.HintName)
            .Split('\n')
            .Select(static line => line.Trim())
            .Where(static line => line.StartsWith("\"event_", StringComparison.Ordinal))
            .Select(static line => line.Trim(',', '"'))
            .ToArray();
        var expected = Enumerable.Range(0, 100).Select(static i => $"event_{i:D3}").ToArray();
        Assert.Equal(expected, tags);

        var dispatcher = GeneratorHarness.Source(result, DispatchEmitter.HintName);
        var calls = dispatcher.Split('\n').Count(static line => line.TrimStart().StartsWith("context.ReportHandlerCompleted(\"Load.Handlers", StringComparison.Ordinal));
        Assert.Equal(2000, calls);
    }

    [Fact]
    public void Without_DingGen_referenced_nothing_is_emitted()
    {
        var compilation = GeneratorHarness.CreateCompilationWithoutRuntime("""
            using DingGen;

            namespace Sample;

            internal sealed class Handlers
            {
                [DingEvent("a")]
                public void On()
                {
                }
            }
            """);
        Assert.DoesNotContain(compilation.References, static r => r.Display?.EndsWith("DingGen.dll", StringComparison.Ordinal) == true);
        var (result, _) = GeneratorHarness.Run(compilation);
        GeneratorAssert.RanWithoutErrors(result);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Without_DingGen_but_with_a_look_alike_attribute_nothing_is_emitted()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.CreateCompilationWithoutRuntime("""
            namespace DingGen
            {
                [System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = true)]
                internal sealed class DingEventAttribute : System.Attribute
                {
                    public DingEventAttribute(string eventType)
                    {
                    }
                }
            }

            namespace Sample
            {
                internal sealed class Handlers
                {
                    [DingGen.DingEvent("a")]
                    public void On()
                    {
                    }
                }
            }
            """));
        GeneratorAssert.RanWithoutErrors(result);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Cancellation_surfaces_as_cancellation_not_as_a_generator_exception()
    {
        var compilation = GeneratorHarness.CreateCompilation(TestSources.ServiceParameters);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => GeneratorHarness.CreateDriver().RunGenerators(compilation, cancelled.Token));
    }
}
