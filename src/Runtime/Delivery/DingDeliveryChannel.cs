namespace DingGen;

/// <summary>How an event reached the host.</summary>
public enum DingDeliveryChannel
{
    /// <summary>An encrypted HTTP callback DingTalk posted to the host's URL.</summary>
    HttpPush = 0,

    /// <summary>An EVENT frame received over DingTalk's Stream (WebSocket) channel.</summary>
    Stream = 1,

    /// <summary>A delivery that failed at DingTalk, fetched from its failed-delivery list and recovered.</summary>
    Recovery = 2,
}
