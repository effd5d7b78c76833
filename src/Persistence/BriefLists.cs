using BusinessBrief.Persistence.Archive;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>What a list of briefs shows of each: enough to recognise it and to know whether to open it.</summary>
public record BriefSummary(Guid BriefId, long CoachingSessionId, string BusinessName, BriefStatus Status, int Revision,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public BriefListPosition Position => new(CreatedAt, BriefId);

    public static BriefSummary Of(BriefState brief) => new(brief.CorrelationId, brief.Profile.CoachingSessionId, brief.Profile.BusinessName,
        brief.Status, brief.Revision, BriefListPosition.Microseconds(brief.CreatedAt), brief.UpdatedAt);
}

/// <summary>
/// Where a brief stands in a list: newest first, then by brief id as PostgreSQL orders uuids (their text, byte by byte),
/// so that the archive's keyset and the merge here agree. Times are whole microseconds, as PostgreSQL keeps them.
/// </summary>
public record BriefListPosition(DateTimeOffset CreatedAt, Guid BriefId) : IComparable<BriefListPosition>
{
    public int CompareTo(BriefListPosition? other) => other is null ? -1
        : other.CreatedAt.CompareTo(CreatedAt) is var newer and not 0 ? newer
        : string.CompareOrdinal(BriefId.ToString(), other.BriefId.ToString());

    public static DateTimeOffset Microseconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
}

/// <summary>One page of a list; <paramref name="Next"/> is where the next page starts, null on the last.</summary>
public record BriefPage(IReadOnlyList<BriefSummary> Items, BriefListPosition? Next);

/// <summary>
/// A user's briefs, from both stores: the archive, and the briefs Redis holds that it may not have yet (generating, or
/// finished a moment ago). A brief in both shows as Redis has it, the newer. Only the user's own briefs are ever read:
/// the archive is queried by owner, and Redis answers a brief of someone else's as missing.
/// </summary>
public class BriefLists(IConnectionMultiplexer redis, BriefStore store, BriefArchive archive, IOptions<BriefStorageOptions> options)
{
    public async Task<BriefPage> Find(string userId, long? coachingSessionId, BriefListPosition? after, int limit)
    {
        var live = (await LiveBriefs(userId, after))
            .Where(brief => coachingSessionId is null || brief.CoachingSessionId == coachingSessionId).ToList();
        // One more than a page: if it is there, another page follows, whatever Redis adds.
        var archived = await archive.List(userId, coachingSessionId, after, limit + 1);
        var candidates = live.Concat(archived).DistinctBy(brief => brief.BriefId)
            .Where(brief => after is null || brief.Position.CompareTo(after) > 0)
            .OrderBy(brief => brief.Position).ToList();
        var page = candidates.Take(limit).ToList();
        var erased = await Erased(page.Except(live));
        return new BriefPage(page.Where(brief => !erased.Contains(brief.BriefId)).ToList(),
            candidates.Count > limit ? page[^1].Position : null);
    }

    /// <summary>The briefs Redis holds for the user, created no later than <paramref name="after"/>; ids of briefs gone leave the set.</summary>
    async Task<IReadOnlyList<BriefSummary>> LiveBriefs(string userId, BriefListPosition? after)
    {
        var database = redis.GetDatabase();
        var key = options.Value.UserBriefsKey(userId);
        var members = await database.SortedSetRangeByScoreAsync(key, stop: after?.CreatedAt.ToUnixTimeMilliseconds() ?? double.PositiveInfinity);
        var found = await Task.WhenAll(members.Select(async member => (Member: member,
            Brief: await store.FindOwnedInRedis(Guid.Parse(member.ToString()), userId))));
        var gone = found.Where(f => f.Brief is null).Select(f => f.Member).ToArray();
        if (gone.Length > 0)
            await database.SortedSetRemoveAsync(key, gone);
        return found.Where(f => f.Brief is not null).Select(f => BriefSummary.Of(f.Brief!)).ToList();
    }

    // Between a brief's erasure and the archive consumer deleting its rows, Redis's tombstone is what says it is gone.
    async Task<HashSet<Guid>> Erased(IEnumerable<BriefSummary> archived)
    {
        var ids = archived.Select(brief => brief.BriefId).ToList();
        var erased = await Task.WhenAll(ids.Select(store.IsErased));
        return ids.Where((_, i) => erased[i]).ToHashSet();
    }
}
