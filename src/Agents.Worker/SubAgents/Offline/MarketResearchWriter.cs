using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// A market analysis built from the answers only: segments from the audience, competitor types from the
/// sector, SWOT points fired by keyword rules (Catalogue/market-signals.json), each quoting the answer it comes
/// from. It says so in its provenance: no external data, no market figures.
/// </summary>
public class MarketResearchWriter(MarketSignals signals) : IOfflineSectionWriter
{
    public static string Section => SectionNames.MarketResearch;

    /// <summary>A point of the analysis and the answer it rests on.</summary>
    record Grounded(string Point, string Source, string Quote, string? Action = null);

    /// <summary>The recommended price position and the words of the answers that point to it.</summary>
    public record PricingEvidence(string Position, string Source, string Quote);

    static readonly string[] RelativePronouns = [" qui ", " who ", " that "];

    public OfflineSection Write(BriefReading brief)
    {
        var concise = brief.Feedback.Asks(FeedbackDirection.Concise);
        var perQuadrant = concise ? 3 : 5;
        var segments = Segments(brief);
        var competitors = brief.Sector.Competitors.For(brief.Language)
            .Select(c => new CompetitorType(c.Type.Replace("{city}", brief.City), c.HowTheyCompete, c.HowToStandOut))
            .ToList();

        var differentiation = Text.Clauses(brief.Profile.Differentiation);
        var strengths = Strengths(brief);
        var weaknesses = Weaknesses(brief, differentiation);
        var opportunities = Opportunities(brief);
        var threats = Threats(brief, competitors[0], differentiation);

        var pricing = PricePositionOf(brief, signals);
        var position = signals.Pricing[pricing.Position];
        var risks = threats.Concat(weaknesses).Where(r => r.Action is not null).Take(concise ? 3 : 6).ToList();
        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["summary"] = Summary(brief, segments, pricing.Position, differentiation[0]),
            ["target_segments"] = new JsonArray(segments.Select(s => (JsonNode)s).ToArray()),
            ["competitor_types"] = new JsonArray(competitors.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type,
                ["how_they_compete"] = c.HowTheyCompete,
                ["how_to_stand_out"] = c.HowToStandOut,
            }).ToArray()),
            ["swot"] = new JsonObject
            {
                ["strengths"] = Points(strengths.Take(perQuadrant)),
                ["weaknesses"] = Points(weaknesses.Take(perQuadrant)),
                ["opportunities"] = Points(opportunities.Take(perQuadrant)),
                ["threats"] = Points(threats.Take(perQuadrant)),
            },
            ["opportunities"] = Actions(opportunities.Take(concise ? 3 : 6)),
            ["risks"] = Actions(risks),
            ["pricing_positioning"] = new JsonObject
            {
                ["position"] = pricing.Position,
                ["label"] = position.Label.For(brief.Language),
                ["rationale"] = position.Rationale.For(brief.Language),
                ["source"] = pricing.Source,
                ["quote"] = pricing.Quote,
            },
            ["search_keywords"] = SearchKeywords(brief),
            ["next_steps"] = NextSteps(brief, segments, competitors, pricing.Position, opportunities, risks, concise),
            ["provenance"] = new JsonObject
            {
                ["method"] = brief.Phrase("ResearchMethod"),
                ["external_data"] = false,
                ["note"] = brief.Phrase("ResearchNote"),
            },
        };
        return new OfflineSection(result, concise ? [FeedbackDirection.Concise] : []);
    }

    /// <summary>The strengths the rules find; the differentiation itself when they find fewer than two.</summary>
    List<Grounded> Strengths(BriefReading brief)
    {
        var strengths = Fired(brief, "strengths");
        if (strengths.Count < 2)
            strengths.Add(new(brief.Phrase("StrengthDifferentiation"),
                "differentiation", Text.Clauses(brief.Profile.Differentiation)[0]));
        return strengths;
    }

    /// <summary>The weaknesses the rules find, a scattered offer, or else the small size of the business.</summary>
    List<Grounded> Weaknesses(BriefReading brief, IReadOnlyList<string> differentiation)
    {
        var weaknesses = Fired(brief, "weaknesses");
        if (differentiation.Count >= 4)
            weaknesses.Add(new(brief.Phrase("WeaknessBroadOffer", differentiation.Count),
                "differentiation", brief.Profile.Differentiation.Trim(),
                brief.Phrase("ActionFocusPromises")));
        if (weaknesses.Count == 0)
            weaknesses.Add(new(brief.Phrase("WeaknessSmallTeam"),
                "mission", Text.Clauses(brief.Profile.Mission)[0],
                brief.Phrase("ActionDelegateTasks")));
        return weaknesses;
    }

    /// <summary>The catchment area the answers name first, then what the rules find; else the local demand.</summary>
    List<Grounded> Opportunities(BriefReading brief)
    {
        var opportunities = Fired(brief, "opportunities");
        if (brief.Quartiers.Count > 0)
        {
            var (field, answer) = Answers(brief).First(a => Text.Contains(a.Answer, brief.Quartiers[0]));
            var clauses = Text.Clauses(answer);
            var naming = clauses.Select((c, i) => (c, i)).Where(x => brief.Quartiers.Any(q => Text.Contains(x.c, q))).Select(x => x.i).ToList();
            opportunities.Insert(0, new(
                brief.Phrase("OpportunityCatchmentArea", brief.ListInProse(brief.Quartiers)),
                field, string.Join(", ", clauses.Skip(naming[0]).Take(naming[^1] - naming[0] + 1)),
                brief.Phrase("ActionFlyersAndPartners", brief.ListInProse(brief.Quartiers))));
        }
        if (opportunities.Count == 0)
            opportunities.Add(new(brief.Phrase("OpportunityLocalDemand", brief.SectorKeyword, brief.City),
                "sector", brief.Profile.Sector.Trim(),
                brief.Phrase("ActionGoogleProfilePrices")));
        return opportunities;
    }

    /// <summary>The sector's main competitor first, then what the rules find; an offer easy to copy when alone.</summary>
    List<Grounded> Threats(BriefReading brief, CompetitorType competitor, IReadOnlyList<string> differentiation)
    {
        var threats = new List<Grounded>
        {
            new(brief.Phrase("ThreatCompetition", Text.Uncapitalised(competitor.Type), Text.Uncapitalised(Text.WithoutFinalStop(competitor.HowTheyCompete))),
                "sector", brief.Profile.Sector.Trim(), competitor.HowToStandOut),
        };
        threats.AddRange(Fired(brief, "threats"));
        if (threats.Count < 2)
            threats.Add(new(brief.Phrase("ThreatEasyToCopy"),
                "differentiation", differentiation[0],
                brief.Phrase("ActionRegisterBrand")));
        return threats;
    }

    static IEnumerable<(string Field, string Answer)> Answers(BriefReading brief) =>
    [
        ("target_audience", brief.Profile.TargetAudience), ("mission", brief.Profile.Mission), ("vision", brief.Profile.Vision),
        ("differentiation", brief.Profile.Differentiation), ("value_proposition", brief.Profile.ValueProposition),
    ];

    static string AnswerTo(BriefReading brief, string field) => field switch
    {
        "business_name" => brief.Profile.BusinessName,
        "vision" => brief.Profile.Vision,
        "mission" => brief.Profile.Mission,
        "target_audience" => brief.Profile.TargetAudience,
        "differentiation" => brief.Profile.Differentiation,
        "value_proposition" => brief.Profile.ValueProposition,
        "sector" => brief.Profile.Sector,
        _ => $"{brief.City}, {brief.Country}",
    };

    /// <summary>The points of one quadrant whose rule fires, quoting the clause where its keyword was found.</summary>
    List<Grounded> Fired(BriefReading brief, string quadrant)
    {
        var points = new List<Grounded>();
        foreach (var rule in signals.Swot.Where(r => r.Quadrant == quadrant))
        {
            var hit = rule.Fields
                .SelectMany(field => rule.Keywords.Where(k => Text.Contains(AnswerTo(brief, field), k)).Select(k => (Field: field, Keyword: k)))
                .FirstOrDefault();
            if (hit.Field is not null)
                points.Add(new(rule.Point.For(brief.Language), hit.Field, Quote(AnswerTo(brief, hit.Field), hit.Field, hit.Keyword), rule.Action?.For(brief.Language)));
        }
        return points;
    }

    /// <summary>The words of an answer a point rests on: the customer group for the audience, the clause otherwise.</summary>
    static string Quote(string answer, string field, string keyword) =>
        field == "target_audience"
            ? Text.Groups(answer).FirstOrDefault(g => Text.Contains(g, keyword)) ?? Text.WithoutFinalStop(answer)
            : Text.ClauseWith(answer, keyword);

    /// <summary>
    /// What customers type to find such a business: the sector as people search it, then each of the sector's search
    /// terms, with the city; then the sector in each neighbourhood named. A regeneration leads with another of the
    /// first four, so the entrepreneur can compare angles (website copy and SEO follow the lead).
    /// </summary>
    static JsonArray SearchKeywords(BriefReading brief)
    {
        var keywords = new[] { $"{brief.SectorKeyword} {brief.City}" }
            .Concat(brief.Sector.SearchTerms.For(brief.Language).Select(term => $"{term} {brief.City}"))
            .Concat(brief.Quartiers.Select(quartier => $"{brief.SectorKeyword} {quartier}"))
            .Select(k => k.ToLowerInvariant())
            .Where(k => k.Length <= 80)
            .Distinct()
            .Take(10)
            .ToList();
        var angles = Math.Min(keywords.Count, 4);
        if (brief.Regenerating && angles > 1)
        {
            var lead = 1 + (int)(brief.Variant % (ulong)(angles - 1));
            (keywords[0], keywords[lead]) = (keywords[lead], keywords[0]);
        }
        return new JsonArray(keywords.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray());
    }

    List<JsonObject> Segments(BriefReading brief)
    {
        var segments = new List<JsonObject>();
        foreach (var group in Text.Groups(brief.Profile.TargetAudience).Take(6))
        {
            var signal = signals.Segments.Where(s => s.Key != "default")
                .FirstOrDefault(s => s.Value.Keywords.Any(k => Text.Contains(group, k)));
            var personal = signals.Segments.Where(s => s.Key is not "b2b" and not "default").Any(s => s.Value.Keywords.Any(k => Text.Contains(group, k)));
            var business = signals.Segments["b2b"].Keywords.Any(k => Text.Contains(group, k)) && !personal;

            var (name, wants) = SplitRelative(group);
            // Said as the entrepreneur said it ("Veulent du pain frais chaque matin."): no guess at gender or number.
            var needs = wants is not null
                ? Text.Sentence(wants)
                : business ? signals.Segments["b2b"].Needs!.For(brief.Language)
                : Text.Sentence(Text.Clauses(brief.Profile.ValueProposition)[0]);
            var channels = (business ? signals.Segments["b2b"] : signal.Value ?? signals.Segments["default"]).Channels.For(brief.Language);
            segments.Add(new JsonObject
            {
                ["name"] = Text.Shorten(Text.Capitalised(Text.WithoutFinalStop(name)), 120),
                ["kind"] = business ? "b2b" : "b2c",
                ["needs"] = Text.Shorten(needs, 300),
                ["channels"] = new JsonArray(channels.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
                ["quote"] = group,
            });
        }
        return segments;
    }

    /// <summary>"Familles (25-45 ans) qui veulent du pain frais" → ("Familles (25-45 ans)", "veulent du pain frais").</summary>
    static (string Who, string? Wants) SplitRelative(string group)
    {
        foreach (var pronoun in RelativePronouns)
        {
            var at = group.IndexOf(pronoun, StringComparison.OrdinalIgnoreCase);
            if (at > 0)
                return (group[..at], Text.WithoutFinalStop(group[(at + pronoun.Length)..]));
        }
        return (group, null);
    }

    /// <summary>
    /// Premium words ("haut de gamme", "sur mesure") or price words ("juste prix", "abordable"), looked for in the
    /// value proposition first, then the differentiation, mission and audience; mid-range when the answers say neither.
    /// </summary>
    public static PricingEvidence PricePositionOf(BriefReading brief, MarketSignals signals)
    {
        foreach (var field in new[] { "value_proposition", "differentiation", "mission", "target_audience" })
        {
            var answer = AnswerTo(brief, field);
            foreach (var position in new[] { "premium", "accessible" })
                if (signals.Pricing[position].Keywords.FirstOrDefault(k => Text.Contains(answer, k)) is { } keyword)
                    return new PricingEvidence(position, field, Text.ClauseWith(answer, keyword));
        }
        return new PricingEvidence("mid_range", "value_proposition", Text.Clauses(brief.Profile.ValueProposition)[0]);
    }

    static string Summary(BriefReading brief, List<JsonObject> segments, string position, string mainPromise)
    {
        var names = string.Join(brief.Phrase("SegmentSeparator"), segments.Select(s => (string)s["name"]!));
        var count = segments.Count == 1
            ? brief.Phrase("OneCustomerSegment")
            : brief.Phrase("CustomerSegments", segments.Count);
        var where = brief.Phrase($"Position_{position}");
        string[] variants =
        [
            brief.Phrase("ResearchSummaryTargets", brief.Name, brief.SectorInProse, brief.City, count, names, Text.Uncapitalised(mainPromise), where),
            brief.Phrase("ResearchSummaryPositioning", brief.Name, brief.City, where, Text.Uncapitalised(mainPromise), count, names),
        ];
        return Text.Shorten(brief.Pick(variants, salt: 3) + " " + brief.Phrase("ResearchSummaryBasis"), 1200);
    }

    static JsonArray NextSteps(BriefReading brief, List<JsonObject> segments, List<CompetitorType> competitors, string position,
        List<Grounded> opportunities, List<Grounded> risks, bool concise)
    {
        var steps = new List<string>
        {
            segments.Count == 1
                ? brief.Phrase("StepInterviewCustomers")
                : brief.Phrase("StepInterviewSegments", segments.Count),
            brief.Phrase("StepRecordCompetitorPrices", Text.Uncapitalised(competitors[0].Type), brief.Phrase($"PricesAt_{position}")),
        };
        steps.AddRange(opportunities.Select(o => o.Action).OfType<string>().Take(1));
        steps.AddRange(risks.Where(r => r.Source != "sector").Select(r => r.Action).OfType<string>().Take(1));
        steps.Add(brief.Phrase("StepTryPromise", Text.Shorten(Text.Clauses(brief.Profile.Differentiation, splitOnAnd: true)[0], 120)));
        steps.Add(brief.Phrase("StepPublishAndCount"));
        return new JsonArray(steps.Distinct().Take(concise ? 3 : 6).Select(s => (JsonNode)JsonValue.Create(Text.Shorten(s, 400))!).ToArray());
    }

    static JsonArray Points(IEnumerable<Grounded> points) => new(points.Select(p => (JsonNode)new JsonObject
    {
        ["point"] = p.Point,
        ["source"] = p.Source,
        ["quote"] = Text.Shorten(p.Quote, 2000),
    }).ToArray());

    static JsonArray Actions(IEnumerable<Grounded> points) => new(points.Where(p => p.Action is not null).Select(p => (JsonNode)new JsonObject
    {
        ["title"] = p.Point,
        ["action"] = p.Action,
        ["source"] = p.Source,
        ["quote"] = Text.Shorten(p.Quote, 2000),
    }).ToArray());
}
