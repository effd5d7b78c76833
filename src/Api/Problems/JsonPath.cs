using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace BusinessBrief.Api.Problems;

/// <summary>The JSON path System.Text.Json reports (<c>$.location.city</c>, <c>$.sections[2]</c>, <c>$['a b']</c>).</summary>
public static partial class JsonPath
{
    /// <summary>Property names (string) and array indexes (int) from the root down.</summary>
    public static IReadOnlyList<object> Parse(string? path) =>
        path is null ? [] : Segment().Matches(path).Select(m => m.Groups["index"].Success
            ? (object)int.Parse(m.Groups["index"].ValueSpan)
            : m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["quoted"].Value.Replace("''", "'")).ToList();

    /// <summary>The field as clients name it: <c>location.city</c>, <c>sections[2]</c>; <c>$</c> for the body itself.</summary>
    public static string Format(IReadOnlyList<object> segments) =>
        segments.Count == 0 ? "$" : string.Concat(segments.Select((s, i) => s switch
        {
            int index => $"[{index}]",
            _ => (i == 0 ? "" : ".") + Shortened((string)s),
        }));

    // A property name is whatever the client sent; an error message quotes a bounded piece of it.
    static string Shortened(string name) => name.Length <= 64 ? name : name[..64] + "…";

    /// <summary>The type the path leads to in <paramref name="root"/>, or null where it names a member that does not exist.</summary>
    public static JsonTypeInfo? Resolve(JsonSerializerOptions options, Type root, IReadOnlyList<object> segments)
    {
        JsonTypeInfo? current = options.GetTypeInfo(root);
        foreach (var segment in segments)
        {
            current = (segment, current?.Kind) switch
            {
                (string name, JsonTypeInfoKind.Object) => current!.Properties
                    .FirstOrDefault(p => string.Equals(p.Name, name, options.PropertyNameCaseInsensitive
                        ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) is { } property
                    ? options.GetTypeInfo(property.PropertyType)
                    : null,
                (int, JsonTypeInfoKind.Enumerable) => options.GetTypeInfo(current!.ElementType!),
                _ => null,
            };
        }
        return current;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segment();
}
