using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.Catalogue;

public record OfferedService(string Name, string Description);

public record CompetitorType(string Type, string HowTheyCompete, string HowToStandOut);

public record ProfileCategories(string Primary, IReadOnlyList<string> Secondary);

/// <summary>What the offline agents know about one business sector (Catalogue/sectors.json).</summary>
public record Sector(
    string Id,
    IReadOnlyList<string> Keywords,
    Localized<string> Label,
    Localized<string> Offer,
    string SchemaType,
    Localized<ProfileCategories> Gbp,
    int Hue,
    string Style,
    string Motif,
    Localized<IReadOnlyList<string>> SearchTerms,
    Localized<IReadOnlyList<OfferedService>> Services,
    Localized<IReadOnlyList<CompetitorType>> Competitors,
    Localized<string> Cta,
    Localized<IReadOnlyList<string>> Taglines);

/// <summary>Something the business offers that a website can show (delivery, WhatsApp ordering…), found by keywords.</summary>
public record Feature(IReadOnlyList<string> Keywords, Localized<string> Label);

public class SectorCatalogue
{
    public const string Generic = "generic";

    record File(IReadOnlyList<Sector> Sectors, IReadOnlyDictionary<string, Feature> Features);

    readonly File file = CatalogueFile.Load<File>("sectors.json");

    public IReadOnlyList<Sector> Sectors => file.Sectors;

    public IReadOnlyDictionary<string, Feature> Features => file.Features;

    /// <summary>
    /// The sector whose keywords best match the profile's sector (then its business name): the most matched
    /// characters win, so "boutique de mode" is fashion rather than a shop. Unknown sectors are generic.
    /// </summary>
    public Sector SectorOf(BusinessProfile profile) =>
        BestMatch(profile.Sector) ?? BestMatch(profile.BusinessName) ?? file.Sectors.Single(s => s.Id == Generic);

    Sector? BestMatch(string text) => file.Sectors
        .Select(s => (Sector: s, Score: s.Keywords.Where(k => Text.Contains(text, k)).Sum(k => k.Length)))
        .Where(m => m.Score > 0)
        .OrderByDescending(m => m.Score)
        .Select(m => m.Sector)
        .FirstOrDefault();

    /// <summary>The features the entrepreneur's answers mention, in catalogue order.</summary>
    public IReadOnlyList<string> FeaturesOf(BusinessProfile profile)
    {
        var said = string.Join(" \n ", profile.Differentiation, profile.ValueProposition, profile.Mission, profile.TargetAudience);
        return file.Features.Where(f => f.Value.Keywords.Any(k => Text.Contains(said, k))).Select(f => f.Key).ToList();
    }
}
