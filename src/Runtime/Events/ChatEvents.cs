using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The members shared by group chat events (groups created through the server API). Legacy payloads are
/// PascalCase (<c>ChatId</c>, <c>Operator</c>), console and Stream ones camelCase; console payloads carry both
/// <c>CorpId</c> and <c>corpId</c>, read into the one <see cref="DingEventPayload.CorpId"/> (the later wins).
/// Open so one handler can take several chat events.
/// </summary>
public record DingChatEvent : DingEventPayload
{
    /// <summary>The legacy chat id, <c>chat…</c> (<c>ChatId</c>/<c>chatId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? ChatId { get; init; }

    /// <summary>The conversation id, <c>cid…</c> (<c>OpenConversationId</c>/<c>openConversationId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OpenConversationId { get; init; }

    /// <summary>The user who made the change (<c>Operator</c>/<c>operator</c>); absent for <c>chat_update_owner</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Operator { get; init; }

    /// <summary>The operator's union id (<c>operatorUnionId</c>, console and Stream only).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OperatorUnionId { get; init; }
}

/// <summary>Members added to or removed from a group (<c>chat_add_member</c>, <c>chat_remove_member</c>).</summary>
public record DingChatMemberEvent : DingChatEvent
{
    /// <summary>The users added or removed (<c>UserId</c>/<c>userId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringListConverter))]
    public IReadOnlyList<string>? UserId { get; init; }

    /// <summary>Their union ids (<c>unionId</c>, console and Stream only).</summary>
    [JsonConverter(typeof(DingLenientStringListConverter))]
    public IReadOnlyList<string>? UnionId { get; init; }
}

/// <summary><c>chat_add_member</c>: members were added to a group.</summary>
public sealed record ChatAddMember : DingChatMemberEvent;

/// <summary><c>chat_remove_member</c>: members were removed from a group.</summary>
public sealed record ChatRemoveMember : DingChatMemberEvent;

/// <summary><c>chat_quit</c>: a user left a group (<see cref="DingChatEvent.Operator"/>).</summary>
public sealed record ChatQuit : DingChatEvent;

/// <summary><c>chat_update_owner</c>: a group's owner changed.</summary>
public sealed record ChatUpdateOwner : DingChatEvent
{
    /// <summary>The new owner (<c>Owner</c>/<c>owner</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Owner { get; init; }
}

/// <summary><c>chat_update_title</c>: a group's title changed.</summary>
public sealed record ChatUpdateTitle : DingChatEvent
{
    /// <summary>The new title (<c>Title</c>/<c>title</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Title { get; init; }
}

/// <summary><c>chat_disband</c>: a group was disbanded.</summary>
public sealed record ChatDisband : DingChatEvent;
