using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>
/// Round trips to the local Redis (<c>BB_BENCH_REDIS</c>, default localhost:6379) with a finished brief: what the saga
/// does per message (load, then compare-and-set update), what the API does per poll (read and renew), and the archive's
/// read of a finished brief: whole (load, then serialise for PostgreSQL) or as a copy of the stored documents.
/// Keys live under their own prefix and are removed afterwards.
/// </summary>
[MemoryDiagnoser]
public class RedisSagaStoreBenchmarks
{
    ConnectionMultiplexer redis = null!;
    RedisSagaRepositoryOptions<BriefState> layout = null!;
    RedisSagaStore<BriefState> store = null!;
    Guid briefId;
    string ownerId = null!;

    [GlobalSetup]
    public async Task StoreBrief()
    {
        redis = await ConnectionMultiplexer.ConnectAsync(Environment.GetEnvironmentVariable("BB_BENCH_REDIS") ?? "localhost:6379");
        layout = SampleBrief.StorageLayout($"bbbench:{Guid.NewGuid():N}:brief:");
        // A single Redis has no replica to wait for: the acknowledgement stays off, as in production on one node.
        store = new RedisSagaStore<BriefState>(redis, layout, new ReplicaAcknowledgement(redis, Options.Create(new RedisReplicationOptions())));
        var brief = await SampleBrief.Completed();
        briefId = brief.CorrelationId;
        ownerId = brief.UserId;
        await store.Insert(brief);
    }

    [GlobalCleanup]
    public async Task RemoveBrief()
    {
        await redis.GetDatabase().KeyDeleteAsync(layout.Key(briefId));
        await redis.DisposeAsync();
    }

    [Benchmark]
    public async Task LoadAndUpdate()
    {
        var brief = (await store.Load(briefId))!;
        brief.UpdatedAt = DateTimeOffset.UtcNow;
        await store.Update(brief);
    }

    [Benchmark]
    public Task<StoredSaga<BriefState>?> ReadAndRenew() => store.ReadOwnedAndRenew(briefId, ownerId);

    [Benchmark]
    public async Task<byte[]> ReadWholeToArchive() => JsonSerializer.SerializeToUtf8Bytes(await store.Load(briefId), SagaJson.Options);

    [Benchmark]
    public async Task<byte[]> ReadCopyToArchive() => (await store.LoadCopy(briefId))!.Json;
}
