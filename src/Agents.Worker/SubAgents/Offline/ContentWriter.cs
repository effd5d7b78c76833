using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Website copy: the hero is the value proposition, the about text the mission and vision, services come from
/// the sector (plus what the answers offer, such as delivery), "why us" from the differentiation, and a block per
/// customer segment the market research found (none when the research failed).
/// </summary>
public class ContentWriter(SectorCatalogue sectors) : IOfflineSectionWriter
{
    public static string Section => SectionNames.ContentGeneration;

    /// <summary>Short titles for a reason to choose the business, by what its clause talks about.</summary>
    static readonly string[] DeliveryWords = ["livraison", "livre", "livres", "livrees", "delivery", "delivered", "deliver"];
    static readonly string[] SpeedWords = ["minutes", "rapide", "rapidement", "express", "fast", "quick", "quickly"];

    static readonly (string[] Keywords, string Title)[] ReasonTitles =
    [
        (["whatsapp", "wave", "orange money", "mobile money", "en ligne", "online"], "ReasonTitleEasyOrdering"),
        (["artisanal", "artisanale", "feu de bois", "fait maison", "fait main", "savoir-faire", "handmade", "home-made", "craft"], "ReasonTitleCraft"),
        (["local", "locaux", "locale", "locales", "terroir", "d'ici", "mil", "bissap", "bouye", "senegalais", "ivoirien"], "ReasonTitleLocal"),
        (["frais", "fraiche", "chaque jour", "chaque matin", "fresh", "daily"], "ReasonTitleFresh"),
        (["prix", "abordable", "accessible", "price", "affordable"], "ReasonTitleFairPrices"),
        (["sur mesure", "sur-mesure", "personnalise", "bespoke", "custom", "made to measure"], "ReasonTitleMadeToMeasure"),
        (["qualite", "quality", "premium", "haut de gamme"], "ReasonTitleQuality"),
    ];

    /// <summary>A short title for a reason to choose the business, by what its clause talks about.</summary>
    static string? ReasonTitle(string clause, BriefReading brief)
    {
        if (DeliveryWords.Any(w => Text.Contains(clause, w)))
            return SpeedWords.Any(w => Text.Contains(clause, w))
                ? brief.Phrase("ReasonFastDelivery")
                : brief.Phrase("ReasonDelivered");
        return ReasonTitles.FirstOrDefault(r => r.Keywords.Any(k => Text.Contains(clause, k))).Title is { } title ? brief.Phrase(title) : null;
    }

    public OfflineSection Write(BriefReading brief)
    {
        var followed = new List<FeedbackDirection>();
        var tone = ToneOf(brief, followed);
        var concise = brief.Feedback.Asks(FeedbackDirection.Concise);
        if (concise)
            followed.Add(FeedbackDirection.Concise);

        var cta = CallToAction(brief);
        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["tone"] = tone,
            ["tagline"] = Text.Shorten(brief.Pick(brief.Sector.Taglines.For(brief.Language), salt: 1).Replace("{city}", brief.City), 80),
            ["hero"] = Hero(brief, tone, cta, concise),
            ["about"] = About(brief, tone, concise),
            ["services"] = Services(brief, concise),
            ["why_us"] = WhyUs(brief, concise),
            ["contact"] = Contact(brief, cta),
            ["audiences"] = Audiences(brief, brief.Input(SectionNames.MarketResearch), concise),
        };
        return new OfflineSection(result, followed);
    }

    static string ToneOf(BriefReading brief, List<FeedbackDirection> followed)
    {
        foreach (var (direction, tone) in new[] { (FeedbackDirection.Modern, "modern"), (FeedbackDirection.Classic, "classic"), (FeedbackDirection.Warmer, "warm") })
            if (brief.Feedback.Asks(direction))
            {
                followed.Add(direction);
                return tone;
            }
        return brief.Style switch { "warm" => "warm", "classic" or "elegant" => "classic", _ => "modern" };
    }

    static string CallToAction(BriefReading brief) =>
        brief.Offers("whatsapp") && brief.Offers("online_ordering") ? brief.Phrase("CallToActionOrderWhatsApp")
        : brief.Offers("whatsapp") ? brief.Phrase("CallToActionMessageWhatsApp")
        : brief.Sector.Cta.For(brief.Language);

    static JsonObject Hero(BriefReading brief, string tone, string cta, bool concise)
    {
        var promise = Text.Clauses(brief.Profile.ValueProposition);
        // A one- or two-word first clause ("Frais", "Vite") is too thin for a headline on its own.
        var coreLength = promise.Count > 1 && Text.WordCount(promise[0]) < 3 ? 2 : 1;
        var core = Text.WithoutFinalStop(string.Join(", ", promise.Take(coreLength)));
        var rest = promise.Skip(coreLength).ToList();

        var headlines = tone switch
        {
            "warm" => new[] { Text.Capitalised(core), brief.Phrase("HeadlineAtName", brief.Name, Text.Uncapitalised(core)) },
            "modern" => [$"{brief.Name}. {Text.Capitalised(core)}.", brief.Phrase("HeadlineInCity", Text.Capitalised(core), brief.City)],
            _ => [brief.Phrase("HeadlineTrusted", brief.Name, brief.SectorKeyword, brief.City),
                  brief.Phrase("HeadlineNamePromise", brief.Name, Text.Uncapitalised(core))],
        };
        var headline = brief.Pick(headlines);
        var headlineCarriesPromise = headline != headlines[0] || tone != "classic";

        var subheadline = headlineCarriesPromise
            ? rest.Count > 0
                ? Text.Sentence(string.Join(", ", concise ? rest.Take(1) : rest))
                : Text.Sentence(Text.Clauses(brief.Profile.Differentiation, splitOnAnd: true)[0]) + " " + brief.Phrase("SentenceInCity", brief.City)
            : Text.Sentence(concise ? core : brief.Profile.ValueProposition);

        return new JsonObject
        {
            ["headline"] = Text.Shorten(headline, 90),
            ["subheadline"] = Text.Shorten(subheadline, 240),
            ["call_to_action"] = Text.Shorten(cta, 40),
        };
    }

    static JsonObject About(BriefReading brief, string tone, bool concise)
    {
        var title = tone switch
        {
            "warm" => brief.Phrase("AboutTitleStory"),
            "modern" => brief.Phrase("AboutTitleWhoWeAre"),
            _ => brief.Phrase("AboutTitleName", brief.Name, Text.OfName(brief.Name)),
        };
        var sentences = new List<string> { Statement(brief, brief.Profile.Mission, brief.Phrase("MissionLabel")) };
        if (!concise)
        {
            sentences.Add(Statement(brief, brief.Profile.Vision, brief.Phrase("AmbitionLabel")));
            sentences.Add(brief.Quartiers.Count > 0
                ? brief.Phrase("AboutBasedAndServing", brief.City, brief.ListInProse(brief.Quartiers))
                : brief.Phrase("AboutBasedIn", brief.City, brief.Country));
        }
        return new JsonObject
        {
            ["title"] = Text.Shorten(title, 80),
            ["text"] = Text.Shorten(string.Join(" ", sentences), 1500),
        };
    }

    /// <summary>"Notre mission : préparer…" for an answer that starts with a verb; the answer itself when it is already a statement.</summary>
    static string Statement(BriefReading brief, string answer, string label)
    {
        var folded = Text.Fold(answer.TrimStart());
        var alreadyAStatement = new[] { "nous ", "notre ", "nos ", "je ", "we ", "our ", "i ", Text.Fold(brief.Name) }.Any(folded.StartsWith);
        return alreadyAStatement
            ? Text.Sentence(answer)
            : brief.Phrase("StatementLabel", label) + $"{Text.Uncapitalised(Text.WithoutFinalStop(answer))}.";
    }

    JsonArray Services(BriefReading brief, bool concise)
    {
        var services = brief.Sector.Services.For(brief.Language).Select(s => (s.Name, s.Description)).ToList();
        void AddFromAnswers(string feature, string name)
        {
            var label = brief.Phrase(name);
            if (!brief.Offers(feature) || services.Any(s => Text.Contains(s.Name, label.Split(' ')[0])))
                return;
            // Quote the answer that promises it: differentiation first, then value proposition, mission, audience.
            var clause = new[] { brief.Profile.Differentiation, brief.Profile.ValueProposition, brief.Profile.Mission, brief.Profile.TargetAudience }
                .SelectMany(answer => sectors.Features[feature].Keywords.Where(k => Text.Contains(answer, k)).Select(k => Text.ClauseWith(answer, k)))
                .FirstOrDefault();
            if (clause is null)
                return;
            services.Add((label, Text.Shorten(Text.Sentence(clause), 300)));
        }
        AddFromAnswers("delivery", "ServiceDelivery");
        AddFromAnswers("quote_request", "ServiceMadeToMeasure");

        return new JsonArray(services.Take(concise ? 3 : 6)
            .Select(s => (JsonNode)new JsonObject { ["name"] = Text.Shorten(s.Name, 60), ["description"] = s.Description })
            .ToArray());
    }

    static JsonArray WhyUs(BriefReading brief, bool concise)
    {
        var reasons = new List<(string Title, string Text)>();
        foreach (var clause in Text.Clauses(brief.Profile.Differentiation, splitOnAnd: true).Take(concise ? 2 : 3))
        {
            var title = ReasonTitle(clause, brief);
            if (title is null || reasons.Any(r => r.Title == title))
                title = Text.Capitalised(Text.WithoutFinalStop(clause).Length <= 40
                    ? Text.WithoutFinalStop(clause)
                    : string.Join(' ', clause.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4)));
            reasons.Add((title, Text.Shorten(Text.Sentence(clause), 400)));
        }
        reasons.Add((brief.Phrase("OurPromise"), Text.Shorten(Text.Sentence(brief.Profile.ValueProposition), 400)));
        return new JsonArray(reasons.Select(r => (JsonNode)new JsonObject { ["title"] = r.Title, ["text"] = r.Text }).ToArray());
    }

    /// <summary>"Pour vous, familles du Plateau" and what they come for, as the market research's segments say it.</summary>
    static JsonArray Audiences(BriefReading brief, JsonObject? research, bool concise)
    {
        var segments = research?["target_segments"] as JsonArray ?? [];
        return new JsonArray(segments.OfType<JsonObject>().Take(concise ? 2 : 6).Select(segment =>
        {
            var name = (string)segment["name"]!;
            return (JsonNode)new JsonObject
            {
                ["segment"] = name,
                ["title"] = Text.Shorten(brief.Phrase("AudienceTitle", Text.Uncapitalised(name)), 140),
                ["text"] = Text.Shorten(Text.Sentence((string)segment["needs"]!), 400),
            };
        }).ToArray());
    }

    static JsonObject Contact(BriefReading brief, string cta)
    {
        var where = brief.Quartiers.Count > 0
            ? brief.Phrase("ContactWhereServing", brief.Name, brief.City, brief.Country, brief.ListInProse(brief.Quartiers))
            : brief.Phrase("ContactWhere", brief.Name, brief.City, brief.Country);
        var how = brief.Offers("whatsapp")
            ? brief.Phrase("ContactHowWhatsApp")
            : brief.Phrase("ContactHow");
        return new JsonObject
        {
            ["title"] = brief.Phrase("ContactTitle"),
            ["text"] = Text.Shorten($"{where} {how}", 400),
            ["city"] = brief.City,
            ["country"] = brief.Country,
            ["area_served"] = new JsonArray(brief.AreaServed.Select(q => (JsonNode)JsonValue.Create(q)!).ToArray()),
            ["call_to_action"] = Text.Shorten(cta, 40),
        };
    }
}
