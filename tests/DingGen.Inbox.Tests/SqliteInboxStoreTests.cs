using DingGen.Inbox.Sqlite;
using DingGen.Inbox.Tests.Infrastructure;

namespace DingGen.Inbox.Tests;

/// <summary>The shared inbox contract, against the embedded SQLite store (a second handle is a second connection to the same file).</summary>
public sealed class SqliteInboxContractTests : InboxContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override ValueTask<Store> OpenAsync()
    {
        var inbox = new SqliteDingInbox(_dir.File("inbox.db"));
        return ValueTask.FromResult(new Store(inbox, inbox, inbox));
    }

    protected override ValueTask DeleteStorageAsync() => ValueTask.CompletedTask;
}

/// <summary>What only the embedded store does: restart recovery, owner-only files, never creating a database by opening one.</summary>
public sealed class SqliteInboxStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1717034400000);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _dir = new();
    private readonly SqliteDingInbox _inbox;

    public SqliteInboxStoreTests()
    {
        _inbox = new SqliteDingInbox(_dir.File("inbox.db"));
    }

    public void Dispose()
    {
        _inbox.Dispose();
        _dir.Dispose();
    }

    private static DingInboxEntry Entry(string eventId) => InboxContractTests.Entry(eventId);

    [Fact]
    public async Task After_a_restart_the_leases_of_the_dead_process_are_released_and_its_entries_are_due_at_once()
    {
        await _inbox.AddAsync(Entry("in-flight"));
        await _inbox.AddAsync(Entry("waiting"));
        await _inbox.AddAsync(Entry("finished"));
        var claimed = await _inbox.ClaimAsync(3, T0, Lease);
        await _inbox.CompleteAsync(claimed.Single(static r => r.Entry.EventId == "finished").Id, T0);
        _inbox.Dispose();

        // The process died holding two leases; a new one opens the same file.
        using var restarted = new SqliteDingInbox(_dir.File("inbox.db"));
        Assert.Empty(await restarted.ClaimAsync(10, T0.AddSeconds(1), Lease));
        Assert.Equal(2, await restarted.ReleaseStaleLeasesAsync());

        var again = await restarted.ClaimAsync(10, T0.AddSeconds(1), Lease);
        Assert.Equal(["in-flight", "waiting"], again.Select(static r => r.Entry.EventId).Order(StringComparer.Ordinal));
        Assert.All(again, static r => Assert.Equal(2, r.Attempts));
        Assert.Equal(DingInboxState.Done, (await restarted.GetAsync(claimed.Single(static r => r.Entry.EventId == "finished").Id))!.State);
    }

    [Fact]
    public async Task The_database_and_its_wal_are_created_readable_and_writable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _dir.File("sub/dir/mode.db");
        using (var inbox = new SqliteDingInbox(path))
        {
            await inbox.AddAsync(Entry("a"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.True(File.Exists(path + "-wal"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + "-wal"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.File("sub/dir")));
        }
    }

    [Fact]
    public void Opening_an_existing_database_never_creates_one()
    {
        var missing = _dir.File("missing.db");
        Assert.Throws<FileNotFoundException>(() => SqliteDingInbox.OpenExisting(missing));
        Assert.False(File.Exists(missing));
    }
}
