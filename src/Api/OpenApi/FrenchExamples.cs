using System.Text.Json.Nodes;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Contracts;

namespace BusinessBrief.Api.OpenApi;

/// <summary>
/// The examples of the OpenAPI document: the Dakar bakery of <c>examples/dakar-brief.json</c> (embedded, so the
/// documentation and <c>./bb demo</c> submit the very same request) at each step of its life.
/// </summary>
public static class FrenchExamples
{
    static readonly Guid BriefId = Guid.Parse("0198c2a4-5b1e-7c3d-9f21-6a0e4d8b7c10");
    static readonly string StatusUrl = $"{BriefsApi.BasePath}/{BriefId}";

    public static JsonNode DakarRequest { get; } = LoadDakarRequest();

    public static JsonNode RegenerateRequest => new JsonObject
    {
        ["sections"] = new JsonArray("market_research"),
        ["feedback"] = "Une analyse plus courte, centrée sur les deux segments principaux.",
        ["cascade"] = true,
    };

    public static JsonNode Accepted(string status, int revision) => new JsonObject
    {
        ["brief_id"] = BriefId.ToString(),
        ["status"] = status,
        ["revision"] = revision,
        ["status_url"] = StatusUrl,
    };

    /// <summary>A first page of two briefs: one generating now, one of last week that only the archive holds.</summary>
    public static JsonNode BriefList => new JsonObject
    {
        ["items"] = new JsonArray(
            ListItem(BriefId, "Boulangerie Téranga", "generating", 1, "2026-05-12T09:30:00Z", "2026-05-12T09:30:04Z"),
            ListItem(Guid.Parse("0198a1f0-2c4d-7e8f-9a0b-1c2d3e4f5a6b"), "Boulangerie Téranga", "used", 2, "2026-05-05T16:02:11Z",
                "2026-05-06T10:15:42Z")),
        ["next_cursor"] = "AAYbFhWqxgABmKHwLE1-j5oLHC0-T1pr",
    };

    static JsonObject ListItem(Guid briefId, string businessName, string status, int revision, string createdAt, string updatedAt) => new()
    {
        ["brief_id"] = briefId.ToString(),
        ["coaching_session_id"] = 4242,
        ["business_name"] = businessName,
        ["status"] = status,
        ["revision"] = revision,
        ["created_at"] = createdAt,
        ["updated_at"] = updatedAt,
    };

    public static JsonNode ValidationProblem => new JsonObject
    {
        ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        ["title"] = "One or more validation errors occurred.",
        ["status"] = 400,
        ["errors"] = new JsonObject
        {
            ["coaching_session_id"] = new JsonArray(
                "'coaching_session_id' doit être un entier positif : un nombre JSON sans guillemets ni décimales, de 1 à 9223372036854775807."),
            ["business_name"] = new JsonArray("'business_name' ne doit pas être vide."),
            ["location.city"] = new JsonArray("'city' ne doit pas être vide."),
        },
    };

    public static JsonNode Problem(int status, string title, string detail) => new JsonObject
    {
        ["type"] = "https://tools.ietf.org/html/rfc9110",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
    };

    /// <summary>
    /// The brief a few seconds after it was accepted: market research done, so website copy and SEO (built on it) are
    /// running, as is the logo; the template waits for the logo's palette.
    /// </summary>
    public static JsonNode GeneratingBrief
    {
        get
        {
            var brief = DakarRequest.DeepClone().AsObject();
            brief.Insert(0, "brief_id", BriefId.ToString());
            brief.Insert(1, "user_id", "awa");
            foreach (var (name, value) in Results.AsObject())
                brief[name] = value?.DeepClone();
            brief["overall_confidence"] = 0.12;
            brief["brief_completeness"] = 0.2;
            brief["is_ready_for_website"] = false;
            brief["dc360_website_id"] = null;
            brief["status"] = "generating";
            brief["revision"] = 1;
            var sections = new JsonObject();
            foreach (var name in SectionNames.All)
                sections[name] = name switch
                {
                    SectionNames.MarketResearch => Section("completed", 1, 0.6, "2025-06-12T09:30:02.418+00:00"),
                    SectionNames.TemplateSelection => Section("pending", 0, null, "2025-06-12T09:30:00.127+00:00"),
                    SectionNames.LogoCreation => Section("running", 1, null, "2025-06-12T09:30:00.127+00:00"),
                    _ => Section("running", 1, null, "2025-06-12T09:30:02.418+00:00"),
                };
            brief["sections"] = sections;
            brief["usage"] = new JsonObject
            {
                ["jobs"] = 1, ["attempts"] = 1, ["duration_ms"] = 2291.4, ["prompt_tokens"] = 1840, ["completion_tokens"] = 912,
            };
            brief["created_at"] = "2025-06-12T09:30:00.115+00:00";
            brief["updated_at"] = "2025-06-12T09:30:02.418+00:00";
            brief["expires_at"] = "2025-06-12T11:30:02.501+00:00";
            return brief;
        }
    }

    static JsonObject Section(string status, int attempts, double? confidence, string updatedAt) => new()
    {
        ["status"] = status,
        ["attempts"] = attempts,
        ["confidence"] = confidence,
        ["updated_at"] = updatedAt,
        ["error"] = null,
        ["usage"] = null,
        ["stale"] = false,
        ["changed_inputs"] = new JsonArray(),
    };

    public static JsonNode Results => new JsonObject
    {
        [SectionNames.MarketResearch] = new JsonObject
        {
            ["summary"] = "Boulangerie Teranga vise les familles et jeunes actifs de Dakar, ainsi que les bureaux et organisateurs d'événements.",
            ["target_segments"] = new JsonArray("Familles et jeunes actifs de Dakar (25-45 ans)", "Bureaux, restaurants et événements"),
            ["strengths"] = new JsonArray("Pain cuit au feu de bois deux fois par jour", "Commande WhatsApp, paiement Wave ou Orange Money"),
            ["opportunities"] = new JsonArray("Livraison en moins de 45 minutes à Mermoz, Sacré-Cœur et Point E"),
            ["confidence"] = 0.6,
        },
        [SectionNames.ContentGeneration] = null,
        [SectionNames.LogoCreation] = null,
        [SectionNames.SeoOptimization] = null,
        [SectionNames.TemplateSelection] = null,
    };

    static JsonNode LoadDakarRequest()
    {
        using var stream = typeof(FrenchExamples).Assembly.GetManifestResourceStream("dakar-brief.json")
            ?? throw new InvalidOperationException("The Dakar example is embedded in the API assembly (see the csproj).");
        return JsonNode.Parse(stream)!;
    }
}
