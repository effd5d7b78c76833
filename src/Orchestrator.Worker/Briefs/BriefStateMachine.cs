using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// One brief from request to website: dispatches one sub-agent job per section, each once the sections it builds on
/// answered (<see cref="SectionGraph"/>), records each answer by job id, and announces the brief as ready (or
/// incomplete) once every section of the current revision is terminal.
/// </summary>
/// <remarks>
/// The in-memory outbox holds sends and publishes until the new state is stored, but it is no inbox: a process
/// that dies after storing and before its messages reach the broker gets the message redelivered, and the
/// saga then finds it already applied. Those paths send again what the transition sent (same job ids, same
/// announcement message id), so nothing is lost and duplicates are recognisable.
/// </remarks>
public class BriefStateMachine : MassTransitStateMachine<BriefState>
{
    readonly BriefMetrics metrics;
    readonly BriefAnnouncements announcements;

    public BriefStateMachine(BriefMetrics metrics, BriefAnnouncements announcements)
    {
        this.metrics = metrics;
        this.announcements = announcements;
        InstanceState(x => x.CurrentState);

        Event(() => BriefRequested, x => x.CorrelateById(m => m.Message.BriefId));
        Event(() => RegenerationRequested, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Execute(context => LogDropped(context.Message.BriefId, "regeneration request")));
        });
        Event(() => SectionCompleted, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Execute(context => LogDropped(context.Message.BriefId, $"{context.Message.Section} result")));
        });
        Event(() => SectionFailed, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Execute(context => LogDropped(context.Message.BriefId, $"{context.Message.Section} failure")));
        });
        Event(() => DeadlinesDue, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Discard());
        });
        Event(() => WebsiteCreated, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Execute(context => LogDropped(context.Message.BriefId, "website creation")));
        });
        Event(() => CancelRequested, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Execute(context => LogDropped(context.Message.BriefId, "cancellation")));
        });

        Initially(
            When(BriefRequested)
                .Activity(x => x.OfType<StartBriefActivity>())
                .TransitionTo(Generating));

        During(Generating, Regenerating,
            When(BriefRequested)
                .If(x => x.MayHaveBeenAppliedBefore(), resend => resend.Activity(x => x.OfType<ResendAwaitedJobsActivity>())),
            When(SectionCompleted)
                .Activity(x => x.OfType<ChargeTokenBudgetsActivity>())
                .Activity(x => x.OfType<RecordSectionAnswerActivity>())
                .ThenAsync(FinishWhenAllSectionsTerminal),
            When(SectionFailed)
                .Activity(x => x.OfType<ChargeTokenBudgetsActivity>())
                .Activity(x => x.OfType<RecordSectionAnswerActivity>())
                .ThenAsync(FinishWhenAllSectionsTerminal),
            When(DeadlinesDue)
                .Activity(x => x.OfType<EnforceSectionDeadlinesActivity>())
                .ThenAsync(FinishWhenAllSectionsTerminal),
            When(RegenerationRequested)
                .IfElse(x => x.Saga.AppliedRequests.Contains(x.Message.RequestId),
                    applied => applied.If(x => x.MayHaveBeenAppliedBefore(), resend => resend.Activity(x => x.OfType<ResendAwaitedJobsActivity>())),
                    refused => refused.Then(x => LogContext.Warning?.Log(
                        "Brief {BriefId}: regeneration {RequestId} refused, revision {Revision} is still running",
                        x.Saga.CorrelationId, x.Message.RequestId, x.Saga.Revision))),
            When(CancelRequested)
                .IfElse(x => x.Message.Revision == x.Saga.Revision,
                    cancel => cancel
                        .Activity(x => x.OfType<CancelBriefActivity>())
                        .TransitionTo(Cancelled),
                    superseded => superseded.Then(LogCancelChangedNothing)));

        During(Ready, Incomplete,
            Ignore(BriefRequested),
            Ignore(DeadlinesDue),
            When(SectionCompleted)
                .If(x => IsRepeatedAnswerOfThisRevision(x, x.Message.Section, x.Message.JobId), again => again.ThenAsync(AnnounceAgain)),
            When(SectionFailed)
                .If(x => IsRepeatedAnswerOfThisRevision(x, x.Message.Section, x.Message.JobId), again => again.ThenAsync(AnnounceAgain)));

        During(Ready, Incomplete, Cancelled,
            When(RegenerationRequested)
                .IfElse(x => x.Saga.AppliedRequests.Contains(x.Message.RequestId),
                    duplicate => duplicate,
                    fresh => fresh
                        .Activity(x => x.OfType<StartRegenerationActivity>())
                        .TransitionTo(Regenerating)));

        // Results of the stopped revision that arrive anyway are ignored; the agents were told to stop.
        During(Cancelled,
            Ignore(BriefRequested),
            Ignore(DeadlinesDue),
            Ignore(SectionCompleted),
            Ignore(SectionFailed),
            When(CancelRequested)
                .If(x => x.MayHaveBeenAppliedBefore() && x.Message.Revision == x.Saga.Revision,
                    again => again.ThenAsync(x => announcements.Cancelled(x, x.Saga))));

        During(Ready, Incomplete, Used,
            When(CancelRequested)
                .Then(LogCancelChangedNothing));

        During(Ready, Used,
            When(WebsiteCreated)
                .Then(x =>
                {
                    x.Saga.Dc360WebsiteId = x.Message.WebsiteId;
                    x.Saga.UpdatedAt = x.Message.CreatedAt;
                })
                .TransitionTo(Used));

        During(Used,
            Ignore(BriefRequested),
            Ignore(SectionCompleted),
            Ignore(SectionFailed),
            Ignore(DeadlinesDue),
            Ignore(RegenerationRequested));

        During(Generating, Regenerating, Incomplete, Cancelled,
            When(WebsiteCreated)
                .Then(x => LogContext.Warning?.Log("Brief {BriefId}: website {WebsiteId} reported while the brief is {Status}; ignored",
                    x.Saga.CorrelationId, x.Message.WebsiteId, x.Saga.Status.ToWire())));
    }

    public State Generating { get; } = null!;
    public State Regenerating { get; } = null!;
    public State Ready { get; } = null!;
    public State Incomplete { get; } = null!;
    public State Used { get; } = null!;
    public State Cancelled { get; } = null!;

    public Event<GenerateBrief> BriefRequested { get; } = null!;
    public Event<RegenerateSections> RegenerationRequested { get; } = null!;
    public Event<SubAgentCompleted> SectionCompleted { get; } = null!;
    public Event<SubAgentFailed> SectionFailed { get; } = null!;
    public Event<CheckSectionDeadlines> DeadlinesDue { get; } = null!;
    public Event<WebsiteCreated> WebsiteCreated { get; } = null!;
    public Event<CancelBrief> CancelRequested { get; } = null!;

    async Task FinishWhenAllSectionsTerminal<T>(BehaviorContext<BriefState, T> context)
        where T : class
    {
        if (!context.Saga.AllSectionsTerminal)
            return;

        await context.TransitionToState(context.Saga.IsReadyForWebsite ? Ready : Incomplete);
        await Announce(context);
        var ready = context.Saga.IsReadyForWebsite;
        context.WhenStored(() => metrics.BriefEnded(ready));
    }

    Task AnnounceAgain<T>(BehaviorContext<BriefState, T> context)
        where T : class
    {
        LogContext.Info?.Log("Brief {BriefId}: answer seen again after an attempt that may have stored it, announcing revision {Revision} again", context.Saga.CorrelationId,
            context.Saga.Revision);
        return Announce(context);
    }

    Task Announce<T>(BehaviorContext<BriefState, T> context)
        where T : class =>
        announcements.Outcome(context, context.Saga);

    static bool IsRepeatedAnswerOfThisRevision(BehaviorContext<BriefState> context, string section, Guid jobId) =>
        context.MayHaveBeenAppliedBefore() && context.Saga.Sections.TryGetValue(section, out var state) && state.JobId == jobId &&
        state.Revision == context.Saga.Revision;

    // The brief finished (or moved to a later revision) before the cancel arrived: there is nothing left to stop.
    static void LogCancelChangedNothing(BehaviorContext<BriefState, CancelBrief> context) =>
        LogContext.Info?.Log("Brief {BriefId}: cancel of revision {Revision} arrived while it is {Status} at revision {Current}; nothing to stop",
            context.Saga.CorrelationId, context.Message.Revision, context.Saga.Status.ToWire(), context.Saga.Revision);

    // A brief that expired (or was never created) is gone: its late messages are dropped, never parked in an error queue.
    static void LogDropped(Guid briefId, string what) =>
        LogContext.Info?.Log("Brief {BriefId} no longer exists; {What} dropped", briefId, what);
}
