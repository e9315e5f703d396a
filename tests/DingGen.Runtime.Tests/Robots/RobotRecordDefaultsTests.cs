using System.Text.Json;
using DingGen.Events;

namespace DingGen.Runtime.Tests.Robots;

/// <summary>Fields DingTalk leaves out (an empty at-list in a one-to-one chat, no rich text parts) keep the records' documented defaults.</summary>
public sealed class RobotRecordDefaultsTests
{
    [Fact]
    public void Absent_fields_read_as_empty_never_null()
    {
        var message = JsonSerializer.Deserialize("""{"msgtype":"richText","content":{}}""", DingRobotJsonContext.Default.DingRobotMessage)!;
        Assert.Equal((string.Empty, string.Empty, string.Empty), (message.MsgId, message.ConversationId, message.ConversationType));
        Assert.Empty(message.AtUsers);
        Assert.Empty(message.RichText!.Parts);
        Assert.Null(message.TextContent);

        var callback = JsonSerializer.Deserialize("{}", DingRobotJsonContext.Default.DingCardCallback)!;
        Assert.Equal(string.Empty, callback.OutTrackId);
        Assert.Empty(callback.ActionIds);
    }

    [Fact]
    public void Unknown_fields_are_kept_in_the_extension_data()
    {
        var message = JsonSerializer.Deserialize("""{"msgId":"m1","newField":{"a":1}}""", DingRobotJsonContext.Default.DingRobotMessage)!;
        Assert.Equal("m1", message.MsgId);
        Assert.Equal(1, message.ExtensionData!["newField"].GetProperty("a").GetInt32());
    }
}
