using System.Security.Cryptography;
using System.Text;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// The events that tell the rest of the world how a revision of a brief ended, each followed by an
/// <see cref="ArchiveBrief"/> for the archive. Every one of them waits for the broker's confirm under one deadline.
/// </summary>
public class BriefAnnouncements(BrokerConfirmDeadline confirmDeadline, IOptions<BriefArchiveOptions> archive)
{
    /// <summary><see cref="BriefReady"/> or <see cref="BriefIncomplete"/>, under the revision's own message id.</summary>
    public async Task Outcome(ConsumeContext context, BriefState brief)
    {
        await Publish(context, brief.IsReadyForWebsite ? Ready(brief) : Incomplete(brief), MessageId(brief));
        await Archive(context, brief);
    }

    public async Task Cancelled(ConsumeContext context, BriefState brief)
    {
        await Publish(context, new BriefCancelled
        {
            BriefId = brief.CorrelationId,
            UserId = brief.UserId,
            Revision = brief.Revision,
            CancelledAt = brief.UpdatedAt,
        });
        await Archive(context, brief);
    }

    // A command of a few bytes rather than the archive subscribing to BriefReady: the whole brief delivered once more and
    // deserialised only for its id cost the broker and the orchestrator more than the archive's own work.
    async Task Archive(ConsumeContext context, BriefState brief)
    {
        if (!archive.Value.Enabled)
            return;
        var endpoint = await context.GetSendEndpoint(Queues.Address(Queues.Archive));
        await endpoint.Send(new ArchiveBrief { BriefId = brief.CorrelationId, Revision = brief.Revision }, confirmDeadline.Start());
    }

    Task Publish(ConsumeContext context, object message, Guid? messageId = null) =>
        context.Publish(message, message.GetType(), Pipe.Execute<PublishContext>(published => published.MessageId = messageId ?? published.MessageId),
            confirmDeadline.Start());

    /// <summary>
    /// The same for every publication of one revision's outcome, so a subscriber can recognise an announcement
    /// the saga had to repeat after a crash.
    /// </summary>
    static Guid MessageId(BriefState brief) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{brief.CorrelationId}/{brief.Revision}/{brief.CurrentState}")).AsSpan(0, 16));

    static BriefReady Ready(BriefState brief) => new()
    {
        BriefId = brief.CorrelationId,
        UserId = brief.UserId,
        Revision = brief.Revision,
        Profile = brief.Profile,
        Language = brief.Language,
        Sections = brief.Sections.ToDictionary(s => s.Key, s => s.Value.Result!.Value),
        OverallConfidence = brief.OverallConfidence,
        StaleSections = brief.StaleSections,
        ReadyAt = brief.UpdatedAt,
        Usage = brief.Usage,
        SectionUsage = brief.Sections.Where(s => s.Value.Usage is not null).ToDictionary(s => s.Key, s => s.Value.Usage!),
    };

    static BriefIncomplete Incomplete(BriefState brief) => new()
    {
        BriefId = brief.CorrelationId,
        UserId = brief.UserId,
        Revision = brief.Revision,
        FailedSections = brief.Sections
            .Where(s => s.Value.Status == SectionStatus.Failed)
            .ToDictionary(s => s.Key, s => s.Value.Error ?? "failed"),
        BriefCompleteness = brief.BriefCompleteness,
        EndedAt = brief.UpdatedAt,
    };
}
