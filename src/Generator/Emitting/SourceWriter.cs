using System.Text;

namespace DingGen.Generator.Emitting;

/// <summary>An indentation-aware text writer for generated C# (4 spaces, <c>\n</c> line endings).</summary>
internal sealed class SourceWriter
{
    /// <summary>The longest line the emitters write when they can help it; a snapshot test holds every output to it.</summary>
    public const int MaxLineLength = 160;

    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();

    public int Indentation { get; set; }

    public SourceWriter WriteLine(string line)
    {
        if (line.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }

        foreach (var part in line.Split('\n'))
        {
            for (var i = 0; i < Indentation; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(part.TrimEnd('\r')).Append('\n');
        }

        return this;
    }

    public SourceWriter WriteLine() => WriteLine(string.Empty);

    /// <summary>
    /// Writes <c>head(arguments)tail</c> on one line when it fits in <see cref="MaxLineLength"/>; otherwise <c>head(</c>
    /// followed by one argument per line, one level deeper, the last one closed by <c>)tail</c>.
    /// </summary>
    public SourceWriter WriteCall(string head, IReadOnlyList<string> arguments, string tail = "")
    {
        var line = head + "(" + string.Join(", ", arguments) + ")" + tail;
        if ((Indentation * IndentUnit.Length) + line.Length <= MaxLineLength || arguments.Count == 0)
        {
            return WriteLine(line);
        }

        WriteLine(head + "(");
        Indentation++;
        for (var i = 0; i < arguments.Count; i++)
        {
            WriteLine(arguments[i] + (i < arguments.Count - 1 ? "," : ")" + tail));
        }

        Indentation--;
        return this;
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public SourceWriter OpenBlock()
    {
        WriteLine("{");
        Indentation++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public SourceWriter CloseBlock(string suffix = "")
    {
        Indentation--;
        return WriteLine("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
