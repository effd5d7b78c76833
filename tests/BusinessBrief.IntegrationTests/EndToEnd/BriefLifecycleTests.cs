using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using MassTransit;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>Everything after the first generation: regeneration, website creation, expiry, storage and export.</summary>
[Collection(BriefSystemCollection.Name)]
public class BriefLifecycleTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    readonly HttpClient client = system.ClientFor("awa");

    [Fact]
    public async Task Regenerating_one_section_reruns_only_it_and_keeps_the_other_four_byte_for_byte()
    {
        var briefId = await client.Submit();
        var before = await client.WaitUntilSettled(briefId);

        var response = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate",
            new { sections = new[] { "content_generation", "content_generation" }, feedback = "Un ton plus chaleureux" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());

        var after = await client.WaitUntilSettled(briefId);
        Assert.Equal("ready", after.GetProperty("status").GetString());
        Assert.Equal(2, after.GetProperty("revision").GetInt32());
        foreach (var section in SectionNames.All.Where(s => s != SectionNames.ContentGeneration))
        {
            Assert.Equal(before.GetProperty(section).GetRawText(), after.GetProperty(section).GetRawText());
            Assert.Equal(1, after.GetProperty("sections").GetProperty(section).GetProperty("attempts").GetInt32());
        }
        var content = after.GetProperty("sections").GetProperty(SectionNames.ContentGeneration);
        Assert.Equal(2, content.GetProperty("attempts").GetInt32());
        Assert.True(content.GetProperty("updated_at").GetDateTimeOffset() >
            before.GetProperty("sections").GetProperty(SectionNames.ContentGeneration).GetProperty("updated_at").GetDateTimeOffset());
        await Eventually.Found("BriefReady for revision 2", () => system.ReadyEvents.GetValueOrDefault((briefId, 2)), Patience);
    }

    [Fact]
    public async Task Regenerating_while_a_generation_runs_is_refused_with_409()
    {
        // Accepted by the API but not yet picked up by the saga: generating for as long as the test needs,
        // whereas a real submission can finish faster than the next request.
        var briefId = NewId.NextGuid();
        await system.Service<BriefStore>().Accept(new GenerateBrief
        {
            BriefId = briefId, UserId = "awa", Language = "fr", RequestedAt = DateTimeOffset.UtcNow,
            Profile = StoredProfile("Boulangerie Téranga", "boulangerie"),
        });
        Assert.Equal("generating", (await client.Get(briefId)).GetProperty("status").GetString());

        var response = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", new { sections = new[] { "logo_creation" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{ "sections": ["logo"] }""")]
    [InlineData("""{ "sections": [] }""")]
    [InlineData("""{ "feedback": "plus moderne" }""")]
    public async Task Regenerating_unknown_or_no_sections_is_refused_with_the_valid_names(string body)
    {
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);

        var response = await client.PostAsync($"{Base}/{briefId}/regenerate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(e => e.GetString());
        Assert.Contains(errors, e => e!.Contains("market_research, content_generation, logo_creation, seo_optimization, template_selection"));
        Assert.Equal(1, (await client.Get(briefId)).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_website_builder_answering_BriefReady_with_WebsiteCreated_marks_the_brief_used_and_keeps_it_longer()
    {
        // The example subscriber: what DigitalCloud360 does with a ready brief (see README).
        await using var websiteBuilder = await ExampleWebsiteBuilder.Start(system.VirtualHost);
        var briefId = await client.Submit();

        var used = await Eventually.Returns("the brief marked used", () => client.Get(briefId),
            brief => brief.GetProperty("status").GetString() == "used", Patience);

        Assert.Equal(WebsiteBuilderConsumer.WebsiteIdFor(briefId), used.GetProperty("dc360_website_id").GetInt64());
        var ttl = await system.Redis.GetDatabase().KeyTimeToLiveAsync(system.BriefKey(briefId));
        Assert.True(ttl > TimeSpan.FromDays(29), $"a used brief is kept 30 days, it had {ttl} left");

        var again = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", new { sections = new[] { "logo_creation" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Reading_a_brief_renews_its_two_hour_lifetime()
    {
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);
        var database = system.Redis.GetDatabase();
        await database.KeyExpireAsync(system.BriefKey(briefId), TimeSpan.FromSeconds(60));

        var brief = await client.Get(briefId);

        var ttl = await database.KeyTimeToLiveAsync(system.BriefKey(briefId));
        Assert.InRange(ttl!.Value.TotalSeconds, 7100, 7200);
        Assert.InRange((brief.GetProperty("expires_at").GetDateTimeOffset() - DateTimeOffset.UtcNow).TotalSeconds, 7100, 7200);
    }

    [Fact]
    public async Task An_expired_brief_is_served_from_the_archive_and_a_late_answer_for_it_is_dropped_without_an_error_queue_entry()
    {
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);
        await Eventually.Returns<BriefState?>("the brief archived", () => system.Service<BriefArchive>().FindOwned(briefId, "awa"), brief => brief is not null,
            Patience);
        await system.Redis.GetDatabase().KeyExpireAsync(system.BriefKey(briefId), TimeSpan.FromMilliseconds(200));
        await Task.Delay(400);

        var archived = await client.Get(briefId);
        Assert.Equal("ready", archived.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, archived.GetProperty("expires_at").ValueKind);

        await system.PublishLateLogoAnswer(briefId);
        await Eventually.Returns($"{Queues.Briefs} drained", () => TestInfrastructure.QueueDepth(system.VirtualHost, Queues.Briefs),
            depth => depth == 0, Patience);

        Assert.Equal(0, await TestInfrastructure.QueueDepth(system.VirtualHost, $"{Queues.Briefs}_error"));
        Assert.Equal(archived.GetRawText(), (await client.Get(briefId)).GetRawText());
        Assert.False(await system.Redis.GetDatabase().KeyExistsAsync(system.BriefKey(briefId)));
    }

    [Fact]
    public async Task A_brief_larger_than_100_KB_is_stored_compressed_and_served_whole()
    {
        var store = system.Service<RedisSagaStore<BriefState>>();
        var body = string.Join(" ", Enumerable.Range(0, 30_000).Select(i => $"paragraphe{i}"));
        var brief = new BriefState
        {
            CorrelationId = NewId.NextGuid(), Status = BriefStatus.Ready, UserId = "awa", Language = "fr", Revision = 1,
            Profile = StoredProfile("Grande Boutique", "commerce"),
            Sections = SectionNames.All.ToDictionary(s => s, s => new SectionState
            {
                Status = SectionStatus.Completed, Confidence = 0.5, Result = JsonSerializer.SerializeToElement(new { body }),
            }),
        };
        await store.Insert(brief);

        // Each section is its own document in the brief's hash; each one here is over the threshold.
        var stored = (byte[])(await system.Redis.GetDatabase().HashGetAsync(system.BriefKey(brief.CorrelationId), $"data:{SectionNames.ContentGeneration}"))!;
        Assert.Equal([0x1F, 0x8B], stored[..2]);
        var served = await client.Get(brief.CorrelationId);
        Assert.Equal(body, served.GetProperty(SectionNames.ContentGeneration).GetProperty("body").GetString());
    }

    [Fact]
    public async Task The_brief_exports_as_markdown_and_as_a_json_download()
    {
        var briefId = await client.Submit(BriefApiClient.DakarRequest("Café *Téranga* <b>&</b>"));
        await client.WaitUntilSettled(briefId);

        var markdown = await client.GetAsync($"{Base}/{briefId}/export?format=markdown");
        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        var text = await markdown.Content.ReadAsStringAsync();
        Assert.StartsWith(@"# Café \*Téranga\* &lt;b&gt;&amp;&lt;/b&gt;", text);
        Assert.Contains("## Étude de marché", text);
        Assert.Contains("## Référencement (SEO)", text);
        Assert.DoesNotContain("<b>", text);
        Assert.Matches(@"· coût 5 tâches, [\d,]+ m?s\n", text);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(text, @"\n_Coût : hors ligne, 1 tentative, [\d,]+ m?s_\n"));

        var json = await client.GetAsync($"{Base}/{briefId}/export?format=json");
        Assert.Equal("attachment", json.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"brief-{briefId}.json", json.Content.Headers.ContentDisposition?.FileNameStar ?? json.Content.Headers.ContentDisposition?.FileName);
        var exported = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(briefId, exported.GetProperty("brief_id").GetGuid());

        var unknown = await client.GetAsync($"{Base}/{briefId}/export?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task A_logo_is_served_as_a_safe_standalone_svg_image()
    {
        var briefId = await client.Submit(BriefApiClient.DakarRequest("</text><script>alert(1)</script>"));
        await client.WaitUntilSettled(briefId);

        var response = await client.GetAsync($"{Base}/{briefId}/logos/1.svg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.NotNull(svg.Root!.Attribute("viewBox"));
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "script");
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.Contains("<script>"));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Base}/{briefId}/logos/99.svg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await system.ClientFor("moussa").GetAsync($"{Base}/{briefId}/logos/1.svg")).StatusCode);
    }

    /// <summary>A profile for a brief written straight into Redis: only its name and sector matter to these tests.</summary>
    static BusinessProfile StoredProfile(string businessName, string sector) => new()
    {
        CoachingSessionId = 42, BusinessName = businessName, Vision = "v", Mission = "m", TargetAudience = "t",
        Differentiation = "d", ValueProposition = "p", Sector = sector,
        Location = new BusinessLocation { City = "Dakar", Country = "Sénégal" },
    };
}
