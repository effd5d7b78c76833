using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>Clients without SSE follow a brief with <c>If-None-Match</c> and <c>Prefer: wait</c>, on the real broker and Redis.</summary>
[Collection(BriefSystemCollection.Name)]
public class LongPollingTests(BriefSystemFixture system, ITestOutputHelper output)
{
    const string Base = BriefApiClient.BasePath;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    readonly HttpClient client = system.ClientFor("awa");

    [Fact]
    public async Task One_tag_always_names_the_same_brief_while_it_generates_is_regenerated_and_gets_its_website()
    {
        var briefId = await client.Submit();
        var path = $"{Base}/{briefId}";
        var tags = new List<string>();
        var bodies = new Dictionary<string, string>();
        async Task<string> Read()
        {
            var response = await client.GetAsync(path);
            var body = ConditionalRequests.WithoutExpiry(await response.Content.ReadAsStringAsync());
            var tag = response.ETag();
            Assert.Equal(bodies.GetValueOrDefault(tag, body), body);
            bodies[tag] = body;
            if (tags.LastOrDefault() != tag)
                tags.Add(tag);
            return JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!;
        }

        while (await Read() == "generating")
            await Task.Delay(10);
        await Eventually.Returns("BriefReady received", () => system.ReadyEvents.ContainsKey((briefId, 1)), received => received, Patience);
        await using var websiteBuilder = await ExampleWebsiteBuilder.Start(system.VirtualHost);
        var regenerate = await client.PostAsJsonAsync($"{path}/regenerate", new { sections = new[] { SectionNames.LogoCreation } });
        Assert.Equal(HttpStatusCode.Accepted, regenerate.StatusCode);
        var readyTag = tags[^1];
        Assert.Contains(await Read(), new[] { "regenerating", "ready", "used" });
        Assert.NotEqual(readyTag, tags[^1]);
        while (await Read() != "used")
            await Task.Delay(10);

        output.WriteLine($"tags seen: {string.Join(" ", tags)}");
        // Each tag was seen once in a row: a tag never comes back once the brief moved on.
        Assert.Equal(tags.Count, tags.Distinct().Count());
        Assert.Contains("\"status\":\"used\"", bodies[tags[^1]]);
        Assert.DoesNotContain("\"status\":\"used\"", bodies[tags[^2]]);
    }

    [Fact]
    public async Task A_long_poll_answers_as_soon_as_a_section_of_the_brief_is_stored()
    {
        // Each section takes 0.4 s, so that its answer is stored while a read is held.
        system.ReconfigureAgents(SlowSections(TimeSpan.FromMilliseconds(400)));
        try
        {
            var latencies = await FollowWithLongPolls($"{Base}/{await client.Submit()}");

            output.WriteLine($"change stored -> long poll answered: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F1} ms"))}");
            // The sections answer in two waves (research and logo, then the three that build on them): one held read each, at least.
            Assert.True(latencies.Count >= 2, $"only {latencies.Count} changes were stored while a read was held");
            // Typically a few ms; the bound leaves room for a loaded 2-core machine without letting a missed wake-up (5 s) pass.
            Assert.All(latencies, latency => Assert.InRange(latency.TotalMilliseconds, 0, 1000));
        }
        finally
        {
            system.ReconfigureAgents(SlowSections(null));
        }
    }

    /// <summary>
    /// Follows the brief to its end with held reads; for each read answered by a change made while it was held, the time
    /// from that change (the brief's <c>updated_at</c>, dated by the orchestrator before it stored it) to the answer.
    /// </summary>
    async Task<List<TimeSpan>> FollowWithLongPolls(string path)
    {
        var latencies = new List<TimeSpan>();
        var tag = (await client.GetAsync(path)).ETag();
        for (var running = true; running;)
        {
            var sent = DateTimeOffset.UtcNow;
            var response = await client.GetIfChanged(path, tag, waitSeconds: 25);
            var answered = DateTimeOffset.UtcNow;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(answered - sent < TimeSpan.FromSeconds(20), $"held {answered - sent} for a brief that was generating");
            Assert.Equal("wait=25", response.PreferenceApplied());

            var brief = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (brief.GetProperty("updated_at").GetDateTimeOffset() is var changed && changed > sent)
                latencies.Add(answered - changed);
            tag = response.ETag();
            running = brief.GetProperty("status").GetString() is "generating" or "regenerating";
        }
        return latencies;
    }

    /// <summary>Every sub-agent answers after <paramref name="latency"/> (the agents' chaos settings); null restores them.</summary>
    public static Dictionary<string, string?> SlowSections(TimeSpan? latency) => SectionNames.All.SelectMany(section => new[]
    {
        KeyValuePair.Create($"SubAgents:Chaos:{section}:LatencyRate", (string?)(latency is null ? "0" : "1")),
        KeyValuePair.Create($"SubAgents:Chaos:{section}:Latency", (string?)(latency ?? TimeSpan.FromMinutes(10)).ToString("c")),
    }).ToDictionary();
}
