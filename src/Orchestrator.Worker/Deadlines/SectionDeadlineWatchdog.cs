using BusinessBrief.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Deadlines;

/// <summary>Turns due entries of the <see cref="SectionDeadlineIndex"/> into <see cref="CheckSectionDeadlines"/> for the saga.</summary>
public class SectionDeadlineWatchdog(ISectionDeadlineIndex index, IBus bus, IOptions<SectionDeadlineOptions> options,
    TimeProvider clock, ILogger<SectionDeadlineWatchdog> logger) : BackgroundService
{
    const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckDue(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Redis or RabbitMQ away for a moment: the entries stay in the index until the next tick.
                logger.LogWarning(ex, "Deadline check failed; retrying at the next tick");
            }
        }
    }

    async Task CheckDue(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await index.ClaimDue(now, BatchSize);
        if (due.Count == 0)
            return;

        var briefs = await bus.GetSendEndpoint(Queues.Address(Queues.Briefs));
        foreach (var briefId in due)
        {
            try
            {
                await briefs.Send(new CheckSectionDeadlines { BriefId = briefId, CheckedAt = now }, cancellationToken);
            }
            catch
            {
                await index.Watch(briefId, now);
                throw;
            }
        }
        logger.LogInformation("Deadline check sent for {Count} brief(s)", due.Count);
    }
}
