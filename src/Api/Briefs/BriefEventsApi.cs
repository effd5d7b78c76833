using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Api.Briefs;

/// <summary>
/// Live progress of a brief as Server-Sent Events: a <c>section</c> event each time a section changes status (or becomes stale), a
/// <c>brief</c> event each time the brief does, and the stream ends once the brief is ready, incomplete, used or cancelled.
/// Each event's id names the stored state it reflects; a client reconnecting with <c>Last-Event-ID</c> gets the
/// current state again only if it changed since (a finished brief it already saw answers 204, which stops
/// EventSource from reconnecting).
/// </summary>
public static class BriefEventsApi
{
    public static RouteGroupBuilder MapBriefEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BriefsApi.BasePath)
            .WithTags("Briefs")
            .RequireAuthorization();

        api.MapGet("/{brief_id:guid}/events", StreamBriefEvents).WithName(nameof(StreamBriefEvents))
            .RequireRateLimiting(RateLimitingExtensions.ReadPolicy);
        return api;
    }

    /// <summary>An EventSource over the cap reconnects after its retry interval: this long, rather than in a tight loop.</summary>
    public static readonly TimeSpan RetryAfterTooManyStreams = TimeSpan.FromSeconds(10);

    public static async Task<Results<ServerSentEventsResult<object>, NoContent, NotFound, ProblemHttpResult>> StreamBriefEvents(
        [FromRoute(Name = "brief_id")] Guid briefId, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, ClaimsPrincipal user,
        BriefServices services, BriefChangeFeed changeFeed, EventStreams streams, IOptions<BriefApiOptions> options, HttpContext http,
        CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var stored = await services.Store.FindOwned(briefId, userId);
        if (stored is null)
            return TypedResults.NotFound();
        if (!stored.Status.IsRunning() && stored.Tag == lastEventId)
            return TypedResults.NoContent();

        var max = options.Value.MaxEventStreamsPerUser;
        if (streams.TryOpen(userId, max) is not { } slot)
            return RateLimitingExtensions.TooManyRequests(http, RetryAfterTooManyStreams,
                messages => seconds => messages.TooManyEventStreams(max, seconds));
        // Held until the response is done, however it ends: streamed to the end, cut by the client, or never started.
        http.Response.RegisterForDispose(slot);
        return TypedResults.ServerSentEvents(Progress(stored, lastEventId, () => changeFeed.Subscribe(briefId),
            () => services.Store.FindOwned(briefId, userId), cancellationToken));
    }

    // Subscribes once the stream runs: a response that never starts (the client went away) leaves no subscription behind.
    static async IAsyncEnumerable<SseItem<object>> Progress(BriefSnapshot stored, string? lastEventId,
        Func<Task<BriefChangeSubscription>> subscribe, Func<Task<BriefSnapshot?>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var changes = await subscribe();
        var sent = new Dictionary<string, (string Status, int Attempts, bool Stale)>();
        for (var snapshot = stored; snapshot is not null; snapshot = await read())
        {
            var brief = snapshot.Brief;
            var id = snapshot.Tag;
            if (id != lastEventId)
            {
                foreach (var name in SectionNames.All)
                {
                    var section = brief.Sections.GetValueOrDefault(name) ?? new SectionState { Status = SectionStatus.Pending };
                    if (sent.GetValueOrDefault(name) == (section.Status, section.Attempts, section.IsStale))
                        continue;
                    sent[name] = (section.Status, section.Attempts, section.IsStale);
                    yield return new SseItem<object>(
                        new SectionProgress(name, section.Status, section.Attempts, brief.Revision, section.Error, section.IsStale), "section")
                        { EventId = id };
                }
                yield return new SseItem<object>(new BriefProgress(snapshot.Status.ToWire(), brief.Revision, brief.BriefCompleteness), "brief")
                    { EventId = id };
                lastEventId = id;
            }

            if (!snapshot.Status.IsRunning())
                yield break;
            await changes.WaitForChange(atMost: null, cancellationToken);
        }
    }

}

public record SectionProgress(string Section, string Status, int Attempts, int Revision, string? Error, bool Stale);

public record BriefProgress(string Status, int Revision, double BriefCompleteness);
