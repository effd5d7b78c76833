using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.IntegrationTests.EndToEnd;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// Requests no valid client sends. Each one is refused with its status and a problem+json that says what is wrong
/// (in <c>errors</c>, by wire field name, for a 400), and nothing is sent to the broker or written to Redis.
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class BadInputTests(ApiAloneFixture api)
{
    const string Generate = "generate";
    const string Regenerate = "regenerate";
    const string Markup = "<script>alert(1)</script>";

    /// <param name="Field">The key expected in the problem's <c>errors</c> map (<c>$</c>: the body as a whole); null when the status says it all.</param>
    public record BadInput(string Endpoint, HttpStatusCode Status, string? Field, Func<HttpContent> Body,
        string? IdempotencyKey = null, bool Chunked = false);

    static BadInput Brief(string field, Action<JsonObject> change) =>
        new(Generate, HttpStatusCode.BadRequest, field, () => Json(Changed(BriefApiClient.DakarRequest(), change)));

    static BadInput Regeneration(string field, Action<JsonObject> change) =>
        new(Regenerate, HttpStatusCode.BadRequest, field,
            () => Json(Changed(new JsonObject { ["sections"] = new JsonArray("logo_creation"), ["feedback"] = "Plus sobre" }, change)));

    static BadInput Raw(string endpoint, string field, string json) =>
        new(endpoint, HttpStatusCode.BadRequest, field, () => new StringContent(json, Encoding.UTF8, "application/json"));

    static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    static JsonObject Changed(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }

    static JsonObject Location(JsonObject body) => body["location"]!.AsObject();

    static readonly Dictionary<string, BadInput> Cases = new()
    {
        // Missing, null, blank
        ["business_name missing"] = Brief("business_name", b => b.Remove("business_name")),
        ["vision missing"] = Brief("vision", b => b.Remove("vision")),
        ["sector missing"] = Brief("sector", b => b.Remove("sector")),
        ["location missing"] = Brief("location", b => b.Remove("location")),
        ["location.city missing"] = Brief("location.city", b => Location(b).Remove("city")),
        ["business_name null"] = Brief("business_name", b => b["business_name"] = null),
        ["location null"] = Brief("location", b => b["location"] = null),
        ["location.country null"] = Brief("location.country", b => Location(b)["country"] = null),
        ["business_name empty"] = Brief("business_name", b => b["business_name"] = ""),
        ["mission only spaces"] = Brief("mission", b => b["mission"] = "   \t  "),
        // Too long
        ["business_name of 121 characters"] = Brief("business_name", b => b["business_name"] = new string('a', 121)),
        ["vision of 2001 characters"] = Brief("vision", b => b["vision"] = new string('v', 2001)),
        ["location.city of 121 characters"] = Brief("location.city", b => Location(b)["city"] = new string('c', 121)),
        ["mission of 60000 characters, under the body limit"] = Brief("mission", b => b["mission"] = new string('m', 60_000)),
        // Ids are positive 64-bit integers, sent as JSON numbers (as in the original model)
        ["coaching_session_id missing"] = Brief("coaching_session_id", b => b.Remove("coaching_session_id")),
        ["coaching_session_id null"] = Brief("coaching_session_id", b => b["coaching_session_id"] = null),
        ["coaching_session_id digits in a string"] = Brief("coaching_session_id", b => b["coaching_session_id"] = "4242"),
        ["coaching_session_id text"] = Brief("coaching_session_id", b => b["coaching_session_id"] = "coaching-dakar-0142"),
        ["coaching_session_id a fraction"] = Brief("coaching_session_id", b => b["coaching_session_id"] = 4242.5),
        ["coaching_session_id zero"] = Brief("coaching_session_id", b => b["coaching_session_id"] = 0),
        ["coaching_session_id negative"] = Brief("coaching_session_id", b => b["coaching_session_id"] = -4242),
        ["coaching_session_id beyond 64 bits"] = Brief("coaching_session_id", b => b["coaching_session_id"] = 9223372036854775808m),
        // Wrong JSON types
        ["business_name a number"] = Brief("business_name", b => b["business_name"] = 42),
        ["business_name a boolean"] = Brief("business_name", b => b["business_name"] = true),
        ["business_name an object"] = Brief("business_name", b => b["business_name"] = new JsonObject { ["fr"] = "Téranga" }),
        ["business_name an array"] = Brief("business_name", b => b["business_name"] = new JsonArray("Téranga")),
        ["location a string"] = Brief("location", b => b["location"] = "Dakar, Sénégal"),
        ["location an array where an object belongs"] = Brief("location", b => b["location"] = new JsonArray("Dakar", "Sénégal")),
        ["location.city a number"] = Brief("location.city", b => Location(b)["city"] = 14000),
        ["language a number"] = Brief("language", b => b["language"] = 1),
        ["body an array"] = Raw(Generate, "$", "[]"),
        ["body a string"] = Raw(Generate, "$", "\"Boulangerie Téranga\""),
        ["body null"] = Raw(Generate, "$", "null"),
        // Values outside what is allowed
        ["language de"] = Brief("language", b => b["language"] = "de"),
        ["language FR in capitals"] = Brief("language", b => b["language"] = "FR"),
        ["NUL character in business_name"] = Brief("business_name", b => b["business_name"] = "Téranga\u0000"),
        ["escape sequence in location.city"] = Brief("location.city", b => Location(b)["city"] = "Dakar\u001b[31m"),
        ["line break in business_name"] = Brief("business_name", b => b["business_name"] = "Boulangerie\nTéranga"),
        ["lone surrogate in business_name"] = Raw(Generate, "business_name",
            BriefApiClient.DakarRequest("NAME").ToJsonString().Replace("NAME", @"Boulangerie \ud800")),
        // Server-owned or unknown properties
        ["user_id set by the client"] = Brief("user_id", b => b["user_id"] = "someone-else"),
        ["status set by the client"] = Brief("status", b => b["status"] = "ready"),
        ["brief_id set by the client"] = Brief("brief_id", b => b["brief_id"] = Guid.NewGuid()),
        ["dc360_website_id set by the client"] = Brief("dc360_website_id", b => b["dc360_website_id"] = "site-1"),
        ["a section result set by the client"] = Brief("market_research", b => b["market_research"] = new JsonObject { ["confidence"] = 1 }),
        ["overall_confidence set by the client"] = Brief("overall_confidence", b => b["overall_confidence"] = 1.0),
        ["unknown property named as markup"] = Brief(Markup, b => b[Markup] = "x"),
        ["unknown property inside location"] = Brief("location.zip", b => Location(b)["zip"] = "12500"),
        // Not JSON, or not all of it
        ["a missing closing brace"] = Raw(Generate, "$", """{"business_name": "Téranga", "vision": "x" """),
        ["a trailing comma"] = Raw(Generate, "$", """{"business_name": "Téranga", "vision": "x",}"""),
        ["a key without quotes"] = Raw(Generate, "$", """{"business_name": "Téranga", vision: "x"}"""),
        ["a string cut short"] = Raw(Generate, "business_name", """{"business_name": "Tér"""),
        ["an empty body"] = Raw(Generate, "$", ""),
        ["bytes that are not UTF-8"] = new(Generate, HttpStatusCode.BadRequest, "business_name", () => new ByteArrayContent(
            [.. "{\"business_name\": \"Caf"u8, 0xC3, 0x28, .. "\"}"u8]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }),
        // Headers
        ["Idempotency-Key of 201 characters"] = Brief("Idempotency-Key", _ => { }) with { IdempotencyKey = new string('k', 201) },
        ["Idempotency-Key with a space"] = Brief("Idempotency-Key", _ => { }) with { IdempotencyKey = "my key" },
        // Size and media type
        ["a body over 64 KB"] = new(Generate, HttpStatusCode.RequestEntityTooLarge, null,
            () => Json(Changed(BriefApiClient.DakarRequest(), b => b["vision"] = new string('v', 70_000)))),
        ["a body over 64 KB sent in chunks"] = new(Generate, HttpStatusCode.RequestEntityTooLarge, null,
            () => Json(Changed(BriefApiClient.DakarRequest(), b => b["vision"] = new string('v', 70_000))), Chunked: true),
        ["text/plain"] = new(Generate, HttpStatusCode.UnsupportedMediaType, null,
            () => new StringContent(BriefApiClient.DakarRequest().ToJsonString(), Encoding.UTF8, "text/plain")),
        ["no content type"] = new(Generate, HttpStatusCode.UnsupportedMediaType, null,
            () => new ByteArrayContent(Encoding.UTF8.GetBytes(BriefApiClient.DakarRequest().ToJsonString()))),
        ["XML"] = new(Generate, HttpStatusCode.UnsupportedMediaType, null,
            () => new StringContent("<brief><business_name>Téranga</business_name></brief>", Encoding.UTF8, "application/xml")),
        ["HTML with a script"] = new(Generate, HttpStatusCode.UnsupportedMediaType, null,
            () => new StringContent("<script>alert(1)</script>", Encoding.UTF8, "text/html")),
        // Regeneration
        ["sections missing"] = Regeneration("sections", b => b.Remove("sections")),
        ["sections empty"] = Regeneration("sections", b => b["sections"] = new JsonArray()),
        ["sections naming an unknown section"] = Regeneration("sections[1]", b => b["sections"] = new JsonArray("logo_creation", "<script>")),
        ["sections a string where an array belongs"] = Regeneration("sections", b => b["sections"] = "logo_creation"),
        ["sections holding a number"] = Regeneration("sections[0]", b => b["sections"] = new JsonArray(3)),
        ["sections holding null"] = Regeneration("sections[0]", b => b["sections"] = new JsonArray((JsonNode?)null)),
        ["sections naming six sections"] = Regeneration("sections", b => b["sections"] = new JsonArray(
            "market_research", "content_generation", "logo_creation", "seo_optimization", "template_selection", "logo_creation")),
        ["feedback of 2001 characters"] = Regeneration("feedback", b => b["feedback"] = new string('f', 2001)),
        ["feedback a number"] = Regeneration("feedback", b => b["feedback"] = 5),
        ["feedback with a bell character"] = Regeneration("feedback", b => b["feedback"] = "Plus sobre\u0007"),
        ["cascade a string"] = Regeneration("cascade", b => b["cascade"] = "yes"),
        ["cascade a number"] = Regeneration("cascade", b => b["cascade"] = 1),
        ["revision set by the client"] = Regeneration("revision", b => b["revision"] = 7),
        ["regeneration not JSON"] = Raw(Regenerate, "$", "sections=logo_creation"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_bad_request_is_refused_with_a_problem_and_starts_nothing(string name)
    {
        var input = Cases[name];
        var (client, path) = await Caller(input);
        var commands = await api.CommandsSent();
        var keys = await api.Keys();

        var response = await client.SendAsync(Request(input, path));

        if (input.Field is null)
            await response.AssertProblem(input.Status);
        else
            await response.AssertInvalidField(input.Field);
        await response.AssertNoRawMarkup();
        Assert.Equal(commands, await api.CommandsSent());
        Assert.Equal(keys, await api.Keys());
    }

    public static TheoryData<string, string> FrenchCases => new()
    {
        { "business_name missing", "'business_name' ne doit pas être vide." },
        { "business_name of 121 characters", "'business_name' doit être inférieur ou égal à 120 caractères." },
        { "language de", "'language' doit être l'une des valeurs suivantes : fr, en." },
        { "NUL character in business_name", "'business_name' ne doit pas contenir de caractères de contrôle." },
        { "user_id set by the client", "'user_id' n'est pas un champ de cette requête" },
        { "location a string", "'location' doit être un objet JSON." },
        { "coaching_session_id digits in a string", "'coaching_session_id' doit être un entier positif" },
        { "coaching_session_id negative", "'coaching_session_id' doit être un entier positif" },
        { "a key without quotes", "Le corps n'est pas un JSON valide : l'erreur est ligne 1, octet 31." },
        { "Idempotency-Key with a space", "'Idempotency-Key' doit compter de 1 à 200 caractères ASCII visibles" },
        { "location.city missing", "'location.city' ne doit pas être vide." },
        { "body an array", "Le corps doit être un objet JSON." },
        { "sections naming an unknown section", "'sections' doit être l'une des valeurs suivantes : market_research," },
        { "a body over 64 KB", "Le corps dépasse les 64 Ko acceptés" },
        { "text/plain", "Envoyez le corps en JSON" },
    };

    [Theory]
    [MemberData(nameof(FrenchCases))]
    public async Task A_french_client_is_told_what_is_wrong_in_french(string name, string expected)
    {
        var input = Cases[name];
        var (client, path) = await Caller(input);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-SN, fr;q=0.9, en;q=0.5");

        var response = await client.SendAsync(Request(input, path));

        var problem = await response.AssertProblem(input.Status);
        Assert.True(Texts(problem).Contains(expected), $"{expected} not in {problem}");
    }

    public static TheoryData<string> IdsThatAreNotPositiveIntegers =>
    [
        "coaching_session_id digits in a string", "coaching_session_id text", "coaching_session_id a fraction",
        "coaching_session_id zero", "coaching_session_id negative", "coaching_session_id beyond 64 bits",
    ];

    [Theory]
    [MemberData(nameof(IdsThatAreNotPositiveIntegers))]
    public async Task An_id_that_is_not_a_positive_integer_is_refused_with_the_type_it_must_have(string name)
    {
        var input = Cases[name];
        var (client, path) = await Caller(input);

        var messages = await (await client.SendAsync(Request(input, path))).AssertInvalidField("coaching_session_id");

        Assert.StartsWith("'coaching_session_id' must be a positive integer", Assert.Single(messages));
    }

    [Fact]
    public async Task An_english_client_is_told_what_is_wrong_in_english()
    {
        var client = api.ClientFor("bad-input-en");

        var response = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/generate",
            Changed(BriefApiClient.DakarRequest(), b => b["user_id"] = "someone-else"));

        var messages = await response.AssertInvalidField("user_id");
        Assert.Equal("'user_id' is not a field of this request: it is unknown, or set by the server.", messages.Single());
    }

    public static TheoryData<string> UnicodeNames =>
        ["Café Téranga ✨", "مخبزة داكار", "Bàkkeefu Ndakaaru", "👩🏾‍🍳 Chez Awa", "达喀尔面包店", "Ñandutí & Co — l'atelier"];

    [Theory]
    [MemberData(nameof(UnicodeNames))]
    public async Task Any_unicode_text_is_accepted_and_kept_as_sent(string businessName)
    {
        var client = api.ClientFor($"unicode-{Guid.NewGuid():N}");
        var request = Changed(BriefApiClient.DakarRequest(), b =>
        {
            b["business_name"] = $"  {businessName} ";
            b["vision"] = "Une vision\nsur deux lignes,\tavec une tabulation.";
        });

        var briefId = await client.Submit(request);
        var brief = await client.Get(briefId);

        Assert.Equal(businessName, brief.GetProperty("business_name").GetString());
        Assert.Equal("Une vision\nsur deux lignes,\tavec une tabulation.", brief.GetProperty("vision").GetString());
    }

    /// <summary>Everything a person reads in a problem: its detail and each field's messages.</summary>
    static string Texts(JsonElement problem) => string.Join("\n",
        (problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString())
            : []).Prepend(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null));

    async Task<(HttpClient Client, string Path)> Caller(BadInput input)
    {
        var user = $"bad-input-{Guid.NewGuid():N}";
        var path = input.Endpoint == Generate
            ? $"{BriefApiClient.BasePath}/generate"
            : $"{BriefApiClient.BasePath}/{await api.ReadyBrief(user)}/regenerate";
        return (api.ClientFor(user), path);
    }

    static HttpRequestMessage Request(BadInput input, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = input.Body() };
        if (input.IdempotencyKey is not null)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", input.IdempotencyKey);
        if (input.Chunked)
            request.Headers.TransferEncodingChunked = true;
        return request;
    }
}
