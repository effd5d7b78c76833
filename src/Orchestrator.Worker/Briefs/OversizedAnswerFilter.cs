using System.Text;
using BusinessBrief.Contracts;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>How large a section's answer may be before it is stored in Redis and served to its owner.</summary>
public class SectionAnswerLimits
{
    public const string SectionName = "SectionAnswers";

    /// <summary>UTF-8 bytes of the answer's JSON. The agents cap a model's answer at 200,000 characters; this bounds any sender.</summary>
    public int MaxBytes { get; set; } = 512 * 1024;
}

/// <summary>
/// The broker is not trusted to carry only honest answers: a <see cref="SubAgentCompleted"/> larger than
/// <see cref="SectionAnswerLimits.MaxBytes"/> never reaches the saga. It becomes the job's <see cref="SubAgentFailed"/>
/// with a fixed reason (the size goes to the log), sent to the saga's own queue, so the section fails as any other.
/// </summary>
public class OversizedAnswerFilter(SectionAnswerLimits limits, ILogger<OversizedAnswerFilter> logger)
    : IFilter<ConsumeContext<SubAgentCompleted>>
{
    public const string Reason = "the section's answer was larger than the orchestrator accepts";

    public async Task Send(ConsumeContext<SubAgentCompleted> context, IPipe<ConsumeContext<SubAgentCompleted>> next)
    {
        var answer = context.Message;
        var size = Encoding.UTF8.GetByteCount(answer.Result.GetRawText());
        if (size <= limits.MaxBytes)
        {
            await next.Send(context);
            return;
        }

        logger.LogWarning("Brief {BriefId}: {Section} answer of job {JobId} from {Backend} is {Size} bytes, over {MaxBytes}; the section fails",
            answer.BriefId, answer.Section, answer.JobId, answer.Backend, size, limits.MaxBytes);
        var briefs = await context.GetSendEndpoint(Queues.Address(Queues.Briefs));
        await briefs.Send(new SubAgentFailed
        {
            BriefId = answer.BriefId, JobId = answer.JobId, Section = answer.Section, Revision = answer.Revision,
            Reason = Reason, FailedAt = answer.CompletedAt, Usage = answer.Usage,
        });
        await context.NotifyConsumed(context, TimeSpan.Zero, nameof(OversizedAnswerFilter));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("oversized-answer");
}
