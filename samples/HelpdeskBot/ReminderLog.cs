using System.Collections.Concurrent;

namespace HelpdeskBot;

/// <summary>
/// When each approval's approvers were last reminded, so that pressing "remind approver" again (or on another copy of the card)
/// within <see cref="QuietPeriod"/> does not message them twice. In memory: a host with several replicas keeps it in a shared
/// store instead.
/// </summary>
public sealed class ReminderLog(TimeProvider clock)
{
    /// <summary>How long after a reminder the same approval's approvers are not reminded again.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>Claims the reminder of <paramref name="approvalId"/>: true and now, or false and when it was last sent.</summary>
    public bool TryClaim(string approvalId, out DateTimeOffset at)
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            if (_last.TryGetValue(approvalId, out var previous))
            {
                if (now - previous < QuietPeriod)
                {
                    at = previous;
                    return false;
                }

                if (_last.TryUpdate(approvalId, now, previous))
                {
                    at = now;
                    return true;
                }
            }
            else if (_last.TryAdd(approvalId, now))
            {
                at = now;
                return true;
            }
        }
    }

    /// <summary>Gives a claim back when the reminder could not be sent, so that the next press tries again.</summary>
    public void Release(string approvalId, DateTimeOffset at) => _last.TryRemove(new KeyValuePair<string, DateTimeOffset>(approvalId, at));
}
