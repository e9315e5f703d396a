using DingGen.Common;

namespace DingGen.Generator.Model;

/// <summary>One handler call within an event: the handler, with its parameters as the event passes them.</summary>
internal sealed record InvocationModel(HandlerModel Handler, EquatableArray<ParameterModel> Parameters);

/// <summary>
/// One event tag with every handler that takes it (in a stable order), the payloads they read and the member name the
/// event's dispatch method is built from (<c>Dispatch{MemberName}Async</c>).
/// </summary>
internal sealed record EventModel(
    string EventTag,
    string MemberName,
    EquatableArray<InvocationModel> Invocations,
    EquatableArray<EventPayloadModel> Payloads,
    bool NeedsScope);

/// <summary>Everything the emitters need: the events (ordinal by tag), the distinct typed payloads and the handler classes.</summary>
internal sealed record DispatchModel(EquatableArray<EventModel> Events, EquatableArray<TypedPayloadModel> TypedPayloads, EquatableArray<string> HandlerClasses)
{
    /// <summary>The names the dispatch methods use besides payload locals; a payload local never takes one of them.</summary>
    public static readonly string[] ReservedLocals =
    {
        "context", "services", "scope", "failures", "started", "document", "handler", "exception", "json", "missing",
    };

    /// <summary>Builds the dispatch model: sorts, deduplicates, applies <c>DingCustomEvent</c> payload types and names members.</summary>
    public static DispatchModel Create(EquatableArray<HandlerModel> handlers, EquatableArray<CustomEventModel> customEvents, CancellationToken cancellationToken)
    {
        var customPayloads = new CustomPayloadIndex();
        foreach (var custom in customEvents)
        {
            customPayloads.Add(custom.EventTag, custom.PayloadMetadataName);
        }

        var byTag = new SortedDictionary<string, List<InvocationModel>>(StringComparer.Ordinal);
        var handlerClasses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parameters = ApplyCustomPayload(handler, customPayloads);
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
        // DispatchRobotMessageAsync and DispatchCardCallbackAsync are the interaction dispatch methods: an event named
        // robot_message or card_callback gets a numbered method instead of an overload of them.
        var methodNames = new Naming.Scope("", "RobotMessage", "CardCallback");
        foreach (var pair in byTag)
        {
            pair.Value.Sort(static (a, b) => string.CompareOrdinal(a.Handler.SortKey, b.Handler.SortKey));
            var payloads = new List<PayloadModel>();
            var needsScope = false;
            foreach (var invocation in pair.Value)
            {
                needsScope |= !invocation.Handler.IsStatic;
                foreach (var parameter in invocation.Parameters)
                {
                    if (parameter.Kind == HandlerParameterKind.Payload)
                    {
                        var payload = PayloadModel.Of(parameter);
                        if (!payloads.Contains(payload))
                        {
                            payloads.Add(payload);
                        }

                        if (payload.Kind == PayloadKind.Typed)
                        {
                            typedPayloads.Add(payload.TypeFqn);
                        }
                    }
                    else if (parameter.Kind == HandlerParameterKind.Service)
                    {
                        needsScope = true;
                    }
                }
            }

            payloads.Sort(PayloadModel.Compare);
            var memberName = methodNames.Claim(Naming.Pascal(pair.Key));
            events.Add(new EventModel(pair.Key, memberName, pair.Value.ToEquatableArray(), NamePayloads(payloads), needsScope));
        }

        return new DispatchModel(events.ToEquatableArray(), NameFields(typedPayloads), handlerClasses.ToEquatableArray());
    }

    /// <summary>The field that decodes the typed payload <paramref name="typeFqn"/>.</summary>
    public TypedPayloadModel TypedPayload(string typeFqn)
    {
        foreach (var payload in TypedPayloads)
        {
            if (payload.TypeFqn == typeFqn)
            {
                return payload;
            }
        }

        throw new InvalidOperationException("Not a typed payload of the model: " + typeFqn);
    }

    /// <summary>
    /// The custom-payload rule (<see cref="CustomPayloadIndex.IsPayloadOf"/>): a service parameter whose type a
    /// <c>DingCustomEvent</c> declared for one of the handler's tags is its payload. Returns null when that would give the
    /// handler two payloads (the analyzers report it).
    /// </summary>
    private static EquatableArray<ParameterModel>? ApplyCustomPayload(HandlerModel handler, CustomPayloadIndex customPayloads)
    {
        if (customPayloads.IsEmpty)
        {
            return handler.Parameters;
        }

        var parameters = handler.Parameters.ToArray();
        var payloads = 0;
        var changed = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.Kind == HandlerParameterKind.Service && customPayloads.IsPayloadOf(parameter.MetadataName, handler.EventTags))
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

    private static EquatableArray<EventPayloadModel> NamePayloads(List<PayloadModel> payloads)
    {
        var locals = new Naming.Scope(ReservedLocals);
        var named = new EventPayloadModel[payloads.Count];
        for (var i = 0; i < named.Length; i++)
        {
            var payload = payloads[i];
            var local = payload.Kind switch
            {
                PayloadKind.JsonElement => "document",
                PayloadKind.Utf8Memory => string.Empty,
                _ => locals.Claim(Naming.Camel(Naming.SimpleTypeName(payload.TypeFqn), "Payload")),
            };
            named[i] = new EventPayloadModel(payload, local);
        }

        return new EquatableArray<EventPayloadModel>(named);
    }

    private static EquatableArray<TypedPayloadModel> NameFields(SortedSet<string> typedPayloads)
    {
        var fields = new Naming.Scope();
        var named = new List<TypedPayloadModel>(typedPayloads.Count);
        foreach (var typeFqn in typedPayloads)
        {
            var name = Naming.Camel(Naming.SimpleTypeName(typeFqn), string.Empty);
            var field = name.EndsWith("Payload", StringComparison.OrdinalIgnoreCase) ? "_" + name : "_" + name + "Payload";
            named.Add(new TypedPayloadModel(typeFqn, fields.Claim(field)));
        }

        return named.ToEquatableArray();
    }
}
