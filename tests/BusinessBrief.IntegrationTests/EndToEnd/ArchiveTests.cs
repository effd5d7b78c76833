using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.Security;
using BusinessBrief.Orchestrator.Archive;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// Briefs that outlive Redis: archived in PostgreSQL (the fixture's own schema) by the orchestrator's <c>brief-archive</c>
/// consumer, and read back from there once their Redis keys are gone.
/// </summary>
[Collection(BriefSystemCollection.Name)]
public class ArchiveTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    readonly HttpClient client = system.ClientFor("fatou");

    [Fact]
    public async Task A_ready_brief_whose_redis_keys_are_gone_is_served_whole_from_the_archive_to_its_owner_only()
    {
        var briefId = await ReadyAndArchived();
        var fromRedis = await client.Get(briefId);
        var resultsFromRedis = await client.GetStringAsync($"{Base}/{briefId}/results");
        var logoFromRedis = await client.GetStringAsync($"{Base}/{briefId}/logos/1.svg");

        await ForgetInRedis(briefId);

        var fromArchive = await client.Get(briefId);
        Assert.Equal(JsonValueKind.Null, fromArchive.GetProperty("expires_at").ValueKind);
        Assert.Equal(WithoutExpiry(fromRedis), WithoutExpiry(fromArchive));
        Assert.Equal(resultsFromRedis, await client.GetStringAsync($"{Base}/{briefId}/results"));
        Assert.Equal(logoFromRedis, await client.GetStringAsync($"{Base}/{briefId}/logos/1.svg"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Base}/{briefId}/export?format=markdown")).StatusCode);
        // The stream of a finished brief sends its state once and ends.
        Assert.Contains("event: brief", await client.GetStringAsync($"{Base}/{briefId}/events"));

        var stranger = system.ClientFor("not-fatou");
        foreach (var path in new[] { "", "/results", "/export", "/logos/1.svg", "/events" })
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"{Base}/{briefId}{path}")).StatusCode);
    }

    [Fact]
    public async Task Regenerating_a_brief_only_the_archive_holds_brings_it_back_into_redis_and_archives_the_new_revision()
    {
        var briefId = await ReadyAndArchived();
        var firstLogo = (await client.Get(briefId)).GetProperty(SectionNames.LogoCreation).GetRawText();
        await ForgetInRedis(briefId);

        var regenerate = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", new { sections = new[] { SectionNames.LogoCreation } });

        Assert.Equal(HttpStatusCode.Accepted, regenerate.StatusCode);
        var regenerated = await client.WaitUntilSettled(briefId, Patience);
        Assert.Equal("ready", regenerated.GetProperty("status").GetString());
        Assert.Equal(2, regenerated.GetProperty("revision").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, regenerated.GetProperty("expires_at").ValueKind);
        // The earlier logo is kept as the section's history, as for a brief that never left Redis.
        var history = (await system.Service<BriefStore>().Find(briefId))!.Sections[SectionNames.LogoCreation].History;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(firstLogo), JsonNode.Parse(Assert.Single(history).Result.GetRawText())));
        await Eventually.Returns("revision 2 archived", () => ArchivedRows(briefId), rows => rows.Count == 2, Patience);
    }

    [Fact]
    public async Task Its_owner_moves_a_finished_brief_to_the_archive_at_once_freeing_its_redis_keys_and_nobody_else_can()
    {
        // Stored without the saga, so no event archives it: only the request does.
        var brief = await StoredInRedisOnly(BriefStatus.Incomplete);

        Assert.Equal(HttpStatusCode.NotFound, (await system.ClientFor("not-fatou").PostAsync($"{Base}/{brief.CorrelationId}/archive", null)).StatusCode);
        Assert.True(await InRedis(brief.CorrelationId));
        var archive = await client.PostAsync($"{Base}/{brief.CorrelationId}/archive", null);

        // Answered once PostgreSQL holds it: no waiting for a consumer.
        Assert.Equal(HttpStatusCode.Accepted, archive.StatusCode);
        var rows = await ArchivedRows(brief.CorrelationId);
        Assert.Single(rows);
        Assert.False(await InRedis(brief.CorrelationId));
        var read = await client.Get(brief.CorrelationId);
        Assert.Equal("incomplete", read.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("expires_at").ValueKind);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"{Base}/{brief.CorrelationId}/archive", null)).StatusCode);
        Assert.Equal(rows, await ArchivedRows(brief.CorrelationId));
    }

    [Fact]
    public async Task A_website_built_from_a_brief_moved_to_the_archive_marks_it_used_there()
    {
        var briefId = await ReadyAndArchived();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"{Base}/{briefId}/archive", null)).StatusCode);
        Assert.False(await InRedis(briefId));

        await system.Bus.Publish(new WebsiteCreated { BriefId = briefId, WebsiteId = 4242, CreatedAt = DateTimeOffset.UtcNow });

        // Used briefs are kept two years, ready ones 90 days: the archive must know.
        await Eventually.Returns("the archived revision used", () => ArchivedRows(briefId), rows => rows.Single().Contains("/used@"), Patience);
        Assert.Equal("used", (await client.Get(briefId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_brief_still_generating_is_refused_and_stays_in_redis_unarchived()
    {
        var briefId = await TestBriefs.AcceptLive(system, "fatou", DateTimeOffset.UtcNow);

        var problem = await (await client.PostAsync($"{Base}/{briefId}/archive", null)).AssertProblem(HttpStatusCode.Conflict);

        Assert.Contains("generating", problem.GetProperty("detail").GetString());
        Assert.True(await InRedis(briefId));
        Assert.Empty(await ArchivedRows(briefId));
    }

    [Fact]
    public async Task Redis_keeps_a_brief_made_used_after_it_was_read_for_archiving()
    {
        var read = await StoredInRedisOnly(BriefStatus.Ready);
        var sagas = system.Service<RedisSagaStore<BriefState>>();
        var current = (await sagas.Load(read.CorrelationId))!;
        current.Status = BriefStatus.Used;
        await sagas.Update(current);

        Assert.False(await system.Service<BriefStore>().MoveToArchive(read));

        Assert.Equal(BriefStatus.Used, (await sagas.Load(read.CorrelationId))!.Status);
    }

    [Fact]
    public async Task Redis_keeps_a_brief_whose_regeneration_was_accepted_after_it_was_read_for_archiving()
    {
        var read = await StoredInRedisOnly(BriefStatus.Ready);
        var store = system.Service<BriefStore>();
        Assert.Equal(RegenerationClaim.Claimed, await store.RequestRegeneration(read, [SectionNames.LogoCreation]));

        Assert.False(await store.MoveToArchive(read));

        Assert.Equal("regenerating", (await client.Get(read.CorrelationId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Redis_keeps_a_brief_the_archive_did_not_take()
    {
        var brief = await StoredInRedisOnly(BriefStatus.Ready);
        // The archive's tombstone refuses it, as PostgreSQL refuses a write it cannot make.
        await system.Service<BriefArchive>().Erase(brief.CorrelationId, DateTimeOffset.UtcNow);

        Assert.False(await system.Service<BriefStore>().MoveToArchive(brief));

        Assert.True(await InRedis(brief.CorrelationId));
    }

    /// <summary>A finished brief of fatou's, in Redis as the saga would have left it, read back as the API reads it.</summary>
    async Task<BriefState> StoredInRedisOnly(BriefStatus status)
    {
        var brief = TestBriefs.Brief("fatou", status, DateTimeOffset.UtcNow);
        Assert.True(await system.Service<RedisSagaStore<BriefState>>().Insert(brief));
        return (await system.Service<BriefStore>().Find(brief.CorrelationId))!;
    }

    Task<bool> InRedis(Guid briefId) => system.Redis.GetDatabase().KeyExistsAsync(system.BriefKey(briefId));

    [Fact]
    public async Task Duplicate_and_redelivered_archive_requests_store_a_revision_once()
    {
        var briefId = await ReadyAndArchived();
        var before = await ArchivedRows(briefId);
        var archive = await system.Bus.GetSendEndpoint(Queues.Address(Queues.Archive));
        var request = new ArchiveBrief { BriefId = briefId, Revision = 1 };

        await archive.Send(request);
        await archive.Send(request, context => context.MessageId = NewId.NextGuid());
        await ArchiveConsumerCaughtUp();

        Assert.Equal(before, await ArchivedRows(briefId));
        Assert.Single(before);
    }

    [Fact]
    public async Task Outcome_events_an_earlier_version_bound_to_the_archive_queue_are_unbound_when_the_orchestrator_starts()
    {
        // What an orchestrator that still subscribed the archive to the outcome events left on an existing broker.
        foreach (var source in RetiredArchiveBindings.Sources)
            await TestInfrastructure.BindExchange(system.VirtualHost, source, Queues.Archive);
        Assert.All(await Task.WhenAll(RetiredArchiveBindings.Sources.Select(Bindings)), count => Assert.Equal(1, count));

        using var start = new RetiredArchiveBindings(system.ConfigurationOf("orchestrator"), NullLogger<RetiredArchiveBindings>.Instance);
        await start.StartAsync(CancellationToken.None);
        await start.ExecuteTask!.WaitAsync(Patience);

        Assert.All(await Task.WhenAll(RetiredArchiveBindings.Sources.Select(Bindings)), count => Assert.Equal(0, count));

        Task<int> Bindings(string source) => TestInfrastructure.ExchangeBindings(system.VirtualHost, source, Queues.Archive);
    }

    [Fact]
    public async Task Briefs_archived_together_are_each_stored_once_and_an_erased_one_among_them_stays_erased()
    {
        var user = TestBriefs.UniqueUser("together");
        var (first, second, erased) = (Copy(user), Copy(user), Copy(user));
        await system.Service<BriefArchive>().Erase(erased.Instance.CorrelationId, DateTimeOffset.UtcNow);

        var stored = await system.Service<BriefArchive>().Store([first, erased, second, first]);

        Assert.Equal(2, stored);
        Assert.Single(await ArchivedRows(first.Instance.CorrelationId));
        Assert.Single(await ArchivedRows(second.Instance.CorrelationId));
        Assert.Empty(await ArchivedRows(erased.Instance.CorrelationId));

        static SagaCopy<BriefState> Copy(string user)
        {
            var brief = TestBriefs.Brief(user, BriefStatus.Ready, DateTimeOffset.UtcNow);
            return new SagaCopy<BriefState>(brief, JsonSerializer.SerializeToUtf8Bytes(brief, SagaJson.Options));
        }
    }

    [Fact]
    public async Task Deleting_an_archived_brief_erases_it_from_both_stores_and_no_late_event_brings_it_back()
    {
        var briefId = await ReadyAndArchived();
        // What a consumer still archiving a late event holds: the brief as read from Redis just before the erasure.
        var readBeforeErasure = (await system.Service<BriefStore>().Find(briefId))!;

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Base}/{briefId}")).StatusCode);
        await Eventually.Returns("the archive rows erased", () => ArchivedRows(briefId), rows => rows.Count == 0, Patience);
        Assert.False(await system.Redis.GetDatabase().KeyExistsAsync(system.BriefKey(briefId)));

        var archive = await system.Bus.GetSendEndpoint(Queues.Address(Queues.Archive));
        await archive.Send(new ArchiveBrief { BriefId = briefId, Revision = 1 });
        await ArchiveConsumerCaughtUp();
        Assert.False(await system.Service<BriefArchive>().Store(readBeforeErasure));

        Assert.Empty(await ArchivedRows(briefId));
        // Even once Redis's own tombstone is gone, nothing of the brief is left to serve.
        await ForgetInRedis(briefId);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Base}/{briefId}")).StatusCode);
    }

    async Task<Guid> ReadyAndArchived()
    {
        var briefId = await client.Submit();
        Assert.Equal("ready", (await client.WaitUntilSettled(briefId, Patience)).GetProperty("status").GetString());
        await Eventually.Returns("the brief archived", () => ArchivedRows(briefId), rows => rows.Count == 1, Patience);
        return briefId;
    }

    Task ForgetInRedis(Guid briefId) => TestBriefs.ForgetInRedis(system, briefId);

    /// <summary>
    /// Once a message published after everything before it has been handled: the consumer works on several messages at a
    /// time, so the sentinel (an erasure of a brief that never existed) waits a moment more beside them.
    /// </summary>
    async Task ArchiveConsumerCaughtUp()
    {
        var sentinel = NewId.NextGuid();
        await system.Bus.Publish(new BriefDeleted { BriefId = sentinel, DeletedAt = DateTimeOffset.UtcNow });
        await Eventually.Returns("the sentinel erasure handled", () => Query<int>("SELECT count(*)::int FROM erased_briefs WHERE brief_id = @id",
            new { id = sentinel }), found => found.Single() == 1, Patience);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Each archived revision of the brief with the version and the time it was written: a rewrite changes the latter.</summary>
    Task<List<string>> ArchivedRows(Guid briefId) =>
        Query<string>("SELECT revision || '/' || version || '/' || status || '@' || archived_at FROM briefs WHERE brief_id = @id ORDER BY revision",
            new { id = briefId });

    async Task<List<T>> Query<T>(string sql, object parameters)
    {
        await using var connection = await system.Service<NpgsqlDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    static string WithoutExpiry(JsonElement brief)
    {
        var node = JsonNode.Parse(brief.GetRawText())!.AsObject();
        node.Remove("expires_at");
        return node.ToJsonString();
    }
}
