using System.ComponentModel.DataAnnotations;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Briefs;

public class BriefStateDefinition : SagaDefinition<BriefState>
{
    public BriefStateDefinition()
    {
        EndpointName = Queues.Briefs;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<BriefState> saga,
        IRegistrationContext context)
    {
        // Redis restarting or failing over: hold the message and wait for it (2 to 4 minutes, with the attempts' own
        // timeouts) instead of faulting it.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(StorageFaults.IsRedisFailure);
            r.Incremental(30, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));
        });

        // Five answers for one brief arriving together: all but one lose the compare-and-set and are re-run
        // against the fresh document. Jitter keeps them from colliding again in lockstep.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<ConcurrencyException>();
            r.Exponential(30, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(5));
        });

        // Commands that deserialize but that no correct sender produces fault to brief-state_error with their reason,
        // before they can create or change a brief (missing required members already fail deserialization).
        saga.Message<GenerateBrief>(m => m.UseExecute(context =>
            ThrowIfMalformed(nameof(GenerateBrief), context.Message.BriefId, Problems(context.Message))));
        saga.Message<RegenerateSections>(m => m.UseExecute(context =>
            ThrowIfMalformed(nameof(RegenerateSections), context.Message.BriefId, Problems(context.Message))));

        // Publishes and sends leave only once the new state is stored: no job for a brief that was not saved,
        // no duplicate jobs from an attempt that lost the compare-and-set.
        endpoint.UseInMemoryOutbox(context);

        // Messages of one brief take turns inside this process instead of racing for the compare-and-set and
        // re-running after losing it; the retry above still settles races between orchestrator processes.
        var briefs = endpoint.CreatePartitioner(Partitions);
        saga.Message<GenerateBrief>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<RegenerateSections>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<SubAgentCompleted>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<SubAgentFailed>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<WebsiteCreated>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<CheckSectionDeadlines>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));
        saga.Message<CancelBrief>(m => m.UsePartitioner(briefs, x => x.Message.BriefId));

        saga.Message<SubAgentCompleted>(m => m.UseFilter(new OversizedAnswerFilter(
            context.GetService<IOptions<SectionAnswerLimits>>()?.Value ?? new SectionAnswerLimits(),
            context.GetRequiredService<ILogger<OversizedAnswerFilter>>())));

        // Registered by the orchestrator host, where erased briefs leave a tombstone in Redis.
        if (context.GetService<DropErasedBriefFilter>() is { } dropErased)
            saga.Message<GenerateBrief>(m => m.UseFilter(dropErased));

        saga.UseFilter(new BriefLogScopeFilter(context.GetRequiredService<ILogger<BriefStateMachine>>()));
        // Registered by the orchestrator host, where briefs live in Redis; the in-memory test harness has no streams to wake.
        if (context.GetService<AnnounceBriefChangeFilter>() is { } announceChange)
            saga.UseFilter(announceChange);
    }

    /// <summary>Twice the default prefetch, so that unrelated briefs rarely share a partition.</summary>
    const int Partitions = 128;

    static IEnumerable<string> Problems(GenerateBrief request)
    {
        if (request.BriefId == Guid.Empty)
            yield return "briefId is empty";
        if (string.IsNullOrWhiteSpace(request.UserId))
            yield return "userId is blank: a brief must belong to a user";
        if (request.Profile?.Location is null)
            yield return "profile or profile.location is null";
        if (string.IsNullOrWhiteSpace(request.Language))
            yield return "language is blank";
    }

    static IEnumerable<string> Problems(RegenerateSections request)
    {
        if (request.Sections is not { Count: > 0 })
            yield return "sections is empty";
        else if (request.Sections.Except(SectionNames.All).ToList() is { Count: > 0 } unknown)
            yield return $"unknown sections: {string.Join(", ", unknown)}";
    }

    static void ThrowIfMalformed(string command, Guid briefId, IEnumerable<string> problems)
    {
        if (problems.ToList() is { Count: > 0 } found)
            throw new ValidationException($"{command} for brief {briefId} rejected: {string.Join("; ", found)}.");
    }
}
