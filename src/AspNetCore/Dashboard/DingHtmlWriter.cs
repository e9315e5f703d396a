using System.Globalization;
using System.Text;

namespace DingGen;

/// <summary>
/// A small HTML writer: <see cref="Text(string)"/> encodes (<c>&amp; &lt; &gt; " '</c>), <see cref="Raw"/> writes markup the dashboard
/// itself composed. Every value that comes from outside (event types, ids, error messages, app names) goes through <see cref="Text(string)"/>
/// or <see cref="Attr"/>.
/// </summary>
internal sealed class DingHtmlWriter
{
    private readonly StringBuilder _html = new(16 * 1024);

    public DingHtmlWriter Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    public DingHtmlWriter Text(string? value)
    {
        if (value is null)
        {
            return this;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '&':
                    _html.Append("&amp;");
                    break;
                case '<':
                    _html.Append("&lt;");
                    break;
                case '>':
                    _html.Append("&gt;");
                    break;
                case '"':
                    _html.Append("&quot;");
                    break;
                case '\'':
                    _html.Append("&#39;");
                    break;
                default:
                    _html.Append(c);
                    break;
            }
        }

        return this;
    }

    public DingHtmlWriter Text(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes <c> name="value"</c> with the value encoded.</summary>
    public DingHtmlWriter Attr(string name, string? value) => Raw(" ").Raw(name).Raw("=\"").Text(value).Raw("\"");

    /// <summary>Writes <c>&lt;tag class="…"&gt;text&lt;/tag&gt;</c>.</summary>
    public DingHtmlWriter Element(string tag, string? text, string? cssClass = null)
    {
        Raw("<").Raw(tag);
        if (cssClass is not null)
        {
            Attr("class", cssClass);
        }

        return Raw(">").Text(text).Raw("</").Raw(tag).Raw(">");
    }

    public override string ToString() => _html.ToString();
}
