using System.Globalization;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.LoadBenchmark;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.Benchmark;

/// <summary>
/// <c>./bb bench</c> is not part of the test run, but a tiny run of the same code is, so the benchmark cannot
/// silently stop working. It checks that the numbers exist and add up, never how fast anything is.
/// </summary>
[Collection(BriefSystemCollection.Name)]
public class LoadBenchmarkSmokeTests(BriefSystemFixture system, ITestOutputHelper output)
{
    [Fact]
    public async Task A_tiny_benchmark_run_loses_no_brief_and_reports_what_each_brief_costs()
    {
        const int briefs = 5;
        var target = new BenchmarkTarget
        {
            Api = system.AnonymousClient(),
            TokenFor = userId => system.Token(userId),
            RabbitMq = new Uri(TestInfrastructure.RabbitMqConnectionString(system.VirtualHost)),
            RabbitMqManagement = new Uri($"http://guest:guest@{TestInfrastructure.RabbitMqHost}:15672/api/"),
            Redis = TestInfrastructure.RedisConnectionString,
            BriefKeyPrefix = system.KeyPrefix,
        };
        var latencies = RepositoryFiles.PathOf($".data/test-results/bb-bench-latencies-{Guid.NewGuid():N}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(latencies)!);
        var options = LoadBenchmarkOptions.Smoke(briefs) with { BriefTimeout = TimeSpan.FromSeconds(30), LatenciesFile = latencies };
        var progress = new StringWriter();

        var report = await new LoadBenchmarkRun(target, options, progress).Run(CancellationToken.None);

        report.WriteTable(progress);
        output.WriteLine(progress.ToString());
        Assert.Equal(briefs, report.Briefs);
        Assert.Equal(briefs, report.Accepted);
        Assert.Equal(0, report.Rejected);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Incomplete);
        Assert.True(report.MessagesPerBrief > 0, "a brief costs at least one message");
        Assert.True(report.RawMsgsPerS > 0 && report.BriefsPerS > 0 && report.Ratio > 0, "the ratio is computed");
        Assert.True(report.RedisCommandsPerBrief > 0, "a brief costs at least one Redis command");
        Assert.True(report.RedisReceivedBytesPerBrief > 1024, "every brief's state was written to Redis");
        Assert.True(report.MessageSizes.RunSubAgentBytes > 0 && report.MessageSizes.SubAgentCompletedBytes > 0,
            "the sizes of real sub-agent messages were sampled");
        Assert.InRange(report.P50Ms, 0.1, report.P99Ms);
        Assert.Equal(briefs, report.PollReady.Count);
        Assert.NotNull(report.HalfRate);
        Assert.True(report.HalfRate.Briefs > 0);
        Assert.Equal(0, report.HalfRate.Lost);

        // One line per measured brief, each with the latency of its BriefReady.
        var lines = File.ReadAllLines(latencies);
        File.Delete(latencies);
        Assert.Equal("phase,due_ms,brief_ready_ms,polled_ready_ms", lines[0]);
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToList();
        Assert.Equal(briefs, rows.Count(r => r[0] == "max_rate"));
        Assert.Equal(report.HalfRate.Briefs, rows.Count(r => r[0] == "half_rate"));
        Assert.All(rows, r => Assert.True(double.Parse(r[2], CultureInfo.InvariantCulture) > 0, $"no BriefReady latency in {string.Join(',', r)}"));
    }
}
