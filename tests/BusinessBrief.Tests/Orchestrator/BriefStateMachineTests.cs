using BusinessBrief.Contracts;
using BusinessBrief.Orchestrator;
using BusinessBrief.Orchestrator.Briefs;
using BusinessBrief.Orchestrator.Deadlines;
using BusinessBrief.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.Tests.Orchestrator;

public sealed class BriefStateMachineTests : IAsyncLifetime
{
    readonly RecordingDeadlineIndex deadlines = new();
    readonly ServiceProvider provider;

    public BriefStateMachineTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISectionDeadlineIndex>(deadlines);
        // Every running job is overdue at the first check, so a test can drive deadlines without waiting.
        services.Configure<SectionDeadlineOptions>(o => o.JobDeadline = TimeSpan.Zero);
        services.AddMassTransitTestHarness(bus => bus.AddBriefSaga().InMemoryRepository());
        provider = services.BuildServiceProvider(true);
    }

    ITestHarness Harness => provider.GetRequiredService<ITestHarness>();
    ISagaStateMachineTestHarness<BriefStateMachine, BriefState> Saga =>
        Harness.GetSagaStateMachineHarness<BriefStateMachine, BriefState>();

    public Task InitializeAsync() => Harness.Start();

    public async Task DisposeAsync() => await provider.DisposeAsync();

    [Fact]
    public async Task Generating_a_brief_sends_one_job_per_section_each_with_its_own_id()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));

        var jobs = await JobsFor(briefId, expected: 5);

        Assert.Equal(SectionNames.All.Order(), jobs.Select(j => j.Section).Order());
        Assert.Equal(5, jobs.Select(j => j.JobId).Distinct().Count());
        Assert.All(jobs, j => Assert.Equal(1, j.Revision));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Generating));
    }

    [Fact]
    public async Task A_brief_whose_five_sections_complete_is_ready_and_announced_with_its_content()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);

        double[] confidences = [0.5, 0.6, 0.7, 0.8, 0.9];
        foreach (var (job, confidence) in jobs.Zip(confidences))
            await Harness.Bus.Publish(Briefs.Completed(job, confidence));

        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var ready = await Announced<BriefReady>(briefId);
        Assert.Equal(5, ready.Sections.Count);
        Assert.Equal(0.7, ready.OverallConfidence, precision: 6);
        Assert.Equal("Boulangerie Téranga", ready.Profile.BusinessName);

        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(1.0, brief.BriefCompleteness);
        Assert.True(brief.IsReadyForWebsite);
    }

    [Fact]
    public async Task A_section_that_failed_for_good_leaves_the_brief_incomplete_with_the_reason()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);

        var logo = jobs.Single(j => j.Section == SectionNames.LogoCreation);
        foreach (var job in jobs.Where(j => j != logo))
            await Harness.Bus.Publish(Briefs.Completed(job));
        await Harness.Bus.Publish(Briefs.Failed(logo, "no answer within 60 s"));

        Assert.NotNull(await Saga.Exists(briefId, x => x.Incomplete));
        var incomplete = await Announced<BriefIncomplete>(briefId);
        Assert.Equal("no answer within 60 s", incomplete.FailedSections[SectionNames.LogoCreation]);
        Assert.Equal(0.8, incomplete.BriefCompleteness, precision: 6);
        Assert.False(await Harness.Published.Any<BriefReady>(x => x.Context.Message.BriefId == briefId));
    }

    [Fact]
    public async Task A_duplicate_GenerateBrief_creates_nothing_new()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await JobsFor(briefId, expected: 5);

        await Harness.Bus.Publish(Briefs.Request(briefId));
        await SagaConsumed<GenerateBrief>(m => m.BriefId == briefId, count: 2);

        Assert.Equal(5, Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId).Count());
        Assert.Single(Saga.Sagas.Select(x => x.CorrelationId == briefId));
    }

    [Fact]
    public async Task Duplicate_and_superseded_answers_change_nothing()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);
        var research = jobs.Single(j => j.Section == SectionNames.MarketResearch);

        await Harness.Bus.Publish(Briefs.Completed(research, 0.9));
        await Harness.Bus.Publish(Briefs.Completed(research, 0.1));
        await Harness.Bus.Publish(Briefs.Failed(research));
        await Harness.Bus.Publish(Briefs.Completed(research with { JobId = NewId.NextGuid() }, 0.2));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 3);
        await SagaConsumed<SubAgentFailed>(m => m.BriefId == briefId, count: 1);

        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(SectionStatus.Completed, brief.Sections[SectionNames.MarketResearch].Status);
        Assert.Equal(0.9, brief.Sections[SectionNames.MarketResearch].Confidence);
        Assert.Equal(BriefStatus.Generating, BriefStatus.Of(brief));

        foreach (var job in jobs.Where(j => j != research))
            await Harness.Bus.Publish(Briefs.Completed(job));
        await Announced<BriefReady>(briefId);
        await Harness.Bus.Publish(Briefs.Completed(research, 0.3));
        Assert.True(await Saga.Consumed.Any<SubAgentCompleted>(x => x.Context.Message.Confidence == 0.3));

        Assert.Single(Harness.Published.Select<BriefReady>(x => x.Context.Message.BriefId == briefId));
    }

    [Fact]
    public async Task Regenerating_one_section_reruns_it_in_a_new_revision_and_keeps_the_other_four()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);
        foreach (var job in jobs)
            await Harness.Bus.Publish(Briefs.Completed(job));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var before = Saga.Sagas.Contains(briefId)!.Sections.ToDictionary(s => s.Key, s => s.Value.Result!.Value.GetRawText());

        var request = new RegenerateSections
        {
            BriefId = briefId,
            RequestId = NewId.NextGuid(),
            Sections = [SectionNames.ContentGeneration],
            Feedback = "plus chaleureux",
            RequestedAt = DateTimeOffset.UtcNow,
        };
        await Harness.Bus.Publish(request);
        await Harness.Bus.Publish(request); // redelivered: must not start a third revision

        var rerun = (await JobsFor(briefId, expected: 6)).Single(j => j.Revision == 2);
        Assert.Equal(SectionNames.ContentGeneration, rerun.Section);
        Assert.Equal("plus chaleureux", rerun.Feedback);
        Assert.Equal(before[SectionNames.ContentGeneration], rerun.PreviousResult!.Value.GetRawText());

        await Harness.Bus.Publish(Briefs.Completed(rerun, 0.95));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        await Announced<BriefReady>(briefId, revision: 2);

        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(2, brief.Revision);
        foreach (var name in SectionNames.All.Where(n => n != SectionNames.ContentGeneration))
            Assert.Equal(before[name], brief.Sections[name].Result!.Value.GetRawText());
        Assert.NotEqual(before[SectionNames.ContentGeneration], brief.Sections[SectionNames.ContentGeneration].Result!.Value.GetRawText());
        Assert.Equal(6, Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId).Count());
    }

    [Fact]
    public async Task A_website_created_from_a_ready_brief_marks_it_used_once()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        foreach (var job in await JobsFor(briefId, expected: 5))
            await Harness.Bus.Publish(Briefs.Completed(job));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));

        var created = new WebsiteCreated { BriefId = briefId, WebsiteId = "dc360-1234", CreatedAt = DateTimeOffset.UtcNow };
        await Harness.Bus.Publish(created);
        await Harness.Bus.Publish(created);

        Assert.NotNull(await Saga.Exists(briefId, x => x.Used));
        await SagaConsumed<WebsiteCreated>(m => m.BriefId == briefId, count: 2);
        Assert.Equal("dc360-1234", Saga.Sagas.Contains(briefId)!.Dc360WebsiteId);
    }

    [Fact]
    public async Task Answers_for_a_brief_that_no_longer_exists_are_dropped_without_a_fault()
    {
        var job = new RunSubAgent
        {
            BriefId = NewId.NextGuid(), JobId = NewId.NextGuid(), Section = SectionNames.SeoOptimization, Revision = 1,
            Profile = Briefs.DakarBakery, Language = "fr",
        };
        await Harness.Bus.Publish(Briefs.Completed(job));

        Assert.True(await Harness.Consumed.Any<SubAgentCompleted>(x => x.Context.Message.BriefId == job.BriefId));
        Assert.False(await Harness.Published.Any<Fault<SubAgentCompleted>>());
        Assert.Empty(Saga.Sagas.Select(x => x.CorrelationId == job.BriefId));
    }

    [Fact]
    public async Task Dispatching_jobs_registers_the_brief_for_a_deadline_check()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await JobsFor(briefId, expected: 5);

        Assert.Contains(briefId, deadlines.Watched);
    }

    [Fact]
    public async Task A_job_that_gets_no_answer_is_sent_again_then_its_section_fails_and_the_brief_ends_incomplete()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var first = await JobsFor(briefId, expected: 5);
        foreach (var job in first.Where(j => j.Section != SectionNames.SeoOptimization))
            await Harness.Bus.Publish(Briefs.Completed(job));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 4);

        await Harness.Bus.Publish(new CheckSectionDeadlines { BriefId = briefId, CheckedAt = DateTimeOffset.UtcNow });
        var resent = (await JobsFor(briefId, expected: 6)).Except(first).Single();
        Assert.Equal(SectionNames.SeoOptimization, resent.Section);
        Assert.NotEqual(first.Single(j => j.Section == SectionNames.SeoOptimization).JobId, resent.JobId);

        await Harness.Bus.Publish(new CheckSectionDeadlines { BriefId = briefId, CheckedAt = DateTimeOffset.UtcNow });

        Assert.NotNull(await Saga.Exists(briefId, x => x.Incomplete));
        var incomplete = await Announced<BriefIncomplete>(briefId);
        Assert.StartsWith("no answer from the seo_optimization agents", incomplete.FailedSections[SectionNames.SeoOptimization]);
        Assert.Equal(2, Saga.Sagas.Contains(briefId)!.Sections[SectionNames.SeoOptimization].Attempts);
    }

    [Fact]
    public async Task A_regenerated_section_keeps_its_previous_revision_and_feedback_for_comparison()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        foreach (var job in await JobsFor(briefId, expected: 5))
            await Harness.Bus.Publish(Briefs.Completed(job, 0.5));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var first = Saga.Sagas.Contains(briefId)!.Sections[SectionNames.LogoCreation].Result!.Value.GetRawText();

        await Harness.Bus.Publish(new RegenerateSections
        {
            BriefId = briefId, RequestId = NewId.NextGuid(), Sections = [SectionNames.LogoCreation],
            Feedback = "couleurs chaudes", RequestedAt = DateTimeOffset.UtcNow,
        });
        var rerun = (await JobsFor(briefId, expected: 6)).Single(j => j.Revision == 2);
        await Harness.Bus.Publish(Briefs.Completed(rerun, 0.9));
        await Announced<BriefReady>(briefId, revision: 2);

        var logo = Saga.Sagas.Contains(briefId)!.Sections[SectionNames.LogoCreation];
        Assert.Equal("couleurs chaudes", logo.Feedback);
        var previous = Assert.Single(logo.History);
        Assert.Equal(1, previous.Revision);
        Assert.Equal(first, previous.Result.GetRawText());
        Assert.Equal(0.5, previous.Confidence);
        Assert.Null(previous.Feedback);
    }

    [Fact]
    public async Task Cancelling_a_running_brief_stops_its_unfinished_sections_tells_the_agents_and_ignores_late_answers()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);
        var logo = jobs.Single(j => j.Section == SectionNames.LogoCreation);
        foreach (var job in jobs.Where(j => j != logo))
            await Harness.Bus.Publish(Briefs.Completed(job));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 4);

        await Harness.Bus.Publish(new CancelBrief { BriefId = briefId, Revision = 1, RequestedAt = DateTimeOffset.UtcNow });

        Assert.NotNull(await Saga.Exists(briefId, x => x.Cancelled));
        var cancelled = await Announced<BriefCancelled>(briefId);
        Assert.Equal("awa", cancelled.UserId);

        await Harness.Bus.Publish(Briefs.Completed(logo));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 5);
        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(BriefStatus.Cancelled, BriefStatus.Of(brief));
        Assert.Equal(SectionStatus.Cancelled, brief.Sections[SectionNames.LogoCreation].Status);
        Assert.Null(brief.Sections[SectionNames.LogoCreation].Result);
        Assert.Equal(4, brief.Sections.Values.Count(s => s.Status == SectionStatus.Completed));
        Assert.False(await Harness.Published.Any<BriefReady>(x => x.Context.Message.BriefId == briefId));
        Assert.False(await Harness.Published.Any<BriefIncomplete>(x => x.Context.Message.BriefId == briefId));
    }

    [Fact]
    public async Task A_cancelled_brief_regenerated_reruns_the_named_and_the_unfinished_sections_and_ends_ready()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);
        foreach (var job in jobs.Where(j => j.Section is not (SectionNames.LogoCreation or SectionNames.SeoOptimization)))
            await Harness.Bus.Publish(Briefs.Completed(job));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 3);
        await Harness.Bus.Publish(new CancelBrief { BriefId = briefId, Revision = 1, RequestedAt = DateTimeOffset.UtcNow });
        Assert.NotNull(await Saga.Exists(briefId, x => x.Cancelled));
        var cancelled = Saga.Sagas.Contains(briefId)!;

        // What the API asks for when the user names one finished section: it and the two the cancellation interrupted.
        var sections = cancelled.SectionsToRegenerate([SectionNames.MarketResearch]);
        Assert.Equal([SectionNames.MarketResearch, SectionNames.LogoCreation, SectionNames.SeoOptimization], sections);
        await Harness.Bus.Publish(new RegenerateSections
        {
            BriefId = briefId, RequestId = NewId.NextGuid(), Sections = sections, RequestedAt = DateTimeOffset.UtcNow,
        });
        var rerun = (await JobsFor(briefId, expected: 8)).Where(j => j.Revision == 2).ToList();
        Assert.Equal(sections.Order(), rerun.Select(j => j.Section).Order());

        // A redelivered cancel of revision 1 must not stop revision 2.
        await Harness.Bus.Publish(new CancelBrief { BriefId = briefId, Revision = 1, RequestedAt = DateTimeOffset.UtcNow });
        await SagaConsumed<CancelBrief>(m => m.BriefId == briefId, count: 2);
        foreach (var job in rerun)
            await Harness.Bus.Publish(Briefs.Completed(job));

        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        await Announced<BriefReady>(briefId, revision: 2);
    }

    [Fact]
    public async Task Each_answered_job_adds_its_cost_once_to_its_section_and_to_the_brief_and_BriefReady_carries_it()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var jobs = await JobsFor(briefId, expected: 5);
        var usage = new SectionUsage
        {
            Backend = "llm", Model = "fake-model", Attempts = 2, DurationMs = 1500, PromptTokens = 100, CompletionTokens = 40,
        };

        foreach (var job in jobs)
            await Harness.Bus.Publish(Briefs.Completed(job) with { Usage = usage });
        await Harness.Bus.Publish(Briefs.Completed(jobs[0]) with { Usage = usage });
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 6);

        var ready = await Announced<BriefReady>(briefId);
        var expected = new BriefUsage { Jobs = 5, Attempts = 10, DurationMs = 7500, PromptTokens = 500, CompletionTokens = 200 };
        Assert.Equal(expected, ready.Usage);
        Assert.Equal(expected, Saga.Sagas.Contains(briefId)!.Usage);
        Assert.All(SectionNames.All, name => Assert.Equal(usage, ready.SectionUsage![name]));
    }

    async Task<IReadOnlyList<RunSubAgent>> JobsFor(Guid briefId, int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var jobs = Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId).Select(x => x.Context.Message).ToList();
            if (jobs.Count >= expected)
                return jobs;
            await Task.Delay(20, timeout.Token);
        }
    }

    async Task SagaConsumed<T>(Func<T, bool> match, int count)
        where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Saga.Consumed.Select<T>(x => match(x.Context.Message)).Count() < count)
            await Task.Delay(20, timeout.Token);
    }

    /// <summary>Waits for the announcement: the saga's new state is visible before its outbox releases the publish.</summary>
    async Task<T> Announced<T>(Guid briefId, int revision = 1)
        where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var announced = Harness.Published.Select<T>().Select(x => x.Context.Message)
                .FirstOrDefault(m => ((dynamic)m).BriefId == briefId && ((dynamic)m).Revision == revision);
            if (announced is not null)
                return announced;
            await Task.Delay(20, timeout.Token);
        }
    }
}

/// <summary>Remembers which briefs asked for a deadline check, instead of keeping them in Redis.</summary>
sealed class RecordingDeadlineIndex : ISectionDeadlineIndex
{
    public System.Collections.Concurrent.ConcurrentBag<Guid> Watched { get; } = [];

    public Task Watch(Guid briefId, DateTimeOffset dueAt)
    {
        Watched.Add(briefId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Guid>> ClaimDue(DateTimeOffset now, int max) => Task.FromResult<IReadOnlyList<Guid>>([]);
}
