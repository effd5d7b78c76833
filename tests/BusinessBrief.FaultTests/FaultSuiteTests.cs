using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.FaultTests;

/// <summary>
/// Break the running system mid-batch and check what users would notice: every accepted brief ends ready or
/// incomplete, none lost, none stuck, none announced twice under different ids, no message parked in an error queue.
/// </summary>
[Collection(ChaosCollection.Name)]
public class FaultSuiteTests(ChaosStack stack)
{
    internal const int Batch = 60;
    internal static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(120);
    internal static readonly TimeSpan SlowAgents = TimeSpan.FromMilliseconds(300);
    // The archive consumer retries every 10 s at most while PostgreSQL is away: one minute covers a few rounds of it.
    static readonly TimeSpan ArchiveTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Agents_worker_killed_mid_batch_and_restarted_loses_nothing()
    {
        await using var scenario = new FaultScenario(stack, "1. agents worker killed (SIGKILL) mid-batch, restarted").WithAgentLatency(SlowAgents);
        await scenario.Start();

        AssertAllReady(await SubmitWithFaultMidBatch(scenario, () => KillAndRestart(scenario.Service("agents-1"))));
    }

    [Fact]
    public async Task Orchestrator_killed_mid_batch_and_restarted_loses_nothing_and_announces_each_brief()
    {
        await using var scenario = new FaultScenario(stack, "2. orchestrator killed (SIGKILL) mid-batch, restarted").WithAgentLatency(SlowAgents);
        await scenario.Start();

        AssertAllReady(await SubmitWithFaultMidBatch(scenario, () => KillAndRestart(scenario.Service("orchestrator-1"))));
        AssertAllAnnounced(stack, scenario);
    }

    [Fact]
    public async Task Two_orchestrators_and_three_agents_workers_share_the_work_without_losing_or_doubling_any()
    {
        await using var scenario = new FaultScenario(stack, "3. two orchestrators and three agents workers competing").WithAgentLatency(SlowAgents);
        await scenario.Start(orchestrators: 2, agents: 3);
        var clock = Stopwatch.StartNew();

        await scenario.Submit(Batch);

        AssertAllReady(await scenario.Settle(clock, SettleTimeout));
    }

    [Fact]
    public async Task RabbitMq_restarted_mid_batch_the_services_reconnect_and_finish_every_brief()
    {
        // MassTransit 8.5 retries each receive endpoint's connection 3 s to 30 s (+3 s) apart, not configurable, so agents
        // may resume half a minute after the broker: a 20 s deadline would fail sections whose jobs wait safely in their queues.
        await using var scenario = new FaultScenario(stack, "4. RabbitMQ restarted mid-batch")
            .WithAgentLatency(TimeSpan.FromSeconds(1)).WithJobDeadline(TimeSpan.FromSeconds(60));
        await scenario.Start();

        var result = await SubmitWithFaultMidBatch(scenario, stack.RestartRabbitMq);

        AssertAllReady(result);
        Assert.True(result.AnnouncedDuringFault.Ended < result.Submitted,
            $"all {result.Submitted} briefs were announced before the broker was back: the restart broke nothing");
    }

    [Fact]
    public async Task Redis_restarted_mid_batch_keeps_every_brief_thanks_to_the_append_only_file()
    {
        await using var scenario = new FaultScenario(stack, "5. Redis restarted mid-batch, down 8 s (AOF on)").WithAgentLatency(SlowAgents);
        await scenario.Start();

        // Longer than StackExchange.Redis's 5 s command timeout: commands waiting for the connection time out, as on
        // a slow restart (CI once parked 7 messages in an error queue that way).
        AssertAllReady(await SubmitWithFaultMidBatch(scenario, () => stack.RestartRedis(TimeSpan.FromSeconds(8))));
        // A saga write that Redis never confirmed is retried as possibly stored: its announcement is sent again, not lost.
        AssertAllAnnounced(stack, scenario);
    }

    [Fact]
    public async Task An_agent_that_throws_every_time_fails_its_section_with_the_reason_and_the_others_complete()
    {
        await using var scenario = new FaultScenario(stack, "6. poison: SEO agent throws on every job");
        scenario.Environment["SubAgents__Chaos__seo_optimization__FaultRate"] = "1";
        await scenario.Start();
        var clock = Stopwatch.StartNew();

        await scenario.Submit(Batch);

        AssertAllIncomplete(await scenario.Settle(clock, SettleTimeout));
        var brief = await scenario.Brief(scenario.Accepted[0]);
        var seo = brief.GetProperty("sections").GetProperty(SectionNames.SeoOptimization);
        Assert.Equal("failed", seo.GetProperty("status").GetString());
        Assert.Contains("injected fault in seo_optimization", seo.GetProperty("error").GetString());
        Assert.All(SectionNames.All.Where(s => s != SectionNames.SeoOptimization),
            s => Assert.Equal("completed", brief.GetProperty("sections").GetProperty(s).GetProperty("status").GetString()));
    }

    [Fact]
    public async Task An_agent_that_hangs_hits_its_deadline_is_retried_then_fails_and_the_brief_ends_incomplete_in_bounded_time()
    {
        await using var scenario = new FaultScenario(stack, "7. logo agent hangs (deadline, retry, fail)");
        scenario.Environment["SubAgents__JobTimeout"] = "00:00:02";
        scenario.Environment["SubAgents__Chaos__logo_creation__LatencyRate"] = "1";
        scenario.Environment["SubAgents__Chaos__logo_creation__Latency"] = "00:10:00";
        await scenario.Start();
        var clock = Stopwatch.StartNew();

        await scenario.Submit(Batch);

        var result = await scenario.Settle(clock, SettleTimeout);
        AssertAllIncomplete(result);
        var logo = (await scenario.Brief(scenario.Accepted[0])).GetProperty("sections").GetProperty(SectionNames.LogoCreation);
        Assert.StartsWith("no answer within 2 s, 2 attempts", logo.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Duplicated_commands_and_answers_change_nothing_twice()
    {
        await using var scenario = new FaultScenario(stack, "8. duplicated GenerateBrief and SubAgentCompleted");
        await scenario.Start();
        // A second copy of every answer, as a publisher that resends after a lost confirm would produce.
        var duplicator = stack.Bus.ConnectReceiveEndpoint("chaos-duplicator", e => e.Handler<SubAgentCompleted>(async context =>
        {
            if (!context.Headers.TryGetHeader("x-chaos-copy", out _))
                await context.Publish(context.Message, c => c.Headers.Set("x-chaos-copy", true));
        }));
        await duplicator.Ready;
        var clock = Stopwatch.StartNew();

        try
        {
            var briefs = await stack.Bus.GetSendEndpoint(new Uri($"queue:{Queues.Briefs}"));
            for (var i = 0; i < Batch; i++)
            {
                var command = new GenerateBrief
                {
                    BriefId = NewId.NextGuid(), UserId = "chaos", Language = "fr", RequestedAt = DateTimeOffset.UtcNow,
                    Profile = new BusinessProfile
                    {
                        CoachingSessionId = 9000 + i, BusinessName = $"Pâtisserie Diallo n°{i}",
                        Vision = "Devenir la pâtisserie des grandes occasions à Saint-Louis.",
                        Mission = "Des gâteaux de fête faits main, livrés à l'heure.",
                        TargetAudience = "Familles qui préparent baptêmes et mariages",
                        Differentiation = "Recettes au bissap et à la mangue locale",
                        ValueProposition = "Votre gâteau sur mesure livré le jour J",
                        Sector = "pâtisserie",
                        Location = new BusinessLocation { City = "Saint-Louis", Country = "Sénégal" },
                    },
                };
                await briefs.Send(command);
                await briefs.Send(command);
                scenario.Accept(command.BriefId);
            }

            var result = await scenario.Settle(clock, SettleTimeout);
            AssertAllReady(result);
            Assert.All(scenario.Accepted, id => Assert.Single(stack.Announcements[(id, 1)]));
            var brief = await scenario.Brief(scenario.Accepted[0]);
            Assert.All(SectionNames.All, s => Assert.Equal(1, brief.GetProperty("sections").GetProperty(s).GetProperty("attempts").GetInt32()));
        }
        finally
        {
            await duplicator.StopAsync();
        }
    }

    [Fact]
    public async Task While_RabbitMq_is_down_the_api_answers_503_keeps_nothing_and_accepts_the_same_request_once_it_is_back()
    {
        await using var scenario = new FaultScenario(stack, "10. RabbitMQ down: 503, nothing kept, accepted once back");
        await scenario.Start();
        await stack.StopRabbitMq();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var waited = Stopwatch.StartNew();
                using var refused = await scenario.SubmitOnce(i, $"while-down-{i}");

                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"the 503 took {waited.Elapsed.TotalSeconds:0.0} s");
                Assert.Empty(await scenario.StoredKeys());
            }
        }
        finally
        {
            await stack.StartRabbitMq();
        }
        var clock = Stopwatch.StartNew();

        // The client retries what was refused, with the same idempotency keys, as the 503 invites it to.
        for (var i = 0; i < 3; i++)
            await scenario.SubmitUntilAccepted(i, $"while-down-{i}");
        await scenario.Submit(Batch);

        AssertAllReady(await scenario.Settle(clock, SettleTimeout));
    }

    [Fact]
    public async Task A_deploy_stopping_agents_and_orchestrator_with_SIGTERM_mid_batch_loses_no_job()
    {
        // A lost job would be sent again at its deadline: 60 s leaves slow restarts room and still fits the settle time.
        await using var scenario = new FaultScenario(stack, "11. agents and orchestrator stopped (SIGTERM) mid-batch, restarted")
            .WithAgentLatency(SlowAgents).WithJobDeadline(TimeSpan.FromSeconds(60));
        await scenario.Start();
        List<(string Service, ShutdownOutcome Outcome)> stops = [];

        var result = await SubmitWithFaultMidBatch(scenario, async () =>
        {
            foreach (var name in new[] { "agents-1", "orchestrator-1" })
            {
                var service = scenario.Service(name);
                stops.Add((name, await service.Stop()));
                await service.Start();
            }
        });

        AssertAllReady(result);
        Assert.All(stops, stop =>
        {
            Assert.False(stop.Outcome.Killed, $"{stop.Service} was still running 30 s after SIGTERM");
            Assert.Equal(0, stop.Outcome.ExitCode);
        });
        // A job lost at shutdown would have been re-sent by its deadline, adding an attempt.
        foreach (var id in scenario.Accepted)
        {
            var sections = (await scenario.Brief(id)).GetProperty("sections");
            Assert.All(SectionNames.All, s => Assert.Equal(1, sections.GetProperty(s).GetProperty("attempts").GetInt32()));
        }
    }

    [Fact]
    public async Task Redis_nearly_full_makes_the_api_refuse_new_briefs_loudly_and_once_memory_is_raised_none_is_lost()
    {
        await using var scenario = new FaultScenario(stack, "9. Redis full (allkeys-lru): new briefs refused (503), none lost");
        await scenario.Start();
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{stack.Redis},allowAdmin=true");
        var server = redis.GetServers().Single();
        await server.ConfigSetAsync("maxmemory", "8mb");
        try
        {
            // Older data fills the memory up to the limit, as briefs nobody read for a while would.
            var database = redis.GetDatabase();
            var filler = new string('x', 1024);
            var evictedBefore = Evicted(await server.InfoAsync("stats"));
            for (var i = 0; i < 8 * 1024; i += 256)
                await Task.WhenAll(Enumerable.Range(i, 256).Select(n => database.StringSetAsync($"chaos-filler:{n}", filler)));
            Assert.True(Evicted(await server.InfoAsync("stats")) > evictedBefore, "the filler never reached the memory limit");
            // Which keys Redis evicts from here on: none may be a key of this scenario.
            await server.ConfigSetAsync("notify-keyspace-events", "Ee");
            var evicted = new ConcurrentQueue<string>();
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("__keyevent@0__:evicted"), (_, key) => evicted.Enqueue(key!));

            for (var i = 0; i < 3; i++)
            {
                using var refused = await scenario.SubmitOnce(i, $"while-full-{i}");

                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
                var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("The brief service has no room for new briefs right now", problem.GetProperty("title").GetString());
                Assert.Empty(await scenario.StoredKeys());
            }
            using var http = new HttpClient();
            Assert.Equal("Degraded", await http.GetStringAsync($"{scenario.Api.Url}/health/ready"));

            // The operator raises maxmemory: the refused requests are accepted on retry, and so is a full batch.
            await server.ConfigSetAsync("maxmemory", "512mb");
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 3; i++)
                await scenario.SubmitUntilAccepted(i, $"while-full-{i}");
            await scenario.Submit(Batch);

            AssertAllReady(await scenario.Settle(clock, SettleTimeout));
            Assert.DoesNotContain(evicted, key => key.StartsWith(scenario.KeyPrefix));
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "512mb");
            await server.ExecuteAsync("FLUSHDB");
        }
    }

    static long Evicted(IGrouping<string, KeyValuePair<string, string>>[] info) =>
        long.Parse(info.SelectMany(g => g).Single(p => p.Key == "evicted_keys").Value);

    [Fact]
    public async Task PostgreSQL_stopped_mid_batch_delays_archiving_and_every_brief_is_archived_once_it_is_back()
    {
        await using var scenario = new FaultScenario(stack, "12. PostgreSQL (archive) stopped 10 s mid-batch, all archived after").WithAgentLatency(SlowAgents);
        await scenario.Start();

        // Generation does not wait for the archive: the batch ends ready while archiving waits in its queue.
        AssertAllReady(await SubmitWithFaultMidBatch(scenario, () => stack.RestartPostgres(TimeSpan.FromSeconds(10))));
        var deadline = DateTime.UtcNow + ArchiveTimeout;
        var archived = 0;
        while ((archived = await stack.ArchivedReady(scenario.Accepted)) < scenario.Accepted.Count && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        Assert.True(archived == scenario.Accepted.Count,
            $"{archived} of {scenario.Accepted.Count} briefs archived {ArchiveTimeout.TotalSeconds} s after the batch settled");
        Assert.Equal(0, (await stack.ErrorQueues()).Messages);
    }

    internal static async Task<ScenarioResult> SubmitWithFaultMidBatch(FaultScenario scenario, Func<Task> fault)
    {
        var clock = Stopwatch.StartNew();
        var submitting = scenario.Submit(Batch);
        await scenario.Break(fault);
        await submitting;
        return await scenario.Settle(clock, SettleTimeout);
    }

    static async Task KillAndRestart(ServiceProcess service)
    {
        service.Kill();
        await Task.Delay(1000);
        await service.Start();
    }

    internal static void AssertAllAnnounced(ChaosStack stack, FaultScenario scenario) =>
        Assert.All(scenario.Accepted, id => Assert.True(stack.Announcements.ContainsKey((id, 1)), $"brief {id} was never announced"));

    internal static void AssertAllReady(ScenarioResult result) => AssertSettled(result, expectReady: true);

    static void AssertAllIncomplete(ScenarioResult result) => AssertSettled(result, expectReady: false);

    static void AssertSettled(ScenarioResult result, bool expectReady)
    {
        Assert.True(result.Submitted >= Batch, $"{result.Scenario}: only {result.Submitted} briefs accepted");
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Stuck);
        Assert.Equal(0, result.Duplicates);
        Assert.True(result.ErrorQueueMessages == 0,
            $"{result.Scenario}: {result.ErrorQueueMessages} messages in error queues: {result.ErrorQueueFaults}");
        Assert.True(result.Submitted == (expectReady ? result.Ready : result.Incomplete),
            $"{result.Scenario}: {result.Ready} ready and {result.Incomplete} incomplete of {result.Submitted}; failed sections: {result.SectionFailures}");
    }
}
