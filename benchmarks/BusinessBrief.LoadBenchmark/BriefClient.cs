using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// What one client of the API does for one brief: POST it, then poll it until it is ready, while the
/// <see cref="BriefReadySubscriber"/> notes when its <c>BriefReady</c> went out to the world.
/// </summary>
public sealed class BriefClient(BenchmarkTarget target, BriefReadySubscriber subscriber, LoadBenchmarkOptions options)
{
    const string BasePath = "api/v1/business/brief";
    static readonly JsonObject Example = LoadExample();

    /// <param name="intendedAt">When the request was meant to leave (Stopwatch ticks): latency counts from there.</param>
    /// <param name="settled">Completed once the brief's BriefReady was seen, it timed out or was rejected: when a client
    /// that waits for the event would move on. The returned outcome also waits for polling to see the brief ready.</param>
    public async Task<BriefOutcome> Generate(int number, string userId, long intendedAt, TaskCompletionSource settled,
        CancellationToken cancellationToken)
    {
        try
        {
            var deadline = intendedAt + Ticks(options.BriefTimeout);
            Guid briefId;
            try
            {
                using var response = await target.Api.SendAsync(Request(HttpMethod.Post, $"{BasePath}/generate", userId, Body(number)),
                    cancellationToken);
                if (response.StatusCode != HttpStatusCode.Accepted)
                    return BriefOutcome.Rejected(intendedAt, (int)response.StatusCode);
                briefId = (await response.Content.ReadFromJsonAsync<AcceptedBrief>(cancellationToken))!.BriefId;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return BriefOutcome.Rejected(intendedAt, 0);
            }

            var polling = PollUntilSettled(briefId, userId, deadline, cancellationToken);
            long? readyAt = null;
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            try
            {
                readyAt = await subscriber.WhenReady(briefId).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
                    cancellationToken);
            }
            catch (TimeoutException)
            {
            }
            settled.TrySetResult();

            var poll = await polling;
            return new BriefOutcome(intendedAt, (int)HttpStatusCode.Accepted, briefId, readyAt, poll.ReadyAt, poll.Status, poll.Polls);
        }
        finally
        {
            // Rejected or failed: the client must not wait for an announcement that will never come.
            settled.TrySetResult();
        }
    }

    async Task<PollResult> PollUntilSettled(Guid briefId, string userId, long deadline, CancellationToken cancellationToken)
    {
        if (options.PollInterval == TimeSpan.Zero)
            return new PollResult(null, null, 0);

        var polls = 0;
        string? status = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(options.PollInterval, cancellationToken);
            polls++;
            try
            {
                using var response = await target.Api.SendAsync(Request(HttpMethod.Get, $"{BasePath}/{briefId}", userId), cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                    continue;
                status = (await response.Content.ReadFromJsonAsync<PolledBrief>(cancellationToken))!.Status;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            if (status is not ("generating" or "regenerating"))
                return new PollResult(status, status == "ready" ? Stopwatch.GetTimestamp() : null, polls);
        }
        return new PollResult(status, null, polls);
    }

    HttpRequestMessage Request(HttpMethod method, string path, string userId, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.TokenFor(userId));
        return request;
    }

    /// <summary>The README's Dakar brief, each business with its own name so that no two requests are alike.</summary>
    static JsonContent Body(int number)
    {
        var body = Example.DeepClone().AsObject();
        body["business_name"] = $"{Example["business_name"]} {number}";
        return JsonContent.Create(body);
    }

    static JsonObject LoadExample()
    {
        using var stream = typeof(BriefClient).Assembly.GetManifestResourceStream("dakar-brief.json")!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    record AcceptedBrief([property: JsonPropertyName("brief_id")] Guid BriefId);

    record PolledBrief(string Status);

    record PollResult(string? Status, long? ReadyAt, int Polls);
}

/// <summary>What happened to one brief. Times are Stopwatch ticks.</summary>
public record BriefOutcome(long IntendedAt, int HttpStatus, Guid? BriefId, long? ReadyEventAt, long? PollReadyAt,
    string? PolledStatus, int Polls)
{
    public static BriefOutcome Rejected(long intendedAt, int httpStatus) => new(intendedAt, httpStatus, null, null, null, null, 0);

    public bool Accepted => BriefId is not null;

    /// <summary>Accepted, but its BriefReady never came within the timeout.</summary>
    public bool Lost => Accepted && ReadyEventAt is null;

    public TimeSpan? ReadyEventLatency => ReadyEventAt is { } at ? Stopwatch.GetElapsedTime(IntendedAt, at) : null;

    public TimeSpan? PollLatency => PollReadyAt is { } at ? Stopwatch.GetElapsedTime(IntendedAt, at) : null;
}
