namespace DingGen.Inbox.Sqlite;

/// <summary>
/// Where and how the embedded inbox stores its database, bound from the app section's <c>Inbox</c> sub-section
/// (e.g. <c>DingGen:Inbox:Path</c>). The worker's settings (<see cref="DingInboxOptions"/>) live in the same sub-section.
/// </summary>
public sealed class SqliteInboxOptions
{
    /// <summary>The default <see cref="Path"/>.</summary>
    public const string DefaultPath = "dinggen-inbox.db";

    /// <summary>
    /// The database file (default <c>dinggen-inbox.db</c>). A relative path is resolved against the host's content root
    /// (<c>IHostEnvironment.ContentRootPath</c>), or the application's base directory when there is none. The file is created readable
    /// and writable by its owner only (mode 0600 on Unix); its <c>-wal</c> and <c>-shm</c> companions get the same mode. Put it on a
    /// local disk (not a network share: SQLite's locking needs one).
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long an operation waits for another process holding the database lock (e.g. the <c>dinggen inbox</c> CLI) before failing (default 5 s).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
