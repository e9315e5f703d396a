namespace DingGen;

/// <summary>
/// What the pipeline reports about one finished delivery: metadata only, never the payload. Register an
/// <see cref="IDingDeliveryObserver"/> to see every delivery of every channel (the operations dashboard keeps the latest ones).
/// </summary>
/// <param name="CompletedAt">When the handlers finished.</param>
/// <param name="AppName">The app's <c>AddDingGen</c> name; empty for the default app.</param>
/// <param name="Channel">The channel name: <c>http_push</c>, <c>stream</c>, <c>inbox</c> or <c>recovery</c>.</param>
/// <param name="EventType">The event tag.</param>
/// <param name="EventId">DingTalk's id of the event (or the one derived from the payload).</param>
/// <param name="Outcome"><see cref="DingDispatchStatus.Handled"/>, <see cref="DingDispatchStatus.NotHandled"/> or <see cref="DingDispatchStatus.Failed"/>.</param>
/// <param name="Duration">How long the handlers took.</param>
/// <param name="FailedHandlers">The handlers that failed, as <c>Namespace.Type.Method</c>; empty unless failed.</param>
public sealed record DingDeliveryRecord(
    DateTimeOffset CompletedAt,
    string AppName,
    string Channel,
    string EventType,
    string EventId,
    DingDispatchStatus Outcome,
    TimeSpan Duration,
    IReadOnlyList<string> FailedHandlers);

/// <summary>
/// Sees every delivery the <see cref="DingDeliveryPipeline"/> completes, after its handlers ran. Called on the delivery's own path:
/// keep it cheap and never throw (an exception is swallowed and does not change the delivery's outcome). Register as a singleton.
/// </summary>
public interface IDingDeliveryObserver
{
    /// <summary>One delivery finished.</summary>
    void OnDelivered(DingDeliveryRecord record);
}
