using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Deadlines;

/// <summary>Turns due entries of the <see cref="SectionDeadlineIndex"/> into <see cref="CheckSectionDeadlines"/> for the saga.</summary>
public class SectionDeadlineWatchdog(ISectionDeadlineIndex index, IBus bus, IOptions<SectionDeadlineOptions> options,
    BrokerConfirmDeadline confirmDeadline, TimeProvider clock, ILogger<SectionDeadlineWatchdog> logger) : BackgroundService
{
    const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        while (await NextTick(timer, stoppingToken))
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

    // The host stopping cancels the wait: that ends the loop, it is not a failure.
    static async Task<bool> NextTick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    async Task CheckDue(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await index.ClaimDue(now, BatchSize);
        if (due.Count == 0)
            return;

        var briefs = await bus.GetSendEndpoint(Queues.Address(Queues.Briefs));
        for (var i = 0; i < due.Count; i++)
        {
            try
            {
                using var overdue = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                overdue.CancelAfter(confirmDeadline.Timeout);
                await briefs.Send(new CheckSectionDeadlines { BriefId = due[i].BriefId, CheckedAt = now }, overdue.Token);
            }
            catch
            {
                // Due again now rather than when the lease ends: the next tick retries them.
                foreach (var claim in due.Skip(i))
                    await index.Watch(claim.BriefId, now);
                throw;
            }
            // Only the claim goes: a due time the saga set meanwhile stays.
            await index.Forget(due[i].BriefId, due[i].LeasedUntil);
        }
        logger.LogInformation("Deadline check sent for {Count} brief(s)", due.Count);
    }
}
