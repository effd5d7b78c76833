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

        var strengths = Fired(brief, "strengths");
        if (strengths.Count < 2)
            strengths.Add(new(brief.Say("Une différenciation que vous savez formuler : la base de toute votre communication.",
                                        "A differentiation you can put into words: the basis of all your marketing."),
                "differentiation", Text.Clauses(brief.Profile.Differentiation)[0]));

        var weaknesses = Fired(brief, "weaknesses");
        var differentiation = Text.Clauses(brief.Profile.Differentiation);
        if (differentiation.Count >= 4)
            weaknesses.Add(new(brief.Say($"Offre très large ({differentiation.Count} promesses) pour une petite structure : risque de dispersion.",
                                         $"A very broad offer ({differentiation.Count} promises) for a small business: risk of spreading too thin."),
                "differentiation", brief.Profile.Differentiation.Trim(),
                brief.Say("Commencer par les deux ou trois promesses qui font vendre, puis élargir.", "Start with the two or three promises that sell, then widen.")));
        if (weaknesses.Count == 0)
            weaknesses.Add(new(brief.Say("Petite structure : tout repose sur quelques personnes.", "A small business: everything rests on a few people."),
                "mission", Text.Clauses(brief.Profile.Mission)[0],
                brief.Say("Noter les tâches qui peuvent être confiées ou automatisées (commandes, paiements, relances).",
                          "List the tasks that can be delegated or automated (orders, payments, reminders).")));

        var opportunities = Fired(brief, "opportunities");
        if (brief.Quartiers.Count > 0)
        {
            var (field, answer) = Answers(brief).First(a => Text.Contains(a.Answer, brief.Quartiers[0]));
            var clauses = Text.Clauses(answer);
            var naming = clauses.Select((c, i) => (c, i)).Where(x => brief.Quartiers.Any(q => Text.Contains(x.c, q))).Select(x => x.i).ToList();
            opportunities.Insert(0, new(
                brief.Say($"Zone de chalandise précise ({brief.ListInProse(brief.Quartiers)}) : un marketing de proximité efficace et peu coûteux.",
                          $"A precise catchment area ({brief.ListInProse(brief.Quartiers)}): effective, low-cost local marketing."),
                field, string.Join(", ", clauses.Skip(naming[0]).Take(naming[^1] - naming[0] + 1)),
                brief.Say($"Distribuer des flyers et nouer des partenariats avec des commerces de {brief.ListInProse(brief.Quartiers)}.",
                          $"Hand out flyers and partner with shops in {brief.ListInProse(brief.Quartiers)}.")));
        }
        if (opportunities.Count == 0)
            opportunities.Add(new(brief.Say($"Une demande locale de {brief.SectorKeyword} à {brief.City}, à capter en ligne.",
                                            $"Local demand for {brief.SectorKeyword} in {brief.City}, to capture online."),
                "sector", brief.Profile.Sector.Trim(),
                brief.Say("Créer la fiche Google Business Profile et y publier les prix des produits phares.", "Create the Google Business Profile and publish the prices of key products.")));

        var threats = new List<Grounded>
        {
            new(brief.Say($"Concurrence : {Text.Uncapitalised(competitors[0].Type)} ({Text.Uncapitalised(Text.WithoutFinalStop(competitors[0].HowTheyCompete))}).",
                          $"Competition: {Text.Uncapitalised(competitors[0].Type)} ({Text.Uncapitalised(Text.WithoutFinalStop(competitors[0].HowTheyCompete))})."),
                "sector", brief.Profile.Sector.Trim(), competitors[0].HowToStandOut),
        };
        threats.AddRange(Fired(brief, "threats"));
        if (threats.Count < 2)
            threats.Add(new(brief.Say("Une offre facile à imiter si la marque et la qualité ne la protègent pas.", "An offer that is easy to copy unless brand and quality protect it."),
                "differentiation", differentiation[0],
                brief.Say("Déposer le nom et le logo, et raconter votre histoire sur le site.", "Register the name and logo, and tell your story on the website.")));

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
                ["method"] = brief.Say("Analyse hors ligne par règles, à partir des réponses de l'entrepreneur", "Offline rule-based analysis of the entrepreneur's answers"),
                ["external_data"] = false,
                ["note"] = brief.Say(
                    "Analyse dérivée uniquement de vos réponses (secteur, cible, différenciation, proposition de valeur, ville) : aucune donnée externe ni chiffre de marché. À confirmer sur le terrain avant d'investir.",
                    "Derived from your answers only (sector, audience, differentiation, value proposition, city): no external data and no market figures. Check it in the field before investing."),
            },
        };
        return new OfflineSection(result, concise ? [FeedbackDirection.Concise] : []);
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

    /// <summary>The position in a few words, to finish a sentence.</summary>
    static string PositionInWords(string position, BriefReading brief, bool plural = false) => position switch
    {
        "accessible" => brief.Say(plural ? "accessibles" : "accessible", "accessible"),
        "premium" => "premium",
        _ => brief.Say("de milieu de gamme", "mid-range"),
    };

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
        var names = string.Join(brief.Say(" ; ", "; "), segments.Select(s => (string)s["name"]!));
        var count = segments.Count == 1
            ? brief.Say("un segment de clientèle", "one customer segment")
            : brief.Say($"{segments.Count} segments de clientèle", $"{segments.Count} customer segments");
        var where = PositionInWords(position, brief);
        string[] variants =
        [
            brief.Say($"{brief.Name} ({brief.SectorInProse}, {brief.City}) vise {count} : {names}. Son atout principal : {Text.Uncapitalised(mainPromise)}. Positionnement conseillé : {where}.",
                      $"{brief.Name} ({brief.SectorInProse}, {brief.City}) targets {count}: {names}. Its main asset: {Text.Uncapitalised(mainPromise)}. Recommended positioning: {where}."),
            brief.Say($"Positionnement conseillé pour {brief.Name} à {brief.City} : {where}. L'atout à mettre en avant : {Text.Uncapitalised(mainPromise)}. Clientèle visée ({count}) : {names}.",
                      $"Recommended positioning for {brief.Name} in {brief.City}: {where}. The asset to put forward: {Text.Uncapitalised(mainPromise)}. Customers targeted ({count}): {names}."),
        ];
        return Text.Shorten(brief.Pick(variants, salt: 3) + " " + brief.Say("Analyse fondée sur vos seules réponses.", "Analysis based on your answers only."), 1200);
    }

    static JsonArray NextSteps(BriefReading brief, List<JsonObject> segments, List<CompetitorType> competitors, string position,
        List<Grounded> opportunities, List<Grounded> risks, bool concise)
    {
        var steps = new List<string>
        {
            segments.Count == 1
                ? brief.Say("Interroger dix clients potentiels : ce qu'ils achètent aujourd'hui, où et à quel prix.",
                            "Interview ten potential customers: what they buy today, where and at what price.")
                : brief.Say($"Interroger dix personnes de chacun des {segments.Count} segments : ce qu'elles achètent aujourd'hui, où et à quel prix.",
                            $"Interview ten people from each of the {segments.Count} segments: what they buy today, where and at what price."),
            brief.Say($"Relever les prix de trois concurrents ({Text.Uncapitalised(competitors[0].Type)}) pour fixer des prix {PositionInWords(position, brief, plural: true)}.",
                      $"Record the prices of three competitors ({Text.Uncapitalised(competitors[0].Type)}) to set {PositionInWords(position, brief)} prices."),
        };
        steps.AddRange(opportunities.Select(o => o.Action).OfType<string>().Take(1));
        steps.AddRange(risks.Where(r => r.Source != "sector").Select(r => r.Action).OfType<string>().Take(1));
        steps.Add(brief.Say($"Tester pendant un mois « {Text.Shorten(Text.Clauses(brief.Profile.Differentiation, splitOnAnd: true)[0], 120)} » et noter ce que les clients en disent.",
                            $"Try \"{Text.Shorten(Text.Clauses(brief.Profile.Differentiation, splitOnAnd: true)[0], 120)}\" for a month and write down what customers say."));
        steps.Add(brief.Say("Mettre en ligne la fiche Google Business Profile et le site, puis compter chaque semaine les demandes reçues.",
                            "Publish the Google Business Profile and the website, then count incoming requests every week."));
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
