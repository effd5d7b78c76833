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
    public static void ApplyTo(JsonObject result)
    {
        foreach (var (name, child) in result.ToList())
        {
            if (NotProse.Contains(name) && child is not JsonObject)
                continue;
            switch (child)
            {
                case JsonValue value when value.TryGetValue<string>(out var text):
                    result[name] = Apply(text);
                    break;
                case JsonObject obj:
                    ApplyTo(obj);
                    break;
                case JsonArray array:
                    ApplyTo(array);
                    break;
            }
        }
    }

    static void ApplyTo(JsonArray array)
    {
        for (var i = 0; i < array.Count; i++)
        {
            switch (array[i])
            {
                case JsonValue value when value.TryGetValue<string>(out var text):
                    array[i] = Apply(text);
                    break;
                case JsonObject obj:
                    ApplyTo(obj);
                    break;
                case JsonArray inner:
                    ApplyTo(inner);
                    break;
            }
        }
    }

    // A ":;!?" right after a word (with or without an ordinary space) and followed by a space or the end:
    // times ("8:30"), URLs ("https://") and punctuation already preceded by a non-breaking space stay as they are.
    [GeneratedRegex(@"(?<=[\p{L}\p{N})»”%…])[ ]?[:;!?](?=\s|$)")]
    private static partial Regex HighPunctuation();
}
