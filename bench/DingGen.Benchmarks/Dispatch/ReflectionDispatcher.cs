using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Benchmarks.Dispatch;

/// <summary>
/// The textbook reflection router the generated dispatcher replaces: handlers found once by scanning for
/// <see cref="DingEventAttribute"/>, then per event a <c>Dictionary&lt;string, MethodInfo&gt;</c> lookup,
/// <see cref="JsonSerializer.Deserialize(ReadOnlySpan{byte}, Type, JsonSerializerOptions?)"/> with reflection-based
/// options (their metadata cache warm, as in a long-running host), a DI scope, and <see cref="MethodBase.Invoke(object?, object?[])"/>.
/// </summary>
internal sealed class ReflectionDispatcher
{
    private readonly Dictionary<string, MethodInfo> _handlers = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _options;

    public ReflectionDispatcher(Type handlerType, JsonSerializerOptions options)
    {
        _options = options;
        foreach (var method in handlerType.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            foreach (var attribute in method.GetCustomAttributes<DingEventAttribute>())
            {
                _handlers.Add(attribute.EventType, method);
            }
        }
    }

    public async ValueTask<DingDispatchResult> DispatchAsync(DingEventContext context)
    {
        if (!_handlers.TryGetValue(context.EventType, out var method))
        {
            return DingDispatchResult.NotHandled;
        }

        var parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var type = parameters[i].ParameterType;
                if (type == typeof(DingEventContext))
                {
                    arguments[i] = context;
                }
                else if (type == typeof(CancellationToken))
                {
                    arguments[i] = context.CancellationToken;
                }
                else
                {
                    arguments[i] = JsonSerializer.Deserialize(context.Payload.Span, type, _options)
                        ?? throw new JsonException("null payload");
                }
            }
        }
        catch (JsonException exception)
        {
            return DingDispatchResult.Failed([new DingHandlerFailure("payload", context.EventType, exception)]);
        }

        await using var scope = context.Services.CreateAsyncScope();
        try
        {
            var handler = scope.ServiceProvider.GetRequiredService(method.DeclaringType!);
            if (method.Invoke(handler, arguments) is Task task)
            {
                await task.ConfigureAwait(false);
            }

            return DingDispatchResult.Handled;
        }
        catch (Exception exception)
        {
            return DingDispatchResult.Failed([new DingHandlerFailure(method.Name, context.EventType, exception)]);
        }
    }
}
