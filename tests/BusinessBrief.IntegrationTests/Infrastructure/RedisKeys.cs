using BusinessBrief.Persistence;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Infrastructure;

public static class RedisKeys
{
    /// <summary>
    /// The keys matching <paramref name="pattern"/> on every master, listed with SCAN: on a Redis Cluster each master holds
    /// a share of them, so no single server has them all.
    /// </summary>
    public static async Task<List<RedisKey>> Matching(IConnectionMultiplexer redis, string pattern)
    {
        var keys = new List<RedisKey>();
        foreach (var server in redis.ConnectedMasters())
            await foreach (var key in server.KeysAsync(pattern: pattern))
                keys.Add(key);
        return keys;
    }
}
