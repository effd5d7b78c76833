using BusinessBrief.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

public sealed class RedisFixture : IAsyncLifetime
{
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.RedisConnectionString);

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}
