namespace DingGen;

/// <summary>
/// Marks a method as a handler of the messages users send to the app's chat robot (an @-mention in a group, or a one-to-one
/// chat). They arrive over stream mode as <c>CALLBACK</c> frames on topic <c>/v1.0/im/bot/messages/get</c>, or over HTTP at
/// <c>MapDingRobot</c>. The DingGen generator emits the method's dispatch in the assembly's generated dispatcher.
/// </summary>
/// <remarks>
/// <para>The handler takes a <see cref="Events.DingRobotMessage"/>, and in any order a <see cref="DingRobotMessageContext"/>, a
/// <see cref="CancellationToken"/> and any DI service. It returns nothing (<see langword="void"/>, <see cref="Task"/>,
/// <see cref="ValueTask"/>) or a reply (<see cref="DingRobotReply"/>, <c>Task&lt;DingRobotReply?&gt;</c>,
/// <c>ValueTask&lt;DingRobotReply?&gt;</c>); a <see langword="null"/> reply sends nothing. Every matching handler runs.</para>
/// <para>DingTalk does not redeliver robot messages: a handler that fails is logged and its message is not retried.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DingRobotMessageAttribute : Attribute
{
    /// <summary>
    /// Only messages of this <c>msgtype</c> (a constant of <see cref="Events.DingRobotMessageTypes"/>, e.g. <c>text</c>);
    /// <see langword="null"/> (the default) for every type.
    /// </summary>
    public string? MsgType { get; set; }

    /// <summary>
    /// Only messages to the robot with this <c>robotCode</c>, when the app has several robots; <see langword="null"/> (the
    /// default) for any robot.
    /// </summary>
    public string? RobotCode { get; set; }
}

/// <summary>
/// Marks a method as a handler of interactive card callbacks: a user pressed a button (or submitted a form) on a card the app
/// sent. They arrive over stream mode as <c>CALLBACK</c> frames on topic <c>/v1.0/card/instances/callback</c>, or over HTTP at
/// <c>MapDingCardCallback</c>.
/// </summary>
/// <remarks>
/// The handler takes a <see cref="Events.DingCardCallback"/>, and in any order a <see cref="DingCardCallbackContext"/>, a
/// <see cref="CancellationToken"/> and any DI service. It returns nothing or a card data update (<see cref="DingCardUpdate"/>,
/// <c>Task&lt;DingCardUpdate?&gt;</c>, <c>ValueTask&lt;DingCardUpdate?&gt;</c>), which DingTalk applies to the card. When several
/// handlers return an update, they are merged in handler order (a later value of the same key wins).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DingCardCallbackAttribute : Attribute
{
    /// <summary>
    /// Only callbacks whose action ids (<c>cardPrivateData.actionIds</c>) contain this id; <see langword="null"/> (the
    /// default) for every callback.
    /// </summary>
    public string? ActionId { get; set; }
}
