using DingGen;
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
/// The fakes of <c>--simulate</c>, from <c>DingGen.Testing</c>: <see cref="FakeDingTalkServer"/> (token, <c>processinstance/get</c>, the
/// session webhooks, the robot send API and the interactive card API, recording every reply it accepts) and
/// <see cref="FakeStreamGateway"/> (the stream connection).
/// </summary>
internal sealed class SimulationFakes(FakeDingTalkServer dingtalk, FakeStreamGateway gateway) : IAsyncDisposable
{
    public FakeDingTalkServer DingTalk { get; } = dingtalk;

    public FakeStreamGateway Gateway { get; } = gateway;

    /// <summary>How many replies the fake DingTalk accepted so far.</summary>
    public int ReplyMark() => DingTalk.RobotReplies.Count;

    /// <summary>The replies accepted after <paramref name="mark"/>, once none arrived for <paramref name="settle"/>.</summary>
    public async Task<IReadOnlyList<SimulatedReply>> RepliesSinceAsync(int mark, TimeSpan settle)
    {
        var seen = -1;
        while (true)
        {
            var replies = DingTalk.RobotReplies;
            if (replies.Count == seen)
            {
                return replies.Skip(mark).SelectMany(Describe).ToArray();
            }

            seen = replies.Count;
            await Task.Delay(settle);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await DingTalk.DisposeAsync();
    }

    private static IEnumerable<SimulatedReply> Describe(FakeRobotReply reply)
    {
        var via = reply.Route == FakeRobotReplyRoute.SessionWebhook ? ReplyRoute.Webhook : ReplyRoute.Api;
        var kind = reply.Kind switch
        {
            DingRobotReplyKind.Text => "text",
            DingRobotReplyKind.Markdown => "markdown",
            DingRobotReplyKind.ActionCard => "actionCard",
            _ => "interactiveCard",
        };
        if (reply.UserIds.Count == 0)
        {
            yield return new SimulatedReply(via, kind, reply.Text ?? string.Empty, reply.ConversationId, reply.CardBizId, reply.CardParams);
            yield break;
        }

        foreach (var user in reply.UserIds)
        {
            yield return new SimulatedReply(via, kind, reply.Text ?? string.Empty, user, reply.CardBizId, reply.CardParams);
        }
    }
}
