using DingGen.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Generator.Emitting;

/// <summary>Emits <c>DingGen.DingEventTags.All</c>: the tags to register with DingTalk.</summary>
internal static class EventTagsEmitter
{
    public const string HintName = "DingGen.EventTags.g.cs";

    public static string Emit(DispatchModel model, CompilationFactsModel facts)
    {
        var writer = new SourceWriter();
        GeneratedHeader.Write(writer, referencesUserTypes: false);
        writer.WriteLine("namespace " + GeneratedHeader.Namespace).OpenBlock();
        writer.WriteLine("/// <summary>The DingTalk event tags the <c>[DingEvent]</c> handlers of this assembly take: what to register with DingTalk.</summary>");
        writer.WriteLine(GeneratedHeader.GeneratedCode(facts.GeneratorVersion));
        writer.WriteLine("internal static class DingEventTags").OpenBlock();
        writer.WriteLine("/// <summary>Every handled tag: distinct, in ordinal order, never a <c>check_*</c> handshake tag.</summary>");
        if (model.Events.Count == 0)
        {
            writer.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<string> All { get; } =");
            writer.Indentation++;
            writer.WriteLine("global::System.Array.AsReadOnly(global::System.Array.Empty<string>());");
            writer.Indentation--;
        }
        else
        {
            writer.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<string> All { get; } = global::System.Array.AsReadOnly(new string[]").OpenBlock();
            foreach (var evt in model.Events)
            {
                writer.WriteLine(SymbolDisplay.FormatLiteral(evt.EventTag, quote: true) + ",");
            }

            writer.CloseBlock(");");
        }

        writer.CloseBlock();
        writer.CloseBlock();
        return writer.ToString();
    }
}
