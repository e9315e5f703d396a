using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DingGen.Runtime.Tests.Delivery;

/// <summary>The core package stands without ASP.NET Core (DESIGN.md, rooms): read from DingGen.dll's own metadata, not from project files.</summary>
public sealed class NoAspNetCoreTests
{
    [Fact]
    public void DingGen_dll_references_no_AspNetCore_assembly()
    {
        var path = typeof(DingDeliveryPipeline).Assembly.Location;
        Assert.Equal("DingGen.dll", Path.GetFileName(path));

        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToArray();

        // The reading itself works: the core does reference the Microsoft.Extensions packages it is built on.
        Assert.Contains("Microsoft.Extensions.DependencyInjection.Abstractions", references);
        Assert.DoesNotContain(references, static name => name.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase));
    }
}
