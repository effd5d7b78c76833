using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

public static class RedisServiceCollectionExtensions
{
    public const string ConnectionName = "redis";

    /// <summary>
    /// Registers the application's single Redis connection from <c>ConnectionStrings:redis</c>: one endpoint for a single Redis,
    /// several (any nodes, comma-separated) for a Redis Cluster, whose topology the client then discovers itself.
    /// It does not abort when Redis is down at start-up: it keeps reconnecting, and calls fail until Redis is back.
    /// </summary>
    public static IServiceCollection AddRedisConnection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration.GetConnectionString(ConnectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set."));
            options.AbortOnConnectFail = false;
            // No FLUSHALL, CONFIG or SHUTDOWN from a leaked connection; memory figures are read by a script (RedisMemory).
            options.AllowAdmin = false;
            options.ClientName ??= AppDomain.CurrentDomain.FriendlyName;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddOptions<RedisReplicationOptions>().Bind(configuration.GetSection(RedisReplicationOptions.SectionName));
        services.AddSingleton<ReplicaAcknowledgement>();
        return services;
    }
}
