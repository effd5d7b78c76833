using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Orchestrator.Archive;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>The archive's retention purge, on the real PostgreSQL in a schema of the test's own.</summary>
public sealed class ArchiveRetentionTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    readonly string schema = TestInfrastructure.UniqueSchema("retention");
    readonly string user = TestBriefs.UniqueUser("retention");
    ServiceProvider services = null!;

    BriefArchive Archive => services.GetRequiredService<BriefArchive>();

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = TestInfrastructure.PostgresConnectionString,
            ["BriefArchive:Schema"] = schema,
        }).Build();
        services = new ServiceCollection().AddLogging().AddBriefArchive(configuration).BuildServiceProvider();
        await services.GetRequiredService<ArchiveSchema>().EnsureApplied();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await TestInfrastructure.DropSchema(schema);
    }

    [Fact]
    public async Task Each_status_is_kept_for_its_own_retention_counted_from_the_latest_revision()
    {
        var usedExpired = await Archived(BriefStatus.Used, daysAgo: 731);
        var usedKept = await Archived(BriefStatus.Used, daysAgo: 700);
        var readyExpired = await Archived(BriefStatus.Ready, daysAgo: 91);
        var cancelledExpired = await Archived(BriefStatus.Cancelled, daysAgo: 400);
        var incompleteKept = await Archived(BriefStatus.Incomplete, daysAgo: 89);
        // Its first revision is long past; it was regenerated last week, so the brief is in use.
        var regenerated = await Archived(BriefStatus.Ready, daysAgo: 300);
        await Archive.Store(TestBriefs.Brief(user, BriefStatus.Ready, Now.AddDays(-300), Now.AddDays(-7), revision: 2, id: regenerated));

        var purged = await Purger(batchSize: 2).PurgeAll(Retention(2), CancellationToken.None);

        Assert.Equal(3, purged.Briefs);
        Assert.Equal(new[] { usedKept, incompleteKept, regenerated, regenerated }.Order(), (await Remaining()).Order());
        Assert.DoesNotContain(usedExpired, await Remaining());
        Assert.DoesNotContain(readyExpired, await Remaining());
        Assert.DoesNotContain(cancelledExpired, await Remaining());
    }

    [Fact]
    public async Task A_purge_deletes_around_the_briefs_another_copy_is_deleting_without_waiting_for_it()
    {
        var held = await Archived(BriefStatus.Ready, daysAgo: 200);
        var others = new[] { await Archived(BriefStatus.Ready, daysAgo: 150), await Archived(BriefStatus.Used, daysAgo: 800) };
        var heldErasure = Guid.NewGuid();
        await Archive.Erase(heldErasure, Now.AddDays(-60));
        await Archive.Erase(Guid.NewGuid(), Now.AddDays(-60));
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var otherCopy = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT 1 FROM briefs WHERE brief_id = @held FOR UPDATE", new { held }, otherCopy);
        await connection.ExecuteAsync("SELECT 1 FROM erased_briefs WHERE brief_id = @heldErasure FOR UPDATE", new { heldErasure }, otherCopy);

        var purged = await Purger(10).PurgeAll(Retention(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new ArchivePurge(others.Length, ErasureTombstones: 1), purged);
        await otherCopy.RollbackAsync();
        Assert.Equal([held], await Remaining());
        Assert.Equal([heldErasure], await Query<Guid>("SELECT brief_id FROM erased_briefs"));
    }

    [Fact]
    public async Task An_erasure_tombstone_stops_late_events_for_its_lifetime_and_is_purged_after_it()
    {
        var lateForOld = TestBriefs.Brief(user, BriefStatus.Ready, Now.AddDays(-40), Now.AddDays(-40));
        var lateForYoung = TestBriefs.Brief(user, BriefStatus.Ready, Now.AddDays(-40), Now.AddDays(-40));
        await Archive.Erase(lateForOld.CorrelationId, Now.AddDays(-31));
        await Archive.Erase(lateForYoung.CorrelationId, Now.AddDays(-29));

        var purged = await Purger(batchSize: 1).PurgeAll(Retention(1), CancellationToken.None);

        Assert.Equal(new ArchivePurge(Briefs: 0, ErasureTombstones: 1), purged);
        Assert.Equal([lateForYoung.CorrelationId], await Query<Guid>("SELECT brief_id FROM erased_briefs"));
        Assert.False(await Archive.Store(lateForYoung));
        Assert.Empty(await Remaining());
    }

    async Task<Guid> Archived(BriefStatus status, int daysAgo)
    {
        var brief = TestBriefs.Brief(user, status, Now.AddDays(-daysAgo - 1), Now.AddDays(-daysAgo));
        Assert.True(await Archive.Store(brief));
        return brief.CorrelationId;
    }

    static ArchiveRetention Retention(int batchSize) => new() { PurgeBatchSize = batchSize };

    ArchiveRetentionPurge Purger(int batchSize) => new(Archive,
        new StaticOptionsMonitor(new BriefArchiveOptions { Schema = schema, Retention = Retention(batchSize) }), TimeProvider.System,
        NullLogger<ArchiveRetentionPurge>.Instance);

    /// <summary>The brief id of every archived row left, one per revision.</summary>
    Task<List<Guid>> Remaining() => Query<Guid>("SELECT brief_id FROM briefs");

    async Task<List<T>> Query<T>(string sql)
    {
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }

    sealed class StaticOptionsMonitor(BriefArchiveOptions value) : IOptionsMonitor<BriefArchiveOptions>
    {
        public BriefArchiveOptions CurrentValue => value;
        public BriefArchiveOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<BriefArchiveOptions, string?> listener) => null;
    }
}
