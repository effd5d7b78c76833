using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>How full Redis is, read from <c>INFO</c> at most once a second.</summary>
/// <remarks>
/// Under <c>allkeys-lru</c> Redis makes room by evicting keys, and its LRU is approximate: in a run of the
/// fault suite it evicted 2 briefs in flight out of 60. A brief accepted into a full Redis can be lost, so the API
/// refuses new work while Redis is nearly full (503) and <c>/health/ready</c> reports it.
/// </remarks>
public class RedisMemory(IConnectionMultiplexer redis, TimeProvider clock)
{
    static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
    const string InfoScript = "return redis.call('INFO', 'memory') .. redis.call('INFO', 'stats')";

    // One reference, swapped whole: requests read it concurrently, so its time and reading must never come apart.
    Reading? last;

    public Task<RedisMemoryReading> Read()
    {
        var now = clock.GetUtcNow();
        if (last is { } cached && now - cached.At < Freshness && !cached.Info.IsFaulted)
            return cached.Info;
        var info = ReadInfo();
        last = new Reading(now, info);
        return info;
    }

    /// <summary>
    /// True when new briefs should be refused because Redis is nearly full. Redis out of reach is not "full": storing
    /// the brief then fails on its own.
    /// </summary>
    public async Task<bool> IsNearlyFull()
    {
        try
        {
            return (await Read()).NearlyFull;
        }
        catch (Exception ex) when (StorageFaults.IsRedisFailure(ex))
        {
            return false;
        }
    }

    sealed record Reading(DateTimeOffset At, Task<RedisMemoryReading> Info);

    /// <summary>
    /// Every master's reading, as that of the fullest one (evictions summed): on a Redis Cluster a brief lands on any master,
    /// so one nearly full master is enough to refuse new briefs.
    /// </summary>
    async Task<RedisMemoryReading> ReadInfo()
    {
        var masters = redis.ConnectedMasters();
        if (masters.Count == 0)
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No Redis master is connected", null, CommandStatus.Unknown);
        var readings = await Task.WhenAll(masters.Select(ReadInfo));
        var fullest = readings.MaxBy(reading => reading.Max > 0 ? (double)reading.Used / reading.Max : 0)!;
        return fullest with { Evicted = readings.Sum(reading => reading.Evicted) };
    }

    static async Task<RedisMemoryReading> ReadInfo(IServer master)
    {
        // In a script: StackExchange.Redis sends INFO itself only in admin mode, which would also allow FLUSHALL, CONFIG
        // and SHUTDOWN. While Redis restarts the call fails as out of reach.
        var text = (string?)await master.ExecuteAsync("EVAL", InfoScript, 0) ?? "";
        var info = text.Split('\n', StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return new RedisMemoryReading(
            long.Parse(info.GetValueOrDefault("used_memory", "0")),
            long.Parse(info.GetValueOrDefault("maxmemory", "0")),
            long.Parse(info.GetValueOrDefault("evicted_keys", "0")),
            info.GetValueOrDefault("maxmemory_policy", "unknown"));
    }
}

public record RedisMemoryReading(long Used, long Max, long Evicted, string Policy)
{
    const double NearlyFullShare = 0.9;

    public bool NearlyFull => Max > 0 && Used >= NearlyFullShare * Max;

    public long UsedPercent => Max > 0 ? Used * 100 / Max : 0;
}
