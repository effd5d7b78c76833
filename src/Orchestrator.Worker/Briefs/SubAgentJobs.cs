using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using MassTransit;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>Dispatches sub-agent jobs: each section to its own agent queue, each job with a fresh id.</summary>
public static class SubAgentJobs
{
    public static async Task Dispatch(ConsumeContext context, BriefState brief, IEnumerable<string> sections, DateTimeOffset now)
    {
        foreach (var name in sections)
        {
            var section = brief.Sections.GetValueOrDefault(name) ?? new SectionState();
            var previousResult = section.Result;

            section.JobId = NewId.NextGuid();
            section.Revision = brief.Revision;
            section.Attempts++;
            section.Status = SectionStatus.Running;
            section.Error = null;
            section.UpdatedAt = now;
            brief.Sections[name] = section;

            var endpoint = await context.GetSendEndpoint(Queues.Address(Queues.SubAgent(name)));
            await endpoint.Send(new RunSubAgent
            {
                BriefId = brief.CorrelationId,
                JobId = section.JobId,
                Section = name,
                Revision = brief.Revision,
                Profile = brief.Profile,
                Language = brief.Language,
                Feedback = brief.Feedback,
                PreviousResult = previousResult,
            }, context.CancellationToken);
        }
    }
}
