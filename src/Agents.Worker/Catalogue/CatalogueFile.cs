using System.Text.Json;

namespace BusinessBrief.Agents.Catalogue;

/// <summary>A text in the two languages of a brief.</summary>
public record Localized<T>(T Fr, T En)
{
    /// <summary>The text for a brief's language; French unless the brief is in English.</summary>
    public T For(string language) => language == "en" ? En : Fr;
}

/// <summary>The data files shipped beside the agents (copied to the output folder).</summary>
static class CatalogueFile
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static string PathOf(string folder, string file) => Path.Combine(AppContext.BaseDirectory, folder, file);

    public static T Load<T>(string file)
    {
        using var stream = File.OpenRead(PathOf("Catalogue", file));
        return JsonSerializer.Deserialize<T>(stream, Options)
            ?? throw new InvalidDataException($"Catalogue/{file} is empty.");
    }
}
