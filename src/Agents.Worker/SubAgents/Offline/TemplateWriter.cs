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

    static readonly HashSet<(string, string)> RelatedStyles =
        [("warm", "classic"), ("classic", "elegant"), ("modern", "minimal"), ("modern", "vivid"), ("warm", "vivid"), ("elegant", "minimal")];

    public OfflineSection Write(BriefReading brief)
    {
        var followed = new List<FeedbackDirection>();
        var styleAsked = new[] { FeedbackDirection.Modern, FeedbackDirection.Classic, FeedbackDirection.Vivid, FeedbackDirection.Sober }
            .Where(brief.Feedback.Asks).ToList();
        followed.AddRange(styleAsked);
        var style = brief.Style;

        var logo = LogoPalette(brief.Input(SectionNames.LogoCreation));
        var palette = brief.Feedback.Asks(FeedbackDirection.Vivid) ? "vivid"
            : brief.Feedback.Asks(FeedbackDirection.Warmer) || brief.Feedback.Asks(FeedbackDirection.Cooler) ? brief.PaletteMood
            : logo?.Mood ?? brief.PaletteMood;
        followed.AddRange(new[] { FeedbackDirection.Warmer, FeedbackDirection.Cooler }.Where(brief.Feedback.Asks));

        var (sectorWeight, styleWeight) = styleAsked.Count > 0 ? (0.35, 0.30) : (0.45, 0.20);
        // A regeneration that asks for nothing the ranking can follow demotes the previous first choice, so the
        // entrepreneur sees another option first.
        var previousFirst = brief.Regenerating && followed.Count == 0
            ? brief.PreviousResult?["recommended"]?[0]?["template_id"]?.GetValue<string>()
            : null;

        var ranked = catalogue.Templates
            .Select(t =>
            {
                var sector = t.Sectors.Contains(brief.Sector.Id) ? 1.0 : t.Sectors.Contains(SectorCatalogue.Generic) ? 0.4 : 0.0;
                var styleFit = t.Style == style ? 1.0 : RelatedStyles.Contains((t.Style, style)) || RelatedStyles.Contains((style, t.Style)) ? 0.5 : 0.0;
                var paletteFit = t.PaletteAffinity == palette ? 1.0 : t.PaletteAffinity == "neutral" || palette == "neutral" ? 0.5 : 0.0;
                var features = t.Features.Intersect(brief.Features).ToList();
                var featureFit = brief.Features.Count == 0 ? 0.5 : (double)features.Count / brief.Features.Count;
                var score = sectorWeight * sector + styleWeight * styleFit + 0.10 * paletteFit + 0.25 * featureFit
                    - (t.Id == previousFirst ? 0.2 : 0);
                return (Template: t, Score: Math.Round(Math.Clamp(score, 0, 1), 2), Sector: sector, StyleFit: styleFit, PaletteFit: paletteFit, Features: features);
            })
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Template.Id, StringComparer.Ordinal)
            .Take(3)
            .ToList();

        var recommended = ranked.Select((r, i) =>
        {
            var reasons = new List<string>();
            if (i == 0 && previousFirst is not null)
                reasons.Add(brief.Phrase("ReasonAnotherOption"));
            if (r.Sector == 1)
                reasons.Add(brief.Phrase("ReasonDesignedForSector", brief.SectorInProse));
            else if (r.Sector > 0)
                reasons.Add(brief.Phrase("ReasonVersatile"));
            if (r.StyleFit == 1)
                reasons.Add(styleAsked.Count > 0
                    ? brief.Phrase("ReasonStyleAsked", StyleName(style, brief))
                    : brief.Phrase("ReasonStyleImage", StyleName(style, brief)));
            if (logo is { } colours && colours.Mood == palette)
                reasons.Add(r.PaletteFit switch
                {
                    1 => brief.Phrase("ReasonLogoPalette", MoodName(palette, brief), colours.Primary),
                    > 0 => brief.Phrase("ReasonNeutralColours", colours.Primary),
                    _ => brief.Phrase("ReasonSwapColours", colours.Primary),
                });
            else if (r.PaletteFit == 1)
                reasons.Add(brief.Phrase("ReasonPalette", MoodName(palette, brief)));
            if (r.Features.Count > 0)
                reasons.Add(brief.Phrase("ReasonReadyBlocks",
                    brief.ListInProse(r.Features.Select(f => Lower(sectors.Features[f].Label.For(brief.Language))).ToList())));
            reasons.Add(brief.Phrase("ReasonPages", string.Join(", ", r.Template.Pages.Select(p => catalogue.PageLabel(p, brief.Language)))));
            return (JsonNode)new JsonObject
            {
                ["rank"] = i + 1,
                ["template_id"] = r.Template.Id,
                ["name"] = r.Template.Name.For(brief.Language),
                ["score"] = r.Score,
                ["pages"] = new JsonArray(r.Template.Pages.Select(p => (JsonNode)JsonValue.Create(catalogue.PageLabel(p, brief.Language))!).ToArray()),
                ["reasons"] = new JsonArray(reasons.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray()),
            };
        }).ToArray();

        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["recommended"] = new JsonArray(recommended),
            ["criteria"] = new JsonObject
            {
                ["sector"] = brief.Sector.Id,
                ["style"] = style,
                ["palette"] = palette,
                ["features"] = new JsonArray(brief.Features.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            },
        };
        return new OfflineSection(result, followed);
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

    static string StyleName(string style, BriefReading brief) => brief.Phrase($"Style_{style}");

    static string MoodName(string mood, BriefReading brief) =>
        brief.Phrase(mood is "warm" or "cool" or "vivid" ? $"Mood_{mood}" : "Mood_neutral");
}
