using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>A user stopping a generation, and a user erasing a brief: on the real broker and Redis.</summary>
[Collection(BriefSystemCollection.Name)]
public class CancellationAndErasureTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    readonly HttpClient client = system.ClientFor("awa");

    static Dictionary<string, string?> SlowLogo(bool slow) => new()
    {
        [$"SubAgents:Chaos:{SectionNames.LogoCreation}:LatencyRate"] = slow ? "1" : "0",
        [$"SubAgents:Chaos:{SectionNames.LogoCreation}:Latency"] = "00:10:00",
    };

    [Fact]
    public async Task Cancelling_a_slow_generation_stops_the_agent_ignores_the_late_result_and_a_regeneration_ends_ready()
    {
        var stopped = new ConcurrentBag<(string Section, double Seconds)>();
        using var listener = SectionsStopped(stopped);
        system.ReconfigureAgents(SlowLogo(true));
        Guid briefId;
        try
        {
            briefId = await client.Submit();
            // Research, copy and SEO answer; the logo agent has picked its job up and hangs in it, and the template waits for the logo.
            await Eventually.Returns("three sections completed and the logo job taken off its queue", async () =>
            {
                var sections = (await client.Get(briefId)).GetProperty("sections");
                return (Completed: SectionNames.All.Count(s => sections.GetProperty(s).GetProperty("status").GetString() == "completed"),
                    LogoJobsQueued: await TestInfrastructure.MessageCount(system.VirtualHost, Queues.SubAgent(SectionNames.LogoCreation)));
            }, progress => progress is (3, 0), Patience);

            var cancel = await client.PostAsync($"{Base}/{briefId}/cancel", null);

            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            var cancelled = await client.WaitUntilSettled(briefId);
            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            Assert.Equal("cancelled", cancelled.GetProperty("sections").GetProperty(SectionNames.LogoCreation).GetProperty("status").GetString());
            Assert.Equal("cancelled", cancelled.GetProperty("sections").GetProperty(SectionNames.TemplateSelection).GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, cancelled.GetProperty(SectionNames.LogoCreation).ValueKind);

            // The agent's token fired: its job ended long before its ten minutes of latency or its 60 s deadline.
            var (_, seconds) = await Eventually.Returns("the logo job stopped", () => stopped.FirstOrDefault(s => s.Section == SectionNames.LogoCreation),
                found => found.Section is not null, Patience);
            Assert.InRange(seconds, 0, 30);
        }
        finally
        {
            system.ReconfigureAgents(SlowLogo(false));
        }

        // A result for the cancelled job arriving anyway changes nothing.
        var logoJob = (await system.Service<RedisSagaStore<BriefState>>().Load(briefId))!.Sections[SectionNames.LogoCreation].JobId;
        await system.PublishLateLogoAnswer(briefId, logoJob);
        await Eventually.Returns($"{Queues.Briefs} drained", () => TestInfrastructure.MessageCount(system.VirtualHost, Queues.Briefs),
            count => count == 0, Patience);
        var afterLateResult = await client.Get(briefId);
        Assert.Equal("cancelled", afterLateResult.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, afterLateResult.GetProperty(SectionNames.LogoCreation).ValueKind);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"{Base}/{briefId}/cancel", null)).StatusCode);

        // Regenerating one finished section also re-runs the two the cancellation interrupted (the template after the new logo).
        var regenerate = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", new { sections = new[] { SectionNames.SeoOptimization } });
        Assert.Equal(HttpStatusCode.Accepted, regenerate.StatusCode);
        var ready = await client.WaitUntilSettled(briefId);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(2, ready.GetProperty("revision").GetInt32());
        Assert.Equal(JsonValueKind.Object, ready.GetProperty(SectionNames.LogoCreation).ValueKind);
        Assert.Equal(2, ready.GetProperty("sections").GetProperty(SectionNames.SeoOptimization).GetProperty("attempts").GetInt32());
        Assert.Equal(1, ready.GetProperty("sections").GetProperty(SectionNames.MarketResearch).GetProperty("attempts").GetInt32());
        Assert.False(system.ReadyEvents.ContainsKey((briefId, 1)));
        Assert.Equal(0, await TestInfrastructure.QueueDepth(system.VirtualHost, $"{Queues.Briefs}_error"));

        var tooLate = await client.PostAsync($"{Base}/{briefId}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Equal("application/problem+json", tooLate.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Deleting_a_brief_erases_every_key_of_it_and_later_messages_for_it_are_dropped()
    {
        var request = BriefApiClient.DakarRequest("Boutique Effacée");
        var idempotencyKey = $"erase-{Guid.NewGuid():N}";
        using var submit = new HttpRequestMessage(HttpMethod.Post, $"{Base}/generate") { Content = JsonContent.Create(request) };
        submit.Headers.Add("Idempotency-Key", idempotencyKey);
        var accepted = await client.SendAsync(submit);
        var briefId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("brief_id").GetGuid();
        await client.WaitUntilSettled(briefId);
        var before = await KeysHolding(briefId);
        string[] expected =
        [
            system.BriefKey(briefId),
            system.Service<IdempotencyKeys>().RedisKey("awa", idempotencyKey),
            $"{system.KeyRoot}in-flight:awa",
            $"{system.KeyRoot}briefs:awa",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), before);

        Assert.Equal(HttpStatusCode.NotFound, (await system.ClientFor("moussa").DeleteAsync($"{Base}/{briefId}")).StatusCode);
        Assert.Equal(before, await KeysHolding(briefId));

        var deleted = await client.DeleteAsync($"{Base}/{briefId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var tombstone = $"{system.BriefKey(briefId)}:erased";
        Assert.Equal([tombstone], await KeysHolding(briefId));
        var database = system.Redis.GetDatabase();
        Assert.Equal("1", (string?)await database.StringGetAsync(tombstone));
        Assert.InRange((await database.KeyTimeToLiveAsync(tombstone))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Base}/{briefId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"{Base}/{briefId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"{Base}/{briefId}/cancel", null)).StatusCode);

        // What was still on its way: a late answer, and the start command replayed as if it had been queued all along.
        await system.PublishLateLogoAnswer(briefId);
        var briefs = await system.Bus.GetSendEndpoint(Queues.Address(Queues.Briefs));
        await briefs.Send(new GenerateBrief
        {
            BriefId = briefId, UserId = "awa", Language = "fr", RequestedAt = DateTimeOffset.UtcNow,
            Profile = BriefApiClient.MinimalProfile("Boutique Effacée"),
        });
        await Eventually.Returns($"{Queues.Briefs} drained", () => TestInfrastructure.MessageCount(system.VirtualHost, Queues.Briefs),
            count => count == 0, Patience);
        await Task.Delay(500);

        Assert.Equal([tombstone], await KeysHolding(briefId));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Base}/{briefId}")).StatusCode);
        Assert.Equal(0u, await TestInfrastructure.MessageCount(system.VirtualHost, $"{Queues.Briefs}_error"));
        Assert.Equal(0u, await TestInfrastructure.MessageCount(system.VirtualHost, $"{Queues.Briefs}_skipped"));
    }

    [Fact]
    public async Task A_brief_shows_what_each_section_and_the_whole_cost_and_BriefReady_carries_it()
    {
        var briefId = await client.Submit();
        var brief = await client.WaitUntilSettled(briefId);

        var sections = brief.GetProperty("sections");
        foreach (var name in SectionNames.All)
        {
            var usage = sections.GetProperty(name).GetProperty("usage");
            Assert.Equal("offline", usage.GetProperty("backend").GetString());
            Assert.False(string.IsNullOrEmpty(usage.GetProperty("model").GetString()));
            Assert.True(usage.GetProperty("attempts").GetInt32() >= 1);
            Assert.InRange(usage.GetProperty("duration_ms").GetDouble(), double.Epsilon, 60_000);
        }
        var total = brief.GetProperty("usage");
        Assert.Equal(5, total.GetProperty("jobs").GetInt32());
        Assert.Equal(SectionNames.All.Sum(n => sections.GetProperty(n).GetProperty("usage").GetProperty("attempts").GetInt32()),
            total.GetProperty("attempts").GetInt32());
        Assert.Equal(SectionNames.All.Sum(n => sections.GetProperty(n).GetProperty("usage").GetProperty("duration_ms").GetDouble()),
            total.GetProperty("duration_ms").GetDouble(), precision: 6);
        Assert.Equal(0, total.GetProperty("prompt_tokens").GetInt64());

        var announced = await Eventually.Found("BriefReady for revision 1", () => system.ReadyEvents.GetValueOrDefault((briefId, 1)), Patience);
        Assert.Equal(5, announced.Usage!.Jobs);
        Assert.Equal(total.GetProperty("duration_ms").GetDouble(), announced.Usage.DurationMs, precision: 6);
        Assert.Equal(SectionNames.All.Order(), announced.SectionUsage!.Keys.Order());
    }

    /// <summary>Every key under the system's key root whose name or content holds the brief id.</summary>
    async Task<List<string>> KeysHolding(Guid briefId)
    {
        var id = briefId.ToString();
        var database = system.Redis.GetDatabase();
        var holding = new List<string>();
        foreach (var key in await RedisKeys.Matching(system.Redis, system.KeyRoot + "*"))
        {
            var content = await database.KeyTypeAsync(key) switch
            {
                RedisType.String => [await database.StringGetAsync(key)],
                RedisType.Hash => (await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }).ToArray(),
                RedisType.Set => await database.SetMembersAsync(key),
                RedisType.SortedSet => await database.SortedSetRangeByRankAsync(key),
                _ => Array.Empty<RedisValue>(),
            };
            if (key.ToString().Contains(id) || content.Any(value => value.ToString().Contains(id)))
                holding.Add(key.ToString());
        }
        // SCAN returns keys in no particular order.
        holding.Sort(StringComparer.Ordinal);
        return holding;
    }

    /// <summary>Section jobs the agents stopped because their brief was cancelled, with how long each had run.</summary>
    static MeterListener SectionsStopped(ConcurrentBag<(string Section, double Seconds)> stopped)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BriefMetrics.MeterName && instrument.Name == "businessbrief.section.duration")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (values.GetValueOrDefault("outcome") == "cancelled")
                stopped.Add((values["section"]!, seconds));
        });
        listener.Start();
        return listener;
    }
}
