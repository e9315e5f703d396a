namespace DingGen.Common;

/// <summary>
/// Metadata names of the Runtime's types that the generator and the analyzers recognise. They are matched by
/// name only: neither component references DingGen.dll.
/// </summary>
internal static class KnownNames
{
    public const string RuntimeAssembly = "DingGen";
    public const string EventsNamespace = "DingGen.Events";

    public const string DingEventAttribute = "DingGen.DingEventAttribute";
    public const string DingPayloadAttribute = "DingGen.DingPayloadAttribute";
    public const string DingCustomEventAttribute = "DingGen.DingCustomEventAttribute";
    public const string DingEventPayloadAttribute = "DingGen.DingEventPayloadAttribute";
    public const string DingEventTypes = "DingGen.DingEventTypes";
    public const string DingEventContext = "DingGen.DingEventContext";
    public const string DingEventDispatcher = "DingGen.IDingEventDispatcher";
    public const string DingGenericEvent = "DingGen.Events.DingGenericEvent";

    public const string DingRobotMessageAttribute = "DingGen.DingRobotMessageAttribute";
    public const string DingCardCallbackAttribute = "DingGen.DingCardCallbackAttribute";
    public const string DingRobotMessage = "DingGen.Events.DingRobotMessage";
    public const string DingCardCallback = "DingGen.Events.DingCardCallback";
    public const string DingRobotMessageContext = "DingGen.DingRobotMessageContext";
    public const string DingCardCallbackContext = "DingGen.DingCardCallbackContext";
    public const string DingRobotReply = "DingGen.DingRobotReply";
    public const string DingCardUpdate = "DingGen.DingCardUpdate";
    public const string DingRobotMessageTypes = "DingGen.Events.DingRobotMessageTypes";

    /// <summary>The named arguments of <c>[DingRobotMessage]</c> and <c>[DingCardCallback]</c> (filters).</summary>
    public const string MsgTypeProperty = "MsgType";
    public const string RobotCodeProperty = "RobotCode";
    public const string ActionIdProperty = "ActionId";

    public const string JsonElement = "System.Text.Json.JsonElement";
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";
    public const string ReadOnlyMemory = "System.ReadOnlyMemory`1";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string Task = "System.Threading.Tasks.Task";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string TaskOfT = "System.Threading.Tasks.Task`1";
    public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
    public const string FromKeyedServicesAttribute = "Microsoft.Extensions.DependencyInjection.FromKeyedServicesAttribute";
    public const string ObsoleteAttribute = "System.ObsoleteAttribute";
    public const string ServiceCollection = "Microsoft.Extensions.DependencyInjection.IServiceCollection";

    /// <summary>The named argument of <c>[DingEventPayload]</c> that marks a handshake event (see <see cref="HandshakeEvents"/>).</summary>
    public const string HandshakeProperty = "Handshake";
}
