using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

// AssemblyReferences <assembly.dll> [--forbid <name prefix>]...
// Prints the assembly's references (name and version), one a line, read from its metadata tables with
// System.Reflection.Metadata (nothing is loaded or run). With --forbid, exits 1 naming every reference whose name starts
// with a forbidden prefix (e.g. Microsoft.AspNetCore.), 2 on bad arguments or a file that is not a managed assembly.
var forbidden = new List<string>();
string? path = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--forbid" && i + 1 < args.Length)
    {
        forbidden.Add(args[++i]);
    }
    else if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal))
    {
        path = args[i];
    }
    else
    {
        path = null;
        break;
    }
}

if (path is null)
{
    Console.Error.WriteLine("usage: AssemblyReferences <assembly.dll> [--forbid <name prefix>]...");
    return 2;
}

List<(string Name, Version Version)> references;
try
{
    using var stream = File.OpenRead(path);
    using var pe = new PEReader(stream);
    if (!pe.HasMetadata)
    {
        Console.Error.WriteLine($"{path} is not a managed assembly (no metadata)");
        return 2;
    }

    var metadata = pe.GetMetadataReader();
    references = metadata.AssemblyReferences
        .Select(handle => metadata.GetAssemblyReference(handle))
        .Select(reference => (metadata.GetString(reference.Name), reference.Version))
        .OrderBy(static r => r.Item1, StringComparer.Ordinal)
        .ToList();
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"cannot read {path}: {ex.Message}");
    return 2;
}

var bad = 0;
foreach (var (name, version) in references)
{
    var isForbidden = forbidden.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    bad += isForbidden ? 1 : 0;
    Console.WriteLine($"{name} {version}{(isForbidden ? "  <- forbidden" : string.Empty)}");
}

if (bad > 0)
{
    Console.Error.WriteLine($"{Path.GetFileName(path)} references {bad} forbidden assembl{(bad == 1 ? "y" : "ies")} ({string.Join(", ", forbidden)}*)");
    return 1;
}

return 0;
