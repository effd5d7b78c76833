using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BusinessBrief.Persistence.Archive;

/// <summary>
/// Brings the archive's schema up to date from the versioned SQL files of <c>Archive/Migrations</c> (<c>0001_briefs.sql</c>, …),
/// each applied once in its own transaction and recorded in <c>schema_version</c>. An advisory lock makes copies starting at
/// once take turns: the second finds the work done.
/// </summary>
public partial class ArchiveSchema(NpgsqlDataSource dataSource, IOptions<BriefArchiveOptions> options, ILogger<ArchiveSchema> logger)
{
    const string ResourcePrefix = "Archive.Migrations.";
    readonly Lock gate = new();
    Task? applied;

    /// <summary>Completes once the schema is up to date; a failed attempt (PostgreSQL away) is tried again by the next caller.</summary>
    public Task EnsureApplied()
    {
        lock (gate)
        {
            if (applied is null || applied.IsFaulted || applied.IsCanceled)
                applied = Apply();
            return applied;
        }
    }

    async Task Apply()
    {
        var schema = options.Value.Schema;
        if (!PlainIdentifier().IsMatch(schema))
            throw new InvalidOperationException($"BriefArchive:Schema '{schema}' must be a lower-case SQL identifier");

        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("SELECT pg_advisory_lock(hashtext(@schema))", new { schema });
        try
        {
            await connection.ExecuteAsync($"""
                CREATE SCHEMA IF NOT EXISTS {schema};
                CREATE TABLE IF NOT EXISTS {schema}.schema_version (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """);
            var done = (await connection.QueryAsync<int>($"SELECT version FROM {schema}.schema_version")).ToHashSet();
            foreach (var migration in Migrations().Where(m => !done.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync($"SET LOCAL search_path TO {schema}; {migration.Sql}", transaction: transaction);
                await connection.ExecuteAsync($"INSERT INTO {schema}.schema_version (version, name) VALUES (@Version, @Name)", migration, transaction);
                await transaction.CommitAsync();
                logger.LogInformation("Archive schema {Schema}: applied migration {Name}", schema, migration.Name);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@schema))", new { schema });
        }
    }

    record Migration(int Version, string Name, string Sql);

    static IEnumerable<Migration> Migrations()
    {
        var assembly = typeof(ArchiveSchema).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            var name = resource[ResourcePrefix.Length..];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return new Migration(int.Parse(name.Split('_')[0]), name, reader.ReadToEnd());
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PlainIdentifier();
}

/// <summary>Applies the archive's migrations at start-up, and again every few seconds while PostgreSQL is not there yet.</summary>
public class ArchiveSchemaMigration(ArchiveSchema schema, ILogger<ArchiveSchemaMigration> logger) : BackgroundService
{
    static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await schema.EnsureApplied().WaitAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Briefs are still generated and served from Redis meanwhile; archiving waits in its queue.
                logger.LogWarning(ex, "The brief archive's schema could not be applied yet; trying again in {Delay}", RetryDelay);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }
}
