using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Records a sub-agent's answer when it answers the job the section is waiting for. Answers to superseded jobs
/// (an older revision) and duplicates of an answer already recorded change nothing.
/// </summary>
public class RecordSectionAnswerActivity(TimeProvider clock) :
    IStateMachineActivity<BriefState, SubAgentCompleted>,
    IStateMachineActivity<BriefState, SubAgentFailed>
{
    public Task Execute(BehaviorContext<BriefState, SubAgentCompleted> context, IBehavior<BriefState, SubAgentCompleted> next)
    {
        var answer = context.Message;
        if (AwaitedSection(context.Saga, answer.Section, answer.JobId) is { } section)
        {
            section.Status = SectionStatus.Completed;
            section.Result = answer.Result;
            section.Confidence = answer.Confidence;
            section.Backend = answer.Backend;
            section.Error = null;
            Account(context.Saga, section, answer.Usage);
            Touch(context.Saga, section);
        }

        return next.Execute(context);
    }

    public Task Execute(BehaviorContext<BriefState, SubAgentFailed> context, IBehavior<BriefState, SubAgentFailed> next)
    {
        var answer = context.Message;
        if (AwaitedSection(context.Saga, answer.Section, answer.JobId) is { } section)
        {
            section.Status = SectionStatus.Failed;
            section.Error = answer.Reason;
            Account(context.Saga, section, answer.Usage);
            Touch(context.Saga, section);
        }

        return next.Execute(context);
    }

    static SectionState? AwaitedSection(BriefState brief, string name, Guid jobId) =>
        brief.Sections.TryGetValue(name, out var section) && section.JobId == jobId && !section.IsTerminal ? section : null;

    // Once per job: only the awaited job's first answer gets here, so a redelivered answer is never counted twice.
    static void Account(BriefState brief, SectionState section, SectionUsage? usage)
    {
        section.Usage = usage;
        if (usage is not null)
            brief.Usage = brief.Usage.Add(usage);
    }

    void Touch(BriefState brief, SectionState section)
    {
        var now = clock.GetUtcNow();
        section.UpdatedAt = now;
        brief.UpdatedAt = now;
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, SubAgentCompleted, TException> context,
        IBehavior<BriefState, SubAgentCompleted> next)
        where TException : Exception => next.Faulted(context);

    public Task Faulted<TException>(BehaviorExceptionContext<BriefState, SubAgentFailed, TException> context,
        IBehavior<BriefState, SubAgentFailed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("record-section-answer");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
