namespace DingGen.Inbox.PostgreSql;

/// <summary>
/// Where the shared inbox lives, bound from the app section's <c>Inbox</c> sub-section (e.g. <c>DingGen:Inbox:ConnectionString</c>).
/// The worker's settings (<see cref="DingInboxOptions"/>) live in the same sub-section.
/// </summary>
public sealed class PostgreSqlInboxOptions
{
    /// <summary>The default <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "dinggen";

    /// <summary>
    /// The Npgsql connection string (<c>Host=…;Port=5432;Username=…;Password=…;Database=…</c>). Every replica of the host uses the same
    /// database. Not needed when an <c>NpgsqlDataSource</c> is passed to <c>UsePostgreSqlInbox</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The schema that holds DingGen's tables (default <c>dinggen</c>): a lowercase identifier of at most 63 characters (letters, digits,
    /// underscores; not starting with a digit). It is created at start-up when missing.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// This replica's name in the database (who holds the stream connection, in logs and the health check): default the machine name
    /// and the process id, e.g. <c>web-7f9c-4211</c>. At most 200 characters.
    /// </summary>
    public string? ReplicaId { get; set; }

    /// <summary>Whether <paramref name="schema"/> is a valid <see cref="Schema"/>.</summary>
    public static bool IsValidSchema(string? schema)
    {
        if (string.IsNullOrEmpty(schema) || schema.Length > 63 || schema[0] is >= '0' and <= '9')
        {
            return false;
        }

        foreach (var c in schema)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The default replica id: machine name and process id.</summary>
    public static string DefaultReplicaId() => Environment.MachineName + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
