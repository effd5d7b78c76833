using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

public static class RedisServiceCollectionExtensions
{
    public const string ConnectionName = "redis";

    /// <summary>
    /// Registers the application's single Redis connection from <c>ConnectionStrings:redis</c>.
    /// It does not abort when Redis is down at start-up: it keeps reconnecting, and calls fail until Redis is back.
    /// </summary>
    public static IServiceCollection AddRedisConnection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration.GetConnectionString(ConnectionName) ?? "localhost:6379");
            options.AbortOnConnectFail = false;
            // StackExchange.Redis counts INFO as an admin command; readiness reads memory and eviction figures with it.
            options.AllowAdmin = true;
            options.ClientName ??= AppDomain.CurrentDomain.FriendlyName;
            return ConnectionMultiplexer.Connect(options);
        });
        return services;
    }
}
