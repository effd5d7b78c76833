using System.Text.Json;
using Dapper;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BusinessBrief.Persistence.Archive;

/// <summary>
/// The record of briefs that outlives Redis: one row per finished revision, holding the saga's document as the API reads
/// it. Storing is idempotent (a redelivered event changes nothing) and an erased brief is never stored again.
/// </summary>
public class BriefArchive(NpgsqlDataSource dataSource, ArchiveSchema schema)
{
    /// <summary>
    /// Stores the brief's revision, or replaces it with a later write of the same revision (ready, then used). False when
    /// nothing changed: the same version was stored already, or the brief was erased.
    /// </summary>
    public Task<bool> Store(BriefState brief) => Store(new SagaCopy<BriefState>(brief, JsonSerializer.SerializeToUtf8Bytes(brief, SagaJson.Options)));

    /// <summary>
    /// <see cref="Store(BriefState)"/> for a brief read as <see cref="BriefStore.FindToArchive"/> reads it: its columns from
    /// <see cref="SagaCopy{TSaga}.Instance"/>, its document as it is.
    /// </summary>
    public async Task<bool> Store(SagaCopy<BriefState> copy) => await Store([copy]) > 0;

    /// <summary>
    /// Stores each brief as <see cref="Store(SagaCopy{BriefState})"/> does, all in one transaction and one round trip to
    /// PostgreSQL, and answers how many rows changed.
    /// </summary>
    public async Task<int> Store(IReadOnlyCollection<SagaCopy<BriefState>> copies)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        // One batch, one implicit transaction: the locks are held to its end, and each insert, a statement of its own, sees
        // an erasure that committed while it waited for the lock. Taken in one order, so two batches never deadlock.
        await using var batch = new NpgsqlBatch(connection);
        foreach (var briefId in copies.Select(copy => copy.Instance.CorrelationId).Distinct().Order())
            batch.BatchCommands.Add(TakeTurnWithErasure(briefId));
        var locks = batch.BatchCommands.Count;
        foreach (var copy in copies)
            batch.BatchCommands.Add(StoreRevision(copy));
        await batch.ExecuteNonQueryAsync();
        return batch.BatchCommands.Skip<NpgsqlBatchCommand>(locks).Count(command => command.RecordsAffected > 0);
    }

    static NpgsqlBatchCommand StoreRevision(SagaCopy<BriefState> copy)
    {
        var brief = copy.Instance;
        return new NpgsqlBatchCommand("""
            INSERT INTO briefs (brief_id, revision, version, user_id, coaching_session_id, status, created_at, updated_at, document)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
            WHERE NOT EXISTS (SELECT 1 FROM erased_briefs WHERE brief_id = $1)
            ON CONFLICT (brief_id, revision) DO UPDATE
                SET version = excluded.version, status = excluded.status, updated_at = excluded.updated_at,
                    document = excluded.document, archived_at = now()
                WHERE briefs.version < excluded.version
            """)
        {
            Parameters =
            {
                new() { Value = brief.CorrelationId },
                new() { Value = brief.Revision },
                new() { Value = brief.Version },
                new() { Value = brief.UserId },
                new() { Value = brief.Profile.CoachingSessionId },
                new() { Value = brief.Status.ToWire() },
                new() { Value = brief.CreatedAt.ToUniversalTime() },
                new() { Value = brief.UpdatedAt.ToUniversalTime() },
                new() { Value = copy.Json, NpgsqlDbType = NpgsqlDbType.Json },
            },
        };
    }

    /// <summary>True when the archive holds the brief's revision at <paramref name="version"/> or later: Redis may let that state go.</summary>
    public async Task<bool> Holds(Guid briefId, int revision, int version)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM briefs WHERE brief_id = @briefId AND revision = @revision AND version >= @version)
            """, new { briefId, revision, version });
    }

    /// <summary>The latest archived revision of the brief if it belongs to <paramref name="userId"/>; someone else's reads as missing.</summary>
    public Task<BriefState?> FindOwned(Guid briefId, string userId) => FindLatest(briefId, userId);

    /// <summary>The latest archived revision of the brief, whoever owns it: for the system's own use, never for a caller.</summary>
    public Task<BriefState?> FindLatest(Guid briefId) => FindLatest(briefId, userId: null);

    async Task<BriefState?> FindLatest(Guid briefId, string? userId)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        var document = await connection.QuerySingleOrDefaultAsync<string>($"""
            SELECT document::text FROM briefs WHERE brief_id = @briefId {(userId is null ? "" : "AND user_id = @userId")}
            ORDER BY revision DESC LIMIT 1
            """, new { briefId, userId });
        return document is null ? null : JsonSerializer.Deserialize<BriefState>(document, SagaJson.Options);
    }

    /// <summary>
    /// The latest revision of each of the user's archived briefs (of one coaching session, when given) that comes after
    /// <paramref name="after"/>, in the order of <see cref="BriefListPosition"/>: newest first, then by brief id.
    /// </summary>
    public async Task<IReadOnlyList<BriefSummary>> List(string userId, long? coachingSessionId, BriefListPosition? after, int limit)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        // The (created_at DESC, brief_id) order of briefs_by_user; a brief's revisions all share its created_at.
        var rows = await connection.QueryAsync<ArchivedSummary>($"""
            SELECT DISTINCT ON (created_at, brief_id) brief_id AS BriefId, coaching_session_id AS CoachingSessionId,
                   document->'profile'->>'business_name' AS BusinessName, status AS Status, revision AS Revision,
                   created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM briefs
            WHERE user_id = @userId
                {(coachingSessionId is null ? "" : "AND coaching_session_id = @coachingSessionId")}
                {(after is null ? "" : "AND (created_at < @afterCreatedAt OR (created_at = @afterCreatedAt AND brief_id > @afterBriefId))")}
            ORDER BY created_at DESC, brief_id, revision DESC
            LIMIT @limit
            """, new { userId, coachingSessionId, afterCreatedAt = after?.CreatedAt.UtcDateTime, afterBriefId = after?.BriefId, limit });
        return rows.Select(row => new BriefSummary(row.BriefId, row.CoachingSessionId, row.BusinessName ?? "",
            Enum.Parse<BriefStatus>(row.Status, ignoreCase: true), row.Revision,
            new DateTimeOffset(row.CreatedAt, TimeSpan.Zero), new DateTimeOffset(row.UpdatedAt, TimeSpan.Zero))).ToList();
    }

    /// <summary>
    /// Deletes one batch of briefs whose latest revision is past the retention of its status, with all their revisions, and
    /// answers how many briefs went. Rows another copy's batch holds are skipped rather than waited for: it deletes them.
    /// </summary>
    public async Task<int> PurgeExpired(ArchiveRetention retention, DateTimeOffset now)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("""
            WITH expired AS (
                SELECT brief_id, revision FROM briefs latest
                WHERE ((status = @used AND updated_at < @usedBefore) OR (status <> @used AND updated_at < @otherBefore))
                    AND NOT EXISTS (SELECT 1 FROM briefs later WHERE later.brief_id = latest.brief_id AND later.revision > latest.revision)
                LIMIT @batchSize
                FOR UPDATE OF latest SKIP LOCKED),
            deleted AS (
                -- Revisions up to the expired one: a revision stored meanwhile is in use, and stays.
                DELETE FROM briefs b USING expired e WHERE b.brief_id = e.brief_id AND b.revision <= e.revision
                RETURNING b.brief_id)
            SELECT count(DISTINCT brief_id)::int FROM deleted
            """, new
        {
            used = BriefStatus.Used.ToWire(),
            usedBefore = (now - retention.Used).UtcDateTime,
            otherBefore = (now - retention.Default).UtcDateTime,
            batchSize = retention.PurgeBatchSize,
        });
    }

    /// <summary>
    /// Deletes one batch of tombstones older than <see cref="ArchiveRetention.ErasureTombstones"/> and answers how many went:
    /// no event about those briefs can still be on its way. Copies purging at once skip each other's rows, as above.
    /// </summary>
    public async Task<int> PurgeErasures(ArchiveRetention retention, DateTimeOffset now)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteAsync("""
            WITH expired AS (
                SELECT brief_id FROM erased_briefs WHERE erased_at < @erasedBefore
                LIMIT @batchSize
                FOR UPDATE SKIP LOCKED)
            DELETE FROM erased_briefs e USING expired x WHERE e.brief_id = x.brief_id
            """, new { erasedBefore = (now - retention.ErasureTombstones).UtcDateTime, batchSize = retention.PurgeBatchSize });
    }

    sealed class ArchivedSummary
    {
        public Guid BriefId { get; init; }
        public long CoachingSessionId { get; init; }
        public string? BusinessName { get; init; }
        public string Status { get; init; } = "";
        public int Revision { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    /// <summary>Erases every archived revision of the brief and leaves a tombstone, so that a late event never stores it again.</summary>
    public async Task Erase(Guid briefId, DateTimeOffset erasedAt)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        // As in Store: one batch, one implicit transaction, the lock held to its end.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                TakeTurnWithErasure(briefId),
                new NpgsqlBatchCommand("INSERT INTO erased_briefs (brief_id, erased_at) VALUES ($1, $2) ON CONFLICT (brief_id) DO NOTHING")
                {
                    Parameters = { new() { Value = briefId }, new() { Value = erasedAt.ToUniversalTime() } },
                },
                new NpgsqlBatchCommand("DELETE FROM briefs WHERE brief_id = $1") { Parameters = { new() { Value = briefId } } },
            },
        };
        await batch.ExecuteNonQueryAsync();
    }

    // A store checking for the tombstone and an erasure writing it, in two transactions, could each miss the other's
    // write: one lock per brief, held to the end of the transaction, makes them take turns.
    static NpgsqlBatchCommand TakeTurnWithErasure(Guid briefId) =>
        new("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))") { Parameters = { new() { Value = briefId.ToString() } } };
}

public static class BriefArchiveServiceCollectionExtensions
{
    /// <summary>The PostgreSQL archive of <c>ConnectionStrings:postgres</c>, its schema applied at start-up.</summary>
    public static IServiceCollection AddBriefArchive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BriefArchiveOptions>().Bind(configuration.GetSection(BriefArchiveOptions.SectionName));
        services.AddSingleton(sp =>
        {
            var connection = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(BriefArchiveOptions.ConnectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{BriefArchiveOptions.ConnectionName} is not set."))
            {
                SearchPath = sp.GetRequiredService<IOptions<BriefArchiveOptions>>().Value.Schema,
            };
            // Each archived brief runs the same two statements: prepared once per connection, PostgreSQL stops parsing
            // and planning them for every brief. An operator's own setting wins.
            if (connection.MaxAutoPrepare == 0)
                connection.MaxAutoPrepare = 16;
            return NpgsqlDataSource.Create(connection);
        });
        services.AddSingleton<ArchiveSchema>();
        services.AddSingleton<BriefArchive>();
        services.AddHostedService<ArchiveSchemaMigration>();
        return services;
    }
}
