using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BusinessBrief.Agents.SubAgents;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>The check every result passes before it leaves its agent: the section's JSON schema and the rules beside it.</summary>
[MemoryDiagnoser]
public class SectionSchemaBenchmarks
{
    SectionSchemas schemas = null!;
    JsonObject result = null!;

    [ParamsSource(nameof(Sections))]
    public string Section { get; set; } = null!;

    public static IEnumerable<string> Sections => SectionAgents.Sections;

    [GlobalSetup]
    public async Task WriteSection()
    {
        schemas = SectionAgents.Schemas;
        result = (await SectionAgents.Create(Section).Write(SampleBrief.Job(Section), CancellationToken.None)).Result;
    }

    [Benchmark]
    public IReadOnlyList<string> Problems() => schemas.Problems(Section, result);
}
