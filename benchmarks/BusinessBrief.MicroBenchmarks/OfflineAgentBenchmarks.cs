using BenchmarkDotNet.Attributes;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Contracts;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>One offline sub-agent writing its section of the Dakar brief.</summary>
[MemoryDiagnoser]
public class OfflineAgentBenchmarks
{
    ISectionAgent agent = null!;
    RunSubAgent job = null!;

    [ParamsSource(nameof(Sections))]
    public string Section { get; set; } = null!;

    public static IEnumerable<string> Sections => OfflineAgents.Sections;

    [GlobalSetup]
    public void CreateAgent()
    {
        agent = OfflineAgents.Create(Section);
        job = SampleBrief.Job(Section);
    }

    [Benchmark]
    public Task<SectionDraft> Write() => agent.Write(job, CancellationToken.None);
}
