using BusinessBrief.Persistence;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary><c>GET /{brief_id}/events</c>: a brief's progress as Server-Sent Events, on the real broker and Redis.</summary>
[Collection(BriefSystemCollection.Name)]
public class LiveProgressTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;

    [Fact]
    public async Task The_stream_shows_each_section_completing_then_the_ready_brief_and_ends()
    {
        var client = system.ClientFor("awa");
        var briefId = await client.Submit();

        var events = await ReadStream(client, briefId);

        var completed = events.Where(e => e.Type == "section" && e.Data.GetProperty("status").GetString() == "completed")
            .Select(e => e.Data.GetProperty("section").GetString()!).ToHashSet();
        Assert.Equal(SectionNames.All.ToHashSet(), completed);
        var last = events[^1];
        Assert.Equal("brief", last.Type);
        Assert.Equal("ready", last.Data.GetProperty("status").GetString());
        Assert.Equal(1.0, last.Data.GetProperty("brief_completeness").GetDouble());
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Id)));
    }

    [Fact]
    public async Task A_client_that_already_saw_the_final_state_is_told_there_is_nothing_more_to_follow()
    {
        var client = system.ClientFor("awa");
        var briefId = await client.Submit();
        var events = await ReadStream(client, briefId);

        using var resume = new HttpRequestMessage(HttpMethod.Get, $"{Base}/{briefId}/events");
        resume.Headers.Add("Last-Event-ID", events[^1].Id);
        var response = await client.SendAsync(resume);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        // An id from before the brief finished (revision 1, the saga's first write): the stream sends the current state.
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"{Base}/{briefId}/events");
        stale.Headers.Add("Last-Event-ID", "1.1");
        var replay = await ReadStream(client, briefId, stale);
        Assert.Equal("ready", replay[^1].Data.GetProperty("status").GetString());
        Assert.Equal(SectionNames.All.Count, replay.Count(e => e.Type == "section"));
    }

    [Fact]
    public async Task The_orchestrator_wakes_the_streams_of_every_api_instance_through_redis_each_time_it_stores_the_brief()
    {
        var client = system.ClientFor("awa");
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);
        // Sharded pub/sub has no pattern subscription: listen to the brief's channel, then make the orchestrator store it anew.
        var announced = 0;
        var channel = RedisChannel.Sharded(new BriefStorageOptions { KeyPrefix = system.KeyPrefix }.ChangeChannel(briefId));
        await system.Redis.GetSubscriber().SubscribeAsync(channel, (_, _) => Interlocked.Increment(ref announced));
        try
        {
            var regenerated = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", new { sections = SectionNames.All });
            Assert.Equal(HttpStatusCode.Accepted, regenerated.StatusCode);
            await client.WaitUntilSettled(briefId);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            // Stored at least once at the start of the revision and once per section answer.
            while (announced < 1 + SectionNames.All.Count && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            Assert.True(announced >= 1 + SectionNames.All.Count, $"{announced} announcements");
        }
        finally
        {
            await system.Redis.GetSubscriber().UnsubscribeAsync(channel);
        }
    }

    [Fact]
    public async Task Another_users_brief_has_no_stream()
    {
        var briefId = await system.ClientFor("awa").Submit();

        var response = await system.ClientFor("moussa").GetAsync($"{Base}/{briefId}/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    record ServerSentEvent(string? Id, string Type, JsonElement Data);

    /// <summary>Reads the stream to its end as an EventSource would (bounded: the brief must finish within 30 s).</summary>
    static async Task<List<ServerSentEvent>> ReadStream(HttpClient client, Guid briefId, HttpRequestMessage? request = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        request ??= new HttpRequestMessage(HttpMethod.Get, $"{Base}/{briefId}/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = new List<ServerSentEvent>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? id = null, type = null, data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                    events.Add(new ServerSentEvent(id, type ?? "message", JsonDocument.Parse(data).RootElement.Clone()));
                (id, type, data) = (null, null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = line[6..];
        }
        return events;
    }
}
