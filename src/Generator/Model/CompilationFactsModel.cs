namespace DingGen.Generator.Model;

/// <summary>Small, equatable facts about the compilation the emitters need.</summary>
/// <param name="AssemblyName">The assembly being compiled.</param>
/// <param name="HasRuntime">Whether DingGen.dll is referenced (without it nothing is emitted).</param>
/// <param name="GeneratorVersion">The generator's version for <c>[GeneratedCode]</c>.</param>
internal sealed record CompilationFactsModel(string AssemblyName, bool HasRuntime, string GeneratorVersion);
