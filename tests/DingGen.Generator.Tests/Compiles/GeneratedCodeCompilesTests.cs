using DingGen.Generator.Tests.Infrastructure;

namespace DingGen.Generator.Tests.Compiles;

/// <summary>
/// The generated code compiles with no diagnostics at all (warnings and hidden ones included) under nullable enabled,
/// <c>DocumentationMode.Diagnose</c> and C# 12 (STYLE.md section 5). Test sources are internal or documented, so
/// every diagnostic would come from generated code.
/// </summary>
public sealed class GeneratedCodeCompilesTests
{
    public static TheoryData<string> SnapshotInputs => new()
    {
        nameof(TestSources.NoHandlers),
        nameof(TestSources.InstanceHandlerWithTypedPayload),
        nameof(TestSources.PayloadKinds),
        nameof(TestSources.StaticAndInstanceHandlers),
        nameof(TestSources.ServiceParameters),
        nameof(TestSources.ReturnKinds),
        nameof(TestSources.InvalidHandlers),
        nameof(TestSources.TagEscapingAndOrdering),
        nameof(TestSources.NamesNeedingCare),
        nameof(TestSources.RobotAndCardHandlers),
        nameof(TestSources.FilteredStaticRobotHandlers),
    };

    [Theory]
    [MemberData(nameof(SnapshotInputs))]
    public void Snapshot_input_compiles_cleanly(string name)
    {
        var source = (string)typeof(TestSources).GetField(name)!.GetValue(null)!;
        AssertCompilesCleanly(source);
    }

    [Fact]
    public void All_snapshot_inputs_together_compile_cleanly()
    {
        AssertCompilesCleanly(
            TestSources.InstanceHandlerWithTypedPayload,
            TestSources.PayloadKinds,
            TestSources.StaticAndInstanceHandlers,
            TestSources.ServiceParameters,
            TestSources.ReturnKinds,
            TestSources.InvalidHandlers,
            TestSources.TagEscapingAndOrdering);
    }

    [Fact]
    public void Public_documented_handlers_compile_cleanly_with_documentation_diagnostics()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            using DingGen;

            namespace Acme.Approvals;

            /// <summary>The approval payload.</summary>
            /// <param name="ProcessInstanceId">The instance.</param>
            public sealed record ApprovalPayload(string? ProcessInstanceId);

            /// <summary>A service.</summary>
            public interface IApprovalStore
            {
            }

            /// <summary>Approval handlers.</summary>
            public sealed class ApprovalHandlers
            {
                /// <summary>Handles an instance change.</summary>
                /// <param name="payload">The payload.</param>
                /// <param name="store">The store.</param>
                /// <param name="cancellationToken">Cancellation.</param>
                /// <returns>A task.</returns>
                [DingEvent("bpms_instance_change")]
                public Task OnChange([DingPayload] ApprovalPayload payload, IApprovalStore store, CancellationToken cancellationToken) => Task.CompletedTask;

                /// <summary>Handles a task change.</summary>
                /// <param name="context">The event.</param>
                [DingEvent("bpms_task_change")]
                public static void OnTask(DingEventContext context)
                {
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source);
        Assert.Equal(Microsoft.CodeAnalysis.DocumentationMode.Diagnose, compilation.SyntaxTrees[0].Options.DocumentationMode);
        var (result, output) = GeneratorHarness.Run(compilation);
        GeneratorAssert.CompilesCleanly(result, output);
        Assert.All(output.SyntaxTrees, static tree => Assert.Equal(Microsoft.CodeAnalysis.DocumentationMode.Diagnose, tree.Options.DocumentationMode));

        // The public module type is documented; an undocumented public type in the test source would be reported, proving the check is live.
        var (undocumentedResult, undocumentedOutput) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source + "\npublic sealed class Undocumented\n{\n}\n"));
        GeneratorAssert.RanWithoutErrors(undocumentedResult);
        Assert.Contains(undocumentedOutput.GetDiagnostics(), static d => d.Id == "CS1591");
    }

    [Fact]
    public void Nested_and_namespaced_handler_types_compile_cleanly()
    {
        AssertCompilesCleanly("""
            using System.Text.Json;
            using DingGen;

            namespace Outer.Inner
            {
                internal sealed class Container
                {
                    internal sealed class NestedHandlers
                    {
                        [DingEvent("nested")]
                        public void OnNested(JsonElement payload)
                        {
                        }
                    }

                    internal static class StaticNested
                    {
                        [DingEvent("nested")]
                        internal static void OnNested([DingPayload] Container.Payload payload)
                        {
                        }
                    }

                    internal sealed record Payload(int Value);
                }
            }

            internal class GlobalNamespaceHandlers
            {
                [DingEvent("global")]
                protected internal void OnGlobal()
                {
                }
            }
            """);
    }

    [Fact]
    public void Handler_types_named_like_framework_namespaces_compile_cleanly()
    {
        AssertCompilesCleanly("""
            using DingGen;

            namespace Sample.System
            {
                internal sealed class Microsoft
                {
                    [DingEvent("shadowing")]
                    public void OnShadowing(Sample.System.Threading.CancellationToken token, global::System.Threading.CancellationToken real)
                    {
                    }
                }
            }

            namespace Sample.System.Threading
            {
                internal interface CancellationToken
                {
                }
            }

            namespace Sample.DingGen
            {
                internal static class DingEventContext
                {
                    [DingEvent("shadowing")]
                    public static void OnShadowing(global::DingGen.DingEventContext context)
                    {
                    }
                }
            }
            """);
    }

    [Fact]
    public void Payload_types_of_every_shape_compile_cleanly()
    {
        AssertCompilesCleanly("""
            using System.Collections.Generic;
            using DingGen;

            namespace Sample;

            internal sealed record Wrapper<T>(T Value);

            internal readonly record struct Point(int X, int Y);

            internal sealed class ShapeHandlers
            {
                [DingEvent("generic_payload")]
                public void OnGeneric([DingPayload] Wrapper<string> payload)
                {
                }

                [DingEvent("struct_payload")]
                public void OnStruct([DingPayload] Point payload)
                {
                }

                [DingEvent("nullable_struct_payload")]
                public void OnNullableStruct([DingPayload] Point? payload)
                {
                }

                [DingEvent("array_payload")]
                public void OnArray([DingPayload] string[] payload)
                {
                }

                [DingEvent("list_payload")]
                public void OnList([DingPayload] List<Wrapper<int>> payload)
                {
                }

                [DingEvent("shared")]
                public void OnSharedA([DingPayload] Point payload)
                {
                }

                [DingEvent("shared")]
                public static void OnSharedB([DingPayload] Point payload, [DingPayload] int ignored)
                {
                }

                [DingEvent("shared")]
                public static void OnSharedC([DingPayload] Wrapper<string> other)
                {
                }
            }
            """);
    }

    [Fact]
    public void Handlers_named_with_keywords_compile_cleanly()
    {
        AssertCompilesCleanly("""
            using DingGen;

            namespace Sample;

            internal sealed class @class
            {
                [DingEvent("keyword_instance")]
                public void @event()
                {
                }

                [DingEvent("keyword_static")]
                public static void @static()
                {
                }

                [DingEvent("contextual")]
                public static void await()
                {
                }
            }
            """);
    }

    [Fact]
    public void Obsolete_handlers_and_types_compile_cleanly()
    {
        AssertCompilesCleanly("""
            using System;
            using DingGen;

            namespace Sample;

            [Obsolete("use the new payload")]
            internal sealed record OldPayload(string? Id);

            [Obsolete("use the new service")]
            internal interface IOldService
            {
            }

            [Obsolete("use the new handlers")]
            internal sealed class OldHandlers
            {
                [DingEvent("old_class")]
                public void OnOld()
                {
                }
            }

            internal static class Handlers
            {
                [Obsolete("use the new handler")]
                [DingEvent("old_method")]
                public static void OnOld()
                {
                }

            #pragma warning disable CS0618
                [DingEvent("old_types")]
                public static void OnOldTypes([DingPayload] OldPayload payload, IOldService service)
                {
                }
            #pragma warning restore CS0618

                [Obsolete("gone", error: true)]
                [DingEvent("obsolete_error")]
                public static void OnGone()
                {
                }

                // Inside an [Obsolete] member, naming an [Obsolete(error: true)] type is allowed; generated code could not.
                [Obsolete("old")]
                [DingEvent("obsolete_error_types")]
                public static void OnGoneTypes([DingPayload] GonePayload payload)
                {
                }
            }

            [Obsolete("gone", true)]
            internal sealed record GonePayload(string? Id);

            [Obsolete("gone", true)]
            internal sealed class GoneHandlers
            {
                [DingEvent("obsolete_error_class")]
                public void OnGone()
                {
                }
            }
            """);
    }

    [Fact]
    public void Keyed_services_with_every_constant_kind_compile_cleanly()
    {
        AssertCompilesCleanly("""
            using DingGen;
            using Microsoft.Extensions.DependencyInjection;

            namespace Sample;

            internal interface IStore
            {
            }

            internal enum Flags : long
            {
                None = 0,
                Big = long.MinValue,
            }

            internal static class KeyedHandlers
            {
                [DingEvent("keys")]
                public static void OnKeys(
                    [FromKeyedServices("text \"quoted\" \\ 钉")] IStore text,
                    [FromKeyedServices('c')] IStore character,
                    [FromKeyedServices(true)] IStore flag,
                    [FromKeyedServices(-1)] IStore negative,
                    [FromKeyedServices(long.MinValue)] IStore longMin,
                    [FromKeyedServices(uint.MaxValue)] IStore unsigned,
                    [FromKeyedServices(ulong.MaxValue)] IStore unsignedLong,
                    [FromKeyedServices((byte)7)] IStore small,
                    [FromKeyedServices(1.5)] IStore real,
                    [FromKeyedServices(0.1f)] IStore single,
                    [FromKeyedServices(double.NaN)] IStore notANumber,
                    [FromKeyedServices(double.PositiveInfinity)] IStore infinity,
                    [FromKeyedServices(float.NegativeInfinity)] IStore negativeInfinity,
                    [FromKeyedServices(Flags.Big)] IStore bigEnum,
                    [FromKeyedServices(typeof(IStore))] IStore type,
                    [FromKeyedServices(null)] IStore? none,
                    [FromKeyedServices] IStore inherited)
                {
                }
            }
            """);
    }

    [Theory]
    [InlineData("Acme.Hr-Module")]
    [InlineData("1st.assembly")]
    [InlineData("钉钉")]
    [InlineData("a")]
    [InlineData("My App")]
    public void Odd_assembly_names_compile_cleanly(string assemblyName)
    {
        var compilation = GeneratorHarness.CreateCompilationNamed(assemblyName, TestSources.InstanceHandlerWithTypedPayload);
        var (result, output) = GeneratorHarness.Run(compilation);
        GeneratorAssert.CompilesCleanly(result, output);
    }

    [Fact]
    public void Generated_code_loads_and_the_skeleton_is_usable()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(TestSources.NoHandlers));
        GeneratorAssert.CompilesCleanly(result, output);
        var assembly = GeneratorHarness.Load(output);
        var tags = (IReadOnlyList<string>)assembly.GetType("DingGen.DingEventTags")!.GetProperty("All")!.GetValue(null)!;
        Assert.Empty(tags);
        Assert.NotNull(assembly.GetType("DingGen.TestAssemblyDingModule"));
    }

    private static void AssertCompilesCleanly(params string[] sources)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(sources));
        GeneratorAssert.CompilesCleanly(result, output);
    }
}
