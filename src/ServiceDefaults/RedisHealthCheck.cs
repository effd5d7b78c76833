using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BusinessBrief.ServiceDefaults;

/// <summary>
/// Ready when Redis answers. Degraded when Redis is near or at its memory limit: under the shipped
/// <c>allkeys-lru</c> policy it then evicts the briefs idle the longest, and a user would find them gone (404).
/// Degraded keeps the process in service but says so loudly to whoever watches <c>/health/ready</c>.
/// </summary>
public class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    const double NearlyFull = 0.9;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            var server = redis.GetServers().First(s => s.IsConnected);
            var info = (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
            var used = long.Parse(info.GetValueOrDefault("used_memory", "0"));
            var max = long.Parse(info.GetValueOrDefault("maxmemory", "0"));
            var evicted = long.Parse(info.GetValueOrDefault("evicted_keys", "0"));

            if (evicted > 0)
                return HealthCheckResult.Degraded(
                    $"Redis evicted {evicted} keys since it started ({info.GetValueOrDefault("maxmemory_policy")}): the briefs idle the longest are gone; raise maxmemory");
            if (max > 0 && used >= NearlyFull * max)
                return HealthCheckResult.Degraded($"Redis uses {used * 100 / max}% of its maxmemory; it will soon evict briefs");
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.#} ms");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer", ex);
        }
    }
}

public static class RedisHealthCheckExtensions
{
    public static IHealthChecksBuilder AddRedisReadiness(this IHealthChecksBuilder builder) =>
        builder.AddCheck<RedisHealthCheck>("redis", tags: [ServiceDefaultsExtensions.ReadyTag]);
}
