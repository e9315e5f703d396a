using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DingGen.Testing;

namespace HelpdeskBot;

/// <summary>How a reply reached the conversation.</summary>
internal enum ReplyRoute
{
    /// <summary>Posted to the message's session webhook.</summary>
    Webhook,

    /// <summary>Sent through the robot send API (one-to-one, group, or an interactive card).</summary>
    Api,
}

/// <summary>One reply as DingTalk received it.</summary>
/// <param name="Via">Session webhook or robot API.</param>
/// <param name="Kind"><c>text</c>, <c>markdown</c>, <c>actionCard</c> or <c>interactiveCard</c>.</param>
/// <param name="Text">The text or markdown.</param>
/// <param name="To">The user it went to (robot API, one-to-one), the session (webhook), or the conversation (group).</param>
/// <param name="CardBizId">The id of an interactive card.</param>
/// <param name="CardParams">The public variables of an interactive card.</param>
internal sealed record SimulatedReply(ReplyRoute Via, string Kind, string Text, string? To, string? CardBizId, IReadOnlyDictionary<string, string> CardParams)
{
    public override string ToString() => Kind == "interactiveCard"
        ? $"card {CardBizId} via API ({string.Join(", ", CardParams.Where(static p => p.Value.Length > 0).Select(static p => p.Key + "=" + Simulation.Shorten(p.Value)))})"
        : $"{Kind} via {(Via == ReplyRoute.Webhook ? "session webhook" : "robot API to " + To)}: \"{Simulation.Shorten(Text)}\"";
}

/// <summary>
/// The fakes of <c>--simulate</c>: <see cref="FakeDingTalkServer"/> (token, <c>processinstance/get</c>), <see cref="FakeStreamGateway"/>
/// (the stream connection), and a recorder on loopback that answers what DingTalk answers to session webhooks
/// (<c>POST /robot/sendBySession</c>) and to the robot send API (<c>/v1.0/robot/oToMessages/batchSend</c>,
/// <c>/v1.0/robot/groupMessages/send</c>, <c>/v1.0/im/v1.0/robot/interactiveCards/send</c>) and records every reply.
/// </summary>
internal sealed class SimulationFakes : IAsyncDisposable
{
    private readonly WebApplication _recorder;
    private readonly Lock _lock = new();
    private readonly List<SimulatedReply> _replies = [];

    private SimulationFakes(FakeDingTalkServer dingtalk, FakeStreamGateway gateway, WebApplication recorder)
    {
        DingTalk = dingtalk;
        Gateway = gateway;
        _recorder = recorder;
        RecorderAddress = new Uri(recorder.Urls.First());
    }

    public FakeDingTalkServer DingTalk { get; }

    public FakeStreamGateway Gateway { get; }

    /// <summary>Where the session webhooks and the robot send API are served (<c>DingGen:OpenApi:ApiBaseAddress</c>).</summary>
    public Uri RecorderAddress { get; }

    public static async Task<SimulationFakes> StartAsync(FakeDingTalkServer dingtalk, FakeStreamGateway gateway)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SimulationFakes? fakes = null;
        app.MapPost("/robot/sendBySession", context => fakes!.RecordAsync(context, ReplyRoute.Webhook, """{"errcode":0,"errmsg":"ok"}"""));
        app.MapPost("/v1.0/robot/oToMessages/batchSend", context => fakes!.RecordAsync(context, ReplyRoute.Api, """{"processQueryKey":"simulated","invalidStaffIdList":[],"flowControlledStaffIdList":[]}"""));
        app.MapPost("/v1.0/robot/groupMessages/send", context => fakes!.RecordAsync(context, ReplyRoute.Api, """{"processQueryKey":"simulated"}"""));
        app.MapPost("/v1.0/im/v1.0/robot/interactiveCards/send", context => fakes!.RecordAsync(context, ReplyRoute.Api, """{"success":true,"result":{"processQueryKey":"simulated"}}"""));
        await app.StartAsync();
        fakes = new SimulationFakes(dingtalk, gateway, app);
        return fakes;
    }

    /// <summary>The session webhook of message <paramref name="msgId"/>.</summary>
    public string SessionWebhookFor(string msgId) => new Uri(RecorderAddress, "/robot/sendBySession?session=" + Uri.EscapeDataString(msgId)).ToString();

    /// <summary>How many replies were recorded so far.</summary>
    public int ReplyMark()
    {
        lock (_lock)
        {
            return _replies.Count;
        }
    }

    /// <summary>The replies recorded after <paramref name="mark"/>, once none arrived for <paramref name="settle"/>.</summary>
    public async Task<IReadOnlyList<SimulatedReply>> RepliesSinceAsync(int mark, TimeSpan settle)
    {
        var seen = -1;
        while (true)
        {
            var count = ReplyMark();
            if (count == seen)
            {
                lock (_lock)
                {
                    return _replies.Skip(mark).ToArray();
                }
            }

            seen = count;
            await Task.Delay(settle);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _recorder.StopAsync();
        await _recorder.DisposeAsync();
        await Gateway.DisposeAsync();
        await DingTalk.DisposeAsync();
    }

    private async Task RecordAsync(HttpContext context, ReplyRoute via, string answer)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = document.RootElement;
        var path = context.Request.Path.Value ?? string.Empty;
        var replies = new List<SimulatedReply>();
        if (via == ReplyRoute.Webhook)
        {
            var kind = Text(root, "msgtype");
            var text = root.TryGetProperty(kind, out var content) ? Text(content, kind == "text" ? "content" : "text") : string.Empty;
            replies.Add(new SimulatedReply(via, kind, text, context.Request.Query["session"], null, new Dictionary<string, string>()));
        }
        else if (path.EndsWith("/interactiveCards/send", StringComparison.Ordinal))
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var data = JsonDocument.Parse(Text(root, "cardData") is { Length: > 0 } json ? json : "{}"))
            {
                if (data.RootElement.TryGetProperty("cardParamMap", out var map))
                {
                    foreach (var property in map.EnumerateObject())
                    {
                        parameters[property.Name] = property.Value.GetString() ?? string.Empty;
                    }
                }
            }

            var to = Text(root, "openConversationId") is { Length: > 0 } group ? group : Text(root, "singleChatReceiver");
            replies.Add(new SimulatedReply(via, "interactiveCard", string.Empty, to, Text(root, "cardBizId"), parameters));
        }
        else
        {
            var (kind, text) = ApiMessage(Text(root, "msgKey"), Text(root, "msgParam"));
            if (root.TryGetProperty("userIds", out var users) && users.ValueKind == JsonValueKind.Array)
            {
                foreach (var user in users.EnumerateArray())
                {
                    replies.Add(new SimulatedReply(via, kind, text, user.GetString(), null, new Dictionary<string, string>()));
                }
            }
            else
            {
                replies.Add(new SimulatedReply(via, kind, text, Text(root, "openConversationId"), null, new Dictionary<string, string>()));
            }
        }

        lock (_lock)
        {
            _replies.AddRange(replies);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    private static (string Kind, string Text) ApiMessage(string msgKey, string msgParam)
    {
        using var document = JsonDocument.Parse(msgParam.Length == 0 ? "{}" : msgParam);
        return msgKey switch
        {
            "sampleText" => ("text", Text(document.RootElement, "content")),
            "sampleMarkdown" => ("markdown", Text(document.RootElement, "text")),
            _ when msgKey.StartsWith("sampleActionCard", StringComparison.Ordinal) => ("actionCard", Text(document.RootElement, "text")),
            _ => (msgKey, msgParam),
        };
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? string.Empty
            : string.Empty;
}

/// <summary>The JSON the simulation writes (strings only), source-generated for NativeAOT.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;
