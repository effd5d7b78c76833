using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// The SEO section's JSON-LD block as it may be embedded: the website builder puts it inside an HTML
/// <c>&lt;script&gt;</c> element, where a raw <c>&lt;/script&gt;</c> in any value would end the element and run what follows.
/// </summary>
public static class JsonLd
{
    // Relaxed so that accents stay readable, but still escaping <, >, & and quotes as \u003C, \u003E, \u0026…
    static readonly JsonSerializerOptions ScriptSafe = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Serialised(JsonNode document) => document.ToJsonString(ScriptSafe);

    /// <summary>The same JSON written script-safe; null when the text is not JSON at all (the schema checks say why).</summary>
    public static string? Rewritten(string text)
    {
        try
        {
            return JsonNode.Parse(text) is { } document ? Serialised(document) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the text can sit inside a <c>&lt;script&gt;</c> element: none of the characters HTML would read as markup.</summary>
    public static bool IsScriptSafe(string text) => text.IndexOfAny(['<', '>', '&']) < 0;
}
