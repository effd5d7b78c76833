using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>Which briefs have jobs due when, shared by all orchestrators.</summary>
public interface ISectionDeadlineIndex
{
    Task Watch(Guid briefId, DateTimeOffset dueAt);

    /// <summary>
    /// Takes the brief out of the index if it is still due at <paramref name="dueAt"/>: a later due time, set meanwhile by a
    /// revision that another orchestrator started, stays. Given a claim's <see cref="ClaimedDeadline.LeasedUntil"/>, ends the claim.
    /// </summary>
    Task Forget(Guid briefId, DateTimeOffset dueAt);

    /// <summary>
    /// Leases up to <paramref name="max"/> briefs due by <paramref name="now"/>: no other claim returns them until the lease
    /// ends, when they are due again unless the claimant forgot them (<see cref="Forget"/>) once their check was sent.
    /// </summary>
    Task<IReadOnlyList<ClaimedDeadline>> ClaimDue(DateTimeOffset now, int max);
}

/// <summary>A brief whose deadline check a watchdog claimed, and when its claim ends if the watchdog never sends the check.</summary>
public record ClaimedDeadline(Guid BriefId, DateTimeOffset LeasedUntil);

/// <summary>
/// Redis sorted sets (brief id scored by due time) shared by all orchestrators, in hash-tagged shards so that on a Redis
/// Cluster the index is spread over the masters; a brief always lives in the same shard.
/// The RabbitMQ delayed-message plugin is not available, so this index is how a deadline fires. It is only a
/// hint: the saga decides from its own document what is really overdue, so a stale entry costs one check.
/// </summary>
public class RedisSectionDeadlineIndex(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> storage) : ISectionDeadlineIndex
{
    // Leases due entries atomically by scoring them at the lease's end: two orchestrators never both check the same
    // brief for the same due time, and one killed after claiming leaves the entries due again once the lease ends.
    static readonly LuaScript ClaimDueScript = LuaScript.Prepare("""
        local due = redis.call('ZRANGEBYSCORE', @key, '-inf', @now, 'LIMIT', 0, @max)
        for _, brief in ipairs(due) do redis.call('ZADD', @key, @leasedUntil, brief) end
        return due
        """);

    static readonly LuaScript ForgetScript = LuaScript.Prepare("""
        if tonumber(redis.call('ZSCORE', @key, @brief)) == tonumber(@due) then redis.call('ZREM', @key, @brief) end
        return 0
        """);

    public Task Watch(Guid briefId, DateTimeOffset dueAt) =>
        redis.GetDatabase().SortedSetAddAsync(storage.Value.DeadlineIndexKey(briefId), briefId.ToString(), dueAt.ToUnixTimeMilliseconds());

    public Task Forget(Guid briefId, DateTimeOffset dueAt) =>
        redis.GetDatabase().ScriptEvaluateAsync(ForgetScript,
            new { key = (RedisKey)storage.Value.DeadlineIndexKey(briefId), brief = briefId.ToString(), due = dueAt.ToUnixTimeMilliseconds() });

    /// <summary>Reads the shards one by one, from a random one, so that no shard waits behind the others when many are due.</summary>
    public async Task<IReadOnlyList<ClaimedDeadline>> ClaimDue(DateTimeOffset now, int max)
    {
        var settings = storage.Value;
        var leasedUntil = now + settings.DeadlineClaimLease;
        var claimed = new List<ClaimedDeadline>();
        var first = Random.Shared.Next(settings.DeadlineIndexShards);
        for (var i = 0; i < settings.DeadlineIndexShards && claimed.Count < max; i++)
        {
            var due = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ClaimDueScript, new
            {
                key = (RedisKey)settings.DeadlineIndexShardKey((first + i) % settings.DeadlineIndexShards),
                now = now.ToUnixTimeMilliseconds(),
                max = max - claimed.Count,
                leasedUntil = leasedUntil.ToUnixTimeMilliseconds(),
            }))!;
            claimed.AddRange(due.Select(id => new ClaimedDeadline(Guid.Parse((string)id!), leasedUntil)));
        }
        return claimed;
    }
}
