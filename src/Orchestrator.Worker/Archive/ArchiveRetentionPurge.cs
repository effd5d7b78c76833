using BusinessBrief.Persistence.Archive;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>
/// Deletes archived briefs past the retention of their status (<c>BriefArchive:Retention</c>), and the tombstones of erased
/// briefs past theirs, every <see cref="ArchiveRetention.PurgeInterval"/>, batch after batch until none is left. Every orchestrator runs it: the
/// batches of copies running at once skip each other's rows, so each brief is deleted once and nobody waits.
/// </summary>
public class ArchiveRetentionPurge(BriefArchive archive, IOptionsMonitor<BriefArchiveOptions> options, TimeProvider clock,
    ILogger<ArchiveRetentionPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var retention = options.CurrentValue.Retention;
            try
            {
                var purged = await PurgeAll(retention, stoppingToken);
                if (purged is not { Briefs: 0, ErasureTombstones: 0 })
                    logger.LogInformation("Purged {Count} archived briefs and {Tombstones} erasure tombstones past their retention",
                        purged.Briefs, purged.ErasureTombstones);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // PostgreSQL away: nothing is lost by purging later.
                logger.LogWarning(ex, "The archive's retention purge failed; trying again in {Interval}", retention.PurgeInterval);
            }
            await Task.Delay(retention.PurgeInterval, clock, stoppingToken);
        }
    }

    /// <summary>Purges briefs, then tombstones, each until a batch comes back short: what is left is within its retention, or another copy's.</summary>
    public async Task<ArchivePurge> PurgeAll(ArchiveRetention retention, CancellationToken cancellationToken) =>
        new(await InBatches(() => archive.PurgeExpired(retention, clock.GetUtcNow()), retention.PurgeBatchSize, cancellationToken),
            await InBatches(() => archive.PurgeErasures(retention, clock.GetUtcNow()), retention.PurgeBatchSize, cancellationToken));

    static async Task<int> InBatches(Func<Task<int>> purgeBatch, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int purged;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            purged = await purgeBatch();
            total += purged;
        }
        while (purged >= batchSize);
        return total;
    }
}

/// <summary>What one purge deleted: archived briefs (all their revisions), and tombstones of erased briefs.</summary>
public record ArchivePurge(int Briefs, int ErasureTombstones);
