using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen;

/// <summary>
/// Routes decrypted events to handlers. The DingGen generator emits one implementation per assembly with
/// <c>[DingEvent]</c> handlers; the host composes all of them in <see cref="DingEventRouter"/>.
/// </summary>
public interface IDingEventDispatcher
{
    /// <summary>The event tags this dispatcher handles: distinct, ordinal order, never a <c>check_*</c> tag.</summary>
    IReadOnlyList<string> HandledEventTypes { get; }

    /// <summary>
    /// Matches a UTF-8 event tag against the handled tags without allocating, returning the interned tag string.
    /// </summary>
    bool TryMatchEventType(ReadOnlySpan<byte> utf8EventType, [NotNullWhen(true)] out string? eventType);

    /// <summary>
    /// Decodes the payload once and runs every handler of <see cref="DingEventContext.EventType"/> in a stable order,
    /// each in the same DI scope; a failing handler does not stop the others.
    /// </summary>
    ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context);
}

/// <summary>
/// A generated, public per-assembly entry point (<c>&lt;AssemblyName&gt;DingModule</c>) that registers that
/// assembly's handlers and dispatcher, so a host adds another assembly's handlers with
/// <see cref="DingGenServiceCollectionExtensions.AddDingModule{TModule}(IServiceCollection)"/>.
/// </summary>
public interface IDingModule
{
    /// <summary>The event tags the module's handlers take.</summary>
    static abstract IReadOnlyList<string> EventTypes { get; }

    /// <summary>Registers the module's handler classes and dispatcher.</summary>
    static abstract void Register(IServiceCollection services);
}
