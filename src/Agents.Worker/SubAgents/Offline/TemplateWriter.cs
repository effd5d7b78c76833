using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Ranks the shipped template catalogue for the business and keeps the top three, each with its score and the
/// reasons for it. Score = 0.45 × sector fit + 0.20 × style fit + 0.10 × palette fit + 0.25 × share of the
/// business's features the template has pages for; when the feedback asks for a style, style weighs 0.30 and
/// sector 0.35, so the asked style wins where the catalogue has it. The palette is the logo's (its mood, vivid when
/// its primary colour is strongly saturated) unless the feedback asks for other colours; the sector's hue when the
/// logo failed.
/// </summary>
public class TemplateWriter(TemplateCatalogue catalogue, SectorCatalogue sectors) : IOfflineSectionWriter
{
    public static string Section => SectionNames.TemplateSelection;

    /// <summary>How well one template fits the business, criterion by criterion, and the features it has pages for.</summary>
    record Fit(WebsiteTemplate Template, double Score, double Sector, double Style, double Palette, IReadOnlyList<string> Features);

    /// <summary>What the ranking follows: the brand's style and palette, the weights, and the first choice to demote.</summary>
    record Criteria(string Style, string Palette, bool StyleAsked, (string Mood, string Primary)? Logo, string? PreviousFirst);

    public OfflineSection Write(BriefReading brief)
    {
        var followed = new List<FeedbackDirection>();
        var styleAsked = new[] { FeedbackDirection.Modern, FeedbackDirection.Classic, FeedbackDirection.Vivid, FeedbackDirection.Sober }
            .Where(brief.Feedback.Asks).ToList();
        followed.AddRange(styleAsked);

        var logo = LogoPalette(brief.Input(SectionNames.LogoCreation));
        var palette = brief.Feedback.Asks(FeedbackDirection.Vivid) ? "vivid"
            : brief.Feedback.Asks(FeedbackDirection.Warmer) || brief.Feedback.Asks(FeedbackDirection.Cooler) ? brief.PaletteMood
            : logo?.Mood ?? brief.PaletteMood;
        followed.AddRange(new[] { FeedbackDirection.Warmer, FeedbackDirection.Cooler }.Where(brief.Feedback.Asks));

        // A regeneration that asks for nothing the ranking can follow demotes the previous first choice, so the
        // entrepreneur sees another option first.
        var previousFirst = brief.Regenerating && followed.Count == 0
            ? brief.PreviousResult?["recommended"]?[0]?["template_id"]?.GetValue<string>()
            : null;
        var criteria = new Criteria(brief.Style, palette, styleAsked.Count > 0, logo, previousFirst);

        var recommended = catalogue.Templates
            .Select(t => FitOf(t, brief, criteria))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Template.Id, StringComparer.Ordinal)
            .Take(3)
            .Select((fit, i) => (JsonNode)new JsonObject
            {
                ["rank"] = i + 1,
                ["template_id"] = fit.Template.Id,
                ["name"] = fit.Template.Name.For(brief.Language),
                ["score"] = fit.Score,
                ["pages"] = new JsonArray(fit.Template.Pages.Select(p => (JsonNode)JsonValue.Create(catalogue.PageLabel(p, brief.Language))!).ToArray()),
                ["reasons"] = new JsonArray(Reasons(fit, i, brief, criteria).Select(x => (JsonNode)JsonValue.Create(x)!).ToArray()),
            })
            .ToArray();

        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["recommended"] = new JsonArray(recommended),
            ["criteria"] = new JsonObject
            {
                ["sector"] = brief.Sector.Id,
                ["style"] = criteria.Style,
                ["palette"] = palette,
                ["features"] = new JsonArray(brief.Features.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            },
        };
        return new OfflineSection(result, followed);
    }

    Fit FitOf(WebsiteTemplate t, BriefReading brief, Criteria criteria)
    {
        var (sectorWeight, styleWeight) = criteria.StyleAsked ? (0.35, 0.30) : (0.45, 0.20);
        var sector = t.Sectors.Contains(brief.Sector.Id) ? 1.0 : t.Sectors.Contains(SectorCatalogue.Generic) ? 0.4 : 0.0;
        var style = t.Style == criteria.Style ? 1.0 : catalogue.Related(t.Style, criteria.Style) ? 0.5 : 0.0;
        var palette = t.PaletteAffinity == criteria.Palette ? 1.0 : t.PaletteAffinity == "neutral" || criteria.Palette == "neutral" ? 0.5 : 0.0;
        var features = t.Features.Intersect(brief.Features).ToList();
        var featureFit = brief.Features.Count == 0 ? 0.5 : (double)features.Count / brief.Features.Count;
        var score = sectorWeight * sector + styleWeight * style + 0.10 * palette + 0.25 * featureFit
            - (t.Id == criteria.PreviousFirst ? 0.2 : 0);
        return new Fit(t, Math.Round(Math.Clamp(score, 0, 1), 2), sector, style, palette, features);
    }

    /// <summary>Why the template at <paramref name="rank"/> (from 0) was chosen, criterion by criterion, then its pages.</summary>
    List<string> Reasons(Fit fit, int rank, BriefReading brief, Criteria criteria)
    {
        var reasons = new List<string>();
        if (rank == 0 && criteria.PreviousFirst is not null)
            reasons.Add(brief.Phrase("ReasonAnotherOption"));
        if (fit.Sector == 1)
            reasons.Add(brief.Phrase("ReasonDesignedForSector", brief.SectorInProse));
        else if (fit.Sector > 0)
            reasons.Add(brief.Phrase("ReasonVersatile"));
        if (fit.Style == 1)
            reasons.Add(brief.Phrase(criteria.StyleAsked ? "ReasonStyleAsked" : "ReasonStyleImage", brief.Phrase($"Style_{criteria.Style}")));
        if (criteria.Logo is { } colours && colours.Mood == criteria.Palette)
            reasons.Add(fit.Palette switch
            {
                1 => brief.Phrase("ReasonLogoPalette", MoodName(criteria.Palette, brief), colours.Primary),
                > 0 => brief.Phrase("ReasonNeutralColours", colours.Primary),
                _ => brief.Phrase("ReasonSwapColours", colours.Primary),
            });
        else if (fit.Palette == 1)
            reasons.Add(brief.Phrase("ReasonPalette", MoodName(criteria.Palette, brief)));
        if (fit.Features.Count > 0)
            reasons.Add(brief.Phrase("ReasonReadyBlocks",
                brief.ListInProse(fit.Features.Select(f => Lower(sectors.Features[f].Label.For(brief.Language))).ToList())));
        reasons.Add(brief.Phrase("ReasonPages", string.Join(", ", fit.Template.Pages.Select(p => catalogue.PageLabel(p, brief.Language)))));
        return reasons;
    }

    static string Lower(string label) => Text.Uncapitalised(label);

    /// <summary>The logo's palette mood (vivid when its primary colour is strongly saturated) and its primary colour in words.</summary>
    static (string Mood, string Primary)? LogoPalette(JsonObject? logo)
    {
        var palette = logo?["palette"];
        var primary = (palette?["colors"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["role"] == "primary");
        if (Colour.TryParse((string?)primary?["hex"]) is not { } colour)
            return null;
        var mood = colour.ToHsl().Saturation >= 0.75 ? "vivid" : (string?)palette!["mood"] ?? "neutral";
        return (mood, $"{(string?)primary!["name"]} {colour.Hex}".Trim());
    }

    static string MoodName(string mood, BriefReading brief) =>
        brief.Phrase(mood is "warm" or "cool" or "vivid" ? $"Mood_{mood}" : "Mood_neutral");
}
