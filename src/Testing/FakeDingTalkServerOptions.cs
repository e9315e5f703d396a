namespace DingGen.Testing;

/// <summary>Settings of a <see cref="FakeDingTalkServer"/>: the one app and enterprise it knows, and its clock.</summary>
public sealed class FakeDingTalkServerOptions
{
    /// <summary>The AppKey <c>gettoken</c> accepts; default <c>dingfakeappkey0001</c>.</summary>
    public string AppKey { get; set; } = "dingfakeappkey0001";

    /// <summary>The AppSecret <c>gettoken</c> accepts (case-sensitive, as DingTalk); default <c>fake-app-secret</c>.</summary>
    public string AppSecret { get; set; } = "fake-app-secret";

    /// <summary>
    /// The enterprise CorpId: the owner key the <c>check_url</c> handshake of <c>register_call_back</c>/<c>update_call_back</c>
    /// is encrypted with, as DingTalk does for callbacks registered through the API; default <c>dingfakecorp0001</c>.
    /// </summary>
    public string CorpId { get; set; } = "dingfakecorp0001";

    /// <summary>The robot code the robot APIs accept; the <see cref="AppKey"/> when <see langword="null"/> (an internal app's robot code is its AppKey).</summary>
    public string? RobotCode { get; set; }

    /// <summary>The clock tokens and session webhooks expire by and handshake timestamps are read from; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long an access token is valid (<c>expires_in</c>); default 7200 s, as DingTalk.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>
    /// How long the <c>check_url</c> handshake waits for the callback URL before failing with 71012 (wall clock). DingTalk
    /// waits 1.5 s; the default, 10 s, leaves room for a cold test host on a busy CI machine.
    /// </summary>
    public TimeSpan CheckUrlTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether <c>get_call_back_failed_result</c> removes the entries it returns; default <see langword="true"/>. DingTalk does not
    /// document whether reading the list consumes it, so code that recovers failed events must survive this mode (an entry it
    /// read but did not handle is never listed again). <see langword="false"/> keeps every entry listed until <see cref="FakeDingTalkServer.ClearFailedEvents"/>.
    /// </summary>
    public bool FailedListConsumedOnRead { get; set; } = true;

    /// <summary>Tags accepted in <c>call_back_tag</c> besides <see cref="FakeDingTalkServer.DefaultKnownTags"/> (e.g. your <c>DingCustomEvent</c> tags).</summary>
    public IList<string> AdditionalKnownTags { get; } = new List<string>();
}
