using BenchmarkDotNet.Attributes;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>One sub-agent (offline backend) writing its section of the Dakar brief, schema check and confidence included.</summary>
[MemoryDiagnoser]
public class OfflineAgentBenchmarks
{
    ISectionAgent agent = null!;
    RunSubAgent job = null!;

    [ParamsSource(nameof(Sections))]
    public string Section { get; set; } = null!;

    public static IEnumerable<string> Sections => SectionAgents.Sections;

    [GlobalSetup]
    public void CreateAgent()
    {
        agent = SectionAgents.Create(Section);
        job = SampleBrief.Job(Section);
    }

    [Benchmark]
    public Task<SectionDraft> Write() => agent.Write(job, new ModelSpend(), CancellationToken.None);
}
