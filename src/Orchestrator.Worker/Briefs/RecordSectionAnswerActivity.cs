using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Records a sub-agent's answer when it answers the job the section is waiting for, then sends the sections that
/// were waiting for it. Answers to superseded jobs (an older revision) and duplicates of an answer already
/// recorded change nothing.
/// </summary>
public class RecordSectionAnswerActivity(SubAgentDispatcher dispatcher, TimeProvider clock) :
    IStateMachineActivity<BriefState, SubAgentCompleted>,
    IStateMachineActivity<BriefState, SubAgentFailed>
{
    public async Task Execute(BehaviorContext<BriefState, SubAgentCompleted> context, IBehavior<BriefState, SubAgentCompleted> next)
    {
        var answer = context.Message;
        var brief = context.Saga;
        if (AwaitedSection(brief, answer.Section, answer.JobId) is { } section)
        {
            section.Status = SectionStatus.Completed;
            section.Result = answer.Result;
            section.Confidence = answer.Confidence;
            section.Backend = answer.Backend;
            section.Error = null;
            section.ChangedInputs.Clear();
            MarkDownstreamStale(brief, answer.Section);
            Account(brief, section, answer.Usage);
            await Recorded(context, brief, section);
        }
        else
            await ResendWhatItReleased(context, brief, answer.Section, answer.JobId);

        await next.Execute(context);
    }

    public async Task Execute(BehaviorContext<BriefState, SubAgentFailed> context, IBehavior<BriefState, SubAgentFailed> next)
    {
        var answer = context.Message;
        var brief = context.Saga;
        if (AwaitedSection(brief, answer.Section, answer.JobId) is { } section)
        {
            section.Status = SectionStatus.Failed;
            section.Error = answer.Reason;
            Account(brief, section, answer.Usage);
            await Recorded(context, brief, section);
        }
        else
            await ResendWhatItReleased(context, brief, answer.Section, answer.JobId);

        await next.Execute(context);
    }

    static SectionState? AwaitedSection(BriefState brief, string name, Guid jobId) =>
        brief.Sections.TryGetValue(name, out var section) && section.JobId == jobId && section.Status == SectionStatus.Running ? section : null;

    // Once per job: only the awaited job's first answer gets here, so a redelivered answer is never counted twice.
    static void Account(BriefState brief, SectionState section, SectionUsage? usage)
    {
        section.Usage = usage;
        if (usage is not null)
            brief.Usage = brief.Usage.Add(usage);
    }

    /// <summary>
    /// The sections built on <paramref name="changed"/> that this revision does not re-run now rest on an older
    /// version of it. (In a first generation or a cascade every one of them is part of the revision.)
    /// </summary>
    static void MarkDownstreamStale(BriefState brief, string changed)
    {
        foreach (var name in SectionGraph.Brief.DownstreamOf([changed]))
            if (brief.Sections.GetValueOrDefault(name) is { Status: SectionStatus.Completed } downstream &&
                downstream.Revision != brief.Revision && !downstream.ChangedInputs.Contains(changed))
                downstream.ChangedInputs.Add(changed);
    }

    async Task Recorded<T>(BehaviorContext<BriefState, T> context, BriefState brief, SectionState section)
        where T : class
    {
        var now = clock.GetUtcNow();
        section.UpdatedAt = now;
        brief.UpdatedAt = now;
        await dispatcher.SendSectionsWhoseInputsSettled(context, brief, now);
    }

    /// <summary>
    /// An answer already recorded, by an earlier attempt that may have stored it without sending the jobs it released
    /// (<see cref="StoredStateExtensions.MayHaveBeenAppliedBefore"/>): they are sent again under their own ids.
    /// </summary>
    Task ResendWhatItReleased(ConsumeContext context, BriefState brief, string name, Guid jobId) =>
        context.MayHaveBeenAppliedBefore() && brief.Sections.TryGetValue(name, out var section) && section.JobId == jobId &&
        section.Revision == brief.Revision && section.IsTerminal
            ? dispatcher.ResendJobsReleasedBy(context, brief, name)
            : Task.CompletedTask;

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, SubAgentCompleted, TException> context,
        IBehavior<BriefState, SubAgentCompleted> next)
        where TException : Exception => next.Faulted(context);

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, SubAgentFailed, TException> context,
        IBehavior<BriefState, SubAgentFailed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("record-section-answer");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
