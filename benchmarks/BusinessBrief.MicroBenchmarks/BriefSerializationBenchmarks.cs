using BenchmarkDotNet.Attributes;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>
/// A finished brief to and from its JSON documents as the Redis store writes and reads them (the brief, and each
/// section apart), as every saga message and every poll does.
/// </summary>
[MemoryDiagnoser]
public class BriefSerializationBenchmarks
{
    SagaDocument<BriefState> document = null!;
    BriefState brief = null!;
    Dictionary<string, byte[]> documents = null!;

    [GlobalSetup]
    public async Task CreateBrief()
    {
        document = SampleBrief.StorageLayout("bbbench:").Document;
        brief = await SampleBrief.Completed();
        documents = document.Write(brief).ToDictionary();
    }

    [Benchmark]
    public IReadOnlyList<KeyValuePair<string, byte[]>> Serialize() => document.Write(brief);

    [Benchmark]
    public BriefState Deserialize() => document.Read(documents)!;
}
