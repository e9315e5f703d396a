using DingGen.Common;

namespace DingGen.Generator.Model;

/// <summary>One handler call within an event: the handler and which payload slot its payload parameter reads.</summary>
internal sealed record InvocationModel(HandlerModel Handler, EquatableArray<ParameterModel> Parameters);

/// <summary>One event tag with every handler that takes it, in a stable order, and the payload types they read.</summary>
internal sealed record EventModel(string EventTag, EquatableArray<InvocationModel> Invocations, EquatableArray<string> PayloadTypes, bool NeedsScope);

/// <summary>Everything the emitters need: the events (ordinal by tag), the distinct typed payloads and the handler classes.</summary>
internal sealed record DispatchModel(EquatableArray<EventModel> Events, EquatableArray<string> TypedPayloads, EquatableArray<string> HandlerClasses)
{
    /// <summary>Builds the dispatch model: sorts, deduplicates and applies <c>DingCustomEvent</c> payload types.</summary>
    public static DispatchModel Create(EquatableArray<HandlerModel> handlers, EquatableArray<CustomEventModel> customEvents, CancellationToken cancellationToken)
    {
        var customByTag = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var custom in customEvents)
        {
            if (!customByTag.TryGetValue(custom.EventTag, out var set))
            {
                customByTag[custom.EventTag] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(custom.PayloadMetadataName);
        }

        var byTag = new SortedDictionary<string, List<InvocationModel>>(StringComparer.Ordinal);
        var handlerClasses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parameters = ApplyCustomPayload(handler, customByTag);
            if (parameters is null)
            {
                continue;
            }

            if (!handler.IsStatic)
            {
                handlerClasses.Add(handler.ContainingTypeFqn);
            }

            foreach (var tag in handler.EventTags)
            {
                if (!byTag.TryGetValue(tag, out var list))
                {
                    byTag[tag] = list = new List<InvocationModel>();
                }

                if (!list.Exists(i => i.Handler.SortKey == handler.SortKey))
                {
                    list.Add(new InvocationModel(handler, parameters.Value));
                }
            }
        }

        var typedPayloads = new SortedSet<string>(StringComparer.Ordinal);
        var events = new List<EventModel>(byTag.Count);
        foreach (var pair in byTag)
        {
            pair.Value.Sort(static (a, b) => string.CompareOrdinal(a.Handler.SortKey, b.Handler.SortKey));
            var payloads = new SortedSet<string>(StringComparer.Ordinal);
            var needsScope = false;
            foreach (var invocation in pair.Value)
            {
                needsScope |= !invocation.Handler.IsStatic;
                foreach (var parameter in invocation.Parameters)
                {
                    if (parameter.Kind == HandlerParameterKind.Payload)
                    {
                        payloads.Add(PayloadSlot(parameter));
                        if (parameter.PayloadKind == PayloadKind.Typed)
                        {
                            typedPayloads.Add(parameter.TypeFqn);
                        }
                    }
                    else if (parameter.Kind == HandlerParameterKind.Service)
                    {
                        needsScope = true;
                    }
                }
            }

            events.Add(new EventModel(pair.Key, pair.Value.ToEquatableArray(), payloads.ToEquatableArray(), needsScope));
        }

        return new DispatchModel(events.ToEquatableArray(), typedPayloads.ToEquatableArray(), handlerClasses.ToEquatableArray());
    }

    /// <summary>The key of a payload decoded once per event: the type for typed payloads, a marker for the raw kinds.</summary>
    public static string PayloadSlot(ParameterModel parameter) => parameter.PayloadKind switch
    {
        PayloadKind.JsonElement => "<json-element>",
        PayloadKind.Utf8Memory => "<utf8-memory>",
        _ => parameter.TypeFqn,
    };

    /// <summary>
    /// A handler with no payload parameter whose service parameter has the <c>DingCustomEvent</c> type of one of its tags takes
    /// that parameter as its payload (the same rule the analyzers apply with the whole compilation in view). Returns null when
    /// that would give the handler two payloads (the analyzers report it).
    /// </summary>
    private static EquatableArray<ParameterModel>? ApplyCustomPayload(HandlerModel handler, Dictionary<string, HashSet<string>> customByTag)
    {
        if (customByTag.Count == 0)
        {
            return handler.Parameters;
        }

        var parameters = handler.Parameters.ToArray();
        var payloads = 0;
        var changed = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.Kind == HandlerParameterKind.Service && IsCustomPayload(parameter.MetadataName, handler.EventTags, customByTag))
            {
                parameters[i] = parameter with { Kind = HandlerParameterKind.Payload, PayloadKind = PayloadKind.Typed, IsNullableService = false, ServiceKeyExpression = null };
                changed = true;
            }

            if (parameters[i].Kind == HandlerParameterKind.Payload)
            {
                payloads++;
            }
        }

        if (payloads > 1)
        {
            return null;
        }

        return changed ? new EquatableArray<ParameterModel>(parameters) : handler.Parameters;
    }

    private static bool IsCustomPayload(string metadataName, EquatableArray<string> tags, Dictionary<string, HashSet<string>> customByTag)
    {
        foreach (var tag in tags)
        {
            if (customByTag.TryGetValue(tag, out var set) && set.Contains(metadataName))
            {
                return true;
            }
        }

        return false;
    }
}
