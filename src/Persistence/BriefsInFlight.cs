using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// Caps how many of a user's briefs are generating or regenerating at once (OWASP API4: every revision spends sub-agent
/// calls). Each user has a Redis set of the briefs started or regenerated for them. A brief joins the set first and counts
/// itself; only when the set is over the cap are its other members looked up, and those no longer running (ready,
/// incomplete, cancelled, expired) leave it. The orchestrator needs to know nothing about it.
/// </summary>
/// <remarks>
/// Joining before counting means two requests racing for the last place may both be refused, never both admitted.
/// The caller stores the accepted brief (or its pending regeneration) before admitting it, so a racing request that looks
/// the new member up sees it running and does not evict it. Looking a brief up renews its lifetime, as any read of it by its owner does.
/// </remarks>
public class BriefsInFlight(IConnectionMultiplexer redis, BriefStore store, IOptions<BriefStorageOptions> options)
{
    /// <summary>Admits the brief, or answers false (and leaves no trace of it) when the user has <paramref name="max"/> already.</summary>
    public async Task<bool> TryAdmit(string userId, Guid briefId, int max)
    {
        var db = redis.GetDatabase();
        var key = Key(userId);

        await db.SetAddAsync(key, briefId.ToString());
        // An abandoned set disappears with the last brief it could name.
        await db.KeyExpireAsync(key, options.Value.TimeToLive);
        if (await db.SetLengthAsync(key) <= max)
            return true;

        foreach (var member in await db.SetMembersAsync(key))
        {
            var other = Guid.Parse(member.ToString());
            if (other != briefId && !await IsRunning(other, userId))
                await db.SetRemoveAsync(key, member);
        }
        if (await db.SetLengthAsync(key) <= max)
            return true;

        await Release(userId, briefId);
        return false;
    }

    /// <summary>Forgets a brief that was admitted but could not be started, or was erased.</summary>
    public Task Release(string userId, Guid briefId) => redis.GetDatabase().SetRemoveAsync(Key(userId), briefId.ToString());

    async Task<bool> IsRunning(Guid briefId, string userId) =>
        await store.FindOwned(briefId, userId) is { } stored && stored.Status.IsRunning();

    string Key(string userId) => $"{options.Value.UserKeyPrefix}in-flight:{userId}";
}
