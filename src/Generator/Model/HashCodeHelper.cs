namespace DingGen.Generator.Model;

/// <summary>A small hash combiner (netstandard2.0 has no <c>System.HashCode</c>).</summary>
internal static class HashCodeHelper
{
    public const int Seed = 17;

    public static int Combine(int hash, int value) => unchecked((hash * 31) + value);
}
