using DingGen.Common;
using DingGen.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Generator.Emitting;

/// <summary>
/// Emits the <c>IDingInteractionDispatcher</c> members of the generated <c>DingEventDispatcher</c> (only for an assembly that has
/// robot or card handlers): the two <c>Handles…</c> constants and one dispatch method per kind that runs every matching handler
/// in a stable order in one DI scope, each in its own try/catch, and collects the responses they return.
/// </summary>
internal static class InteractionEmitter
{
    public const string InterfaceType = "global::DingGen.IDingInteractionDispatcher";

    private const string FailureList = "global::System.Collections.Generic.List<global::DingGen.DingHandlerFailure>";
    private const string ServiceProviderExtensions = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";
    private const string ContainsActionId = "ContainsActionId";

    /// <summary>The names a dispatch method uses itself; a service local never takes one of them.</summary>
    private static readonly string[] ReservedLocals =
    {
        "context", "message", "callback", "services", "scope", "failures", "replies", "updates", "handler", "reply", "update", "exception",
    };

    /// <summary>Writes the members; nothing when the assembly has no robot or card handler.</summary>
    public static void Write(SourceWriter writer, InteractionsModel model)
    {
        if (!model.Any)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc />");
        writer.WriteLine("public bool HandlesRobotMessages => " + (model.RobotHandlers.Count > 0 ? "true" : "false") + ";");
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc />");
        writer.WriteLine("public bool HandlesCardCallbacks => " + (model.CardHandlers.Count > 0 ? "true" : "false") + ";");
        WriteDispatch(writer, Kind.Robot, model.RobotHandlers);
        WriteDispatch(writer, Kind.Card, model.CardHandlers);

        foreach (var handler in model.CardHandlers)
        {
            if (handler.ActionId is not null)
            {
                WriteContainsActionId(writer);
                break;
            }
        }
    }

    private static void WriteDispatch(SourceWriter writer, Kind kind, EquatableArray<InteractionHandlerModel> handlers)
    {
        var resultType = "global::DingGen.DingInteractionResult<" + kind.Response + ">";
        var valueTask = "global::System.Threading.Tasks.ValueTask<" + resultType + ">";
        var needsScope = false;
        var isAsync = false;
        var everyHandlerFiltered = handlers.Count > 0;
        foreach (var handler in handlers)
        {
            needsScope |= handler.NeedsServices;
            isAsync |= handler.NeedsServices || handler.IsAwaited;
            everyHandlerFiltered &= handler.HasFilter;
        }

        void Return(string result)
        {
            if (isAsync)
            {
                writer.WriteLine("return " + result + ";");
            }
            else
            {
                writer.WriteCall("return new " + valueTask, new[] { result }, ";");
            }
        }

        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc />");
        writer.WriteCall("public " + (isAsync ? "async " : string.Empty) + valueTask + " " + kind.MethodName, new[] { kind.Context + " context" });
        writer.OpenBlock();
        writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(context);");
        if (handlers.Count == 0)
        {
            Return(resultType + ".NotHandled");
            writer.CloseBlock();
            return;
        }

        writer.WriteLine("var " + kind.Local + " = context." + kind.Property + ";");
        if (everyHandlerFiltered)
        {
            var conditions = new List<string>(handlers.Count);
            foreach (var handler in handlers)
            {
                var condition = Condition(kind, handler)!;
                condition = condition.Contains(" && ") ? "(" + condition + ")" : condition;
                if (!conditions.Contains(condition))
                {
                    conditions.Add(condition);
                }
            }

            // No handler matches: return before creating the scope. A single call needs no parentheses.
            var any = string.Join(" || ", conditions);
            var isSingleCall = conditions.Count == 1 && any.StartsWith(ContainsActionId, StringComparison.Ordinal) && !any.Contains(" && ");
            writer.WriteLine("if (!" + (isSingleCall ? any : "(" + any + ")") + ")").OpenBlock();
            Return(resultType + ".NotHandled");
            writer.CloseBlock();
        }

        writer.WriteLine();
        var services = "context.Services";
        if (needsScope)
        {
            writer.WriteLine("await using var scope = " + ServiceProviderExtensions + ".CreateAsyncScope(context.Services);");
            writer.WriteLine("var services = scope.ServiceProvider;");
            services = "services";
        }

        writer.WriteLine(FailureList + "? failures = null;");
        writer.WriteLine("global::System.Collections.Generic.List<" + kind.Response + ">? " + kind.ResponsesLocal + " = null;");
        foreach (var handler in handlers)
        {
            WriteInvocation(writer, kind, handler, services);
        }

        writer.WriteLine();
        Return(resultType + ".Completed(failures, " + kind.ResponsesLocal + ")");
        writer.CloseBlock();
    }

    /// <summary>
    /// One handler call: its filter (if any), then in one try/catch the handler instance and each service resolved into a named
    /// local, the call, and its response added to the list when not null; a failure is recorded under the handler's name.
    /// </summary>
    private static void WriteInvocation(SourceWriter writer, Kind kind, InteractionHandlerModel handler, string services)
    {
        var name = SymbolDisplay.FormatLiteral(handler.HandlerName, quote: true);
        var locals = new Naming.Scope(ReservedLocals);
        writer.WriteLine();
        var condition = Condition(kind, handler);
        if (condition is not null)
        {
            writer.WriteLine("if (" + condition + ")").OpenBlock();
        }

        writer.WriteLine("try").OpenBlock();
        var target = handler.ContainingTypeFqn;
        if (!handler.IsStatic)
        {
            writer.WriteCall("var handler = " + ServiceHelper("GetRequiredService", handler.ContainingTypeFqn), new[] { services }, ";");
            target = "handler";
        }

        var arguments = new List<string>(handler.Parameters.Count);
        foreach (var parameter in handler.Parameters)
        {
            arguments.Add(Argument(writer, kind, parameter, services, locals));
        }

        var call = (handler.IsAwaited ? "await " : string.Empty) + target + "." + handler.MethodName;
        var tail = handler.IsAwaited ? ".ConfigureAwait(false);" : ";";
        if (handler.ReturnsResponse)
        {
            writer.WriteCall("var " + kind.ResponseLocal + " = " + call, arguments, tail);
            writer.WriteLine("if (" + kind.ResponseLocal + " is not null)").OpenBlock();
            writer.WriteLine(kind.ResponsesLocal + " ??= new global::System.Collections.Generic.List<" + kind.Response + ">();");
            writer.WriteLine(kind.ResponsesLocal + ".Add(" + kind.ResponseLocal + ");");
            writer.CloseBlock();
        }
        else
        {
            writer.WriteCall(call, arguments, tail);
        }

        writer.CloseBlock();
        writer.WriteLine("catch (global::System.Exception exception)").OpenBlock();
        writer.WriteLine("failures ??= new " + FailureList + "();");
        writer.WriteCall(
            "failures.Add",
            new[] { "new global::DingGen.DingHandlerFailure(" + name + ", " + SymbolDisplay.FormatLiteral(kind.FailureTag, quote: true) + ", exception)" },
            ";");
        writer.CloseBlock();
        if (condition is not null)
        {
            writer.CloseBlock();
        }
    }

    /// <summary>The handler's filters as one condition (ordinal comparisons), or null when it has none.</summary>
    private static string? Condition(Kind kind, InteractionHandlerModel handler)
    {
        var parts = new List<string>(2);
        if (handler.MsgType is { } msgType)
        {
            parts.Add(kind.Local + ".MsgType == " + SymbolDisplay.FormatLiteral(msgType, quote: true));
        }

        if (handler.RobotCode is { } robotCode)
        {
            parts.Add(kind.Local + ".RobotCode == " + SymbolDisplay.FormatLiteral(robotCode, quote: true));
        }

        if (handler.ActionId is { } actionId)
        {
            parts.Add(ContainsActionId + "(" + kind.Local + ".ActionIds, " + SymbolDisplay.FormatLiteral(actionId, quote: true) + ")");
        }

        return parts.Count == 0 ? null : string.Join(" && ", parts);
    }

    private static string Argument(SourceWriter writer, Kind kind, ParameterModel parameter, string services, Naming.Scope locals)
    {
        switch (parameter.Kind)
        {
            case HandlerParameterKind.Context:
                return "context";
            case HandlerParameterKind.CancellationToken:
                return "context.CancellationToken";
            case HandlerParameterKind.Payload:
                return kind.Local;
            default:
                var local = locals.Claim(parameter.Name);
                if (parameter.ServiceKeyExpression is { } key)
                {
                    var keyed = parameter.IsNullableService ? "GetKeyedService" : "GetRequiredKeyedService";
                    writer.WriteCall("var " + local + " = " + ServiceHelper(keyed, parameter.TypeFqn), new[] { services, key }, ";");
                }
                else
                {
                    var method = parameter.IsNullableService ? "GetService" : "GetRequiredService";
                    writer.WriteCall("var " + local + " = " + ServiceHelper(method, parameter.TypeFqn), new[] { services }, ";");
                }

                return local;
        }
    }

    private static string ServiceHelper(string method, string typeFqn) => method + "<" + typeFqn + ">";

    private static void WriteContainsActionId(SourceWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine("private static bool " + ContainsActionId + "(global::System.Collections.Generic.IReadOnlyList<string> actionIds, string actionId)").OpenBlock();
        writer.WriteLine("for (var i = 0; i < actionIds.Count; i++)").OpenBlock();
        writer.WriteLine("if (global::System.String.Equals(actionIds[i], actionId, global::System.StringComparison.Ordinal))").OpenBlock();
        writer.WriteLine("return true;");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();
        writer.WriteLine("return false;");
        writer.CloseBlock();
    }

    /// <summary>The names one kind's dispatch method uses.</summary>
    private sealed class Kind
    {
        public static readonly Kind Robot = new(
            "DispatchRobotMessageAsync", "global::DingGen.DingRobotMessageContext", "global::DingGen.DingRobotReply", "message", "Message", "reply", "replies", InteractionHandlerRules.Robot.FailureTag);

        public static readonly Kind Card = new(
            "DispatchCardCallbackAsync", "global::DingGen.DingCardCallbackContext", "global::DingGen.DingCardUpdate", "callback", "Callback", "update", "updates", InteractionHandlerRules.Card.FailureTag);

        private Kind(string methodName, string context, string response, string local, string property, string responseLocal, string responsesLocal, string failureTag)
        {
            MethodName = methodName;
            Context = context;
            Response = response;
            Local = local;
            Property = property;
            ResponseLocal = responseLocal;
            ResponsesLocal = responsesLocal;
            FailureTag = failureTag;
        }

        public string MethodName { get; }

        public string Context { get; }

        public string Response { get; }

        public string Local { get; }

        public string Property { get; }

        public string ResponseLocal { get; }

        public string ResponsesLocal { get; }

        public string FailureTag { get; }
    }
}
