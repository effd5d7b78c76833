using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Contracts;
using MassTransit;

namespace BusinessBrief.Tests.Agents;

public class JobCancellationsTests
{
    readonly JobCancellations cancellations = new(TimeProvider.System);

    [Fact]
    public void Cancelling_a_revision_fires_the_tokens_of_its_running_jobs_and_not_those_of_a_later_revision()
    {
        var briefId = NewId.NextGuid();
        using var first = cancellations.Watch(Job(briefId, revision: 1), CancellationToken.None);
        using var second = cancellations.Watch(Job(briefId, revision: 2), CancellationToken.None);
        using var otherBrief = cancellations.Watch(Job(NewId.NextGuid(), revision: 1), CancellationToken.None);

        cancellations.Cancel(briefId, upToRevision: 1);

        Assert.True(first.BriefCancelled);
        Assert.False(second.Token.IsCancellationRequested);
        Assert.False(otherBrief.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_job_that_starts_after_its_brief_was_cancelled_is_stopped_at_once_but_a_regeneration_runs()
    {
        var briefId = NewId.NextGuid();
        cancellations.Cancel(briefId, upToRevision: 1);

        using var queuedBeforeTheCancel = cancellations.Watch(Job(briefId, revision: 1), CancellationToken.None);
        using var regeneration = cancellations.Watch(Job(briefId, revision: 2), CancellationToken.None);

        Assert.True(queuedBeforeTheCancel.BriefCancelled);
        Assert.False(regeneration.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_process_stopping_is_not_mistaken_for_a_cancelled_brief()
    {
        using var stopping = new CancellationTokenSource();
        using var job = cancellations.Watch(Job(NewId.NextGuid(), revision: 1), stopping.Token);

        stopping.Cancel();

        Assert.True(job.Token.IsCancellationRequested);
        Assert.False(job.BriefCancelled);
    }

    static RunSubAgent Job(Guid briefId, int revision) => new()
    {
        BriefId = briefId, JobId = NewId.NextGuid(), Section = SectionNames.LogoCreation, Revision = revision,
        Profile = Briefs.DakarBakery, Language = "fr",
    };
}
