using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Agents;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Tests.Agents;

/// <summary>The llm backend against a fake OpenAI-compatible server on 127.0.0.1: never the network.</summary>
[Collection(nameof(SectionAgents))]
public sealed class LlmBackendTests : IAsyncLifetime
{
    FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.Start();

    public async Task DisposeAsync() => await server.DisposeAsync();

    Dictionary<string, string?> LlmFor(string section, string jobTimeout = "00:00:30", int maxAttempts = 3) =>
        server.SettingsFor(section, jobTimeout, maxAttempts);

    /// <summary>What a well-behaved model would answer: a valid result for the section.</summary>
    internal static async Task<JsonObject> ValidAnswer(string section, BusinessProfile profile)
    {
        using var offline = new SectionAgents();
        return (await offline.Write(Profiles.Job(section, profile))).Result;
    }

    static RunSubAgent SeoJob(int revision = 1, string? feedback = null, JsonElement? previous = null) =>
        Profiles.Job(SectionNames.SeoOptimization, Profiles.DakarDemo, revision: revision, feedback: feedback, previousResult: previous);

    [Fact]
    public async Task A_valid_model_answer_becomes_the_section_result_with_the_llm_confidence()
    {
        var answer = await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo);
        server.ThenAnswer(answer);
        using var agents = new SectionAgents(LlmFor(SectionNames.SeoOptimization));
        var spend = new ModelSpend();

        var draft = await agents.Write(SeoJob(), spend);

        Assert.Equal("llm", draft.Backend);
        Assert.Equal("fake-model", draft.Model);
        Assert.Equal((10L, 10L), (spend.PromptTokens, spend.CompletionTokens));
        Assert.Equal((string)answer["title"]!, (string)draft.Result["title"]!);
        Assert.Empty(Results.SchemaErrors(SectionNames.SeoOptimization, draft.Result));
        Assert.True(draft.Confidence > (double)answer["confidence"]!, "the llm backend's ceiling is above the offline one");
        var request = Assert.Single(server.Requests);
        Assert.Equal("fake-model", (string)request["model"]!);
        Assert.Equal("json_schema", (string)request["response_format"]!["type"]!);
        Assert.Equal("https://businessbrief.dev/schemas/seo_optimization.schema.json",
            (string)request["response_format"]!["json_schema"]!["schema"]!["$id"]!);
        Assert.Contains("Boulangerie Teranga", FakeOpenAiServer.Messages(request)[1]);
    }

    [Fact]
    public async Task An_answer_that_is_not_json_is_sent_back_for_correction_and_costs_confidence()
    {
        var answer = await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo);
        server.ThenAnswer(answer).ThenAnswer("Voici le JSON demandé : { title: ").ThenAnswer(answer);
        using var agents = new SectionAgents(LlmFor(SectionNames.SeoOptimization));

        var firstTime = await agents.Write(SeoJob());
        var spend = new ModelSpend();
        var corrected = await agents.Write(SeoJob(), spend);

        Assert.Equal(Math.Round(firstTime.Confidence - 0.10, 2), corrected.Confidence);
        Assert.Equal((20L, 20L), (spend.PromptTokens, spend.CompletionTokens));
        var correction = server.Requests.Last();
        var messages = FakeOpenAiServer.Messages(correction);
        Assert.Equal("Voici le JSON demandé : { title: ", messages[2]);
        Assert.StartsWith("Your answer was rejected: invalid JSON", messages[3]);
    }

    [Fact]
    public async Task A_model_that_keeps_breaking_the_schema_fails_the_job_with_a_fixed_reason()
    {
        var tooLong = await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo);
        tooLong["title"] = new string('x', 100);
        server.ThenAnswer(tooLong).ThenAnswer(tooLong).ThenAnswer(tooLong).ThenAnswer(tooLong);
        await using var worker = await AgentsWorker.Start(LlmFor(SectionNames.SeoOptimization));

        var failed = await worker.Failure(SeoJob());

        // The answers' own words never reach the user: what was wrong with them went back to the model and to the log.
        Assert.Equal($"{LlmSectionWriter.RejectedReason}, 3 times (1 attempt)", failed.Reason);
        Assert.Equal(3, server.Requests.Count);
        // The rejected answers were paid for: their cost travels with the failure.
        Assert.Equal("llm", failed.Usage!.Backend);
        Assert.Equal("fake-model", failed.Usage.Model);
        Assert.Equal(1, failed.Usage.Attempts);
        Assert.Equal(30, failed.Usage.PromptTokens);
        Assert.Equal(30, failed.Usage.CompletionTokens);
        Assert.True(failed.Usage.DurationMs > 0);
    }

    [Fact]
    public async Task A_completed_job_reports_its_backend_model_attempts_time_and_tokens()
    {
        server.ThenFail(500).ThenAnswer(await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo));
        await using var worker = await AgentsWorker.Start(LlmFor(SectionNames.SeoOptimization));

        var completed = await worker.Completion(SeoJob());

        var usage = completed.Usage!;
        Assert.Equal(("llm", "fake-model", 1), (usage.Backend, usage.Model, usage.Attempts));
        Assert.Equal((10L, 10L), (usage.PromptTokens, usage.CompletionTokens));
        Assert.True(usage.DurationMs > 0);
    }

    [Fact]
    public async Task Every_request_caps_the_answer_at_the_configured_output_tokens()
    {
        var answer = await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo);
        server.ThenAnswer("{ pas du JSON").ThenAnswer(answer);
        using var agents = new SectionAgents(new Dictionary<string, string?>(LlmFor(SectionNames.SeoOptimization))
        {
            ["SubAgents:Llm:MaxOutputTokens"] = "777",
        });

        await agents.Write(SeoJob());

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, request => Assert.Equal(777, (int)request["max_completion_tokens"]!));
    }

    [Fact]
    public async Task A_job_retried_after_a_provider_fault_stops_at_its_bound_of_answers_instead_of_new_correction_rounds()
    {
        var invalid = await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo);
        invalid["title"] = new string('x', 100);
        server.ThenAnswer(invalid).ThenAnswer(invalid).ThenFail(500);
        for (var i = 0; i < 6; i++)
            server.ThenAnswer(invalid);
        await using var worker = await AgentsWorker.Start(new Dictionary<string, string?>(LlmFor(SectionNames.SeoOptimization))
        {
            ["SubAgents:Llm:HttpRetries"] = "0",
            ["SubAgents:Llm:MaxAnswersPerJob"] = "4",
        });

        var failed = await worker.Failure(SeoJob());

        // Attempt 1: two rejected answers, then the fault; attempt 2 gets the two answers left, not three more.
        Assert.Equal(5, server.Requests.Count);
        Assert.Equal($"{LlmSectionWriter.RejectedReason}: the job reached its bound of 4 answers (2 attempts)", failed.Reason);
        Assert.Equal((2, 40L, 40L), (failed.Usage!.Attempts, failed.Usage.PromptTokens, failed.Usage.CompletionTokens));
    }

    [Theory]
    [InlineData(nameof(BriefCancelled))]
    [InlineData(nameof(BriefDeleted))]
    public async Task Cancelling_or_erasing_the_brief_aborts_the_llm_call_in_flight_and_the_job_answers_nothing(string stop)
    {
        server.ThenHang();
        await using var worker = await AgentsWorker.Start(LlmFor(SectionNames.SeoOptimization, jobTimeout: "00:05:00"));
        var job = SeoJob();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await worker.Run(job);
        await Until(() => server.Requests.Count == 1);
        if (stop == nameof(BriefCancelled))
            await worker.Harness.Bus.Publish(new BriefCancelled
            {
                BriefId = job.BriefId, UserId = "awa", Revision = job.Revision, CancelledAt = DateTimeOffset.UtcNow,
            });
        else
            await worker.Harness.Bus.Publish(new BriefDeleted { BriefId = job.BriefId, DeletedAt = DateTimeOffset.UtcNow });

        await Until(() => server.AbortedRequests == 1);
        await Until(() => worker.Harness.Consumed.Select<RunSubAgent>(x => x.Context.Message.JobId == job.JobId).Any());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the call was awaited {clock.Elapsed} instead of aborted");
        Assert.Single(server.Requests);
        Assert.Empty(worker.Harness.Published.Select<SubAgentCompleted>(x => x.Context.Message.JobId == job.JobId));
        Assert.Empty(worker.Harness.Published.Select<SubAgentFailed>(x => x.Context.Message.JobId == job.JobId));
    }

    static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }

    [Fact]
    public async Task A_model_that_does_not_answer_fails_the_job_at_its_deadline()
    {
        server.ThenHang().ThenHang();
        await using var worker = await AgentsWorker.Start(LlmFor(SectionNames.SeoOptimization, jobTimeout: "00:00:01", maxAttempts: 2));

        var failed = await worker.Failure(SeoJob());

        Assert.Equal("no answer within 1 s, 2 attempts", failed.Reason);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_transient_http_fault_is_retried_then_succeeds(int status)
    {
        server.ThenFail(status).ThenFail(status).ThenAnswer(await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo));
        using var agents = new SectionAgents(LlmFor(SectionNames.SeoOptimization));

        var draft = await agents.Write(SeoJob());

        Assert.Equal("llm", draft.Backend);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task The_regeneration_prompt_carries_the_previous_result_and_the_feedback()
    {
        var previous = await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo);
        server.ThenAnswer(previous);
        using var agents = new SectionAgents(LlmFor(SectionNames.SeoOptimization));

        await agents.Write(SeoJob(revision: 2, feedback: "Mettez le quartier Mermoz dans le titre", previous: JsonSerializer.SerializeToElement(previous)));

        var request = JsonNode.Parse(FakeOpenAiServer.Messages(server.Requests.Single())[1])!;
        Assert.Equal(2, (int)request["revision"]!);
        Assert.Equal("fr", (string)request["language"]!);
        Assert.Equal("Mettez le quartier Mermoz dans le titre", (string)request["feedback"]!);
        Assert.Equal((string)previous["title"]!, (string)request["previous_result"]!["title"]!);
        Assert.Equal("Boulangerie Teranga", (string)request["business_profile"]!["business_name"]!);
    }

    [Fact]
    public async Task The_prompt_carries_the_results_of_the_sections_it_builds_on_and_the_result_records_them()
    {
        var research = await ValidAnswer(SectionNames.MarketResearch, Profiles.DakarDemo);
        research["search_keywords"] = new JsonArray("pain au mil dakar", "boulangerie dakar");
        server.ThenAnswer(await ValidAnswer(SectionNames.SeoOptimization, Profiles.DakarDemo));
        using var agents = new SectionAgents(LlmFor(SectionNames.SeoOptimization));

        var draft = await agents.Write(SeoJob() with
        {
            Inputs = [new SectionInput { Section = SectionNames.MarketResearch, Revision = 3, Result = JsonSerializer.SerializeToElement(research) }],
        });

        var request = JsonNode.Parse(FakeOpenAiServer.Messages(server.Requests.Single())[1])!;
        var input = request["inputs"]![SectionNames.MarketResearch]!;
        Assert.Equal(3, (int)input["revision"]!);
        Assert.Equal("pain au mil dakar", (string)input["result"]!["search_keywords"]![0]!);
        Assert.Contains("first search keyword of the market research", FakeOpenAiServer.Messages(server.Requests.Single())[0]);
        Assert.Equal(3, (int)draft.Result["built_on"]![0]!["revision"]!);
    }

    [Fact]
    public async Task A_template_outside_the_catalogue_is_sent_back_and_the_corrected_answer_kept()
    {
        var valid = await ValidAnswer(SectionNames.TemplateSelection, Profiles.DakarDemo);
        var invented = valid.DeepClone().AsObject();
        invented["recommended"]![0]!["template_id"] = "site-de-reve";
        server.ThenAnswer(invented).ThenAnswer(valid);
        using var agents = new SectionAgents(LlmFor(SectionNames.TemplateSelection));

        var draft = await agents.Write(Profiles.Job(SectionNames.TemplateSelection, Profiles.DakarDemo));

        Assert.Equal((string)valid["recommended"]![0]!["template_id"]!, (string)draft.Result["recommended"]![0]!["template_id"]!);
        Assert.Contains("template_catalogue", FakeOpenAiServer.Messages(server.Requests.First())[1]);
        Assert.Contains("'site-de-reve' is not in the template catalogue", FakeOpenAiServer.Messages(server.Requests.Last())[3]);
    }

    [Fact]
    public async Task Sections_not_configured_for_the_llm_stay_offline()
    {
        using var agents = new SectionAgents(LlmFor(SectionNames.SeoOptimization));

        var draft = await agents.Write(Profiles.Job(SectionNames.LogoCreation, Profiles.DakarDemo));

        Assert.Equal("offline", draft.Backend);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Choosing_the_llm_without_an_endpoint_is_refused_with_the_missing_setting()
    {
        using var agents = new SectionAgents(new Dictionary<string, string?> { ["SubAgents:Backends:logo_creation"] = "llm" });

        var refused = Assert.Throws<OptionsValidationException>(() => agents.Get<IOptions<SubAgentOptions>>().Value);

        Assert.Contains("SubAgents:Llm:BaseUrl and SubAgents:Llm:Model are required", refused.Message);
    }

    [Fact]
    public void Attempt_settings_the_job_pipeline_cannot_run_with_are_refused_with_what_is_wrong()
    {
        using var agents = new SectionAgents(new Dictionary<string, string?>
        {
            ["SubAgents:MaxAttempts"] = "0",
            ["SubAgents:JobTimeout"] = "00:00:00",
            ["SubAgents:Chaos:seo_optimization:FaultRate"] = "2",
        });

        var refused = Assert.Throws<OptionsValidationException>(() => agents.Get<IOptions<SubAgentOptions>>().Value);

        Assert.Contains("SubAgents:MaxAttempts must be at least 1", refused.Message);
        Assert.Contains("SubAgents:JobTimeout must be between 10 ms and 1 day", refused.Message);
        Assert.Contains("SubAgents:Chaos:seo_optimization: FaultRate and LatencyRate are shares between 0 and 1", refused.Message);
    }
}
