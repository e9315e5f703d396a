using System.Diagnostics.CodeAnalysis;

namespace DingGen;

/// <summary>
/// The handshake (URL validation) events of the catalogue: the <see cref="DingEventTypes"/> constants marked
/// <c>[DingEventPayload(..., Handshake = true)]</c>. The runtime answers them itself with the encrypted <c>success</c>; they never reach a
/// handler, are never registered with DingTalk, and the analyzers reject a <c>[DingEvent]</c> on them (DING008).
/// </summary>
public static class DingHandshakeEvents
{
    // The marked constants, in catalogue order. A test compares this list with the marks (read by reflection in the test only), so the
    // mark stays the one definition while the runtime reads no attributes.
    private static readonly string[] HandshakeTags = [DingEventTypes.CheckUrl, DingEventTypes.CheckCreateSuiteUrl, DingEventTypes.CheckUpdateSuiteUrl, DingEventTypes.CheckSuiteLicenseCode];

    /// <summary>Every handshake tag, in catalogue order.</summary>
    public static IReadOnlyList<string> All => HandshakeTags;

    /// <summary>Whether <paramref name="eventType"/> is a handshake event (<see cref="All"/>).</summary>
    public static bool Contains([NotNullWhen(true)] string? eventType) => eventType is not null && Array.IndexOf(HandshakeTags, eventType) >= 0;

    /// <summary>The handshake tag <paramref name="utf8EventType"/> names, matched without allocating; <see langword="null"/> when it is none.</summary>
    internal static string? Match(ReadOnlySpan<byte> utf8EventType)
    {
        // Every handshake tag starts with "check_"; most events are rejected by the first byte.
        if (utf8EventType.Length < 9 || utf8EventType[0] != (byte)'c')
        {
            return null;
        }

        foreach (var tag in HandshakeTags)
        {
            if (System.Text.Ascii.Equals(utf8EventType, tag))
            {
                return tag;
            }
        }

        return null;
    }
}
