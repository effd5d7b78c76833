using BusinessBrief.Contracts;
using BusinessBrief.Orchestrator.Deadlines;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Sends sub-agent jobs: each section to its own agent queue, each job with a fresh id and the results of the
/// sections it builds on (<see cref="SectionGraph"/>), and registers the brief's next deadline. A section of the
/// current revision waits as pending until none of its inputs is pending or running; an input that failed does not
/// hold it back (the job says it failed, the agent writes without it). Sends leave only after the saga stored the
/// new state (in-memory outbox).
/// </summary>
/// <remarks>
/// No brief waits forever: the graph is acyclic, so while any section is pending some section it waits on is
/// running, and every running job has a deadline.
/// </remarks>
public class SubAgentDispatcher(ISectionDeadlineIndex deadlines, IOptions<SectionDeadlineOptions> options, BriefMetrics metrics,
    BrokerConfirmDeadline confirmDeadline)
{
    const int KeptRevisions = 3;

    /// <summary>
    /// Starts the brief's current revision for the <paramref name="requested"/> sections and, with
    /// <paramref name="cascade"/>, for every section downstream of them; sends those whose inputs are settled.
    /// </summary>
    public async Task StartRevision(ConsumeContext context, BriefState brief, IReadOnlyCollection<string> requested, bool cascade,
        DateTimeOffset now)
    {
        var cascaded = cascade ? SectionGraph.Brief.DownstreamOf(requested) : [];
        foreach (var name in requested.Concat(cascaded))
        {
            var section = brief.Sections.GetValueOrDefault(name) ?? new SectionState();
            if (section is { Status: SectionStatus.Completed, Result: { } result })
            {
                section.History.Insert(0, new SectionRevision(section.Revision, result, section.Confidence, section.Feedback, section.UpdatedAt));
                if (section.History.Count > KeptRevisions)
                    section.History.RemoveAt(KeptRevisions);
            }

            // The feedback is about the sections the user named; a cascaded section is re-run for its new inputs.
            section.Feedback = requested.Contains(name) ? brief.Feedback : null;
            section.DeadlineRedispatches = 0;
            section.Revision = brief.Revision;
            section.Status = SectionStatus.Pending;
            section.Error = null;
            section.UpdatedAt = now;
            brief.Sections[name] = section;
        }

        await SendSectionsWhoseInputsSettled(context, brief, now);
    }

    /// <summary>Sends every pending section none of whose inputs is still pending or running: after a section answered, or failed for good.</summary>
    public async Task SendSectionsWhoseInputsSettled(ConsumeContext context, BriefState brief, DateTimeOffset now)
    {
        await SendReady(context, brief, now);
        await UpdateDeadlineWatch(brief);
    }

    /// <summary>
    /// Re-sends the jobs still awaited, with the ids they already have: for a command that was redelivered
    /// because the process died after storing its effect but before its sends reached the broker. Agents
    /// answering twice is harmless; the saga records one answer per job id.
    /// </summary>
    public async Task ResendAwaitedJobs(ConsumeContext context, BriefState brief)
    {
        foreach (var (name, section) in brief.Sections.Where(s => s.Value.Status == SectionStatus.Running))
            await SendJob(context, brief, name, section);
    }

    /// <summary>
    /// Re-sends, with the ids they already have, the awaited jobs that the answer of <paramref name="input"/> released:
    /// for an answer redelivered after its effect was stored but before the jobs it released reached the broker.
    /// </summary>
    public async Task ResendJobsReleasedBy(ConsumeContext context, BriefState brief, string input)
    {
        foreach (var (name, section) in brief.Sections.Where(s => s.Value.Status == SectionStatus.Running))
            if (SectionGraph.Brief.InputsOf(name).Contains(input))
                await SendJob(context, brief, name, section);
    }

    /// <summary>
    /// Re-sends overdue jobs once more, or fails their sections and sends what waited on them; watches the next
    /// deadline if any job is still awaited. Pending sections have no job yet, so no deadline.
    /// </summary>
    public async Task EnforceDeadlines(ConsumeContext context, BriefState brief, DateTimeOffset now)
    {
        var settings = options.Value;
        foreach (var (name, section) in brief.Sections.Where(s => s.Value.Status == SectionStatus.Running))
        {
            if (section.UpdatedAt + settings.JobDeadline > now)
                continue;

            if (section.DeadlineRedispatches < settings.MaxRedispatches)
            {
                section.DeadlineRedispatches++;
                await Send(context, brief, name, section, now);
                context.WhenStored(() => metrics.DeadlineHit(name, "resent"));
            }
            else
            {
                section.Status = SectionStatus.Failed;
                section.Error = $"no answer from the {name} agents within {settings.JobDeadline.TotalSeconds:0.#} s " +
                    $"({section.DeadlineRedispatches + 1} jobs sent)";
                section.UpdatedAt = now;
                context.WhenStored(() => metrics.DeadlineHit(name, "failed"));
            }
        }

        await SendReady(context, brief, now);
        await UpdateDeadlineWatch(brief);
    }

    async Task SendReady(ConsumeContext context, BriefState brief, DateTimeOffset now)
    {
        foreach (var name in SectionGraph.Brief.Order)
        {
            if (brief.Sections.GetValueOrDefault(name) is not { Status: SectionStatus.Pending } section ||
                SectionGraph.Brief.InputsOf(name).Any(input => brief.Sections.GetValueOrDefault(input)?.IsUnsettled == true))
                continue;
            await Send(context, brief, name, section, now);
        }
    }

    /// <summary>
    /// Keeps the brief in the deadline index at the earliest deadline of the jobs awaited, and takes it out once no job
    /// is: a finished brief would otherwise cost one needless check, and a saga message, after every revision.
    /// </summary>
    /// <remarks>
    /// Written again on every change, even when the due time is the same: an entry the watchdog claimed, or lost,
    /// comes back with the next answer instead of leaving a hung job unwatched.
    /// </remarks>
    public async Task UpdateDeadlineWatch(BriefState brief)
    {
        var running = brief.Sections.Values.Where(s => s.Status == SectionStatus.Running).ToList();
        if (running.Count > 0)
        {
            brief.DeadlineCheckDueAt = running.Min(s => s.UpdatedAt) + options.Value.JobDeadline;
            await deadlines.Watch(brief.CorrelationId, brief.DeadlineCheckDueAt.Value);
        }
        else if (brief.DeadlineCheckDueAt is { } watched)
        {
            await deadlines.Forget(brief.CorrelationId, watched);
            brief.DeadlineCheckDueAt = null;
        }
    }

    async Task Send(ConsumeContext context, BriefState brief, string name, SectionState section, DateTimeOffset now)
    {
        section.JobId = NewId.NextGuid();
        section.Revision = brief.Revision;
        section.Attempts++;
        section.Status = SectionStatus.Running;
        section.Error = null;
        section.UpdatedAt = now;
        await SendJob(context, brief, name, section);
    }

    async Task SendJob(ConsumeContext context, BriefState brief, string name, SectionState section)
    {
        var endpoint = await context.GetSendEndpoint(Queues.Address(Queues.SubAgent(name)));
        await endpoint.Send(new RunSubAgent
        {
            BriefId = brief.CorrelationId,
            JobId = section.JobId,
            Section = name,
            Revision = section.Revision,
            Profile = brief.Profile,
            Language = brief.Language,
            Feedback = section.Feedback,
            PreviousResult = section.History.FirstOrDefault()?.Result,
            Inputs = InputsOf(brief, name),
        }, confirmDeadline.Start());
    }

    /// <summary>
    /// The inputs as they stand. A job is re-sent under its id with the same inputs: they cannot change while it is
    /// awaited, since a section's dependents wait for it and a new revision waits for the current one to end.
    /// </summary>
    static List<SectionInput> InputsOf(BriefState brief, string name) =>
        SectionGraph.Brief.InputsOf(name).Select(input => brief.Sections.GetValueOrDefault(input) switch
        {
            { Status: SectionStatus.Completed, Result: { } result } upstream =>
                new SectionInput { Section = input, Revision = upstream.Revision, Result = result },
            { } upstream => new SectionInput { Section = input, Revision = upstream.Revision, Error = upstream.Error ?? $"{input} is {upstream.Status}" },
            null => new SectionInput { Section = input, Revision = brief.Revision, Error = $"{input} was never generated" },
        }).ToList();
}
