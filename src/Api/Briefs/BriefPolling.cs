using System.Globalization;
using BusinessBrief.Persistence;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BusinessBrief.Api.Briefs;

/// <summary>
/// The reads of clients that poll. A read whose <c>If-None-Match</c> names the stored state is answered "not modified" from
/// the brief's version alone, never its documents; with <c>Prefer: wait=N</c> (RFC 7240) it is held until the brief changes
/// or N elapses, woken by the change feed that wakes the event streams: long polling for clients without SSE.
/// </summary>
public class BriefPolling(BriefStore store, BriefChangeFeed changeFeed, LongPolls longPolls, IOptions<BriefApiOptions> options,
    TimeProvider clock)
{
    /// <summary>The longest a read is held: below the idle timeouts of the usual proxies (60 s) with room to spare.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    /// <summary>A user over the cap of long polls backs off this long rather than retrying in a tight loop.</summary>
    public static readonly TimeSpan RetryAfterTooManyWaiting = TimeSpan.FromSeconds(5);

    public async Task<PollAnswer> Read(Guid briefId, string userId, string? ifNoneMatch, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (ifNoneMatch is null)
            return Found(await store.FindOwned(briefId, userId), waited: null);

        // The owner is checked before anything is compared: another user's brief is missing, whatever tag they send.
        var tag = await store.FindOwnedTag(briefId, userId);
        if (tag is null)
            return new PollAnswer.Missing();
        if (wait <= TimeSpan.Zero)
            wait = null;
        // Changed already: the wait is honoured as well, by answering at once.
        if (!Matches(ifNoneMatch, tag))
            return Found(await store.FindOwned(briefId, userId), wait);
        if (wait is not { } hold)
            return new PollAnswer.NotModified(tag, Waited: null);

        var max = options.Value.MaxLongPollsPerUser;
        using var slot = longPolls.TryOpen(userId, max);
        return slot is null ? new PollAnswer.TooManyWaiting(max) : await Hold(briefId, userId, ifNoneMatch, hold, cancellationToken);
    }

    async Task<PollAnswer> Hold(Guid briefId, string userId, string ifNoneMatch, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        // Subscribed before the re-read: a change stored between the first read and the subscription still shows.
        await using var changes = await changeFeed.Subscribe(briefId);
        while (true)
        {
            var tag = await store.FindOwnedTag(briefId, userId);
            if (tag is null)
                return new PollAnswer.Missing();
            if (!Matches(ifNoneMatch, tag))
                return Found(await store.FindOwned(briefId, userId), wait);

            var left = wait - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                return new PollAnswer.NotModified(tag, wait);
            await changes.WaitForChange(left, cancellationToken);
        }
    }

    /// <summary>The <c>ETag</c> of a stored state: strong, since every stored change gives a new one.</summary>
    public static EntityTagHeaderValue EntityTag(string tag) => new($"\"{tag}\"");

    /// <summary>The <c>wait</c> preference of a <c>Prefer</c> header, capped at <see cref="LongestWait"/>; null without one.</summary>
    public static TimeSpan? RequestedWait(string? prefer)
    {
        foreach (var preference in (prefer ?? "").Split(','))
        {
            var nameAndValue = preference.Split(';')[0].Split('=', 2, StringSplitOptions.TrimEntries);
            if (nameAndValue is [var name, var value] && name.Equals("wait", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return TimeSpan.FromSeconds(Math.Min(seconds, LongestWait.TotalSeconds));
        }
        return null;
    }

    // If-None-Match compares weakly (RFC 9110 §13.1.2), and "*" matches any brief that exists.
    static bool Matches(string ifNoneMatch, string tag) =>
        EntityTagHeaderValue.TryParseList([ifNoneMatch], out var tags)
        && tags.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(EntityTag(tag), useStrongComparison: false));

    static PollAnswer Found(BriefSnapshot? brief, TimeSpan? waited) =>
        brief is null ? new PollAnswer.Missing() : new PollAnswer.Found(brief, waited);
}

/// <summary>What a poll gets; <c>Waited</c> is the wait it honoured (its <c>Preference-Applied</c>), null when it was asked for none.</summary>
public abstract record PollAnswer
{
    public sealed record Found(BriefSnapshot Brief, TimeSpan? Waited) : PollAnswer;

    public sealed record NotModified(string Tag, TimeSpan? Waited) : PollAnswer;

    /// <summary>No such brief for this user (never "not yours": that would tell it exists).</summary>
    public sealed record Missing : PollAnswer;

    /// <summary>The user already holds <paramref name="Max"/> long polls open on this instance.</summary>
    public sealed record TooManyWaiting(int Max) : PollAnswer;
}

/// <summary>
/// Requests each user holds open, counted in this process rather than in Redis: what a held request costs (a connection,
/// a pub/sub subscription) is this instance's own, and a shared counter would need leases that outlive a crashed instance.
/// Behind a balancer over n instances, a user may hold n times the cap.
/// </summary>
public abstract class HeldRequests
{
    readonly Dictionary<string, int> open = [];

    /// <summary>A slot to dispose when the poll ends; null when the user already holds <paramref name="max"/>.</summary>
    public IDisposable? TryOpen(string userId, int max)
    {
        lock (open)
        {
            var count = open.GetValueOrDefault(userId);
            if (count >= max)
                return null;
            open[userId] = count + 1;
        }
        return new Slot(this, userId);
    }

    void Close(string userId)
    {
        lock (open)
            if (--open[userId] == 0)
                open.Remove(userId);
    }

    sealed class Slot(HeldRequests polls, string userId) : IDisposable
    {
        int closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
                polls.Close(userId);
        }
    }
}

/// <summary>Reads held with <c>Prefer: wait</c>.</summary>
public sealed class LongPolls : HeldRequests;

/// <summary>Open Server-Sent Events streams.</summary>
public sealed class EventStreams : HeldRequests;
