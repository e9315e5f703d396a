using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace DingGen.Generator.Emitting;

/// <summary>An indentation-aware text writer for generated C# (4 spaces, <c>\n</c> line endings).</summary>
internal sealed class SourceWriter
{
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

    public SourceText ToSourceText() => SourceText.From(_builder.ToString(), Encoding.UTF8);

    public override string ToString() => _builder.ToString();
}
