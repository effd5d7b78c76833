using System.Text.Json;

namespace BusinessBrief.Api.Briefs.Export;

/// <summary>Finds the logo concepts in a <c>logo_creation</c> result: the first list whose items carry an <c>svg</c>.</summary>
public static class LogoConcepts
{
    public record LogoConcept(string? Name, string? Description, string Svg);

    public static string? Svg(JsonElement? logoCreation, int number) =>
        number >= 1 && All(logoCreation) is { } concepts && concepts.Count >= number ? concepts[number - 1].Svg : null;

    /// <summary>Every concept, in order; empty when the section has none (or is not finished).</summary>
    public static IReadOnlyList<LogoConcept> All(JsonElement? logoCreation)
    {
        if (logoCreation is not { ValueKind: JsonValueKind.Object } result)
            return [];

        var concepts = result.EnumerateObject()
            .Select(p => p.Value)
            .FirstOrDefault(v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().Any(HasSvg));
        if (concepts.ValueKind != JsonValueKind.Array)
            return [];

        return concepts.EnumerateArray()
            .Where(HasSvg)
            .Select(c => new LogoConcept(Text(c, "name"), Text(c, "description"), c.GetProperty("svg").GetString()!))
            .ToList();
    }

    static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static bool HasSvg(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("svg", out var svg) && svg.ValueKind == JsonValueKind.String;
}
