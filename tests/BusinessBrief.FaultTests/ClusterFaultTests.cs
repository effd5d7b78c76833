using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using BusinessBrief.Contracts;
using BusinessBrief.LoadBenchmark;
using static BusinessBrief.FaultTests.FaultSuiteTests;

namespace BusinessBrief.FaultTests;

/// <summary>
/// The same promises on the clustered engines (<see cref="ClusterEngines"/>): a RabbitMQ node or a Redis master lost
/// mid-batch, a rolling restart of the brokers, and two API copies sharing one rate limit.
/// </summary>
[Collection(ChaosCollection.Name)]
public partial class ClusterFaultTests(ChaosStack stack)
{
    // A job waiting in a queue whose connection moves to another node may resume after MassTransit's reconnect delay
    // (3 s to 30 s): as for the single node's restart, a 20 s deadline would fail sections that are safe in their queues.
    static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(60);
    static readonly TimeSpan CarryOnTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cluster_RabbitMq_node_leading_the_saga_queue_killed_mid_batch_the_others_carry_on_and_it_rejoins()
    {
        var cluster = await stack.Cluster();
        await using var scenario = await StartOn(cluster, "13. cluster: RabbitMQ node leading the saga queue killed (SIGKILL) mid-batch, restarted");
        var leader = await cluster.LeaderOf(Queues.Briefs);
        var announcedWhileDown = 0;

        var result = await SubmitWithFaultMidBatch(scenario, async () =>
        {
            await cluster.KillRabbit(leader);
            var atKill = scenario.Announced();
            var deadline = DateTime.UtcNow + CarryOnTimeout;
            while (scenario.Announced() == atKill && scenario.Announced() < scenario.Accepted.Count && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            announcedWhileDown = scenario.Announced() - atKill;
            await cluster.StartRabbit(leader, Queues.Briefs);
        });

        AssertAllReady(result);
        Assert.True(announcedWhileDown > 0, $"no brief was announced in the {CarryOnTimeout.TotalSeconds} s after node {leader} was killed");
        AssertAllAnnounced(stack, scenario);
    }

    [Fact]
    public async Task Cluster_Redis_master_killed_mid_batch_its_replica_takes_over_and_no_saga_state_is_lost()
    {
        var cluster = await stack.Cluster();
        await using var scenario = await StartOn(cluster, "14. cluster: Redis master killed (SIGKILL) mid-batch, replica promoted, rejoins");

        var result = await SubmitWithFaultMidBatch(scenario, async () =>
        {
            var master = await cluster.BusiestRedisMaster();
            var replica = await cluster.ReplicaOf(master);
            await cluster.KillRedis(master);
            await cluster.WaitUntilPromoted(replica);
            await cluster.StartRedisAsReplica(master);
        });

        AssertAllReady(result);
        // A saga write the lost master acknowledged but never passed on would show as a brief gone, stuck or never announced.
        AssertAllAnnounced(stack, scenario);
    }

    [Fact]
    public async Task Cluster_RabbitMq_rolling_restart_under_steady_load_loses_nothing()
    {
        var cluster = await stack.Cluster();
        await using var scenario = await StartOn(cluster, "15. cluster: rolling restart of the 3 RabbitMQ nodes under steady load");
        var clock = Stopwatch.StartNew();
        using var restarted = new CancellationTokenSource();

        // A brief every half second for as long as the restart lasts: every node goes down with work in flight.
        var submitting = scenario.SubmitSteadily(TimeSpan.FromMilliseconds(500), Batch, restarted.Token);
        await scenario.Break(async () =>
        {
            foreach (var node in ClusterEngines.RabbitNodes)
            {
                await cluster.StopRabbit(node);
                await cluster.StartRabbit(node, Queues.Briefs);
            }
            restarted.Cancel();
        });
        await submitting;

        AssertAllReady(await scenario.Settle(clock, SettleTimeout));
    }

    [Fact]
    public async Task Cluster_two_api_copies_hold_one_rate_limit_per_user()
    {
        var cluster = await stack.Cluster();
        await using var scenario = new FaultScenario(stack, "16. cluster: two API copies, one per-user limit (120 requests, limit 60)", cluster);
        scenario.Environment["BriefApi__RateLimits__Generate__PermitLimit"] = Batch.ToString();
        scenario.Environment["BriefApi__RateLimits__Generate__Window"] = "00:05:00";
        await scenario.Start();
        var copy = await scenario.StartApiCopy();
        var clock = Stopwatch.StartNew();

        var answers = await scenario.SubmitOnceAcross([scenario.Api, copy], 2 * Batch);

        Assert.Equal(Batch, answers.Count(a => a.Status == HttpStatusCode.Accepted));
        Assert.Equal(Batch, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
        // Each copy accepted some: the limit was not one copy's alone.
        Assert.All([scenario.Api.Name, copy.Name],
            api => Assert.Contains(answers, a => a.Api == api && a.Status == HttpStatusCode.Accepted));
        AssertAllReady(await scenario.Settle(clock, SettleTimeout));
    }

    /// <summary>
    /// <c>./bb bench --cluster</c> in miniature: the benchmark's own code on the cluster, so that it cannot silently stop
    /// working there (Redis counted on every master, its briefs removed one key at a time). How fast is never asserted.
    /// </summary>
    [Fact]
    public async Task Cluster_a_tiny_benchmark_run_loses_no_brief_and_counts_redis_on_every_master()
    {
        const int briefs = 5;
        var cluster = await stack.Cluster();
        await using var scenario = new FaultScenario(stack, "cluster: benchmark smoke run", cluster);
        await scenario.Start();
        using var api = new HttpClient { BaseAddress = new Uri(scenario.Api.Url + "/") };
        var target = new BenchmarkTarget
        {
            Api = api,
            TokenFor = ChaosStack.TokenFor,
            RabbitMq = new Uri($"amqp://guest:guest@127.0.0.1:{ClusterEngines.RabbitPort(1)}/{ClusterEngines.VirtualHost}"),
            RabbitMqManagement = new Uri($"http://guest:guest@127.0.0.1:{ClusterEngines.RabbitPort(1) + 10000}/api/"),
            Redis = cluster.Redis,
            BriefKeyPrefix = scenario.KeyPrefix,
        };
        var progress = new StringWriter();

        var report = await new LoadBenchmarkRun(target, LoadBenchmarkOptions.Smoke(briefs), progress).Run(CancellationToken.None);

        report.WriteTable(progress);
        Assert.True(report.Lost == 0 && report.Incomplete == 0 && report.Accepted == briefs, progress.ToString());
        Assert.True(report.MessagesPerBrief > 0 && report.Ratio > 0, progress.ToString());
        // A brief costs about 90 Redis commands; one master's counters alone would show about a third of them.
        Assert.True(report.RedisCommandsPerBrief > 45, progress.ToString());
        // Every brief it created removed, though their keys sit in different hash slots.
        Assert.DoesNotContain(await scenario.StoredKeys(), key => BriefHash().IsMatch(key));
    }

    [GeneratedRegex(@"\{[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}$")]
    private static partial Regex BriefHash();

    /// <summary>The services on the cluster, with slow agents and job deadlines that outlast a reconnect.</summary>
    async Task<FaultScenario> StartOn(ClusterEngines cluster, string name)
    {
        var scenario = new FaultScenario(stack, name, cluster).WithAgentLatency(SlowAgents).WithJobDeadline(JobDeadline);
        try
        {
            await scenario.Start();
            return scenario;
        }
        catch
        {
            // The services it did start would outlive the test.
            await scenario.DisposeAsync();
            throw;
        }
    }
}
