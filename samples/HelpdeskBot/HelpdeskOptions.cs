namespace HelpdeskBot;

/// <summary>The helpdesk's own settings (section <c>Helpdesk</c>), checked at start-up.</summary>
public sealed class HelpdeskOptions
{
    /// <summary>
    /// The interactive card template the status card is built from (<c>Helpdesk:CardTemplateId</c>), made in DingTalk's card builder
    /// (card.dingtalk.com). It shows the variables <c>title</c>, <c>state</c>, <c>approvalId</c> and <c>remindStatus</c>, and has a
    /// button whose callback action id is <c>remind</c> and whose callback parameters are <c>{"approvalId": "${approvalId}"}</c>.
    /// </summary>
    public string CardTemplateId { get; set; } = string.Empty;
}
