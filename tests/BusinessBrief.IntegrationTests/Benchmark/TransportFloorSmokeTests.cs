using System.Diagnostics;
using System.Text.Json;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.TransportFloor;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.Benchmark;

/// <summary>
/// <c>./bb floor</c> is not part of the test run, but a tiny run of the same program is, so the tool cannot silently
/// stop working. It checks that the briefs come back and the numbers exist, never how fast anything is.
/// </summary>
public class TransportFloorSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_tiny_floor_run_loses_no_brief_reports_each_roles_cpu_and_removes_its_virtual_host()
    {
        var virtualHost = TestInfrastructure.UniqueName("floor");
        var report = RepositoryFiles.PathOf($".data/test-results/bb-floor-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     typeof(FloorRun).Assembly.Location, "--briefs", "5", "--warmup", "0", "--half-rate-seconds", "2",
                     "--virtual-host", virtualHost, "--rabbitmq", TestInfrastructure.RabbitMqConnectionString("/"),
                     "--management", $"http://guest:guest@{TestInfrastructure.RabbitMqHost}:15672/api/", "--json", report,
                 })
            start.ArgumentList.Add(argument);

        using var floor = Process.Start(start)!;
        var printed = floor.StandardOutput.ReadToEndAsync();
        var errors = floor.StandardError.ReadToEndAsync();
        await floor.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine(await printed + await errors);

        Assert.Equal(0, floor.ExitCode);
        var measured = JsonSerializer.Deserialize<FloorReport>(await File.ReadAllTextAsync(report))!;
        File.Delete(report);
        Assert.Equal(5, measured.Briefs);
        Assert.Equal(0, measured.Lost);
        Assert.True(measured.BriefsPerSecond > 0);
        Assert.True(measured.CpuMsPerBrief["orchestrator"] > 0 && measured.CpuMsPerBrief["agents"] > 0,
            "each role's CPU time per brief is read from /proc");
        Assert.NotNull(measured.OpenLoop);
        Assert.True(measured.OpenLoop.Count > 0, "the open loop measured some briefs");
        Assert.InRange(measured.OpenLoop.P50Ms, 0.1, measured.OpenLoop.P99Ms);
        Assert.DoesNotContain(virtualHost, await TestInfrastructure.VirtualHosts());
    }
}
