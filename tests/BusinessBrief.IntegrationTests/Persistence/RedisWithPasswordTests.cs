using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// The services' own Redis connection (<see cref="RedisServiceCollectionExtensions.AddRedisConnection"/>) against a Redis
/// that requires a password, as docker-compose runs it: a redis-server of this test's own on a free port, data under .data/.
/// </summary>
public sealed class RedisWithPasswordTests : IAsyncLifetime
{
    const string Password = "redis-test-password";
    PrivateRedisServer redis = null!;

    public async Task InitializeAsync() =>
        redis = await PrivateRedisServer.Start(["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"], Password);

    public async Task DisposeAsync() => await redis.DisposeAsync();

    [Fact]
    public async Task With_the_password_the_services_connection_is_ready_and_reads_memory_without_admin_mode()
    {
        await using var services = Services($"127.0.0.1:{redis.Port},password={Password}");

        var health = await services.GetRequiredService<RedisHealthCheck>().CheckHealthAsync(new HealthCheckContext());
        var memory = await services.GetRequiredService<RedisMemory>().Read();

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal((64L << 20, "allkeys-lru"), (memory.Max, memory.Policy));
        Assert.True(memory.Used > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",password=wrong")]
    public async Task Without_the_right_password_redis_is_reported_unhealthy(string credentials)
    {
        await using var services = Services($"127.0.0.1:{redis.Port},connectTimeout=500{credentials}");

        var health = await services.GetRequiredService<RedisHealthCheck>().CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }

    static ServiceProvider Services(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = connectionString }).Build();
        var services = new ServiceCollection().AddRedisConnection(configuration);
        services.AddSingleton(TimeProvider.System).AddSingleton<RedisMemory>().AddSingleton<RedisHealthCheck>();
        return services.BuildServiceProvider();
    }
}
