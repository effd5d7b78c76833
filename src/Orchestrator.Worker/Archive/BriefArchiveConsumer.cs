using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using MassTransit;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>
/// Write-behind to the archive: each time a revision of a brief ends (ready, incomplete, cancelled, used), the brief as the
/// saga stored it in Redis is copied to PostgreSQL; an erased brief is erased there too. The messages only say that it is
/// time: the document read from Redis is the whole brief the API serves (sections' history, statuses, usage). It is
/// copied as Redis holds it, its sections never parsed. Briefs ending together are archived together
/// (<see cref="Batch{T}"/>): one PostgreSQL transaction, the Redis reads pipelined.
/// </summary>
public class BriefArchiveConsumer(BriefStore store, BriefArchive archive, ILogger<BriefArchiveConsumer> logger) :
    IConsumer<Batch<ArchiveBrief>>,
    IConsumer<WebsiteCreated>,
    IConsumer<BriefDeleted>
{
    public Task Consume(ConsumeContext<Batch<ArchiveBrief>> context) => Archive(context.Message.Select(archive => archive.Message.BriefId));

    /// <summary>The saga hears the same event on its own queue: the brief is archived once the saga made it <c>used</c>.</summary>
    public async Task Consume(ConsumeContext<WebsiteCreated> context)
    {
        var briefId = context.Message.BriefId;
        var brief = await store.FindToArchive(briefId);
        if (brief is null && await store.RestoreReadyFromArchive(briefId))
        {
            // It had left Redis, so the saga dropped its copy of the event: the saga gets it again, with the brief back.
            await context.Send(new Uri($"queue:{Queues.Briefs}"), context.Message);
            throw new BriefNotYetUsedException(briefId);
        }
        if (brief is { Instance.Status: BriefStatus.Ready })
            throw new BriefNotYetUsedException(briefId);
        await Archive(briefId, brief);
    }

    public async Task Consume(ConsumeContext<BriefDeleted> context)
    {
        await archive.Erase(context.Message.BriefId, context.Message.DeletedAt);
        logger.LogInformation("Brief {BriefId} erased from the archive", context.Message.BriefId);
    }

    async Task Archive(IEnumerable<Guid> briefIds) =>
        await Archive(await Task.WhenAll(briefIds.Distinct().Select(async briefId => (briefId, await store.FindToArchive(briefId)))));

    async Task Archive(Guid briefId, SagaCopy<BriefState>? copy) => await Archive([(briefId, copy)]);

    async Task Archive(IReadOnlyCollection<(Guid BriefId, SagaCopy<BriefState>? Copy)> briefs)
    {
        var finished = new List<SagaCopy<BriefState>>(briefs.Count);
        foreach (var (briefId, copy) in briefs)
        {
            if (copy is not { Instance: var brief })
                // Erased (its tombstone stops it here) or gone from Redis before its turn came: nothing left to copy.
                logger.LogWarning("Brief {BriefId} is no longer in Redis: not archived", briefId);
            else if (brief.Status.IsRunning())
                // A later revision started already; its own outcome archives it.
                logger.LogInformation("Brief {BriefId} is {Status} again: archived when this revision ends", briefId, brief.Status.ToWire());
            else
                finished.Add(copy);
        }
        if (finished.Count == 0)
            return;
        var stored = await archive.Store(finished);
        // Once per batch on the hot path, where a console line costs about what the copy does; the warnings above stay.
        logger.LogDebug("{Stored} of {Briefs} briefs archived, the others already archived or erased", stored, finished.Count);
    }
}

/// <summary>A website was created from a brief the saga has not marked <c>used</c> yet: the message is tried again shortly.</summary>
public class BriefNotYetUsedException(Guid briefId) : Exception($"Brief {briefId} is not marked used yet");
