using System.Text.Json;
using BusinessBrief.Orchestrator.Deadlines;
using BusinessBrief.Contracts;
using BusinessBrief.Orchestrator;
using BusinessBrief.Orchestrator.Briefs;
using BusinessBrief.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.Tests.Orchestrator;

public sealed class BriefStateMachineTests : IAsyncLifetime
{
    readonly RecordingDeadlineIndex deadlines = new();
    readonly RecordingTokenCharges charges = new();
    readonly ServiceProvider provider;

    public BriefStateMachineTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISectionDeadlineIndex>(deadlines);
        services.AddSingleton<ITokenCharges>(charges);
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
    public async Task Generating_a_brief_sends_the_sections_without_inputs_at_once_and_each_other_once_its_inputs_completed_carrying_them()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));

        var first = await JobsFor(briefId, expected: 2);
        Assert.Equal([SectionNames.LogoCreation, SectionNames.MarketResearch], first.Select(j => j.Section).Order());
        Assert.All(first, j => Assert.Empty(j.Inputs));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Generating));
        var waiting = Saga.Sagas.Contains(briefId)!.Sections;
        foreach (var name in new[] { SectionNames.ContentGeneration, SectionNames.SeoOptimization, SectionNames.TemplateSelection })
            Assert.Equal((SectionStatus.Pending, 0), (waiting[name].Status, waiting[name].Attempts));

        var logo = Briefs.Completed(first.Single(j => j.Section == SectionNames.LogoCreation));
        await Harness.Bus.Publish(logo);
        var template = (await JobsFor(briefId, expected: 3)).Except(first).Single();
        Assert.Equal(SectionNames.TemplateSelection, template.Section);
        var palette = Assert.Single(template.Inputs);
        Assert.Equal((SectionNames.LogoCreation, 1), (palette.Section, palette.Revision));
        Assert.True(JsonElement.DeepEquals(logo.Result, palette.Result!.Value));
        Assert.Equal(SectionStatus.Pending, Saga.Sagas.Contains(briefId)!.Sections[SectionNames.SeoOptimization].Status);

        var research = Briefs.Completed(first.Single(j => j.Section == SectionNames.MarketResearch));
        await Harness.Bus.Publish(research);
        var copyAndSeo = (await JobsFor(briefId, expected: 5)).Skip(3).ToList();
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.SeoOptimization], copyAndSeo.Select(j => j.Section).Order());
        Assert.All(copyAndSeo, j => Assert.True(JsonElement.DeepEquals(research.Result, Assert.Single(j.Inputs).Result!.Value)));

        foreach (var job in copyAndSeo.Append(template))
            await Harness.Bus.Publish(Briefs.Completed(job));
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var jobs = await JobsFor(briefId, expected: 5);
        Assert.Equal(5, jobs.Select(j => j.JobId).Distinct().Count());
        Assert.All(jobs, j => Assert.Equal(1, j.Revision));
        Assert.Empty((await Announced<BriefReady>(briefId)).StaleSections);
    }

    [Fact]
    public async Task A_brief_whose_five_sections_complete_is_ready_and_announced_with_its_content()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));

        var confidences = SectionNames.All.Zip([0.5, 0.6, 0.7, 0.8, 0.9]).ToDictionary(x => x.First, x => x.Second);
        await AnswerEveryJob(briefId, expected: 5, job => Briefs.Completed(job, confidences[job.Section]));

        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var ready = await Announced<BriefReady>(briefId);
        Assert.Equal(5, ready.Sections.Count);
        Assert.Equal(0.7, ready.OverallConfidence, precision: 6);
        Assert.Equal("Boulangerie Téranga", ready.Profile.BusinessName);
        Assert.Equal(1, await ArchiveRequests(briefId));

        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(1.0, brief.BriefCompleteness);
        Assert.True(brief.IsReadyForWebsite);
    }

    [Fact]
    public async Task A_section_that_failed_for_good_leaves_the_brief_incomplete_with_the_reason_and_its_dependents_written_without_it()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));

        var jobs = await AnswerEveryJob(briefId, expected: 5, job => job.Section == SectionNames.LogoCreation
            ? Briefs.Failed(job, "no answer within 60 s")
            : Briefs.Completed(job));

        Assert.NotNull(await Saga.Exists(briefId, x => x.Incomplete));
        var incomplete = await Announced<BriefIncomplete>(briefId);
        Assert.Equal("no answer within 60 s", Assert.Single(incomplete.FailedSections).Value);
        Assert.Equal(0.8, incomplete.BriefCompleteness, precision: 6);
        Assert.False(await Harness.Published.Any<BriefReady>(x => x.Context.Message.BriefId == briefId));
        Assert.Equal(1, await ArchiveRequests(briefId));
        var withoutLogo = Assert.Single(jobs.Single(j => j.Section == SectionNames.TemplateSelection).Inputs);
        Assert.Equal((SectionNames.LogoCreation, null, "no answer within 60 s"), (withoutLogo.Section, withoutLogo.Result, withoutLogo.Error));
    }

    [Fact]
    public async Task A_duplicate_GenerateBrief_creates_nothing_new()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await JobsFor(briefId, expected: 2);

        await Harness.Bus.Publish(Briefs.Request(briefId));
        await SagaConsumed<GenerateBrief>(m => m.BriefId == briefId, count: 2);

        Assert.Equal(2, Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId).Count());
        Assert.Single(Saga.Sagas.Select(x => x.CorrelationId == briefId));
    }

    [Fact]
    public async Task Duplicate_and_superseded_answers_change_nothing()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var research = (await JobsFor(briefId, expected: 2)).Single(j => j.Section == SectionNames.MarketResearch);

        await Harness.Bus.Publish(Briefs.Completed(research, 0.9));
        await Harness.Bus.Publish(Briefs.Completed(research, 0.1));
        await Harness.Bus.Publish(Briefs.Failed(research));
        await Harness.Bus.Publish(Briefs.Completed(research with { JobId = NewId.NextGuid() }, 0.2));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 3);
        await SagaConsumed<SubAgentFailed>(m => m.BriefId == briefId, count: 1);

        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(SectionStatus.Completed, brief.Sections[SectionNames.MarketResearch].Status);
        Assert.Equal(0.9, brief.Sections[SectionNames.MarketResearch].Confidence);
        Assert.Equal(BriefStatus.Generating, brief.Status);

        await AnswerEveryJob(briefId, expected: 4, alreadyAnswered: [research]);
        await Announced<BriefReady>(briefId);
        await Harness.Bus.Publish(Briefs.Completed(research, 0.3));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId && m.Confidence == 0.3, count: 1);

        Assert.Single(Harness.Published.Select<BriefReady>(x => x.Context.Message.BriefId == briefId));
    }

    [Fact]
    public async Task Regenerating_one_section_reruns_it_in_a_new_revision_and_keeps_the_other_four()
    {
        var briefId = await ReadyBrief();
        var before = ResultsOf(briefId);

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
        Assert.Equal(before[SectionNames.MarketResearch], Assert.Single(rerun.Inputs).Result!.Value.GetRawText());

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
        var briefId = await ReadyBrief();

        var created = new WebsiteCreated { BriefId = briefId, WebsiteId = 1234, CreatedAt = DateTimeOffset.UtcNow };
        await Harness.Bus.Publish(created);
        await Harness.Bus.Publish(created);

        Assert.NotNull(await Saga.Exists(briefId, x => x.Used));
        await SagaConsumed<WebsiteCreated>(m => m.BriefId == briefId, count: 2);
        Assert.Equal(1234, Saga.Sagas.Contains(briefId)!.Dc360WebsiteId);
    }

    [Fact]
    public async Task A_website_created_for_a_brief_that_is_not_ready_changes_nothing()
    {
        var generating = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(generating));
        await JobsFor(generating, expected: 2);
        var incomplete = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(incomplete));
        await AnswerEveryJob(incomplete, expected: 5, job => job.Section == SectionNames.LogoCreation ? Briefs.Failed(job) : Briefs.Completed(job));
        Assert.NotNull(await Saga.Exists(incomplete, x => x.Incomplete));

        foreach (var briefId in new[] { generating, incomplete })
            await Harness.Bus.Publish(new WebsiteCreated { BriefId = briefId, WebsiteId = 1234, CreatedAt = DateTimeOffset.UtcNow });

        await SagaConsumed<WebsiteCreated>(m => m.BriefId == generating || m.BriefId == incomplete, count: 2);
        Assert.NotNull(await Saga.Exists(generating, x => x.Generating));
        Assert.NotNull(await Saga.Exists(incomplete, x => x.Incomplete));
        Assert.Equal([null, null], new[] { generating, incomplete }.Select(id => Saga.Sagas.Contains(id)!.Dc360WebsiteId));
    }

    [Fact]
    public async Task An_answer_larger_than_the_orchestrator_accepts_fails_its_section_with_a_fixed_reason_and_is_not_stored()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var flood = JsonSerializer.SerializeToElement(new { confidence = 0.9, text = new string('x', new SectionAnswerLimits().MaxBytes) });

        await AnswerEveryJob(briefId, expected: 5, job => job.Section == SectionNames.MarketResearch
            ? Briefs.Completed(job) with { Result = flood }
            : Briefs.Completed(job));

        Assert.NotNull(await Saga.Exists(briefId, x => x.Incomplete));
        var research = Saga.Sagas.Contains(briefId)!.Sections[SectionNames.MarketResearch];
        Assert.Equal((SectionStatus.Failed, OversizedAnswerFilter.Reason, null), (research.Status, research.Error, research.Result));
        Assert.Equal(OversizedAnswerFilter.Reason, Assert.Single((await Announced<BriefIncomplete>(briefId)).FailedSections).Value);
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
    public async Task A_brief_is_watched_for_deadlines_while_its_jobs_are_awaited_and_no_longer_once_it_is_ready()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await JobsFor(briefId, expected: 2);

        Assert.True(deadlines.Due.ContainsKey(briefId));

        await AnswerEveryJob(briefId, expected: 5);

        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        Assert.False(deadlines.Due.ContainsKey(briefId));
    }

    [Fact]
    public async Task A_job_that_gets_no_answer_is_sent_again_then_its_section_fails_and_the_brief_ends_incomplete()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await AnswerEveryJob(briefId, expected: 4, job => job.Section == SectionNames.SeoOptimization ? null : Briefs.Completed(job));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 4);
        var first = await JobsFor(briefId, expected: 5);

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
        await AnswerEveryJob(briefId, expected: 5, job => Briefs.Completed(job, 0.5));
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
        // Research, then the copy and SEO written from it, are answered; the logo is still running, the template waits for it.
        var jobs = await AnswerEveryJob(briefId, expected: 3, answer: j => j.Section == SectionNames.LogoCreation ? null : Briefs.Completed(j));
        var logo = jobs.Single(j => j.Section == SectionNames.LogoCreation);
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 3);

        await Harness.Bus.Publish(new CancelBrief { BriefId = briefId, Revision = 1, RequestedAt = DateTimeOffset.UtcNow });

        Assert.NotNull(await Saga.Exists(briefId, x => x.Cancelled));
        var cancelled = await Announced<BriefCancelled>(briefId);
        Assert.Equal("awa", cancelled.UserId);
        Assert.Equal(1, await ArchiveRequests(briefId));

        await Harness.Bus.Publish(Briefs.Completed(logo));
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 4);
        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(BriefStatus.Cancelled, brief.Status);
        Assert.Equal(SectionStatus.Cancelled, brief.Sections[SectionNames.LogoCreation].Status);
        Assert.Null(brief.Sections[SectionNames.LogoCreation].Result);
        Assert.Equal(SectionStatus.Cancelled, brief.Sections[SectionNames.TemplateSelection].Status);
        Assert.Equal(3, brief.Sections.Values.Count(s => s.Status == SectionStatus.Completed));
        Assert.DoesNotContain(Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId),
            x => x.Context.Message.Section == SectionNames.TemplateSelection);
        Assert.False(await Harness.Published.Any<BriefReady>(x => x.Context.Message.BriefId == briefId));
        Assert.False(await Harness.Published.Any<BriefIncomplete>(x => x.Context.Message.BriefId == briefId));
        Assert.False(deadlines.Due.ContainsKey(briefId));
    }

    [Fact]
    public async Task A_cancelled_brief_regenerated_reruns_the_named_and_the_unfinished_sections_and_ends_ready()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        // Research and copy answered; logo and SEO running, the template waiting for the logo.
        await AnswerEveryJob(briefId, expected: 2,
            answer: j => j.Section is SectionNames.MarketResearch or SectionNames.ContentGeneration ? Briefs.Completed(j) : null);
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 2);
        await Harness.Bus.Publish(new CancelBrief { BriefId = briefId, Revision = 1, RequestedAt = DateTimeOffset.UtcNow });
        Assert.NotNull(await Saga.Exists(briefId, x => x.Cancelled));
        var cancelled = Saga.Sagas.Contains(briefId)!;

        // What the API asks for when the user names one finished section: it and the three the cancellation interrupted.
        var sections = cancelled.SectionsToRegenerate([SectionNames.MarketResearch]);
        Assert.Equal([SectionNames.MarketResearch, SectionNames.LogoCreation, SectionNames.SeoOptimization, SectionNames.TemplateSelection],
            sections);
        await Harness.Bus.Publish(Regeneration(briefId, sections));
        await JobsFor(briefId, expected: 6);

        // A redelivered cancel of revision 1 must not stop revision 2.
        await Harness.Bus.Publish(new CancelBrief { BriefId = briefId, Revision = 1, RequestedAt = DateTimeOffset.UtcNow });
        await SagaConsumed<CancelBrief>(m => m.BriefId == briefId, count: 2);
        var rerun = (await AnswerEveryJob(briefId, expected: 4, revision: 2)).Where(j => j.Revision == 2);

        Assert.Equal(sections.Order(), rerun.Select(j => j.Section).Order());
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        await Announced<BriefReady>(briefId, revision: 2);
    }

    [Fact]
    public async Task Each_answered_job_adds_its_cost_once_to_its_section_and_to_the_brief_and_BriefReady_carries_it()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var usage = new SectionUsage
        {
            Backend = "llm", Model = "fake-model", Attempts = 2, DurationMs = 1500, PromptTokens = 100, CompletionTokens = 40,
        };

        var jobs = await AnswerEveryJob(briefId, expected: 5, answer: j => Briefs.Completed(j) with { Usage = usage });
        await Harness.Bus.Publish(Briefs.Completed(jobs[0]) with { Usage = usage });
        await SagaConsumed<SubAgentCompleted>(m => m.BriefId == briefId, count: 6);

        var ready = await Announced<BriefReady>(briefId);
        var expected = new BriefUsage { Jobs = 5, Attempts = 10, DurationMs = 7500, PromptTokens = 500, CompletionTokens = 200 };
        Assert.Equal(expected, ready.Usage);
        Assert.Equal(expected, Saga.Sagas.Contains(briefId)!.Usage);
        Assert.All(SectionNames.All, name => Assert.Equal(usage, ready.SectionUsage![name]));
    }

    [Fact]
    public async Task Every_answer_charges_its_tokens_to_the_brief_owner_under_its_job_id_failed_ones_too()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        var usage = new SectionUsage { Backend = "llm", Model = "fake-model", Attempts = 1, DurationMs = 10, PromptTokens = 100, CompletionTokens = 40 };

        var jobs = await AnswerEveryJob(briefId, expected: 5, answer: j => j.Section == SectionNames.LogoCreation
            ? Briefs.Failed(j) with { Usage = usage }
            : Briefs.Completed(j) with { Usage = usage });
        await Announced<BriefIncomplete>(briefId);

        Assert.Equal(jobs.Select(j => ("awa", j.JobId, 140L)).Order(), charges.Charged.Where(c => c.UserId == "awa").Order());
    }

    [Fact]
    public async Task Sections_waiting_for_their_inputs_are_not_failed_by_the_deadline_and_run_once_their_inputs_failed_so_the_brief_ends()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await JobsFor(briefId, expected: 2);

        await CheckDeadlines(briefId, count: 1);
        var resent = await JobsFor(briefId, expected: 4);
        Assert.Equal([SectionNames.LogoCreation, SectionNames.MarketResearch], resent.Skip(2).Select(j => j.Section).Order());
        var brief = Saga.Sagas.Contains(briefId)!;
        foreach (var name in new[] { SectionNames.ContentGeneration, SectionNames.SeoOptimization, SectionNames.TemplateSelection })
            Assert.Equal((SectionStatus.Pending, 0, null), (brief.Sections[name].Status, brief.Sections[name].Attempts, brief.Sections[name].Error));

        await CheckDeadlines(briefId, count: 2);
        var dependents = (await JobsFor(briefId, expected: 7)).Skip(4).ToList();
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.SeoOptimization, SectionNames.TemplateSelection], dependents.Select(j => j.Section).Order());
        Assert.All(dependents, j => Assert.StartsWith("no answer from the", Assert.Single(j.Inputs).Error));

        await CheckDeadlines(briefId, count: 3);
        await CheckDeadlines(briefId, count: 4);
        Assert.NotNull(await Saga.Exists(briefId, x => x.Incomplete));
        Assert.Equal(5, (await Announced<BriefIncomplete>(briefId)).FailedSections.Count);
    }

    [Fact]
    public async Task Regenerating_the_market_research_marks_the_sections_built_on_it_stale_and_the_brief_stays_ready()
    {
        var briefId = await ReadyBrief();
        var before = ResultsOf(briefId);

        await Harness.Bus.Publish(Regeneration(briefId, [SectionNames.MarketResearch]));
        var rerun = await AnswerEveryJob(briefId, expected: 1, revision: 2);

        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var ready = await Announced<BriefReady>(briefId, revision: 2);
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.SeoOptimization], ready.StaleSections);
        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal([SectionNames.MarketResearch], brief.Sections[SectionNames.SeoOptimization].ChangedInputs);
        Assert.True(brief.IsReadyForWebsite);
        Assert.False(brief.Sections[SectionNames.TemplateSelection].IsStale);
        Assert.Equal(before[SectionNames.ContentGeneration], brief.Sections[SectionNames.ContentGeneration].Result!.Value.GetRawText());
        Assert.Equal(6, rerun.Count);

        await Harness.Bus.Publish(Regeneration(briefId, [SectionNames.ContentGeneration]));
        var content = (await AnswerEveryJob(briefId, expected: 1, revision: 3)).Single(j => j.Revision == 3);
        Assert.Equal(2, Assert.Single(content.Inputs).Revision);
        Assert.Equal([SectionNames.SeoOptimization], (await Announced<BriefReady>(briefId, revision: 3)).StaleSections);
    }

    [Fact]
    public async Task Regenerating_the_market_research_with_cascade_reruns_each_section_built_on_it_once_from_the_new_research_in_one_revision()
    {
        var briefId = await ReadyBrief();
        var before = ResultsOf(briefId);

        await Harness.Bus.Publish(Regeneration(briefId, [SectionNames.MarketResearch], cascade: true, feedback: "plus court"));
        var research = (await JobsFor(briefId, expected: 6)).Single(j => j.Revision == 2);
        Assert.Equal((SectionNames.MarketResearch, "plus court"), (research.Section, research.Feedback));
        Assert.Equal(SectionStatus.Pending, Saga.Sagas.Contains(briefId)!.Sections[SectionNames.ContentGeneration].Status);

        var newResearch = Briefs.Completed(research, 0.75);
        await Harness.Bus.Publish(newResearch);
        var dependents = await AnswerEveryJob(briefId, expected: 2, revision: 2, alreadyAnswered: [research]);

        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        var revision2 = (await JobsFor(briefId, expected: dependents.Count)).Where(j => j.Revision == 2).ToList();
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.MarketResearch, SectionNames.SeoOptimization], revision2.Select(j => j.Section).Order());
        foreach (var job in revision2.Where(j => j.Section != SectionNames.MarketResearch))
        {
            var input = Assert.Single(job.Inputs);
            Assert.Equal(2, input.Revision);
            Assert.True(JsonElement.DeepEquals(newResearch.Result, input.Result!.Value));
            Assert.Null(job.Feedback);
        }
        var ready = await Announced<BriefReady>(briefId, revision: 2);
        Assert.Empty(ready.StaleSections);
        Assert.Single(Harness.Published.Select<BriefReady>(x => x.Context.Message.BriefId == briefId && x.Context.Message.Revision == 2));
        var brief = Saga.Sagas.Contains(briefId)!;
        Assert.Equal(2, brief.Revision);
        Assert.Equal(before[SectionNames.LogoCreation], brief.Sections[SectionNames.LogoCreation].Result!.Value.GetRawText());
        Assert.Equal(before[SectionNames.TemplateSelection], brief.Sections[SectionNames.TemplateSelection].Result!.Value.GetRawText());
        Assert.NotEqual(before[SectionNames.SeoOptimization], brief.Sections[SectionNames.SeoOptimization].Result!.Value.GetRawText());
    }

    /// <summary>A brief generated with every section answered: where the regeneration and website tests start.</summary>
    async Task<Guid> ReadyBrief()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(Briefs.Request(briefId));
        await AnswerEveryJob(briefId, expected: 5);
        Assert.NotNull(await Saga.Exists(briefId, x => x.Ready));
        return briefId;
    }

    Dictionary<string, string> ResultsOf(Guid briefId) =>
        Saga.Sagas.Contains(briefId)!.Sections.ToDictionary(s => s.Key, s => s.Value.Result!.Value.GetRawText());

    static RegenerateSections Regeneration(Guid briefId, IReadOnlyList<string> sections, bool cascade = false, string? feedback = null) => new()
    {
        BriefId = briefId,
        RequestId = NewId.NextGuid(),
        Sections = sections,
        Cascade = cascade,
        Feedback = feedback,
        RequestedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A deadline check, waited for until the saga consumed it (<paramref name="count"/>: checks of this brief so far).</summary>
    async Task CheckDeadlines(Guid briefId, int count)
    {
        await Harness.Bus.Publish(new CheckSectionDeadlines { BriefId = briefId, CheckedAt = DateTimeOffset.UtcNow });
        await SagaConsumed<CheckSectionDeadlines>(m => m.BriefId == briefId, count);
    }

    /// <summary>
    /// Plays the agents: answers each job of the revision as the saga sends it (completed unless
    /// <paramref name="answer"/> says otherwise; null leaves the job unanswered) until <paramref name="expected"/>
    /// jobs were answered, and returns every job sent.
    /// </summary>
    async Task<IReadOnlyList<RunSubAgent>> AnswerEveryJob(Guid briefId, int expected, Func<RunSubAgent, object?>? answer = null,
        int revision = 1, IReadOnlyList<RunSubAgent>? alreadyAnswered = null)
    {
        var seen = (alreadyAnswered ?? []).Select(j => j.JobId).ToHashSet();
        var answered = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (answered < expected)
        {
            var sent = Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId && x.Context.Message.Revision == revision)
                .Select(x => x.Context.Message).Where(j => seen.Add(j.JobId)).ToList();
            foreach (var job in sent)
                if ((answer ?? (j => Briefs.Completed(j))).Invoke(job) is { } message)
                {
                    await Harness.Bus.Publish(message);
                    answered++;
                }
            if (sent.Count == 0)
                await Task.Delay(20, timeout.Token);
        }
        return Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId).Select(x => x.Context.Message).ToList();
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

    /// <summary>How many times the saga asked the archive to copy this revision, once it asked at all.</summary>
    async Task<int> ArchiveRequests(Guid briefId, int revision = 1)
    {
        Assert.True(await Harness.Sent.Any<ArchiveBrief>(x => x.Context.Message.BriefId == briefId && x.Context.Message.Revision == revision));
        return Harness.Sent.Select<ArchiveBrief>(x => x.Context.Message.BriefId == briefId && x.Context.Message.Revision == revision).Count();
    }
}

/// <summary>The token budgets kept in memory instead of Redis: every charge, as asked.</summary>
sealed class RecordingTokenCharges : ITokenCharges
{
    public System.Collections.Concurrent.ConcurrentQueue<(string UserId, Guid JobId, long Tokens)> Charged { get; } = new();

    public Task<bool> Charge(string userId, Guid jobId, long tokens)
    {
        Charged.Enqueue((userId, jobId, tokens));
        return Task.FromResult(true);
    }
}

/// <summary>The deadline index kept in memory instead of Redis.</summary>
sealed class RecordingDeadlineIndex : ISectionDeadlineIndex
{
    public System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTimeOffset> Due { get; } = new();

    public Task Watch(Guid briefId, DateTimeOffset dueAt)
    {
        Due[briefId] = dueAt;
        return Task.CompletedTask;
    }

    public Task Forget(Guid briefId, DateTimeOffset dueAt)
    {
        Due.TryRemove(new KeyValuePair<Guid, DateTimeOffset>(briefId, dueAt));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ClaimedDeadline>> ClaimDue(DateTimeOffset now, int max) => Task.FromResult<IReadOnlyList<ClaimedDeadline>>([]);
}
