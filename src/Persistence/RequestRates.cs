using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// Request counts in fixed windows, shared by every API copy in Redis, so that a client gets each rate limit once however
/// many copies serve it. A window opens with its first request and its counter expires when it ends.
/// </summary>
/// <remarks>
/// One key per policy and client, tagged with the client's hash: on a Redis Cluster a client's counters share one slot.
/// Refused requests count too: they cannot stretch the window, which ends at a fixed time anyway.
/// </remarks>
public class RequestRates(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> options)
{
    // A counter that lost its expiry (a restore, a failover in the middle of the first request) gets it back.
    static readonly LuaScript CountScript = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        local left = redis.call('PTTL', @key)
        if left < 0 then
            redis.call('PEXPIRE', @key, @window)
            left = tonumber(@window)
        end
        return { count, left }
        """);

    /// <summary>Counts one request of <paramref name="client"/> under <paramref name="policy"/>; how many it made in the window, and when the window ends.</summary>
    public async Task<RequestWindow> Count(string policy, string client, TimeSpan window)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(CountScript, new
        {
            key = (RedisKey)Key(policy, client),
            window = (long)window.TotalMilliseconds,
        }))!;
        return new RequestWindow((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }

    // Hashed, as the idempotency keys are: no user id or address, whatever characters it holds, can spell another key.
    string Key(string policy, string client) =>
        $"{options.Value.UserKeyPrefix}rate:{{{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(client)))}}}:{policy}";
}

/// <summary>How many requests a client made in the current window, this one included, and how long until the window ends.</summary>
public record RequestWindow(long Count, TimeSpan EndsIn);
