using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// Sections written from other sections (<see cref="SectionGraph"/>) on the real broker and Redis: website copy and SEO
/// from the market research, the template from the logo; stale after an input is regenerated, rewritten with cascade.
/// </summary>
[Collection(BriefSystemCollection.Name)]
public class SectionDependencyTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;
    readonly HttpClient client = system.ClientFor("awa");

    [Fact]
    public async Task A_first_generation_writes_the_copy_and_seo_from_the_completed_research_and_the_template_from_the_logo()
    {
        var briefId = await client.Submit();
        var brief = await client.WaitUntilSettled(briefId);

        Assert.Equal("ready", brief.GetProperty("status").GetString());
        var research = brief.GetProperty(SectionNames.MarketResearch);
        var seo = brief.GetProperty(SectionNames.SeoOptimization);
        Assert.Equal(Strings(research, "search_keywords")[0], Strings(seo, "primary_keywords")[0]);
        Assert.Equal(research.GetProperty("target_segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()),
            brief.GetProperty(SectionNames.ContentGeneration).GetProperty("audiences").EnumerateArray().Select(a => a.GetProperty("segment").GetString()));
        var logoColour = brief.GetProperty(SectionNames.LogoCreation).GetProperty("palette").GetProperty("colors").EnumerateArray()
            .Single(c => c.GetProperty("role").GetString() == "primary").GetProperty("hex").GetString()!;
        Assert.All(brief.GetProperty(SectionNames.TemplateSelection).GetProperty("recommended").EnumerateArray(),
            t => Assert.Contains(Strings(t, "reasons"), reason => reason.Contains(logoColour)));

        foreach (var (section, input) in new[]
        {
            (SectionNames.ContentGeneration, SectionNames.MarketResearch),
            (SectionNames.SeoOptimization, SectionNames.MarketResearch),
            (SectionNames.TemplateSelection, SectionNames.LogoCreation),
        })
        {
            Assert.Equal((input, 1, true), BuiltOn(brief, section));
            Assert.True(UpdatedAt(brief, section) > UpdatedAt(brief, input), $"{section} answered before its input {input}");
        }
    }

    [Fact]
    public async Task Regenerating_the_market_research_marks_the_copy_and_seo_stale_and_the_brief_stays_ready()
    {
        var briefId = await client.Submit();
        var before = await client.WaitUntilSettled(briefId);

        await Regenerate(briefId, new { sections = new[] { SectionNames.MarketResearch } });
        var after = await client.WaitUntilSettled(briefId);

        Assert.Equal(("ready", 2, true), (after.GetProperty("status").GetString(), after.GetProperty("revision").GetInt32(),
            after.GetProperty("is_ready_for_website").GetBoolean()));
        foreach (var section in SectionNames.All)
        {
            var stale = section is SectionNames.ContentGeneration or SectionNames.SeoOptimization;
            var state = after.GetProperty("sections").GetProperty(section);
            Assert.Equal((section, "completed", stale), (section, state.GetProperty("status").GetString(), state.GetProperty("stale").GetBoolean()));
            Assert.Equal(stale ? [SectionNames.MarketResearch] : [], Strings(state, "changed_inputs"));
            if (section != SectionNames.MarketResearch)
                Assert.Equal(before.GetProperty(section).GetRawText(), after.GetProperty(section).GetRawText());
        }
        var announced = await Eventually.Found("BriefReady for revision 2", () => system.ReadyEvents.GetValueOrDefault((briefId, 2)));
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.SeoOptimization], announced.StaleSections);
    }

    [Fact]
    public async Task Regenerating_the_market_research_with_cascade_rewrites_the_copy_and_seo_once_from_the_new_research_in_one_revision()
    {
        var briefId = await client.Submit();
        var before = await client.WaitUntilSettled(briefId);

        var accepted = await Regenerate(briefId, new { sections = new[] { SectionNames.MarketResearch }, cascade = true });
        Assert.Equal(2, accepted.GetProperty("revision").GetInt32());
        var meanwhile = (await client.Get(briefId)).GetProperty("sections");
        foreach (var cascaded in new[] { SectionNames.ContentGeneration, SectionNames.SeoOptimization })
        {
            // Never shown as done with the old research: pending until re-sent, then running, then completed again.
            var state = meanwhile.GetProperty(cascaded);
            Assert.True(state.GetProperty("status").GetString() == "pending" || state.GetProperty("attempts").GetInt32() == 2, state.ToString());
        }
        var after = await client.WaitUntilSettled(briefId);

        Assert.Equal(("ready", 2), (after.GetProperty("status").GetString(), after.GetProperty("revision").GetInt32()));
        var oldLead = Strings(before.GetProperty(SectionNames.MarketResearch), "search_keywords")[0];
        var newLead = Strings(after.GetProperty(SectionNames.MarketResearch), "search_keywords")[0];
        Assert.NotEqual(oldLead, newLead);
        Assert.Equal(newLead, Strings(after.GetProperty(SectionNames.SeoOptimization), "primary_keywords")[0]);
        foreach (var section in SectionNames.All)
        {
            var rewritten = section is SectionNames.MarketResearch or SectionNames.ContentGeneration or SectionNames.SeoOptimization;
            var state = after.GetProperty("sections").GetProperty(section);
            Assert.Equal((section, rewritten ? 2 : 1, false), (section, state.GetProperty("attempts").GetInt32(), state.GetProperty("stale").GetBoolean()));
            if (!rewritten)
                Assert.Equal(before.GetProperty(section).GetRawText(), after.GetProperty(section).GetRawText());
        }
        Assert.Equal((SectionNames.MarketResearch, 2, true), BuiltOn(after, SectionNames.ContentGeneration));
        Assert.Equal((SectionNames.MarketResearch, 2, true), BuiltOn(after, SectionNames.SeoOptimization));

        var announced = await Eventually.Found("BriefReady for revision 2", () => system.ReadyEvents.GetValueOrDefault((briefId, 2)));
        Assert.Empty(announced.StaleSections);
        Assert.Equal(newLead, Strings(announced.Sections[SectionNames.SeoOptimization], "primary_keywords")[0]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(system.ReadyReceived, r => r.BriefId == briefId && r.Revision == 2);
        Assert.DoesNotContain(system.ReadyReceived, r => r.BriefId == briefId && r.Revision > 2);
    }

    async Task<JsonElement> Regenerate(Guid briefId, object body)
    {
        var response = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    static (string? Section, int Revision, bool Used) BuiltOn(JsonElement brief, string section)
    {
        var input = Assert.Single(brief.GetProperty(section).GetProperty("built_on").EnumerateArray());
        return (input.GetProperty("section").GetString(), input.GetProperty("revision").GetInt32(), input.GetProperty("used").GetBoolean());
    }

    static DateTimeOffset UpdatedAt(JsonElement brief, string section) =>
        brief.GetProperty("sections").GetProperty(section).GetProperty("updated_at").GetDateTimeOffset();

    static List<string> Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();
}
