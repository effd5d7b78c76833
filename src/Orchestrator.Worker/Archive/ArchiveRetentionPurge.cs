using BusinessBrief.Persistence.Archive;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>
/// Deletes archived briefs past the retention of their status (<c>BriefArchive:Retention</c>), every
/// <see cref="ArchiveRetention.PurgeInterval"/>, batch after batch until none is left. Every orchestrator runs it: the
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
                if (purged > 0)
                    logger.LogInformation("Purged {Count} archived briefs past their retention", purged);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // PostgreSQL away: nothing is lost by purging later.
                logger.LogWarning(ex, "The archive's retention purge failed; trying again in {Interval}", retention.PurgeInterval);
            }
            await Task.Delay(retention.PurgeInterval, clock, stoppingToken);
        }
    }

    /// <summary>Purges until a batch comes back short: then what is left is within its retention, or another copy's.</summary>
    public async Task<int> PurgeAll(ArchiveRetention retention, CancellationToken cancellationToken)
    {
        var total = 0;
        int purged;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            purged = await archive.PurgeExpired(retention, clock.GetUtcNow());
            total += purged;
        }
        while (purged >= retention.PurgeBatchSize);
        return total;
    }
}
