using System.Text.Json;

namespace BusinessBrief.Api.Briefs.Export;

/// <summary>Finds the logo concepts in a <c>logo_creation</c> result: the first list whose items carry an <c>svg</c>.</summary>
public static class LogoConcepts
{
    public static string? Svg(JsonElement? logoCreation, int number)
    {
        if (logoCreation is not { ValueKind: JsonValueKind.Object } result || number < 1)
            return null;

        var concepts = result.EnumerateObject()
            .Select(p => p.Value)
            .FirstOrDefault(v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().Any(HasSvg));
        if (concepts.ValueKind != JsonValueKind.Array || concepts.GetArrayLength() < number)
            return null;

        var concept = concepts[number - 1];
        return HasSvg(concept) ? concept.GetProperty("svg").GetString() : null;
    }

    static bool HasSvg(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("svg", out var svg) && svg.ValueKind == JsonValueKind.String;
}
