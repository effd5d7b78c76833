using System.Text.Json.Nodes;

namespace BusinessBrief.Agents.Catalogue;

/// <summary>A website template the website builder can start a site from.</summary>
public record WebsiteTemplate(
    string Id,
    Localized<string> Name,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Pages,
    string Style,
    string PaletteAffinity,
    IReadOnlyList<string> Features);

/// <summary>The shipped catalogue of website templates (Catalogue/templates.json).</summary>
public class TemplateCatalogue
{
    public const string FileName = "templates.json";

    record File(
        IReadOnlyDictionary<string, Localized<string>> Pages,
        IReadOnlyList<IReadOnlyList<string>> RelatedStyles,
        IReadOnlyList<WebsiteTemplate> Templates);

    readonly File file = CatalogueFile.Load<File>(FileName);

    public IReadOnlyList<WebsiteTemplate> Templates => file.Templates;

    /// <summary>Whether two styles are listed as close (a warm brand suits a classic template half as well as a warm one).</summary>
    public bool Related(string style, string other) =>
        file.RelatedStyles.Any(pair => (pair[0] == style && pair[1] == other) || (pair[0] == other && pair[1] == style));

    public bool Contains(string templateId) => file.Templates.Any(t => t.Id == templateId);

    public string PageLabel(string page, string language) =>
        file.Pages.TryGetValue(page, out var label) ? label.For(language) : page;

    /// <summary>The catalogue as the LLM backend shows it to the model.</summary>
    public JsonNode AsJson() => JsonNode.Parse(System.IO.File.ReadAllText(CatalogueFile.PathOf("Catalogue", FileName)))!;
}
