using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// French typography for prose: a non-breaking space before ":" and a narrow non-breaking space before
/// ";", "!" and "?", so that the punctuation never starts a line on the website.
/// </summary>
public static partial class FrenchTypography
{
    const char NoBreakSpace = '\u00A0';
    const char NarrowNoBreakSpace = '\u202F';

    /// <summary>Fields that are code, identifiers or quotes of the entrepreneur: left exactly as they are.</summary>
    static readonly HashSet<string> NotProse =
        ["svg", "json_ld", "hex", "url_slug", "template_id", "id", "quote", "role", "language", "source", "kind",
         "position", "mood", "tone", "style", "palette", "sector", "family", "fallback", "features", "foreground", "background"];

    public static string Apply(string text) =>
        HighPunctuation().Replace(text, m => (m.Value[^1] == ':' ? NoBreakSpace : NarrowNoBreakSpace) + m.Value[^1..]);

    /// <summary>Applies the rules to every prose string of a French result, in place.</summary>
    public static void ApplyTo(JsonObject result) => Typeset(result);

    /// <summary>The typeset replacement of a prose string, or null when it reads the same; containers change in place.</summary>
    static JsonValue? Typeset(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                // Regex.Replace hands back the very same string when nothing matched: most strings need no new node.
                var typeset = Apply(text);
                return ReferenceEquals(typeset, text) ? null : JsonValue.Create(typeset);
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                    if ((child is JsonObject || !NotProse.Contains(name)) && Typeset(child) is { } replacement)
                        obj[name] = replacement;
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    if (Typeset(array[i]) is { } replacement)
                        array[i] = replacement;
                break;
        }
        return null;
    }

    // A ":;!?" right after a word (with or without an ordinary space) and followed by a space or the end:
    // times ("8:30"), URLs ("https://") and punctuation already preceded by a non-breaking space stay as they are.
    [GeneratedRegex(@"(?<=[\p{L}\p{N})»”%…])[ ]?[:;!?](?=\s|$)")]
    private static partial Regex HighPunctuation();
}
