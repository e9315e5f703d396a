using System.Text;
using Microsoft.Extensions.Logging.Testing;

namespace DingGen.Tests.Shared;

/// <summary>Captured logs as one text, for assertions that a secret or a payload never appears in any log.</summary>
public static class LogText
{
    /// <summary>Every log record as text: message, structured values and exception.</summary>
    public static string Of(FakeLogCollector logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var text = new StringBuilder();
        foreach (var record in logs.GetSnapshot())
        {
            text.AppendLine(record.Message);
            if (record.StructuredState is { } state)
            {
                foreach (var pair in state)
                {
                    text.Append(pair.Key).Append('=').AppendLine(pair.Value);
                }
            }

            if (record.Exception is { } exception)
            {
                text.AppendLine(exception.ToString());
            }
        }

        return text.ToString();
    }
}
