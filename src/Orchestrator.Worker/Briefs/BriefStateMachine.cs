using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// One brief from request to website: dispatches one sub-agent job per section, records each answer by job id,
/// and announces the brief as ready (or incomplete) once every section of the current revision is terminal.
/// </summary>
public class BriefStateMachine : MassTransitStateMachine<BriefState>
{
    public BriefStateMachine()
    {
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
        Event(() => WebsiteCreated, x =>
        {
            x.CorrelateById(m => m.Message.BriefId);
            x.OnMissingInstance(m => m.Execute(context => LogDropped(context.Message.BriefId, "website creation")));
        });

        Initially(
            When(BriefRequested)
                .Activity(x => x.OfType<StartBriefActivity>())
                .TransitionTo(Generating));

        During(Generating, Regenerating,
            Ignore(BriefRequested),
            When(SectionCompleted)
                .Activity(x => x.OfType<RecordSectionAnswerActivity>())
                .ThenAsync(FinishWhenAllSectionsTerminal),
            When(SectionFailed)
                .Activity(x => x.OfType<RecordSectionAnswerActivity>())
                .ThenAsync(FinishWhenAllSectionsTerminal),
            When(RegenerationRequested)
                .Then(x => LogContext.Warning?.Log("Brief {BriefId}: regeneration {RequestId} ignored, a generation is still running",
                    x.Saga.CorrelationId, x.Message.RequestId)));

        During(Ready, Incomplete,
            Ignore(BriefRequested),
            Ignore(SectionCompleted),
            Ignore(SectionFailed),
            When(RegenerationRequested)
                .IfElse(x => x.Saga.AppliedRequests.Contains(x.Message.RequestId),
                    duplicate => duplicate,
                    fresh => fresh
                        .Activity(x => x.OfType<StartRegenerationActivity>())
                        .TransitionTo(Regenerating)));

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
            Ignore(RegenerationRequested));

        During(Generating, Regenerating, Incomplete,
            When(WebsiteCreated)
                .Then(x => LogContext.Warning?.Log("Brief {BriefId}: website {WebsiteId} reported while the brief is {Status}; ignored",
                    x.Saga.CorrelationId, x.Message.WebsiteId, BriefStatus.Of(x.Saga))));
    }

    public State Generating { get; } = null!;
    public State Regenerating { get; } = null!;
    public State Ready { get; } = null!;
    public State Incomplete { get; } = null!;
    public State Used { get; } = null!;

    public Event<GenerateBrief> BriefRequested { get; } = null!;
    public Event<RegenerateSections> RegenerationRequested { get; } = null!;
    public Event<SubAgentCompleted> SectionCompleted { get; } = null!;
    public Event<SubAgentFailed> SectionFailed { get; } = null!;
    public Event<WebsiteCreated> WebsiteCreated { get; } = null!;

    async Task FinishWhenAllSectionsTerminal<T>(BehaviorContext<BriefState, T> context)
        where T : class
    {
        var brief = context.Saga;
        if (!brief.AllSectionsTerminal)
            return;

        if (brief.IsReadyForWebsite)
        {
            await context.Publish(BriefAnnouncements.Ready(brief));
            await context.TransitionToState(Ready);
        }
        else
        {
            await context.Publish(BriefAnnouncements.Incomplete(brief));
            await context.TransitionToState(Incomplete);
        }
    }

    // A brief that expired (or was never created) is gone: its late messages are dropped, never parked in an error queue.
    static void LogDropped(Guid briefId, string what) =>
        LogContext.Info?.Log("Brief {BriefId} no longer exists; {What} dropped", briefId, what);
}
