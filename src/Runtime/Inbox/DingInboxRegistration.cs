using System.Collections.Concurrent;
using System.Threading.Channels;

namespace DingGen;

/// <summary>The apps whose durable inbox is on, and the configuration path of the inbox settings (for messages). One per service collection.</summary>
internal sealed class DingInboxRegistration
{
    private readonly ConcurrentDictionary<string, byte> _apps = new(StringComparer.Ordinal);

    /// <summary>The prefix of inbox settings in messages, e.g. <c>DingGen:Inbox:</c>.</summary>
    public string SettingPrefix { get; set; } = "Inbox:";

    public void Enable(string appName) => _apps[appName] = 0;

    public bool IsEnabled(string appName) => _apps.ContainsKey(appName);

    public bool AnyEnabled => !_apps.IsEmpty;
}

/// <summary>Wakes the inbox worker when an entry was added (auto-reset: many adds, one wake-up).</summary>
internal sealed class DingInboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Completes when a notification is waiting; consume it with <see cref="TryConsume"/>.</summary>
    public Task<bool> WaitAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken).AsTask();

    public bool TryConsume() => _channel.Reader.TryRead(out _);
}
