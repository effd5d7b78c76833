using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// Briefs that Redis evicts under memory pressure (<c>allkeys-lru</c>), with the archive behind the store: a redis-server of
/// this test's own with a tiny <c>maxmemory</c> (data under .data/), filled until the briefs' keys are evicted, and the
/// real PostgreSQL in a schema of its own.
/// </summary>
public sealed class EvictedBriefTests : IAsyncLifetime
{
    const string Owner = "awa";
    readonly string schema = TestInfrastructure.UniqueSchema("evicted");
    PrivateRedisServer redis = null!;
    ServiceProvider services = null!;
    ConnectionMultiplexer connection = null!;

    BriefStore Store => services.GetRequiredService<BriefStore>();
    BriefArchive Archive => services.GetRequiredService<BriefArchive>();

    public async Task InitializeAsync()
    {
        redis = await PrivateRedisServer.Start(["--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru"]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = $"127.0.0.1:{redis.Port}",
            ["ConnectionStrings:postgres"] = TestInfrastructure.PostgresConnectionString,
            ["BriefArchive:Schema"] = schema,
        }).Build();
        services = new ServiceCollection().AddLogging().AddBriefStore(configuration).BuildServiceProvider();
        // The test's own connection reads INFO, which the services' connection (admin commands off) may not.
        connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await services.DisposeAsync();
        await TestInfrastructure.DropSchema(schema);
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task A_ready_brief_evicted_by_redis_is_served_whole_from_the_archive_and_can_be_regenerated()
    {
        var briefId = await Stored(BriefStatus.Ready);
        await Archive.Store((await Store.Find(briefId))!);
        var fromRedis = (await Store.FindOwned(briefId, Owner))!;

        await FillRedisUntilEvicted(briefId);

        var fromArchive = await Store.FindOwned(briefId, Owner);
        Assert.NotNull(fromArchive);
        Assert.Null(fromArchive.ExpiresIn);
        // Whole: every field and section as Redis held it (Redis returns the sections' fields in its own order).
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(fromRedis.Brief, SagaJson.Options),
            JsonSerializer.SerializeToNode(fromArchive.Brief, SagaJson.Options)), "the archived brief differs from the one Redis held");
        Assert.Null(await Store.FindOwned(briefId, "not-awa"));

        // What the API's regenerate does with a brief only the archive holds: back into Redis, then the claim.
        Assert.True(await Store.Restore(fromArchive.Brief));
        var restored = (await Store.FindOwned(briefId, Owner))!;
        Assert.NotNull(restored.ExpiresIn);
        Assert.Equal(RegenerationClaim.Claimed, await Store.RequestRegeneration(restored.Brief, [SectionNames.LogoCreation]));
        var regenerating = (await Store.FindOwned(briefId, Owner))!.Brief;
        Assert.Equal((BriefStatus.Regenerating, 2), (regenerating.Status, regenerating.Revision));
    }

    [Fact]
    public async Task A_brief_evicted_while_generating_is_lost_and_one_evicted_while_regenerating_falls_back_to_its_archived_revision()
    {
        var generating = await Stored(BriefStatus.Generating);
        var regenerating = await Stored(BriefStatus.Ready);
        var ready = (await Store.Find(regenerating))!;
        await Archive.Store(ready);
        ready.Status = BriefStatus.Regenerating;
        ready.Revision = 2;
        await services.GetRequiredService<RedisSagaStore<BriefState>>().Update(ready);

        await FillRedisUntilEvicted(generating, regenerating);

        Assert.Null(await Store.FindOwned(generating, Owner));
        var fallback = await Store.FindOwned(regenerating, Owner);
        Assert.NotNull(fallback);
        Assert.Equal((BriefStatus.Ready, 1), (fallback.Brief.Status, fallback.Brief.Revision));
    }

    async Task<Guid> Stored(BriefStatus status)
    {
        var brief = new BriefState
        {
            CorrelationId = NewId.NextGuid(), Status = status, UserId = Owner, Language = "fr", Revision = 1,
            Profile = BriefApiClient.MinimalProfile("Boulangerie Téranga"),
            Sections = SectionNames.All.ToDictionary(name => name, name => new SectionState
            {
                Status = status == BriefStatus.Generating ? SectionStatus.Running : SectionStatus.Completed,
                Attempts = 1,
                Confidence = 0.8,
                Result = JsonSerializer.SerializeToElement(new { section = name, texte = "Pain frais à Dakar, livré avant 7 h" }),
            }),
        };
        Assert.True(await services.GetRequiredService<RedisSagaStore<BriefState>>().Insert(brief));
        return brief.CorrelationId;
    }

    /// <summary>Writes newer data until Redis evicted the briefs' keys to make room, as a busy Redis at its limit would.</summary>
    async Task FillRedisUntilEvicted(params Guid[] briefIds)
    {
        var database = connection.GetDatabase();
        var layout = services.GetRequiredService<RedisSagaRepositoryOptions<BriefState>>();
        var filler = new string('x', 1024);
        var written = 0;
        for (; written < 64 * 1024; written += 256)
        {
            if (await database.KeyExistsAsync(briefIds.Select(id => (RedisKey)layout.Key(id)).ToArray()) == 0)
                break;
            await Task.WhenAll(Enumerable.Range(written, 256).Select(n => database.StringSetAsync($"filler:{n}", filler)));
        }
        var evicted = 0L;
        foreach (var server in connection.GetServers())
            evicted += long.Parse((await server.InfoAsync("stats")).SelectMany(g => g).Single(p => p.Key == "evicted_keys").Value);
        Assert.True(evicted > 0, "Redis evicted nothing");
        foreach (var id in briefIds)
            Assert.False(await database.KeyExistsAsync(layout.Key(id)), $"brief {id} was never evicted");
        // Room again, as once an operator raised maxmemory: a brief restored next is not itself evicted (the filler was
        // written within the same second, so LRU could not tell it older).
        await database.KeyDeleteAsync(Enumerable.Range(0, written).Select(n => (RedisKey)$"filler:{n}").ToArray());
    }
}
