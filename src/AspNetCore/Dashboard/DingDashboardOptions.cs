namespace DingGen;

/// <summary>Settings of the operations dashboard (<see cref="DingDashboardServiceCollectionExtensions.AddDingDashboard"/>).</summary>
public sealed class DingDashboardOptions
{
    /// <summary>How many of the latest deliveries (all apps together) the dashboard keeps in memory; default 500.</summary>
    public int RecentDeliveries { get; set; } = 500;

    /// <summary>How many deliveries each app's table shows; default 25.</summary>
    public int DeliveriesPerApp { get; set; } = 25;

    /// <summary>How many dead letters the inbox panel lists; default 50.</summary>
    public int DeadLettersShown { get; set; } = 50;

    /// <summary>How long one call to DingTalk's server API may take while a page is drawn; default 5 seconds.</summary>
    public TimeSpan RemoteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long DingTalk's registered tags are cached between page views (a sync refreshes them at once); default 1 minute.</summary>
    public TimeSpan RegistrationCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the page reloads itself when the browser runs its one small script; <see cref="TimeSpan.Zero"/> turns it off. Default 15 seconds.</summary>
    public TimeSpan AutoRefresh { get; set; } = TimeSpan.FromSeconds(15);
}
