using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>Which briefs have jobs due when, shared by all orchestrators.</summary>
public interface ISectionDeadlineIndex
{
    Task Watch(Guid briefId, DateTimeOffset dueAt);

    /// <summary>
    /// Takes the brief out of the index if it is still due at <paramref name="dueAt"/>: a later due time, set meanwhile by a
    /// revision that another orchestrator started, stays.
    /// </summary>
    Task Forget(Guid briefId, DateTimeOffset dueAt);

    /// <summary>Removes and returns up to <paramref name="max"/> briefs due by <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Guid>> ClaimDue(DateTimeOffset now, int max);
}

/// <summary>
/// A Redis sorted set (brief id scored by due time) shared by all orchestrators.
/// The RabbitMQ delayed-message plugin is not available, so this index is how a deadline fires. It is only a
/// hint: the saga decides from its own document what is really overdue, so a stale entry costs one check.
/// </summary>
public class RedisSectionDeadlineIndex(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> storage) : ISectionDeadlineIndex
{
    // Claims due entries atomically, so two orchestrators never both check the same brief for the same due time.
    static readonly LuaScript ClaimDueScript = LuaScript.Prepare("""
        local due = redis.call('ZRANGEBYSCORE', @key, '-inf', @now, 'LIMIT', 0, @max)
        if #due > 0 then redis.call('ZREM', @key, unpack(due)) end
        return due
        """);

    static readonly LuaScript ForgetScript = LuaScript.Prepare("""
        if tonumber(redis.call('ZSCORE', @key, @brief)) == tonumber(@due) then redis.call('ZREM', @key, @brief) end
        return 0
        """);

    RedisKey Key => storage.Value.DeadlineIndexKey;

    public Task Watch(Guid briefId, DateTimeOffset dueAt) =>
        redis.GetDatabase().SortedSetAddAsync(Key, briefId.ToString(), dueAt.ToUnixTimeMilliseconds());

    public Task Forget(Guid briefId, DateTimeOffset dueAt) =>
        redis.GetDatabase().ScriptEvaluateAsync(ForgetScript, new { key = Key, brief = briefId.ToString(), due = dueAt.ToUnixTimeMilliseconds() });

    public async Task<IReadOnlyList<Guid>> ClaimDue(DateTimeOffset now, int max)
    {
        var due = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ClaimDueScript,
            new { key = Key, now = now.ToUnixTimeMilliseconds(), max }))!;
        return due.Select(id => Guid.Parse((string)id!)).ToList();
    }
}
