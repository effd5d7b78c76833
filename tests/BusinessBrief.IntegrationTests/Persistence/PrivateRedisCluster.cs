using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.Persistence;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// A Redis Cluster of the tests' own, as <c>./bb up --cluster</c> runs it: 3 masters and 3 replicas on free ports, AOF on,
/// a 2 s node timeout, data under <c>.data/test-redis/&lt;port&gt;</c>. Stopped (killed) when the collection ends.
/// </summary>
public sealed class PrivateRedisCluster : IAsyncLifetime
{
    const int Nodes = 6;
    readonly List<PrivateRedisServer> servers = [];

    public IReadOnlyList<int> Ports => servers.Select(server => server.Port).ToList();

    /// <summary>Every node, as a service lists them in <c>ConnectionStrings:redis</c>: the client discovers the roles itself.</summary>
    public string ConnectionString => string.Join(',', Ports.Select(port => $"127.0.0.1:{port}"));

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        foreach (var port in FreePorts())
            servers.Add(await PrivateRedisServer.Start(
            [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                "--appendonly", "yes", "--logfile", "redis.log",
            ], port: port));
        await RedisCli(["--cluster", "create", .. Ports.Select(port => $"127.0.0.1:{port}"), "--cluster-replicas", "1", "--cluster-yes"]);
        await UntilReady();
        Redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    /// <summary>Suspends the replica of the master that holds <paramref name="key"/>; disposing the handle resumes it and waits for the cluster.</summary>
    public async Task<IAsyncDisposable> FreezeReplicaOf(RedisKey key)
    {
        var replica = Redis.GetServer(key).ClusterConfiguration!.GetBySlot(key)!.Children.Single();
        var frozen = await servers.Single(server => replica.EndPoint is IPEndPoint { Port: var port } && port == server.Port).Freeze();
        return new Thawing(async () =>
        {
            await frozen.DisposeAsync();
            await UntilReady();
        });
    }

    async Task UntilReady()
    {
        for (var i = 0; i < 100 && !await IsReady(); i++)
            await Task.Delay(100);
    }

    /// <summary>Sets one node's <paramref name="setting"/> (<c>maxmemory</c>, …) as an operator would, with redis-cli.</summary>
    public Task Configure(IServer node, string setting, string value) =>
        RedisCli(["-p", $"{((IPEndPoint)node.EndPoint).Port}", "config", "set", setting, value]);

    /// <summary>The masters as the client sees them now.</summary>
    public IReadOnlyList<IServer> Masters() => Redis.ConnectedMasters();

    // Ready once every node sees all slots served and each master has its replica in sync.
    async Task<bool> IsReady()
    {
        foreach (var port in Ports)
        {
            if (!(await RedisCli(["-p", $"{port}", "cluster", "info"])).Contains("cluster_state:ok"))
                return false;
            var replication = await RedisCli(["-p", $"{port}", "info", "replication"]);
            if (replication.Contains("role:master") && !replication.Contains("connected_slaves:1")
                || replication.Contains("role:slave") && !replication.Contains("master_link_status:up"))
                return false;
        }
        return true;
    }

    static async Task<string> RedisCli(string[] arguments)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", arguments) { RedirectStandardOutput = true })!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output;
    }

    // Each node also needs its port + 10000 free: the cluster bus.
    static IEnumerable<int> FreePorts()
    {
        var ports = new List<int>();
        while (ports.Count < Nodes)
        {
            var port = Random.Shared.Next(20000, 30000);
            if (!ports.Contains(port) && IsFree(port) && IsFree(port + 10000))
                ports.Add(port);
        }
        return ports;
    }

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (Redis is not null)
            await Redis.DisposeAsync();
        foreach (var server in servers)
            await server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public class RedisClusterCollection : ICollectionFixture<PrivateRedisCluster>
{
    public const string Name = "Redis Cluster";
}
