using System.Data;
using System.Text.Json;
using Dapper;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

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
    public async Task<bool> Store(BriefState brief)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await TakeTurnWithErasure(connection, transaction, brief.CorrelationId);
        var changed = await connection.ExecuteAsync("""
            INSERT INTO briefs (brief_id, revision, version, user_id, coaching_session_id, status, created_at, updated_at, document)
            SELECT @BriefId, @Revision, @Version, @UserId, @CoachingSessionId, @Status, @CreatedAt, @UpdatedAt, CAST(@Document AS json)
            WHERE NOT EXISTS (SELECT 1 FROM erased_briefs WHERE brief_id = @BriefId)
            ON CONFLICT (brief_id, revision) DO UPDATE
                SET version = excluded.version, status = excluded.status, updated_at = excluded.updated_at,
                    document = excluded.document, archived_at = now()
                WHERE briefs.version < excluded.version
            """, new
        {
            BriefId = brief.CorrelationId,
            brief.Revision,
            brief.Version,
            brief.UserId,
            brief.Profile.CoachingSessionId,
            Status = brief.Status.ToWire(),
            CreatedAt = brief.CreatedAt.ToUniversalTime(),
            UpdatedAt = brief.UpdatedAt.ToUniversalTime(),
            Document = JsonSerializer.Serialize(brief, SagaJson.Options),
        }, transaction);
        await transaction.CommitAsync();
        return changed > 0;
    }

    /// <summary>The latest archived revision of the brief if it belongs to <paramref name="userId"/>; someone else's reads as missing.</summary>
    public async Task<BriefState?> FindOwned(Guid briefId, string userId)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        var document = await connection.QuerySingleOrDefaultAsync<string>("""
            SELECT document::text FROM briefs WHERE brief_id = @briefId AND user_id = @userId ORDER BY revision DESC LIMIT 1
            """, new { briefId, userId });
        return document is null ? null : JsonSerializer.Deserialize<BriefState>(document, SagaJson.Options);
    }

    /// <summary>Erases every archived revision of the brief and leaves a tombstone, so that a late event never stores it again.</summary>
    public async Task Erase(Guid briefId, DateTimeOffset erasedAt)
    {
        await schema.EnsureApplied();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await TakeTurnWithErasure(connection, transaction, briefId);
        await connection.ExecuteAsync("""
            INSERT INTO erased_briefs (brief_id, erased_at) VALUES (@briefId, @erasedAt) ON CONFLICT (brief_id) DO NOTHING;
            DELETE FROM briefs WHERE brief_id = @briefId;
            """, new { briefId, erasedAt = erasedAt.ToUniversalTime() }, transaction);
        await transaction.CommitAsync();
    }

    // A store checking for the tombstone and an erasure writing it, in two transactions, could each miss the other's
    // write: one lock per brief, held to the end of the transaction, makes them take turns.
    static Task TakeTurnWithErasure(NpgsqlConnection connection, IDbTransaction transaction, Guid briefId) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@id, 0))", new { id = briefId.ToString() }, transaction);
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
            return NpgsqlDataSource.Create(connection);
        });
        services.AddSingleton<ArchiveSchema>();
        services.AddSingleton<BriefArchive>();
        services.AddHostedService<ArchiveSchemaMigration>();
        return services;
    }
}
