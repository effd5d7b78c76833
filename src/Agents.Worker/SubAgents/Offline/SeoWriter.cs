using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Local SEO for the home page, written from the market research: its search keywords (its lead keyword first) and
/// its price position (the JSON-LD price range), plus keywords built from the sector as people search it, the city,
/// the country and the neighbourhoods the answers name; a title of at most 60 characters and a meta description of
/// at most 160; a Google Business Profile and NAP checklist; a schema.org LocalBusiness JSON-LD block. Without the
/// research (it failed) the keywords come from the sector and the price position from the answers.
/// </summary>
public class SeoWriter(SectorCatalogue sectors, MarketSignals signals) : IOfflineSectionWriter
{
    public static string Section => SectionNames.SeoOptimization;

    public const int MaxTitle = 60;
    public const int MaxDescription = 160;

    public OfflineSection Write(BriefReading brief)
    {
        var keyword = brief.SectorKeyword;
        var city = brief.City;
        var local = LocalKeywords(brief, keyword);
        var research = brief.Input(SectionNames.MarketResearch);
        var searched = research?["search_keywords"] is JsonArray found && found.Count > 0
            ? found.Select(k => (string)k!).ToList()
            : [$"{keyword} {city}"];
        var primary = Keywords(new[] { searched[0], brief.Name }.Concat(brief.Quartiers.Take(1).Select(q => $"{keyword} {q}")), 5);
        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["title"] = Title(brief, keyword),
            ["meta_description"] = MetaDescription(brief, keyword),
            ["url_slug"] = Text.Slug($"{brief.Name} {city}"),
            ["primary_keywords"] = Strings(primary),
            ["secondary_keywords"] = Strings(Keywords(searched.Skip(1)
                .Concat(brief.Sector.SearchTerms.For(brief.Language).Select(t => $"{t} {city}"))
                .Concat(brief.Features.Where(f => f is "delivery" or "appointment" or "reservation")
                    .Select(f => $"{sectors.Features[f].Label.For(brief.Language)} {keyword} {city}"))
                .Select(Lower)
                .Except(primary), 12)),
            ["local_keywords"] = Strings(Keywords(local, 12)),
            ["headings"] = Headings(brief, keyword),
            ["google_business_profile"] = BusinessProfile(brief),
            ["nap"] = new JsonObject
            {
                ["name"] = brief.Name,
                ["address"] = brief.Phrase("NapAddressToComplete", brief.Quartiers.Count > 0 ? brief.Quartiers[0] + ", " : "", city, brief.Country),
                ["phone"] = brief.Phrase("NapPhoneToComplete"),
            },
            ["local_seo_checklist"] = Checklist(brief),
            ["json_ld"] = JsonLdBlock(brief, research),
        };
        return new OfflineSection(result, []);
    }

    const int MaxKeyword = 80;

    /// <summary>A keyword as people type it; one longer than anyone would type is dropped.</summary>
    static string Lower(string keyword) => keyword.ToLowerInvariant();

    static List<string> Keywords(IEnumerable<string> keywords, int max) =>
        keywords.Select(Lower).Where(k => k.Length <= MaxKeyword).Distinct().Take(max).ToList();

    static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)!).ToArray());

    static IEnumerable<string> LocalKeywords(BriefReading brief, string keyword) =>
        new[] { $"{keyword} {brief.City}" }
            .Concat(brief.Quartiers.Select(q => $"{keyword} {q}"))
            .Concat(brief.Quartiers.Take(2).Select(q => $"{keyword} {q} {brief.City}"))
            .Append($"{keyword} {brief.Country}")
            .Append(brief.Phrase("KeywordNearMe", keyword))
            .Take(12);

    /// <summary>
    /// The first candidate that fits in 60 characters, most specific first; on regeneration another fitting one.
    /// </summary>
    static string Title(BriefReading brief, string keyword)
    {
        var name = brief.Name;
        var city = brief.City;
        var terms = brief.Sector.SearchTerms.For(brief.Language);
        // A name that already says the sector ("Boulangerie Teranga") is followed by what it sells instead.
        var whats = Text.Contains(name, keyword)
            ? new[] { brief.ListInProse(terms.Take(2).ToList()), terms[0] }.Select(Text.Capitalised)
            : [Text.Capitalised(keyword)];
        var quartier = brief.Quartiers.FirstOrDefault();
        var candidates = whats.SelectMany(what => new[]
            {
                quartier is null ? null : brief.Phrase("TitleNameWhatWhereQuartier", name, what, city, quartier),
                brief.Phrase("TitleNameWhatWhere", name, what, city),
            })
            .Append(brief.Phrase("TitleNameWhere", name, city));
        var fitting = candidates.OfType<string>().Where(c => c.Length <= MaxTitle).ToList();
        if (fitting.Count == 0)
            return Text.Shorten(name, MaxTitle);
        return brief.Regenerating ? brief.Pick(fitting, salt: 2) : fitting[0];
    }

    string MetaDescription(BriefReading brief, string keyword)
    {
        var where = brief.Quartiers.Count > 0
            ? brief.Phrase("InCityAndQuartiers", brief.City, string.Join(", ", brief.Quartiers.Take(3)))
            : brief.Phrase("InCity", brief.City);
        var opening = $"{brief.Name}, {brief.SectorInProse} {where}.";
        var promise = Text.Sentence(string.Join(", ", Text.Clauses(brief.Profile.ValueProposition).Take(2)));
        var cta = Text.Sentence(brief.Offers("whatsapp")
            ? brief.Phrase("MetaOrderOnWhatsApp")
            : brief.Sector.Cta.For(brief.Language));
        string[] variants = brief.Regenerating && brief.Variant % 2 == 1
            ? [$"{promise} {opening} {cta}", $"{promise} {opening}"]
            : [$"{opening} {promise} {cta}", $"{opening} {promise}"];
        var fitting = variants.FirstOrDefault(v => v.Length <= MaxDescription);
        if (fitting is not null)
            return fitting;
        // Too long even without the call to action: keep the opening whole (it carries the local keywords).
        var opener = Text.Shorten(opening, MaxDescription);
        var room = MaxDescription - opener.Length - 1;
        return room > 20 ? $"{opener} {Text.Shorten(promise, room)}" : opener;
    }

    static JsonObject Headings(BriefReading brief, string keyword)
    {
        var offer = brief.Sector.Offer.For(brief.Language);
        var h2 = new List<string>
        {
            brief.Phrase("HeadingOurOffer", offer),
            brief.Phrase("HeadingWhyChoose", brief.Name),
        };
        if (brief.Offers("delivery") && brief.Quartiers.Count > 0)
            h2.Add(brief.Phrase("HeadingDeliveryTo", brief.ListInProse(brief.Quartiers)));
        else if (brief.Quartiers.Count > 0)
            h2.Add(brief.Phrase("HeadingNearYou", brief.ListInProse(brief.Quartiers)));
        h2.Add(brief.Phrase("HeadingReviews"));
        h2.Add(brief.Phrase("HeadingFindUs", brief.City));
        return new JsonObject
        {
            ["h1"] = Text.Shorten(brief.Phrase("HeadingNameSectorCity", brief.Name, brief.SectorInProse, brief.City), 90),
            ["h2"] = Strings(h2.Select(h => Text.Shorten(h, 90))),
        };
    }

    JsonObject BusinessProfile(BriefReading brief)
    {
        var categories = brief.Sector.Gbp.For(brief.Language);
        return new JsonObject
        {
            ["primary_category"] = categories.Primary,
            ["secondary_categories"] = Strings(categories.Secondary),
            ["service_area"] = Strings(brief.AreaServed),
            ["attributes"] = Strings(brief.Features.Where(f => f is not "gallery" and not "events")
                .Select(f => sectors.Features[f].Label.For(brief.Language))),
        };
    }

    static JsonArray Checklist(BriefReading brief)
    {
        var category = brief.Sector.Gbp.For(brief.Language).Primary;
        var items = new List<string>
        {
            brief.Phrase("ChecklistClaimProfile", category),
            brief.Phrase("ChecklistSameNap"),
            brief.Quartiers.Count > 0
                ? brief.Phrase("ChecklistServiceArea", brief.ListInProse(brief.Quartiers))
                : brief.Phrase("ChecklistPinOnMaps", brief.City),
            brief.Phrase("ChecklistPhotos"),
            brief.Phrase("ChecklistReviews"),
            brief.Phrase("ChecklistJsonLd"),
        };
        if (brief.Offers("whatsapp"))
            items.Add(brief.Phrase("ChecklistWhatsAppLink"));
        items.Add(brief.Phrase("ChecklistDirectories", brief.City));
        return Strings(items);
    }

    string JsonLdBlock(BriefReading brief, JsonObject? research)
    {
        var address = new JsonObject
        {
            ["@type"] = "PostalAddress",
            ["addressLocality"] = brief.City,
            ["addressCountry"] = brief.CountryCode ?? brief.Country,
        };
        if (brief.Quartiers.Count > 0)
            address["addressRegion"] = brief.Quartiers[0];
        var types = brief.Sector.SchemaType == "LocalBusiness"
            ? new JsonArray("LocalBusiness")
            : new JsonArray("LocalBusiness", brief.Sector.SchemaType);
        var document = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = types,
            ["name"] = brief.Name,
            ["description"] = Text.Shorten(brief.Profile.ValueProposition.Trim(), 300),
            ["address"] = address,
            ["areaServed"] = new JsonArray(brief.AreaServed.Select(a => (JsonNode)new JsonObject { ["@type"] = "Place", ["name"] = a }).ToArray()),
            ["priceRange"] = PricingOf(brief, research) switch { "accessible" => "$", "premium" => "$$$", _ => "$$" },
            ["knowsLanguage"] = brief.Language,
        };
        return JsonLd.Serialised(document);
    }

    /// <summary>The market research's price position; the same reading of the answers when the research failed.</summary>
    string PricingOf(BriefReading brief, JsonObject? research) =>
        research?["pricing_positioning"]?["position"]?.GetValue<string>() ?? MarketResearchWriter.PricePositionOf(brief, signals).Position;
}
