using System.Net;
using System.Net.Sockets;
using BusinessBrief.Persistence;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>How full Redis is, asked while no Redis answers: what a submit meets during a Redis restart.</summary>
public class RedisMemoryTests
{
    [Fact]
    public async Task With_no_redis_connected_memory_reads_fail_as_redis_out_of_reach_and_nothing_counts_as_full()
    {
        using var nowhere = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{ClosedPort()},abortConnect=false,connectTimeout=200");
        var memory = new RedisMemory(nowhere, TimeProvider.System);

        var failure = await Assert.ThrowsAnyAsync<Exception>(memory.Read);
        Assert.True(StorageFaults.IsUnavailable(failure), $"{failure.GetType().Name} would answer 500, not 503: {failure.Message}");
        Assert.False(await memory.IsNearlyFull());
    }

    /// <summary>A port nothing listens on (until a test starts something there).</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
