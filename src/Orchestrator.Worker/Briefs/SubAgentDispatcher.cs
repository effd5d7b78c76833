using BusinessBrief.Contracts;
using BusinessBrief.Orchestrator.Deadlines;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Sends sub-agent jobs: each section to its own agent queue, each job with a fresh id, and registers the
/// brief's next deadline. Sends leave only after the saga stored the new state (in-memory outbox).
/// </summary>
public class SubAgentDispatcher(ISectionDeadlineIndex deadlines, IOptions<SectionDeadlineOptions> options, BriefMetrics metrics,
    BrokerConfirmDeadline confirmDeadline)
{
    const int KeptRevisions = 3;

    /// <summary>Starts the brief's current revision for these sections.</summary>
    public async Task StartRevision(ConsumeContext context, BriefState brief, IEnumerable<string> sections, DateTimeOffset now)
    {
        foreach (var name in sections)
        {
            var section = brief.Sections.GetValueOrDefault(name) ?? new SectionState();
            if (section is { Status: SectionStatus.Completed, Result: { } result })
            {
                section.History.Insert(0, new SectionRevision(section.Revision, result, section.Confidence, section.Feedback, section.UpdatedAt));
                if (section.History.Count > KeptRevisions)
                    section.History.RemoveAt(KeptRevisions);
            }

            section.Feedback = brief.Feedback;
            section.DeadlineRedispatches = 0;
            brief.Sections[name] = section;
            await Send(context, brief, name, section, now);
        }

        await deadlines.Watch(brief.CorrelationId, now + options.Value.JobDeadline);
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

    /// <summary>Re-sends overdue jobs once more, or fails their sections; watches the next deadline if any job is still awaited.</summary>
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

        var running = brief.Sections.Values.Where(s => s.Status == SectionStatus.Running).ToList();
        if (running.Count > 0)
            await deadlines.Watch(brief.CorrelationId, running.Min(s => s.UpdatedAt) + settings.JobDeadline);
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
        }, confirmDeadline.Start());
    }
}
