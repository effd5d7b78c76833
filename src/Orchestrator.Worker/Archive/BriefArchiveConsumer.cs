using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using MassTransit;

namespace BusinessBrief.Orchestrator.Archive;

/// <summary>
/// Write-behind to the archive: each time a revision of a brief ends (ready, incomplete, cancelled, used), the brief as the
/// saga stored it in Redis is copied to PostgreSQL; an erased brief is erased there too. The events only say that it is
/// time: the document read from Redis is the whole brief the API serves (sections' history, statuses, usage), which
/// <see cref="BriefIncomplete"/> and <see cref="BriefCancelled"/> do not carry.
/// </summary>
public class BriefArchiveConsumer(BriefStore store, BriefArchive archive, ILogger<BriefArchiveConsumer> logger) :
    IConsumer<BriefReady>,
    IConsumer<BriefIncomplete>,
    IConsumer<BriefCancelled>,
    IConsumer<WebsiteCreated>,
    IConsumer<BriefDeleted>,
    IConsumer<ArchiveBrief>
{
    public Task Consume(ConsumeContext<BriefReady> context) => Archive(context.Message.BriefId);

    public Task Consume(ConsumeContext<BriefIncomplete> context) => Archive(context.Message.BriefId);

    public Task Consume(ConsumeContext<BriefCancelled> context) => Archive(context.Message.BriefId);

    public Task Consume(ConsumeContext<ArchiveBrief> context) => Archive(context.Message.BriefId);

    /// <summary>The saga hears the same event on its own queue: the brief is archived once the saga made it <c>used</c>.</summary>
    public async Task Consume(ConsumeContext<WebsiteCreated> context)
    {
        var brief = await store.Find(context.Message.BriefId);
        if (brief is { Status: BriefStatus.Ready })
            throw new BriefNotYetUsedException(context.Message.BriefId);
        await Archive(context.Message.BriefId, brief);
    }

    public async Task Consume(ConsumeContext<BriefDeleted> context)
    {
        await archive.Erase(context.Message.BriefId, context.Message.DeletedAt);
        logger.LogInformation("Brief {BriefId} erased from the archive", context.Message.BriefId);
    }

    async Task Archive(Guid briefId) => await Archive(briefId, await store.Find(briefId));

    async Task Archive(Guid briefId, BriefState? brief)
    {
        if (brief is null)
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
        var stored = await archive.Store(brief);
        logger.LogInformation("Brief {BriefId} revision {Revision} ({Status}) {Outcome}", briefId, brief.Revision, brief.Status.ToWire(),
            stored ? "archived" : "already archived or erased");
    }
}

/// <summary>A website was created from a brief the saga has not marked <c>used</c> yet: the message is tried again shortly.</summary>
public class BriefNotYetUsedException(Guid briefId) : Exception($"Brief {briefId} is not marked used yet");
