using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using Json.Schema;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>
/// The check every result passes before it leaves its agent: the section's JSON schema and the rules beside it; and
/// the pass/fail verdict alone, from the compiled <see cref="SchemaVerdict"/> and from JsonSchema.Net, which is what
/// keeping the second validator saves.
/// </summary>
[MemoryDiagnoser]
public class SectionSchemaBenchmarks
{
    static readonly EvaluationOptions PassOrFail = new() { OutputFormat = OutputFormat.Flag };

    SectionSchemas schemas = null!;
    JsonObject result = null!;
    SchemaVerdict verdict = null!;
    JsonSchema schema = null!;

    [ParamsSource(nameof(Sections))]
    public string Section { get; set; } = null!;

    public static IEnumerable<string> Sections => SectionAgents.Sections;

    [GlobalSetup]
    public async Task WriteSection()
    {
        schemas = SectionAgents.Schemas;
        result = (await SectionAgents.Create(Section).Write(SampleBrief.Job(Section), new ModelSpend(), CancellationToken.None)).Result;
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", $"{Section}.schema.json"));
        verdict = new SchemaVerdict(JsonDocument.Parse(text).RootElement.Clone());
        schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    [Benchmark]
    public IReadOnlyList<string> Problems() => schemas.Problems(Section, result);

    [Benchmark]
    public bool CompiledVerdict() => verdict.Holds(result);

    [Benchmark]
    public bool JsonSchemaNetVerdict() => schema.Evaluate(JsonSerializer.SerializeToElement(result), PassOrFail).IsValid;
}
