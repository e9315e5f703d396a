namespace HelpdeskBot;

/// <summary>What a user asked the robot, parsed from the text of a message.</summary>
public abstract record HelpdeskCommand
{
    private HelpdeskCommand()
    {
    }

    /// <summary><c>status &lt;approval id&gt;</c> (also <c>状态 &lt;id&gt;</c>).</summary>
    public sealed record Status(string ApprovalId) : HelpdeskCommand;

    /// <summary><c>status</c> without an id.</summary>
    public sealed record StatusWithoutId : HelpdeskCommand;

    /// <summary><c>help</c>, anything else, or a message without text (a picture, a file).</summary>
    public sealed record Help : HelpdeskCommand;

    /// <summary>
    /// Parses <paramref name="text"/> (<see cref="DingGen.Events.DingRobotMessage.TextContent"/>: the text of a text message with the
    /// @-mention removed, the text of a rich text message, or the recognised words of a voice message).
    /// </summary>
    public static HelpdeskCommand Parse(string? text)
    {
        var words = (text ?? string.Empty).Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0 || !(words[0].Equals("status", StringComparison.OrdinalIgnoreCase) || words[0] == "状态"))
        {
            return new Help();
        }

        return words.Length == 1 ? new StatusWithoutId() : new Status(words[1]);
    }
}
