using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// Writes that must survive a failover wait for a replica (<c>Redis:ReplicaAckTimeoutMs</c>): with the replica of the key's
/// master stalled, a saga write, an erasure or an idempotency claim does not report success, but the outcome-unknown
/// failure the callers already wait out and retry.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ReplicaAcknowledgementTests(PrivateRedisCluster cluster) : IAsyncLifetime
{
    const string Owner = "aminata";
    ServiceProvider services = null!;

    RedisSagaStore<BriefState> Sagas => services.GetRequiredService<RedisSagaStore<BriefState>>();
    string KeyOf(Guid briefId) => services.GetRequiredService<RedisSagaRepositoryOptions<BriefState>>().Key(briefId);

    public Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = cluster.ConnectionString,
            ["ConnectionStrings:postgres"] = TestInfrastructure.PostgresConnectionString,
            ["Redis:ReplicaAckTimeoutMs"] = "300",
        }).Build();
        services = new ServiceCollection().AddLogging().AddBriefStore(configuration).BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_saga_write_no_replica_acknowledged_fails_as_an_unknown_outcome_and_succeeds_once_the_replica_is_back()
    {
        var brief = Brief();
        Assert.True(await Sagas.Insert(brief));
        brief.Status = BriefStatus.Ready;

        await using (await cluster.FreezeReplicaOf(KeyOf(brief.CorrelationId)))
            AssertUnknownOutcome(await Assert.ThrowsAnyAsync<Exception>(() => Sagas.Update(brief)));

        // What the saga's retry does: read the instance again, apply the message again.
        var reloaded = (await Sagas.Load(brief.CorrelationId))!;
        reloaded.Status = BriefStatus.Ready;
        await Sagas.Update(reloaded);
        Assert.Equal(BriefStatus.Ready, (await Sagas.Load(brief.CorrelationId))!.Status);
    }

    [Fact]
    public async Task An_erasure_no_replica_acknowledged_fails_as_an_unknown_outcome_and_can_be_retried()
    {
        var brief = Brief();
        Assert.True(await Sagas.Insert(brief));
        var store = services.GetRequiredService<BriefStore>();

        await using (await cluster.FreezeReplicaOf(KeyOf(brief.CorrelationId)))
            AssertUnknownOutcome(await Assert.ThrowsAnyAsync<Exception>(() => store.Erase(brief.CorrelationId, Owner)));

        await store.Erase(brief.CorrelationId, Owner);
        Assert.True(await store.IsErased(brief.CorrelationId));
    }

    [Fact]
    public async Task An_idempotency_claim_no_replica_acknowledged_fails_and_leaves_the_key_free_for_the_clients_retry()
    {
        var keys = services.GetRequiredService<IdempotencyKeys>();
        var request = new { business = "Teinturerie Ngor" };
        var key = $"retry-{Guid.NewGuid():N}";

        await using (await cluster.FreezeReplicaOf(keys.RedisKey(Owner, key)))
            AssertUnknownOutcome(await Assert.ThrowsAnyAsync<Exception>(() => keys.Claim(Owner, key, Guid.NewGuid(), request)));

        var retried = Guid.NewGuid();
        Assert.Equal(new IdempotencyClaim(retried, IsNew: true, SameRequest: true), await keys.Claim(Owner, key, retried, request));
    }

    [Fact]
    public async Task A_master_short_of_the_replicas_it_requires_refuses_writes_as_redis_out_of_reach_for_now()
    {
        var brief = Brief();
        var master = cluster.Redis.GetServer((RedisKey)KeyOf(brief.CorrelationId));
        // It has one replica: as a promoted master with none would, under min-replicas-to-write 1.
        await cluster.Configure(master, "min-replicas-to-write", "2");
        try
        {
            var refused = await Assert.ThrowsAnyAsync<RedisServerException>(() => Sagas.Insert(brief));
            Assert.True(StorageFaults.IsUnavailable(refused), refused.Message);
        }
        finally
        {
            await cluster.Configure(master, "min-replicas-to-write", "0");
        }
        Assert.True(await Sagas.Insert(brief));
    }

    // The saga holds its message and retries it as possibly applied; the API answers 503.
    static void AssertUnknownOutcome(Exception failure)
    {
        Assert.IsType<RedisTimeoutException>(failure);
        Assert.True(StorageFaults.IsUnavailable(failure));
    }

    static BriefState Brief() => new()
    {
        CorrelationId = NewId.NextGuid(), Status = BriefStatus.Generating, UserId = Owner, Language = "fr", Revision = 1,
        Profile = BriefApiClient.MinimalProfile("Teinturerie Ngor"), CreatedAt = DateTimeOffset.UtcNow,
        Sections = SectionNames.All.ToDictionary(name => name, _ => new SectionState
        {
            Status = SectionStatus.Running, Attempts = 1,
            Result = JsonSerializer.SerializeToElement(new { texte = "Bazin teint à la main" }),
        }),
    };
}
