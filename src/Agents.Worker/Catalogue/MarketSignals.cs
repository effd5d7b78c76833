namespace BusinessBrief.Agents.Catalogue;

/// <summary>A rule of the offline market analysis: keywords in some answers make a SWOT point.</summary>
public record SwotRule(
    string Id,
    string Quadrant,
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> Keywords,
    Localized<string> Point,
    Localized<string>? Action);

public record PricePosition(IReadOnlyList<string> Keywords, Localized<string> Label, Localized<string> Rationale);

public record SegmentSignal(IReadOnlyList<string> Keywords, Localized<string>? Needs, Localized<IReadOnlyList<string>> Channels);

/// <summary>The rules of the offline market analysis (Catalogue/market-signals.json).</summary>
public class MarketSignals
{
    record File(
        IReadOnlyList<SwotRule> Swot,
        IReadOnlyDictionary<string, PricePosition> Pricing,
        IReadOnlyDictionary<string, SegmentSignal> Segments);

    readonly File file = CatalogueFile.Load<File>("market-signals.json");

    public IReadOnlyList<SwotRule> Swot => file.Swot;

    public IReadOnlyDictionary<string, PricePosition> Pricing => file.Pricing;

    public IReadOnlyDictionary<string, SegmentSignal> Segments => file.Segments;
}
