using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.EndToEnd;

[Collection(BriefSystemCollection.Name)]
public class BriefGenerationTests(BriefSystemFixture system, ITestOutputHelper output)
{
    [Fact]
    public async Task A_submitted_brief_is_generated_end_to_end_and_announced_to_subscribers()
    {
        var client = system.ClientFor("awa");

        var briefId = await client.Submit();
        var brief = await client.WaitUntilSettled(briefId);

        Assert.Equal("ready", brief.GetProperty("status").GetString());
        Assert.Equal("awa", brief.GetProperty("user_id").GetString());
        Assert.Equal("Boulangerie Téranga", brief.GetProperty("business_name").GetString());
        Assert.Equal(1, brief.GetProperty("revision").GetInt32());
        Assert.Equal(1.0, brief.GetProperty("brief_completeness").GetDouble());
        Assert.True(brief.GetProperty("is_ready_for_website").GetBoolean());
        Assert.InRange(brief.GetProperty("overall_confidence").GetDouble(), 0.01, 1.0);
        foreach (var section in SectionNames.All)
        {
            Assert.Equal(JsonValueKind.Object, brief.GetProperty(section).ValueKind);
            Assert.Equal("completed", brief.GetProperty("sections").GetProperty(section).GetProperty("status").GetString());
        }

        var announced = await Eventually.Found("BriefReady for revision 1", () => system.ReadyEvents.GetValueOrDefault((briefId, 1)));
        Assert.Equal(5, announced.Sections.Count);
        Assert.Equal("awa", announced.UserId);

        var key = system.BriefKey(briefId);
        var ttl = await system.Redis.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value.TotalSeconds, 7000, 7200);
    }

    [Fact]
    public async Task Results_hold_the_five_sections_once_ready()
    {
        var client = system.ClientFor("awa");
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);

        var results = await client.GetFromJsonAsync<JsonElement>($"{BriefApiClient.BasePath}/{briefId}/results");

        Assert.Equal(SectionNames.All.Order(), results.EnumerateObject().Select(p => p.Name).Order());
        Assert.All(results.EnumerateObject(), p => Assert.Equal(JsonValueKind.Object, p.Value.ValueKind));
    }

    [Fact]
    public async Task Another_user_gets_404_for_a_brief_that_is_not_theirs()
    {
        var briefId = await system.ClientFor("awa").Submit();
        var other = system.ClientFor("moussa");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{BriefApiClient.BasePath}/{briefId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{BriefApiClient.BasePath}/{briefId}/results")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{BriefApiClient.BasePath}/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_hundred_briefs_submitted_at_once_are_all_ready_and_none_is_lost()
    {
        const int count = 100;
        var client = system.ClientFor("load");
        var clock = Stopwatch.StartNew();

        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            client.Submit(BriefApiClient.DakarRequest($"Commerce n°{i}"))));
        var briefs = await Task.WhenAll(ids.Select(id => client.WaitUntilSettled(id, TimeSpan.FromSeconds(90))));
        clock.Stop();

        Assert.Equal(count, ids.Distinct().Count());
        Assert.All(briefs, b => Assert.Equal("ready", b.GetProperty("status").GetString()));
        await Eventually.Returns($"BriefReady for all {count} briefs", () => ids.Count(id => system.ReadyEvents.ContainsKey((id, 1))),
            announced => announced == count);
        output.WriteLine($"{count} briefs ready in {clock.Elapsed.TotalSeconds:0.00} s: {count / clock.Elapsed.TotalSeconds:0.0} briefs/s");
        Assert.Equal(0, await TestInfrastructure.QueueDepth(system.VirtualHost, "brief-state_error"));
    }
}
