using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace DingGen.Generator.Model;

/// <summary>
/// Names for generated members and locals, derived from what they stand for (an event's tag, a payload's type, a
/// parameter's name) the way a person would write them: <c>bpms_instance_change</c> → <c>DispatchBpmsInstanceChangeAsync</c>,
/// <c>BpmsInstanceChange</c> → <c>bpmsInstanceChange</c>. A name already taken gets the lowest free suffix 2, 3, …, assigned
/// in the model's ordinal order, so the output stays deterministic.
/// </summary>
internal static class Naming
{
    /// <summary>
    /// <c>bpms_instance_change</c> → <c>BpmsInstanceChange</c>: ASCII letters and digits kept, each word capitalised; a name
    /// that would be empty or start with a digit gets <paramref name="prefix"/> in front.
    /// </summary>
    public static string Pascal(string text, string prefix = "Event")
    {
        var builder = new StringBuilder(text.Length);
        var upper = true;
        foreach (var character in text)
        {
            if (character < 128 && char.IsLetterOrDigit(character))
            {
                builder.Append(upper ? char.ToUpperInvariant(character) : character);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, prefix);
        }

        return builder.ToString();
    }

    /// <summary><c>BpmsInstanceChange</c> → <c>bpmsInstanceChange</c>, <c>URLChange</c> → <c>urlChange</c>; a C# keyword gets a suffix.</summary>
    public static string Camel(string pascal, string keywordSuffix)
    {
        var upperRun = 0;
        while (upperRun < pascal.Length && char.IsUpper(pascal[upperRun]))
        {
            upperRun++;
        }

        // "URLChange": the last capital of a run starts the next word ("urlChange"); "IO" is all one word ("io").
        var lower = upperRun > 1 && upperRun < pascal.Length ? upperRun - 1 : upperRun;
        var name = pascal.Substring(0, lower).ToLowerInvariant() + pascal.Substring(lower);
        return IsKeyword(name) ? name + keywordSuffix : name;
    }

    /// <summary>The simple name of a <c>global::</c> type: <c>global::A.B.Outer.Inner&lt;T&gt;[]</c> → <c>Inner</c>.</summary>
    public static string SimpleTypeName(string typeFqn)
    {
        var end = typeFqn.IndexOfAny(new[] { '<', '[', '?' });
        var name = end < 0 ? typeFqn : typeFqn.Substring(0, end);
        var dot = Math.Max(name.LastIndexOf('.'), name.LastIndexOf(':'));
        return Pascal(name.Substring(dot + 1));
    }

    /// <summary>Whether <paramref name="name"/> is a C# keyword (it could not be a local's name without <c>@</c>).</summary>
    public static bool IsKeyword(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None;

    /// <summary>A set of names in one scope; <see cref="Claim"/> hands out each name once.</summary>
    internal sealed class Scope
    {
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public Scope(params string[] reserved)
        {
            foreach (var name in reserved)
            {
                _taken.Add(name);
            }
        }

        /// <summary><paramref name="name"/> if free, otherwise <c>name2</c>, <c>name3</c>, … (the first free one).</summary>
        public string Claim(string name)
        {
            var candidate = name;
            for (var suffix = 2; !_taken.Add(candidate); suffix++)
            {
                candidate = name + suffix.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        /// <summary>A copy that starts with the names this scope has taken (for a nested scope).</summary>
        public Scope Nested()
        {
            var nested = new Scope();
            nested._taken.UnionWith(_taken);
            return nested;
        }
    }
}
