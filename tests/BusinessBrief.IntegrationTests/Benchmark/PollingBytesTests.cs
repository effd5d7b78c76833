using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.IntegrationTests.EndToEnd;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.Benchmark;

/// <summary>
/// What a client polling every 500 ms downloads while one brief generates: the same brief followed at once by a poller that
/// sends nothing, one that sends <c>If-None-Match</c> and one that long-polls. The numbers go to docs/benchmarks.md.
/// </summary>
[Collection(BriefSystemCollection.Name)]
public class PollingBytesTests(BriefSystemFixture system, ITestOutputHelper output)
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    record Downloaded(int Requests, int FullAnswers, long Bytes);

    [Fact]
    public async Task A_conditional_poller_downloads_the_brief_only_when_it_changed()
    {
        // Two seconds per section: a generation of several seconds, as with a real model but shorter (docs/benchmarks.md used 10 s).
        system.ReconfigureAgents(LongPollingTests.SlowSections(TimeSpan.FromSeconds(2)));
        try
        {
            var client = system.ClientFor("awa");
            var path = $"{BriefApiClient.BasePath}/{await client.Submit()}";
            var pollers = await Task.WhenAll(
                Follow(client, path, conditional: false, waitSeconds: null),
                Follow(client, path, conditional: true, waitSeconds: null),
                Follow(client, path, conditional: true, waitSeconds: 25));
            var (plain, conditional, longPoll) = (pollers[0], pollers[1], pollers[2]);

            output.WriteLine($"every 500 ms:                {plain}");
            output.WriteLine($"every 500 ms, If-None-Match: {conditional}");
            output.WriteLine($"long poll (Prefer: wait=25): {longPoll}");
            Assert.True(conditional.FullAnswers < conditional.Requests, $"{conditional}");
            Assert.True(conditional.Bytes < plain.Bytes, $"{conditional} against {plain}");
            Assert.True(longPoll.Requests <= conditional.Requests, $"{longPoll} against {conditional}");
        }
        finally
        {
            system.ReconfigureAgents(LongPollingTests.SlowSections(null));
        }
    }

    /// <summary>Polls until the brief is settled; bytes are the body plus the status line and headers as HTTP/1.1 writes them.</summary>
    static async Task<Downloaded> Follow(HttpClient client, string path, bool conditional, int? waitSeconds)
    {
        var (requests, full, bytes) = (0, 0, 0L);
        string? tag = null;
        while (true)
        {
            var response = await client.GetIfChanged(path, conditional ? tag : null, tag is null ? null : waitSeconds);
            var body = await response.Content.ReadAsByteArrayAsync();
            requests++;
            bytes += body.Length + HeaderBytes(response);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                full++;
                tag = response.ETag();
                if (JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() is not ("generating" or "regenerating"))
                    return new Downloaded(requests, full, bytes);
            }
            if (waitSeconds is null)
                await Task.Delay(PollInterval);
        }
    }

    static long HeaderBytes(HttpResponseMessage response) =>
        $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n".Length + 2
        + response.Headers.Concat(response.Content.Headers).Sum(header => $"{header.Key}: {string.Join(", ", header.Value)}\r\n".Length);
}
