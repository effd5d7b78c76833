using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// Ready when Redis answers. Degraded when Redis is nearly full or has evicted keys: under the shipped
/// <c>allkeys-lru</c> policy eviction may take briefs, and the API refuses new briefs while Redis is nearly full.
/// Degraded keeps the process in service but says so loudly to whoever watches <c>/health/ready</c>.
/// </summary>
public class RedisHealthCheck(IConnectionMultiplexer redis, RedisMemory memory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            var reading = await memory.Read();

            if (reading.NearlyFull)
                return HealthCheckResult.Degraded(
                    $"Redis uses {reading.UsedPercent}% of its maxmemory: new briefs are refused until memory is freed or maxmemory raised");
            if (reading.Evicted > 0)
                return HealthCheckResult.Degraded(
                    $"Redis evicted {reading.Evicted} keys since it started ({reading.Policy}): briefs may be gone; raise maxmemory");
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
    public static IHealthChecksBuilder AddRedisReadiness(this IHealthChecksBuilder builder, params string[] tags)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RedisMemory>();
        return builder.AddCheck<RedisHealthCheck>("redis", tags: tags);
    }
}
