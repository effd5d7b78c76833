using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using MassTransit;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>
/// Write-behind to the archive: each time a revision of a brief ends (ready, incomplete, cancelled, used), the brief as the
/// saga stored it in Redis is copied to PostgreSQL; an erased brief is erased there too. The events only say that it is
/// time: the document read from Redis is the whole brief the API serves (sections' history, statuses, usage), which
/// <see cref="BriefIncomplete"/> and <see cref="BriefCancelled"/> do not carry. It is copied as Redis holds it, its
/// sections never parsed: reading the whole brief and writing it again cost the orchestrator ≈2 ms per brief.
/// </summary>
public class BriefArchiveConsumer(BriefStore store, BriefArchive archive, ILogger<BriefArchiveConsumer> logger) :
    IConsumer<BriefReady>,
    IConsumer<BriefIncomplete>,
    IConsumer<BriefCancelled>,
    IConsumer<WebsiteCreated>,
    IConsumer<BriefDeleted>
{
    public Task Consume(ConsumeContext<BriefReady> context) => Archive(context.Message.BriefId);

    public Task Consume(ConsumeContext<BriefIncomplete> context) => Archive(context.Message.BriefId);

    public Task Consume(ConsumeContext<BriefCancelled> context) => Archive(context.Message.BriefId);

    /// <summary>The saga hears the same event on its own queue: the brief is archived once the saga made it <c>used</c>.</summary>
    public async Task Consume(ConsumeContext<WebsiteCreated> context)
    {
        var brief = await store.FindToArchive(context.Message.BriefId);
        if (brief is { Instance.Status: BriefStatus.Ready })
            throw new BriefNotYetUsedException(context.Message.BriefId);
        await Archive(context.Message.BriefId, brief);
    }

    public async Task Consume(ConsumeContext<BriefDeleted> context)
    {
        await archive.Erase(context.Message.BriefId, context.Message.DeletedAt);
        logger.LogInformation("Brief {BriefId} erased from the archive", context.Message.BriefId);
    }

    async Task Archive(Guid briefId) => await Archive(briefId, await store.FindToArchive(briefId));

    async Task Archive(Guid briefId, SagaCopy<BriefState>? copy)
    {
        if (copy is not { Instance: var brief })
        {
            // Erased (its tombstone stops it here) or gone from Redis before its turn came: nothing left to copy.
            logger.LogWarning("Brief {BriefId} is no longer in Redis: not archived", briefId);
            return;
        }
        if (brief.Status.IsRunning())
        {
            // A later revision started already; its own outcome archives it.
            logger.LogInformation("Brief {BriefId} is {Status} again: archived when this revision ends", briefId, brief.Status.ToWire());
            return;
        }
        var stored = await archive.Store(copy);
        // Once per brief on the hot path, where a console line costs about what the copy does; the warnings above stay.
        logger.LogDebug("Brief {BriefId} revision {Revision} ({Status}) {Outcome}", briefId, brief.Revision, brief.Status.ToWire(),
            stored ? "archived" : "already archived or erased");
    }
}

/// <summary>A website was created from a brief the saga has not marked <c>used</c> yet: the message is tried again shortly.</summary>
public class BriefNotYetUsedException(Guid briefId) : Exception($"Brief {briefId} is not marked used yet");
