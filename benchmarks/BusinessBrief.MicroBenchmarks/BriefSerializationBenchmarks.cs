using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>The saga document of a finished brief to and from JSON, as every saga message and every poll does.</summary>
[MemoryDiagnoser]
public class BriefSerializationBenchmarks
{
    BriefState brief = null!;
    byte[] json = null!;

    [GlobalSetup]
    public async Task CreateBrief()
    {
        brief = await SampleBrief.Completed();
        json = JsonSerializer.SerializeToUtf8Bytes(brief, SagaJson.Options);
    }

    [Benchmark]
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(brief, SagaJson.Options);

    [Benchmark]
    public BriefState Deserialize() => JsonSerializer.Deserialize<BriefState>(json, SagaJson.Options)!;
}
