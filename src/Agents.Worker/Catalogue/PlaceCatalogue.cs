using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.Catalogue;

/// <summary>Cities with their neighbourhoods, and country codes (Catalogue/places.json).</summary>
public class PlaceCatalogue
{
    record City(string CountryCode, IReadOnlyList<string> Quartiers);

    record File(IReadOnlyDictionary<string, City> Cities, IReadOnlyDictionary<string, string> Countries);

    readonly File file = CatalogueFile.Load<File>("places.json");

    City? CityOf(BusinessLocation location) =>
        file.Cities.FirstOrDefault(c => Text.Fold(location.City.Trim()) == c.Key).Value;

    /// <summary>
    /// The neighbourhoods of the brief's city that the answers name, in the order they are written. A shorter
    /// name inside a longer one that was found ("Yoff" in "Grand Yoff") does not count twice.
    /// </summary>
    public IReadOnlyList<string> QuartiersNamedIn(BusinessProfile profile)
    {
        var city = CityOf(profile.Location);
        if (city is null)
            return [];
        var said = string.Join(" \n ", profile.TargetAudience, profile.Mission, profile.Vision, profile.Differentiation, profile.ValueProposition);
        var folded = Text.Fold(said);
        var found = city.Quartiers.Where(q => Text.Contains(said, q)).ToList();
        return found
            .Where(q => !found.Any(other => other.Length > q.Length && Text.Contains(other, q)))
            .OrderBy(q => folded.IndexOf(Text.Fold(q), StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>ISO 3166-1 alpha-2 code of the country (or of the known city), if known.</summary>
    public string? CountryCodeOf(BusinessLocation location) =>
        file.Countries.GetValueOrDefault(Text.Fold(location.Country.Trim())) ?? CityOf(location)?.CountryCode;
}
