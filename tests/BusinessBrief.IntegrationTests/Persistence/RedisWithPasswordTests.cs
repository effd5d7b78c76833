using System.Diagnostics;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// The services' own Redis connection (<see cref="RedisServiceCollectionExtensions.AddRedisConnection"/>) against a Redis
/// that requires a password, as docker-compose runs it: a redis-server of this test's own on a free port, data under .data/.
/// </summary>
public sealed class RedisWithPasswordTests : IAsyncLifetime
{
    const string Password = "redis-test-password";
    readonly int port = RedisMemoryTests.ClosedPort();
    Process? redis;

    public async Task InitializeAsync()
    {
        var dir = Path.Combine(RepositoryFiles.Root, ".data", "test-redis", $"{port}");
        Directory.CreateDirectory(dir);
        redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", $"{port}", "--bind", "127.0.0.1", "--requirepass", Password, "--save", "", "--appendonly", "no", "--dir", dir,
                "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]) { RedirectStandardOutput = true })!;
        for (var i = 0; i < 100 && !await Answers(); i++)
            await Task.Delay(100);
    }

    public async Task DisposeAsync()
    {
        redis?.Kill();
        await (redis?.WaitForExitAsync() ?? Task.CompletedTask);
    }

    [Fact]
    public async Task With_the_password_the_services_connection_is_ready_and_reads_memory_without_admin_mode()
    {
        await using var services = Services($"127.0.0.1:{port},password={Password}");

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
        await using var services = Services($"127.0.0.1:{port},connectTimeout=500{credentials}");

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

    async Task<bool> Answers()
    {
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},password={Password},connectTimeout=200");
            return connection.IsConnected;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }
}
