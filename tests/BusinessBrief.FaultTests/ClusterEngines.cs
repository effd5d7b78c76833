using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace BusinessBrief.FaultTests;

/// <summary>
/// The clustered engines of <c>./bb up --cluster</c> (<c>deploy/cluster/engines.sh</c>: 3 RabbitMQ nodes with quorum
/// queues, a Redis Cluster of 3 masters and 3 replicas), on ports, node names and a folder of the fault suite's own
/// (<c>.data/fault-cluster</c>), so that they never meet a cluster that <c>./bb up --cluster</c> runs.
/// </summary>
public sealed class ClusterEngines(string root)
{
    const int FirstRabbitPort = 5711, FirstRedisPort = 7100;
    const string NodeName = "bbfault";
    public const string VirtualHost = "bb";
    static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(120);

    public static IReadOnlyList<int> RabbitNodes { get; } = [1, 2, 3];
    public static IReadOnlyList<int> RedisPorts { get; } = Enumerable.Range(FirstRedisPort, 6).ToList();

    public string RabbitMq => $"amqp://guest:guest@{string.Join(',', RabbitNodes.Select(n => $"127.0.0.1:{RabbitPort(n)}"))}/{VirtualHost}";
    public string Redis => string.Join(',', RedisPorts.Select(p => $"127.0.0.1:{p}"));
    public Broker Broker => new(RabbitMq, Management(1), VirtualHost);
    string DataDirectory => Path.Combine(root, ".data", "fault-cluster");

    public static int RabbitPort(int node) => FirstRabbitPort + node - 1;

    static string Management(int node) => $"http://127.0.0.1:{RabbitPort(node) + 10000}/api";

    /// <summary>
    /// Starts the engines, or keeps those a run killed before its cleanup left running (every step is idempotent). A cluster
    /// such a run left half-restarted may not boot (a node waits for the one stopped last): it is then made afresh.
    /// </summary>
    public async Task Start()
    {
        try
        {
            await Engines("up");
        }
        catch (InvalidOperationException)
        {
            await Engines("down");
            Directory.Delete(DataDirectory, recursive: true);
            await Engines("up");
        }
    }

    public Task Stop() => Engines("down");

    /// <summary>The node (1..3) that leads a quorum queue: killing it forces a leader election.</summary>
    public async Task<int> LeaderOf(string queue)
    {
        var leader = (await Queue(1, queue)).GetProperty("leader").GetString()!;
        return int.Parse(leader[NodeName.Length..leader.IndexOf('@')]);
    }

    public Task KillRabbit(int node) => Engines("rabbit-kill", node.ToString());

    public Task StopRabbit(int node) => Engines("rabbit-stop", node.ToString());

    /// <summary>Starts a node and waits until it is back in the cluster and a member of <paramref name="queue"/> again.</summary>
    public async Task StartRabbit(int node, string queue)
    {
        await Engines("rabbit-start", node.ToString());
        // Asked of another node: the restarted one answers before it has caught up with the others.
        var witness = RabbitNodes.First(n => n != node);
        var name = $"{NodeName}{node}@localhost";
        await WaitUntil(async () => (await Queue(witness, queue)).GetProperty("online").EnumerateArray().Any(m => m.GetString() == name),
            $"{name} was not back in {queue}");
    }

    /// <summary>The master holding the most keys: its loss touches the most briefs.</summary>
    public async Task<int> BusiestRedisMaster()
    {
        var masters = new List<(int Port, long Keys)>();
        foreach (var port in RedisPorts)
            if ((await RedisCli(port, "ROLE")).StartsWith("master"))
                masters.Add((port, long.Parse(await RedisCli(port, "DBSIZE"))));
        return masters.MaxBy(m => m.Keys).Port;
    }

    public Task KillRedis(int port) => Engines("redis-kill", port.ToString());

    /// <summary>The port of the replica of the master on <paramref name="masterPort"/>.</summary>
    public async Task<int> ReplicaOf(int masterPort)
    {
        var id = await RedisCli(masterPort, "CLUSTER", "MYID");
        // <id> <host:port@bus-port> <flags> <master id> …
        var replica = (await RedisCli(masterPort, "CLUSTER", "NODES")).Split('\n').Select(line => line.Split(' '))
            .First(fields => fields[2].Contains("slave") && fields[3] == id)[1];
        return int.Parse(replica[(replica.IndexOf(':') + 1)..replica.IndexOf('@')]);
    }

    /// <summary>Waits until <paramref name="replicaPort"/> took its killed master's slots over and the cluster is whole again.</summary>
    public Task WaitUntilPromoted(int replicaPort) =>
        WaitUntil(async () => (await RedisCli(replicaPort, "ROLE")).StartsWith("master")
            && (await RedisCli(replicaPort, "CLUSTER", "INFO")).Contains("cluster_state:ok"),
            $"the replica :{replicaPort} was not promoted");

    /// <summary>Starts a killed master again and waits until it replicates its successor, which then accepts writes again.</summary>
    public async Task StartRedisAsReplica(int port)
    {
        await Engines("redis-start", port.ToString());
        await WaitUntil(async () => (await RedisCli(port, "INFO", "replication")).Contains("master_link_status:up"),
            $":{port} did not rejoin as a replica");
    }

    static async Task WaitUntil(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + RejoinTimeout;
        while (!await Holds(condition))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {RejoinTimeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }

    // A node still starting refuses the connection: redis-cli fails, which means "not yet".
    static async Task<bool> Holds(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    static async Task<JsonElement> Queue(int node, string queue)
    {
        using var http = ChaosStack.ManagementClient();
        return await http.GetFromJsonAsync<JsonElement>($"{Management(node)}/queues/{VirtualHost}/{queue}");
    }

    static async Task<string> RedisCli(int port, params string[] command) =>
        (await Run("redis-cli", ["-p", port.ToString(), .. command], new Dictionary<string, string>())).Trim();

    Task Engines(params string[] arguments) => Run("bash", [Path.Combine(root, "deploy", "cluster", "engines.sh"), .. arguments],
        new Dictionary<string, string>
        {
            ["BB_CLUSTER_RABBITMQ_PORT"] = FirstRabbitPort.ToString(),
            ["BB_CLUSTER_REDIS_PORT"] = FirstRedisPort.ToString(),
            ["BB_CLUSTER_RABBITMQ_NAME"] = NodeName,
            ["BB_DATA"] = DataDirectory,
        });

    static async Task<string> Run(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
            startInfo.Environment[key] = value;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error}");
        return await output;
    }
}
