using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;

namespace BusinessBrief.Tests.Agents;

/// <summary>Independent checks on results: the shipped schema files and the WCAG formulas, re-read here rather than trusted.</summary>
public static class Results
{
    static readonly Dictionary<string, JsonSchema> Schemas = [];

    /// <summary>Schema errors of a result against the shipped <c>Schemas/&lt;section&gt;.schema.json</c>; empty when valid.</summary>
    public static IReadOnlyList<string> SchemaErrors(string section, JsonObject result)
    {
        JsonSchema schema;
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(section, out schema!))
                Schemas[section] = schema = JsonSchema.FromText(
                    File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", $"{section}.schema.json")),
                    new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        var evaluation = schema.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(result), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return evaluation.IsValid ? [] : (evaluation.Details ?? []).SelectMany(d => (d.Errors ?? new Dictionary<string, string>()).Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
    }

    /// <summary>WCAG 2.x contrast ratio of two #RRGGBB colours.</summary>
    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    static double Luminance(string hex)
    {
        double Channel(int at)
        {
            var c = int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(1) + 0.7152 * Channel(3) + 0.0722 * Channel(5);
    }

    /// <summary>Hue of a #RRGGBB colour in degrees.</summary>
    public static double Hue(string hex)
    {
        var rgb = new[] { 1, 3, 5 }.Select(i => int.Parse(hex.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0).ToArray();
        var (r, g, b) = (rgb[0], rgb[1], rgb[2]);
        var max = rgb.Max();
        var delta = max - rgb.Min();
        if (delta == 0)
            return 0;
        var hue = max == r ? 60 * ((g - b) / delta % 6) : max == g ? 60 * ((b - r) / delta + 2) : 60 * ((r - g) / delta + 4);
        return (hue + 360) % 360;
    }

    /// <summary>Reds, oranges, ochres and yellows: hues from 330° round to 65°.</summary>
    public static bool IsWarm(double hue) => hue is >= 330 or <= 65;

    public static string Hex(JsonObject logo, string role) =>
        (string)logo["palette"]!["colors"]!.AsArray().Single(c => (string)c!["role"]! == role)!["hex"]!;

    /// <summary>Every string of a JSON tree.</summary>
    public static IEnumerable<(string Key, string Value)> Strings(JsonNode? node, string key = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                    foreach (var s in Strings(child, name))
                        yield return s;
                break;
            case JsonArray array:
                foreach (var child in array)
                    foreach (var s in Strings(child, key))
                        yield return s;
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (key, text);
                break;
        }
    }
}
