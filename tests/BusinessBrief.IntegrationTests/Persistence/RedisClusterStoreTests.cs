using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// Everything the services keep in Redis, against a Redis Cluster of 3 masters: a command or script whose keys span two
/// hash slots fails there with CROSSSLOT, so each operation running here shows its keys share one slot.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterStoreTests(PrivateRedisCluster cluster) : IAsyncLifetime
{
    readonly string owner = $"fatou-{Guid.NewGuid():N}";
    readonly string schema = TestInfrastructure.UniqueSchema("cluster");
    ServiceProvider services = null!;

    T Get<T>() where T : notnull => services.GetRequiredService<T>();

    public Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = cluster.ConnectionString,
            ["ConnectionStrings:postgres"] = TestInfrastructure.PostgresConnectionString,
            ["BriefArchive:Schema"] = schema,
            // Every write below also waits for its replica, as in cluster mode.
            ["Redis:ReplicaAckTimeoutMs"] = "2000",
        }).Build();
        services = new ServiceCollection().AddLogging().AddBriefStore(configuration).BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await TestInfrastructure.DropSchema(schema);
    }

    [Fact]
    public async Task A_brief_is_accepted_generated_regenerated_listed_and_erased_on_a_cluster()
    {
        var store = Get<BriefStore>();
        var request = Request();
        var idempotency = Get<IdempotencyKeys>();
        Assert.True((await idempotency.Claim(owner, "retry-1", request.BriefId, request)).IsNew);
        Assert.True(await store.Accept(request, idempotency.RedisKey(owner, "retry-1")));
        Assert.True(await Get<BriefsInFlight>().TryAdmit(owner, request.BriefId, max: 3));
        Assert.Equal(BriefStatus.Generating, (await store.FindOwned(request.BriefId, owner))!.Status);

        var sagas = Get<RedisSagaStore<BriefState>>();
        var brief = Brief(request.BriefId);
        Assert.True(await sagas.Insert(brief));
        brief.Status = BriefStatus.Ready;
        await sagas.Update(brief);
        Assert.Equal("2", await store.FindOwnedTag(brief.CorrelationId, owner));
        var seen = (await store.FindOwned(brief.CorrelationId, owner))!.Brief;
        Assert.Equal(RegenerationClaim.Claimed, await store.RequestRegeneration(seen, [SectionNames.LogoCreation]));
        await store.WithdrawRegeneration(seen);
        Assert.Equal([brief.CorrelationId], (await Get<BriefLists>().Find(owner, null, null, 10)).Items.Select(item => item.BriefId));

        await Get<ISectionDeadlineIndex>().Watch(brief.CorrelationId, DateTimeOffset.UtcNow);
        await store.Erase(brief.CorrelationId, owner);

        Assert.True(await store.IsErased(brief.CorrelationId));
        Assert.Null(await store.FindOwned(brief.CorrelationId, owner));
        Assert.True((await idempotency.Claim(owner, "retry-1", Guid.NewGuid(), request)).IsNew);
        Assert.DoesNotContain(brief.CorrelationId, (await Get<ISectionDeadlineIndex>().ClaimDue(DateTimeOffset.UtcNow, 100)).Select(c => c.BriefId));
    }

    [Fact]
    public async Task A_brief_redis_no_longer_holds_is_read_from_the_archive_and_restored_on_a_cluster()
    {
        var store = Get<BriefStore>();
        var brief = Brief(NewId.NextGuid());
        brief.Status = BriefStatus.Ready;
        Assert.True(await Get<RedisSagaStore<BriefState>>().Insert(brief));
        await Get<BriefArchive>().Store((await store.Find(brief.CorrelationId))!);
        await cluster.Redis.GetDatabase().KeyDeleteAsync(Get<RedisSagaRepositoryOptions<BriefState>>().Key(brief.CorrelationId));

        var archived = (await store.FindOwned(brief.CorrelationId, owner))!;

        Assert.Null(archived.ExpiresIn);
        Assert.True(await store.Restore(archived.Brief));
        Assert.NotNull((await store.FindOwned(brief.CorrelationId, owner))!.ExpiresIn);
    }

    [Fact]
    public async Task Token_budgets_and_preview_sessions_work_on_a_cluster()
    {
        var budgets = Get<TokenBudgets>();
        var jobId = Guid.NewGuid();
        Assert.True(await budgets.Charge(owner, jobId, 500));
        Assert.False(await budgets.Charge(owner, jobId, 500));
        Assert.Equal(TokenBudget.User, (await budgets.Spent(owner, perUserPerDay: 500, globalPerDay: 0))!.Budget);

        var previews = Get<PreviewSessions>();
        var opened = await previews.Open(owner, [Guid.NewGuid()], notAfter: null);
        Assert.Equal(owner, (await previews.Find(opened.Token))!.UserId);
        await previews.Close(opened.Token);
        Assert.Null(await previews.Find(opened.Token));

    }

    [Fact]
    public async Task One_nearly_full_master_is_enough_to_refuse_new_briefs_whichever_it_is()
    {
        foreach (var master in cluster.Masters())
        {
            // Far below what any Redis uses: that master alone is over its limit.
            await cluster.Configure(master, "maxmemory", "1");
            try
            {
                Assert.True(await new RedisMemory(cluster.Redis, TimeProvider.System).IsNearlyFull(), $"{master.EndPoint} is nearly full");
            }
            finally
            {
                await cluster.Configure(master, "maxmemory", "0");
            }
        }
    }

    [Fact]
    public async Task A_change_of_a_brief_on_any_master_wakes_its_progress_streams_through_that_master_alone()
    {
        var feed = Get<BriefChangeFeed>();
        var briefIds = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        var subscriptions = await Task.WhenAll(briefIds.Select(feed.Subscribe));
        var channel = Get<IOptions<BriefStorageOptions>>().Value.ChangeChannel(briefIds[0]);
        var listeners = await cluster.Redis.GetServer((RedisKey)channel).ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel);

        foreach (var briefId in briefIds)
            feed.Announce(briefId);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(subscriptions.Select(subscription => subscription.WaitForChange(null, CancellationToken.None)));
        Assert.InRange(waited.Elapsed, TimeSpan.Zero, BriefChangeSubscription.ReadAtLeastEvery / 2);
        Assert.Equal(1, (long)((RedisResult[])listeners!)[1]);
        foreach (var subscription in subscriptions)
            await subscription.DisposeAsync();
    }

    [Fact]
    public void Briefs_and_the_deadline_index_spread_over_every_master()
    {
        var options = Get<IOptions<BriefStorageOptions>>().Value;
        var layout = Get<RedisSagaRepositoryOptions<BriefState>>();
        var masters = cluster.Masters().Select(master => master.EndPoint).ToHashSet();

        var briefNodes = Enumerable.Range(0, 30).Select(_ => NodeOf(layout.Key(Guid.NewGuid()))).ToHashSet();
        var shardNodes = Enumerable.Range(0, options.DeadlineIndexShards).Select(shard => NodeOf(options.DeadlineIndexShardKey(shard))).ToHashSet();

        Assert.Equal(3, masters.Count);
        Assert.Equal(masters, briefNodes);
        Assert.Equal(masters, shardNodes);
    }

    System.Net.EndPoint NodeOf(string key) => cluster.Redis.GetServer((RedisKey)key).EndPoint;

    GenerateBrief Request() => new()
    {
        BriefId = NewId.NextGuid(), UserId = owner, Language = "fr", RequestedAt = DateTimeOffset.UtcNow,
        Profile = BriefApiClient.MinimalProfile("Couture Ndèye"),
    };

    BriefState Brief(Guid briefId) => new()
    {
        CorrelationId = briefId, Status = BriefStatus.Generating, UserId = owner, Language = "fr", Revision = 1,
        Profile = BriefApiClient.MinimalProfile("Couture Ndèye"), CreatedAt = DateTimeOffset.UtcNow,
        Sections = SectionNames.All.ToDictionary(name => name, _ => new SectionState
        {
            Status = SectionStatus.Completed, Attempts = 1, Confidence = 0.8,
            Result = JsonSerializer.SerializeToElement(new { texte = "Tissus wax cousus à Thiès" }),
        }),
    };
}
